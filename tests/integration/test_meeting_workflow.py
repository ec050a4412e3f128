"""A meeting's whole life through the application commands, read back from the read models.

Runs on SQLite and on PostgreSQL (the ``hub`` fixture). The clock is moved from day to day as an
officer would live through it: the calendar planned, the agenda and papers published, the meeting
held, its minutes drafted, cleared, published and approved at the next meeting, its actions
carried forward as matters arising until closed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import pytest

from application.errors import NotAuthorised
from application.hub import PartnershipHub, calendar_meeting_id
from domain.actor import Actor
from domain.body import Decision
from domain.errors import DomainError, InvalidInput
from domain.meeting import Apology
from domain.vocabulary import EXECUTIVE_DIRECTOR
from domain.working_days import minutes_due, papers_due
from projections import queries
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.support.tables import dump
from tests.unit.test_working_days import MINUTES_DUE_CASES, PAPERS_DUE_CASES

OFFICER = Actor("officer-1", "partnership_officer")
ED = Actor("ed", "executive_director")

SPRING = date(2026, 4, 8)  # papers due Mon 30 March (Easter skipped), minutes due Wed 29 April
AUTUMN = date(2026, 10, 7)  # papers due Wed 30 September, minutes due Wed 28 October


@pytest.fixture
def models(hub: PartnershipHub) -> Iterator[ReadModels]:
    read_models = ReadModels(hub, hub.settings.read_model_url)
    yield read_models
    read_models.close()


def on(clock: Clock, day: date, hour: int = 10) -> None:
    clock.now = datetime.combine(day, time(hour), tzinfo=UTC)


def docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def carers_forum(hub: PartnershipHub) -> UUID:
    """A consultative group with an elected chair, Ann Carer."""
    forum = hub.establish_body(
        OFFICER, name="Carers Forum", kind="consultative_group", decision=Decision("New framework", date(2025, 9, 1))
    )
    for member_id, person, representation in (("ann", "Ann Carer", "carer"), ("bo", "Bo User", "service_user")):
        hub.add_member(
            OFFICER,
            forum,
            member_id=member_id,
            person=person,
            role="member",
            representation=representation,
            effective_date=date(2025, 9, 1),
        )
    hub.record_election(OFFICER, forum, chair_id="ann", vice_chair_id="bo", election_date=date(2025, 10, 1))
    return forum


def read(models: ReadModels, fn: Any, *args: Any, **kwargs: Any) -> Any:
    models.catch_up()
    with models.engine.connect() as connection:
        return fn(connection, *args, **kwargs)


# ------------------------------------------------------------------------ the whole life


def test_a_meetings_whole_life(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    forum = carers_forum(hub)

    # The annual calendar (C1): two meetings, planned in one step; planning again changes nothing.
    plan = hub.plan_annual_calendar(OFFICER, year=2026, place="Civic Centre", body_id=forum, dates=(SPRING, AUTUMN))
    spring, autumn = plan.planned[forum]
    assert (spring, autumn) == (calendar_meeting_id(forum, 2026, 1), calendar_meeting_id(forum, 2026, 2))
    events = hub.recorder.max_notification_id()
    again = hub.plan_annual_calendar(OFFICER, year=2026, place="Civic Centre", body_id=forum, dates=(SPRING, AUTUMN))
    assert (again.planned, again.already_planned) == ({}, {forum: (spring, autumn)})
    assert hub.recorder.max_notification_id() == events

    # The agenda and papers (C4, G1): a public item and an exempt one, each with a paper.
    on(clock, date(2026, 3, 20))
    strategy = hub.add_agenda_item(OFFICER, spring, title="Carers' strategy refresh").number
    contract = hub.add_agenda_item(OFFICER, spring, title="Respite contract award", exemption_paragraph=3).number
    summary = hub.upload_file(OFFICER, b"Carers' strategy: what we heard", "strategy.txt")
    tender = hub.upload_file(OFFICER, b"%PDF-1.7\n tender scores", "tender-scores.pdf")
    hub.attach_paper(
        OFFICER, spring, item=strategy, title="What carers told us", file=summary, summary="Views", accessible=True
    )
    hub.attach_paper(OFFICER, spring, item=contract, title="Tender scores", file=tender, summary="Scores")
    before = read(models, queries.meeting_detail, spring, public_only=True)
    assert before["agenda"] == [] and before["agenda_published_on"] is None

    on(clock, date(2026, 3, 27))
    published = hub.publish_agenda(OFFICER, spring)
    assert (published.late, published.due) == (False, date(2026, 3, 30))
    on(clock, date(2026, 4, 1))  # a paper sent after the deadline goes out at once, marked late
    extra = hub.upload_file(OFFICER, docx("Survey results"), "survey.docx")
    hub.attach_paper(OFFICER, spring, item=strategy, title="Survey results", file=extra, summary="Survey")

    row = read(models, queries.meeting_detail, spring, public_only=False, today=date(2026, 4, 1))
    assert (row["papers_due"], row["minutes_due"]) == (date(2026, 3, 30), date(2026, 4, 29))
    assert (row["agenda_published_on"], row["agenda_published_late"], row["papers_overdue"]) == (
        date(2026, 3, 27),
        False,
        False,
    )
    assert [(p["title"], p["published_late"]) for p in row["agenda"][0]["papers"]] == [
        ("What carers told us", False),
        ("Survey results", True),
    ]
    assert row["agenda"][1]["exemption_reason"].startswith("information relating to the financial")
    public = read(models, queries.meeting_detail, spring, public_only=True)
    assert [i["title"] for i in public["agenda"]] == ["Carers' strategy refresh"]
    assert [p["file_name"] for p in public["agenda"][0]["papers"]] == ["strategy.txt", "survey.docx"]

    # The meeting (C7, C8).
    on(clock, SPRING, 18)
    # Attendance is taken against the members on the day (C7): a name that is not a member's is refused.
    with pytest.raises(InvalidInput, match="Cy Agency was not a member of Carers Forum on 8 April 2026") as refusal:
        hub.record_attendance(OFFICER, spring, present=["Ann Carer", "Bo User"], apologies=[Apology("Cy Agency")])
    assert (refusal.value.field, refusal.value.rule) == ("apologies", "C7")
    hub.add_member(
        OFFICER,
        forum,
        member_id="cy",
        person="Cy Agency",
        role="agency_representative",
        representation="relevant_partner_agency",
        effective_date=date(2026, 1, 5),
    )
    hub.record_attendance(
        OFFICER, spring, present=["Ann Carer", "Bo User"], apologies=[Apology("Cy Agency", "Di")], guests=["Jo Guest"]
    )
    hub.declare_interest(OFFICER, spring, person="Bo User", item=contract, interest="Relative works for a bidder")
    hub.record_decision(OFFICER, spring, item=strategy, text="Refresh agreed")
    hub.record_decision(OFFICER, spring, item=contract, text="Contract awarded to the second bidder")
    write = hub.record_action(
        OFFICER, spring, item=strategy, description="Write to the CCG", owner="Ann Carer", due=date(2026, 5, 1)
    ).number
    notify = hub.record_action(
        OFFICER, spring, item=contract, description="Notify bidders", owner="Procurement", due=date(2026, 5, 1)
    ).number
    room = hub.record_action(OFFICER, spring, description="Book a bigger room", owner="Officer", due=AUTUMN).number

    # The minutes (C5): drafted the next day, cleared by the chair on record, published in time.
    on(clock, date(2026, 4, 9))
    hub.record_draft_minutes(OFFICER, spring, file=hub.upload_file(OFFICER, docx("Minutes"), "minutes.docx"))
    with pytest.raises(DomainError, match="must be cleared by the chair before they are published"):
        hub.publish_minutes(OFFICER, spring)
    with pytest.raises(InvalidInput, match="cleared by its chair, Ann Carer"):
        hub.clear_minutes(OFFICER, spring, chair="Someone Else")
    with pytest.raises(NotAuthorised, match="the Executive Director chairs the stakeholder conferences"):
        hub.clear_minutes(ED, spring)
    on(clock, date(2026, 4, 14))
    hub.clear_minutes(OFFICER, spring)
    held = read(models, queries.meeting_detail, spring, public_only=True)
    assert (held["minutes_status"], held["attendance"], held["decisions"], held["minutes"]) == ("cleared", [], [], None)
    on(clock, date(2026, 4, 20))
    assert hub.publish_minutes(OFFICER, spring).late is False

    # An action done between meetings is closed with a note.
    on(clock, date(2026, 5, 1))
    hub.close_action(OFFICER, spring, number=room, note="Council Chamber booked")

    # An additional meeting (C2) would come between the two: the approval must name it, until cancelled.
    on(clock, date(2026, 5, 4))
    with pytest.raises(InvalidInput, match="lead_officer"):
        hub.schedule_meeting(
            OFFICER, forum, meeting_date=date(2026, 6, 1), start_time=time(14), place="Hall", additional=True
        )
    extra_meeting = hub.schedule_meeting(
        OFFICER,
        forum,
        meeting_date=date(2026, 6, 1),
        start_time=time(14),
        place="Hall",
        additional=True,
        lead_officer="Jo Lead",
        additional_reason="The budget consultation closes in June",
    )
    with pytest.raises(InvalidInput, match="before 7 October 2026 was on 1 June 2026") as err:
        hub.approve_previous_minutes(OFFICER, autumn, previous_meeting_id=spring)
    assert err.value.rule == "C5"
    hub.cancel_meeting(OFFICER, extra_meeting, reason="Business can wait for October")

    # The autumn meeting: agenda published late, previous minutes approved, matters arising reviewed.
    on(clock, date(2026, 10, 2))
    hub.add_agenda_item(OFFICER, autumn, title="Minutes of the last meeting and matters arising")
    late = hub.publish_agenda(OFFICER, autumn)
    assert (late.late, late.due) == (True, date(2026, 9, 30))
    with pytest.raises(DomainError, match="has not taken place yet"):
        hub.approve_previous_minutes(OFFICER, autumn, previous_meeting_id=spring)
    arising = read(models, queries.meeting_detail, autumn, public_only=False)["matters_arising"]
    assert [(a["number"], a["status"], a["set_on"]) for a in arising] == [
        (write, "open", SPRING),
        (notify, "open", SPRING),
    ]

    on(clock, AUTUMN, 18)
    hub.record_attendance(OFFICER, autumn, present=["Ann Carer", "Bo User"])
    hub.approve_previous_minutes(OFFICER, autumn, previous_meeting_id=spring, amendments="Spelling of Di's name")
    hub.close_action(OFFICER, spring, number=write, note="Letter sent; reply awaited", at_meeting_id=autumn)
    with pytest.raises(DomainError, match="has already approved the minutes of its previous meeting"):
        hub.approve_previous_minutes(OFFICER, autumn, previous_meeting_id=spring)

    # What the read models now say.
    first = read(models, queries.meeting_detail, spring, public_only=False, today=AUTUMN)
    assert first["minutes_status"] == "approved"
    assert (first["minutes_approved_on"], first["minutes_approved_at"]) == (AUTUMN, autumn)
    assert (first["minutes_drafted_on"], first["minutes_cleared_by"], first["minutes_cleared_on"]) == (
        date(2026, 4, 9),
        "Ann Carer",
        date(2026, 4, 14),
    )
    assert (first["minutes_published_on"], first["minutes_published_late"], first["minutes_overdue"]) == (
        date(2026, 4, 20),
        False,
        False,
    )
    assert first["minutes"]["file_name"] == "minutes.docx"
    assert [(a["person"], a["attendance"], a["substitute_for"]) for a in first["attendance"]] == [
        ("Ann Carer", "present", None),
        ("Bo User", "present", None),
        ("Cy Agency", "apologies", None),
        ("Di", "substitute", "Cy Agency"),
        ("Jo Guest", "guest", None),
    ]
    # Ann and Bo vote; Cy represents an agency and does not (B4), so Di in his place does not count as voting.
    assert (first["voting_present"], first["voting_members"], first["quorum"], first["quorate"]) == (2, 2, 2, True)
    assert (first["user_side_present"], first["counted_present"], first["user_side_percent"]) == (2, 3, 67)
    assert [(a["number"], a["status"]) for a in first["actions"]] == [(1, "closed"), (2, "open"), (3, "closed")]
    assert first["actions"][0]["closed_at_meeting_id"] == autumn
    second = read(models, queries.meeting_detail, autumn, public_only=False, today=AUTUMN)
    assert second["approved_minutes_of"] == spring
    assert (second["agenda_published_late"], second["papers_due"]) == (True, date(2026, 9, 30))
    # Matters arising at the autumn meeting: what was open when it began, including what it closed.
    assert [(a["number"], a["status"], a["close_note"]) for a in second["matters_arising"]] == [
        (write, "closed", "Letter sent; reply awaited"),
        (notify, "open", None),
    ]
    still_open = read(models, queries.open_actions, forum, public_only=False)
    assert [(a["description"], a["set_on"]) for a in still_open] == [("Notify bidders", SPRING)]
    assert read(models, queries.open_actions, forum, public_only=True) == []  # the open one is Part 2
    cancelled = read(models, queries.meeting_detail, extra_meeting, public_only=False)
    assert (cancelled["status"], cancelled["additional"], cancelled["lead_officer"]) == ("cancelled", True, "Jo Lead")

    # The history reads as the officer lived it.
    sentences = [entry.sentence for entry in hub.history(spring)]
    assert "Published the agenda and papers, on time (due by 30 March 2026)" in sentences
    assert "Minutes approved at the meeting of 7 October 2026, with amendments: Spelling of Di's name" in sentences

    # Rebuilt from the events, the read models say the same, row for row.
    incremental = dump(models.engine)
    models.rebuild()
    assert dump(models.engine) == incremental


# ------------------------------------------------------------- the annual calendar (C1)


def test_the_calendar_for_every_conference_and_group_is_planned_in_one_step(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    carers_forum(hub)
    hub.establish_body(OFFICER, name="Adult Conference", kind="stakeholder_conference", decision=Decision("New"))
    hub.establish_body(OFFICER, name="Provider Forum", kind="provider_forum", decision=Decision("Existing"))
    ended = hub.establish_body(OFFICER, name="Old Group", kind="consultative_group", decision=Decision("Old"))
    hub.end_body(OFFICER, ended, decision=Decision("Merged"))
    plan = hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre")
    assert plan.refused == {} and plan.already_planned == {}
    rows = read(models, queries.calendar)
    planned = sorted((r["body_name"], r["meeting_date"]) for r in rows.items)
    # In name order, the conference takes the first slot and the forum the second.
    assert planned == [
        ("Adult Conference", date(2027, 3, 1)),
        ("Adult Conference", date(2027, 9, 1)),
        ("Carers Forum", date(2027, 3, 2)),
        ("Carers Forum", date(2027, 9, 2)),
    ]
    assert {r["additional"] for r in rows.items} == {False}
    # A body planned by itself keeps its place; a second run plans nothing new.
    assert hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre").planned == {}


def test_planning_a_year_already_past_refuses_each_body_and_goes_on(hub: PartnershipHub) -> None:
    forum = carers_forum(hub)
    plan = hub.plan_annual_calendar(OFFICER, year=2025, place="Civic Centre")
    assert plan.planned == {}
    assert "cannot be scheduled in the past" in plan.refused[forum]
    with pytest.raises(InvalidInput, match="cannot be scheduled in the past"):
        hub.plan_annual_calendar(OFFICER, year=2025, place="Civic Centre", body_id=forum)
    provider = hub.establish_body(OFFICER, name="Providers", kind="provider_forum", decision=Decision("Existing"))
    with pytest.raises(InvalidInput, match="only the conferences and consultative groups") as err:
        hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre", body_id=provider)
    assert err.value.rule == "C1"
    with pytest.raises(InvalidInput, match="dates are given for one body at a time"):
        hub.plan_annual_calendar(OFFICER, year=2027, place="Civic Centre", dates=(SPRING, AUTUMN))


def test_bodies_behind_their_cadence(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    forum = carers_forum(hub)  # established 1 September 2025
    quiet = hub.establish_body(
        OFFICER, name="Quiet Group", kind="consultative_group", decision=Decision("New", date(2025, 1, 1))
    )
    hub.establish_body(
        OFFICER, name="Young Group", kind="consultative_group", decision=Decision("New", date(2026, 2, 1))
    )
    hub.establish_body(OFFICER, name="Providers", kind="provider_forum", decision=Decision("Existing"))
    hub.plan_annual_calendar(OFFICER, year=2026, place="Hall", body_id=forum, dates=(SPRING, AUTUMN))
    on(clock, date(2026, 4, 1))
    hub.schedule_meeting(
        OFFICER, quiet, meeting_date=date(2026, 5, 1), start_time=time(14), place="Hall", additional=True,
        lead_officer="Jo Lead", additional_reason="Urgent",
    )  # fmt: skip

    def behind(day: date) -> list[str]:
        return [r["name"] for r in read(models, queries.behind_cadence, today=day)]

    # Before the spring meeting the forum has never met and is six months old: behind, like the quiet group
    # (whose additional meeting does not count). The young group is not yet six months old.
    assert behind(date(2026, 4, 7)) == ["Carers Forum", "Quiet Group"]
    assert behind(SPRING) == ["Quiet Group"]
    assert behind(date(2026, 10, 8)) == ["Quiet Group", "Young Group"]
    rows = {r["name"]: r for r in read(models, queries.behind_cadence, today=date(2027, 4, 8))}
    assert (rows["Carers Forum"]["last_meeting"], rows["Carers Forum"]["next_meeting"]) == (AUTUMN, None)


# ----------------------------------------------------------------- deadlines (C4, C5, I1)


def test_the_calendar_read_model_exposes_exactly_the_working_day_deadlines(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    # The hand-counted dates of tests/unit/test_working_days.py: Christmas, New Year, Easter and more.
    on(clock, date(2024, 1, 1))
    # A partnership board: it may meet as often as it needs (the cadence of rule C1 is not its).
    forum = hub.establish_body(
        OFFICER, name="Old Partnership Board", kind="partnership_board", decision=Decision("Existing")
    )
    cases = [("papers_due", *p.values) for p in PAPERS_DUE_CASES] + [
        ("minutes_due", *p.values) for p in MINUTES_DUE_CASES
    ]
    assert len({day for _, day, _ in cases}) >= 20
    expected = {}
    for column, day, due in cases:
        meeting = hub.schedule_meeting(OFFICER, forum, meeting_date=day, start_time=time(14), place="Hall")
        expected[meeting] = (column, due)
    rows = {r["id"]: r for r in read(models, queries.calendar, per_page=100).items}
    for meeting, (column, due) in expected.items():
        row = rows[meeting]
        assert row[column] == due, (row["meeting_date"], column)
        # And the model holds the one pure function's answer for both deadlines.
        assert (row["papers_due"], row["minutes_due"]) == (
            papers_due(row["meeting_date"]),
            minutes_due(row["meeting_date"]),
        )


# --------------------------------------------------------------- nothing exempt in public (G1)


def _everything_public(models: ReadModels, forum: UUID, meeting_ids: list[UUID]) -> str:
    """Every public query's answer for these meetings, as one string to search."""
    models.catch_up()
    with models.engine.connect() as c:
        answers: list[Any] = [queries.public_calendar(c, per_page=500).items]
        for meeting_id in meeting_ids:
            answers.append(queries.meeting_detail(c, meeting_id, public_only=True, today=date(2027, 1, 1)))
            answers.append(queries.agenda(c, meeting_id, public_only=True))
            answers.append(queries.matters_arising(c, meeting_id, public_only=True))
        answers.append(queries.open_actions(c, forum, public_only=True))
    return repr(answers)


def test_exempt_items_and_their_papers_are_never_public(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    forum = carers_forum(hub)
    first = hub.schedule_meeting(OFFICER, forum, meeting_date=SPRING, start_time=time(14), place="Hall")
    second = hub.schedule_meeting(OFFICER, forum, meeting_date=AUTUMN, start_time=time(14), place="Hall")
    ids = [first, second]
    secret = hub.upload_file(OFFICER, b"%PDF-1.4 SECRET-BYTES", "SECRET-tender.pdf")
    open_paper = hub.upload_file(OFFICER, b"Open paper", "open.txt")
    draft_only = hub.upload_file(OFFICER, b"Draft agenda paper", "DRAFT-agenda.txt")

    public_item = hub.add_agenda_item(OFFICER, first, title="Open business").number
    exempt_item = hub.add_agenda_item(OFFICER, first, title="SECRET contract", exemption_paragraph=3).number
    hub.attach_paper(OFFICER, first, item=exempt_item, title="SECRET scores", file=secret, summary="SECRET summary")
    hub.attach_paper(OFFICER, first, item=public_item, title="Open paper", file=open_paper, summary="Open")
    # Nothing of an unpublished agenda is public, not even its public items.
    hub.add_agenda_item(OFFICER, second, title="DRAFT item")
    hub.attach_paper(OFFICER, second, item=1, title="DRAFT paper", file=draft_only, summary="DRAFT")
    hub.publish_agenda(OFFICER, first)
    # An exempt item added after publication goes out at once, but never to the public.
    hub.add_agenda_item(OFFICER, first, title="SECRET late item", exemption_paragraph=1)

    on(clock, SPRING, 18)
    hub.record_attendance(OFFICER, first, present=["Ann Carer"])
    hub.declare_interest(OFFICER, first, person="Ann Carer", item=exempt_item, interest="SECRET interest")
    hub.record_decision(OFFICER, first, item=exempt_item, text="SECRET decision")
    hub.record_action(OFFICER, first, item=exempt_item, description="SECRET action", owner="X", due=AUTUMN)
    hub.record_decision(OFFICER, first, item=public_item, text="Open decision")
    hub.record_action(OFFICER, first, item=public_item, description="Open action", owner="Y", due=AUTUMN)
    hub.record_draft_minutes(OFFICER, first, file=hub.upload_file(OFFICER, b"DRAFT minutes", "DRAFT-minutes.txt"))
    hub.clear_minutes(OFFICER, first)

    # Minutes not yet published: nothing of what happened is public.
    before = _everything_public(models, forum, ids)
    for hidden in ("SECRET", "DRAFT", secret.sha256, draft_only.sha256, "Open decision", "Open action", "Ann Carer"):
        assert hidden not in before
    assert "Open paper" in before and "open.txt" in before

    on(clock, date(2026, 4, 10))
    hub.publish_minutes(OFFICER, first)
    after = _everything_public(models, forum, ids)
    for hidden in ("SECRET", "DRAFT item", "DRAFT paper", "DRAFT-agenda", secret.sha256, draft_only.sha256):
        assert hidden not in after
    for shown in ("Open decision", "Open action", "Ann Carer", "DRAFT-minutes.txt"):
        assert shown in after  # the published draft minutes are public; "draft" is their status
    # The officers' view has everything.
    with models.engine.connect() as c:
        full = repr(queries.meeting_detail(c, first, public_only=False))
    assert all(s in full for s in ("SECRET contract", "SECRET scores", "SECRET decision", "SECRET action"))


def test_public_queries_must_say_they_are_public() -> None:
    # public_only has no default: every caller chooses.
    import inspect

    for fn in (queries.meeting_detail, queries.agenda, queries.matters_arising, queries.open_actions):
        parameter = inspect.signature(fn).parameters["public_only"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty


def test_the_executive_director_clears_a_conferences_minutes_as_its_chair(hub: PartnershipHub, clock: Clock) -> None:
    conference = hub.establish_body(
        OFFICER, name="Adult Conference", kind="stakeholder_conference", decision=Decision("New")
    )
    hub.add_member(
        OFFICER,
        conference,
        person="Pat Director",
        position=EXECUTIVE_DIRECTOR,
        role="chair",
        representation="relevant_partner_agency",
        effective_date=date(2026, 1, 1),
    )
    meeting = hub.schedule_meeting(ED, conference, meeting_date=date(2026, 3, 2), start_time=time(14), place="Hall")
    hub.record_draft_minutes(ED, meeting, file=hub.upload_file(ED, b"Minutes", "minutes.txt"))
    hub.clear_minutes(ED, meeting)
    assert hub.meeting(meeting).minutes_cleared_by == "Pat Director"
