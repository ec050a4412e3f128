"""The cadence (C1, C2), the annual planner's preview, and a meeting's stage as the read model shows it,
through the application on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest

from application.hub import PartnershipHub
from domain.body import Decision
from domain.errors import InvalidInput
from domain.meeting import calendar_dates
from projections import queries
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.integration.test_meeting_workflow import OFFICER, carers_forum, models, on, read

__all__ = ["models"]  # the fixture, used by name


def test_a_third_ordinary_meeting_is_refused_and_an_additional_one_accepted(hub: PartnershipHub) -> None:
    forum = carers_forum(hub)
    for day in (date(2026, 12, 31), date(2027, 6, 9)):
        hub.schedule_meeting(OFFICER, forum, meeting_date=day, start_time=time(14), place="Hall")
    # The example: 20 January 2027 beside 31 December 2026 and 9 June 2027.
    with pytest.raises(InvalidInput, match="one on 31 December 2026, less than three months") as refusal:
        hub.schedule_meeting(OFFICER, forum, meeting_date=date(2027, 1, 20), start_time=time(14), place="Hall")
    assert refusal.value.rule == "C1"
    hub.schedule_meeting(OFFICER, forum, meeting_date=date(2027, 11, 1), start_time=time(14), place="Hall")
    with pytest.raises(InvalidInput, match=r"already has its 2 ordinary meetings in 2027 \(9 June 2027 and 1 Nov"):
        hub.schedule_meeting(OFFICER, forum, meeting_date=date(2027, 3, 15), start_time=time(14), place="Hall")
    extra = hub.schedule_meeting(
        OFFICER,
        forum,
        meeting_date=date(2027, 3, 15),
        start_time=time(14),
        place="Hall",
        additional=True,
        lead_officer="Jo Lead",
        additional_reason="The carers' strategy consultation closes in March",
    )
    assert hub.meeting(extra).additional_reason == "The carers' strategy consultation closes in March"
    # A cancelled ordinary meeting frees its place in the year.
    june = next(m for m in hub._meetings_of(forum) if m.date == date(2027, 6, 9))
    hub.cancel_meeting(OFFICER, june.id, reason="Moved to the autumn")
    hub.schedule_meeting(OFFICER, forum, meeting_date=date(2027, 6, 16), start_time=time(14), place="Hall")


def test_the_planner_previews_leaves_existing_meetings_alone_and_plans_once(
    hub: PartnershipHub, models: ReadModels
) -> None:
    forum = carers_forum(hub)  # slot 0 of 3 (name order)
    conference = hub.establish_body(
        OFFICER, name="Adult Services Stakeholder Conference", kind="stakeholder_conference", decision=Decision("New")
    )
    voice = hub.establish_body(OFFICER, name="Parent Voice", kind="consultative_group", decision=Decision("New"))
    # The conference already has its two ordinary meetings in 2027; Parent Voice one, in June.
    for day in (date(2027, 4, 14), date(2027, 10, 13)):
        hub.schedule_meeting(OFFICER, conference, meeting_date=day, start_time=time(10), place="Civic Centre")
    hub.schedule_meeting(OFFICER, voice, meeting_date=date(2027, 6, 10), start_time=time(18), place="Library")
    before = hub.recorder.max_notification_id()

    preview = hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre", preview=True)
    assert hub.recorder.max_notification_id() == before, "a preview saves nothing"
    plans = {b.body_id: b for b in preview.bodies}
    assert plans[forum].create == calendar_dates(2027, 1)
    assert plans[conference].create == () and plans[conference].existing == (date(2027, 4, 14), date(2027, 10, 13))
    assert "already has its 2 ordinary meetings in 2027" in plans[conference].note
    spring, autumn = calendar_dates(2027, 2)
    assert plans[voice].create == (spring,) and plans[voice].existing == (date(2027, 6, 10),)
    assert f"not planned on {autumn:%-d %B %Y}" in plans[voice].note
    assert preview.meetings == 3 and set(preview.left_alone) == {conference}
    assert preview.summary().startswith("Would create 3 meetings for 2 bodies in 2027")

    done = hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre")
    assert [(b.body_id, b.create) for b in done.bodies] == [(b.body_id, b.create) for b in preview.bodies]
    assert done.summary().startswith("Created 3 meetings for 2 bodies in 2027")
    rows = read(models, queries.calendar, start=date(2027, 1, 1), end=date(2027, 12, 31), per_page=100).items
    assert len(rows) == 6  # 3 planned beside the 3 that were there

    again = hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre")
    assert again.meetings == 0 and again.planned == {}
    assert set(again.already_planned) == {forum, voice} and set(again.left_alone) == {conference}
    assert again.summary().startswith("Created 0 meetings for 0 bodies in 2027; 2 bodies already planned")
    assert hub.recorder.max_notification_id() == before + 3


def test_the_read_model_shows_each_stage(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    forum = carers_forum(hub)
    meeting = hub.schedule_meeting(OFFICER, forum, meeting_date=date(2026, 4, 8), start_time=time(14), place="Hall")

    def stage() -> tuple[str, str]:
        row = read(models, queries.meeting_row, meeting)
        return row["stage"], row["stage_label"]

    assert stage() == ("scheduled", "Scheduled")
    hub.move_meeting(
        OFFICER, meeting, new_date=date(2026, 4, 15), new_start_time=time(14), new_place="Hall", reason="Room"
    )
    assert stage() == ("moved", "Moved to a new date")
    assert read(models, queries.meeting_row, meeting)["moved_from"] == date(2026, 4, 8)
    hub.add_agenda_item(OFFICER, meeting, title="Budget")
    hub.publish_agenda(OFFICER, meeting)
    assert stage() == ("agenda_published", "Agenda published")
    on(clock, date(2026, 4, 15), 16)
    hub.record_meeting_held(OFFICER, meeting)
    assert stage() == ("held", "Held")
    public = read(models, queries.meeting_detail, meeting, public_only=True)
    assert (public["stage"], public["held"]) == ("held", True)
    models.catch_up()
    assert read(models, queries.calendar, per_page=10).items[0]["stage"] == "held"
