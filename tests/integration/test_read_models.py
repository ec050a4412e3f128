"""Each read model, driven by commands through the application and read back from its table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, time

import pytest
from sqlalchemy import text

from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Decision
from domain.project import Brief
from domain.working_days import minutes_due, papers_due
from projections import queries
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.support.tables import dump

OFFICER = Actor("officer-1", "partnership_officer")
ED = Actor("ed", "executive_director")
PH = Actor("ph-care", "portfolio_holder_care_services")
LEAD = Actor("lead-1", "project_lead")


@pytest.fixture
def models(hub: PartnershipHub) -> Iterator[ReadModels]:
    read_models = ReadModels(hub, hub.settings.read_model_url)
    yield read_models
    read_models.close()


def _group(hub: PartnershipHub, name: str = "Older People Consultative Group") -> object:
    return hub.establish_body(
        OFFICER, name=name, kind="consultative_group", decision=Decision("New framework", date(2026, 1, 5))
    )


def test_directory_shows_status_chair_members_and_share(hub: PartnershipHub, models: ReadModels) -> None:
    group = _group(hub)
    hub.add_member(
        OFFICER,
        group,
        member_id="a",
        person="Ann",
        role="member",
        representation="service_user",
        effective_date=date(2026, 1, 6),
    )
    hub.add_member(
        OFFICER,
        group,
        member_id="b",
        person="Bo",
        role="member",
        representation="carer",
        effective_date=date(2026, 1, 6),
    )
    hub.add_member(
        OFFICER,
        group,
        member_id="c",
        person="Cy",
        role="agency_representative",
        representation="relevant_partner_agency",
        effective_date=date(2026, 1, 6),
    )
    hub.record_election(OFFICER, group, chair_id="a", vice_chair_id="b", election_date=date(2026, 2, 1))
    hub.change_funding(OFFICER, group, annual_funding_pence=1_234_500, decision=Decision("Budget"))
    models.catch_up()
    with models.engine.connect() as c:
        page = queries.directory(c, today=date(2026, 3, 1), kind="consultative_group")
        row = queries.body(c, group, today=date(2026, 3, 1))
        members = queries.body_members(c, group)
    assert page.total == 1
    assert row is not None
    assert row["chair"] == "Ann"
    assert row["member_count"] == 3
    assert row["service_user_share"] == pytest.approx(2 / 3)
    assert row["annual_funding_pence"] == 1_234_500
    assert row["status_label"] == "active"
    assert row["last_election_on"] == date(2026, 2, 1)
    assert row["version"] == hub.body(group).version
    by_id = {m["member_id"]: m for m in members}
    assert by_id["c"]["votes"] is False and by_id["a"]["votes"] is True
    assert (by_id["a"]["role"], by_id["b"]["role"]) == ("chair", "vice_chair")


def test_directory_filters_sorts_and_pages(hub: PartnershipHub, models: ReadModels) -> None:
    for i in range(7):
        hub.establish_body(OFFICER, name=f"Forum {i}", kind="provider_forum", decision=Decision("Set up"))
    _group(hub)
    models.catch_up()
    with models.engine.connect() as c:
        first = queries.directory(c, today=date(2026, 3, 1), kind="provider_forum", per_page=5)
        second = queries.directory(c, today=date(2026, 3, 1), kind="provider_forum", per_page=5, page=2)
        found = queries.directory(c, today=date(2026, 3, 1), q="older")
        reversed_ = queries.directory(c, today=date(2026, 3, 1), sort="name", descending=True)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (7, 2, 5, 2)
    assert [r["name"] for r in found.items] == ["Older People Consultative Group"]
    assert reversed_.items[0]["name"] == "Older People Consultative Group"


def test_status_follows_governance_changes(hub: PartnershipHub, models: ReadModels) -> None:
    old = hub.establish_body(OFFICER, name="Old Board", kind="partnership_board", decision=Decision("Existing"))
    new = hub.establish_body(OFFICER, name="New Conference", kind="stakeholder_conference", decision=Decision("New"))
    mobility = hub.establish_body(
        OFFICER, name="Mobility", kind="service_user_engagement_body", decision=Decision("Existing")
    )
    hub.replace_body(OFFICER, old, successor_id=new, decision=Decision("Wider reach", date(2013, 9, 1)))
    hub.transform_body(
        OFFICER, mobility, into="task_and_finish_group", until=date(2014, 3, 31), decision=Decision("Finish projects")
    )
    models.catch_up()
    with models.engine.connect() as c:
        labels = {r["name"]: r["status_label"] for r in queries.directory(c, today=date(2013, 10, 1)).items}
    assert labels["Old Board"] == "replaced by New Conference"
    assert labels["Mobility"] == (
        "transformed into a time-limited task-and-finish project group; time-limited until 31 March 2014"
    )
    assert labels["New Conference"] == "active"


def test_past_meetings_can_be_listed_newest_first(hub: PartnershipHub, models: ReadModels) -> None:
    group = _group(hub)
    for day in (date(2026, 4, 1), date(2026, 10, 8), date(2027, 3, 3)):
        hub.schedule_meeting(OFFICER, group, meeting_date=day, start_time=time(14), place="Civic Centre")
    models.catch_up()
    with models.engine.connect() as c:
        oldest_first = [r["meeting_date"] for r in queries.calendar(c, public_only=True).items]
        newest_first = [r["meeting_date"] for r in queries.calendar(c, public_only=True, newest_first=True).items]
    assert oldest_first == sorted(oldest_first) and len(oldest_first) == 3
    assert newest_first == oldest_first[::-1]


def test_calendar_carries_the_working_day_deadlines(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    group = _group(hub)
    meeting = hub.schedule_meeting(
        OFFICER, group, meeting_date=date(2026, 4, 1), start_time=time(14), place="Civic Centre"
    )
    other = hub.schedule_meeting(OFFICER, group, meeting_date=date(2026, 10, 8), start_time=time(10), place="Library")
    hub.move_meeting(
        OFFICER,
        meeting,
        new_date=date(2026, 4, 9),
        new_start_time=time(14),
        new_place="Civic Centre",
        reason="Room unavailable",
    )
    hub.cancel_meeting(OFFICER, other, reason="Merged with the spring meeting")
    models.catch_up()
    with models.engine.connect() as c:
        rows = {r["id"]: r for r in queries.calendar(c).items}
        live = queries.calendar(c, include_cancelled=False).items
        body_row = queries.body(c, group, today=date(2026, 3, 2))
    moved = rows[meeting]
    assert moved["meeting_date"] == date(2026, 4, 9)
    # Counting back 8, 7, (Easter Monday 6, Good Friday 3 skipped), 2, 1 April, 31 March.
    assert moved["papers_due"] == papers_due(date(2026, 4, 9)) == date(2026, 3, 31)
    assert moved["minutes_due"] == minutes_due(date(2026, 4, 9))
    assert moved["public"] is True
    assert rows[other]["status"] == "cancelled"
    assert [r["id"] for r in live] == [meeting]
    assert body_row is not None and body_row["next_meeting"] == date(2026, 4, 9)


def test_project_progress_and_overdue(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    brief = Brief(
        "Improve respite",
        "More breaks",
        date(2026, 1, 1),
        date(2027, 3, 31),
        "Officer time",
        "Take-up",
        reporting_every_months=3,
    )
    project = hub.commission_project(PH, title="Respite review", lead=LEAD.user_id, brief=brief)
    hub.agree_brief(ED, project, agreed_on=date(2026, 1, 15))
    hub.submit_progress_report(
        LEAD,
        project,
        period_start=date(2026, 1, 15),
        period_end=date(2026, 3, 31),
        milestones_achieved="Survey done",
        issues_and_concerns="",
        rag="green",
        percent_complete=20,
    )
    clock.advance(days=60)  # a report comes once its period has begun (D4)
    hub.submit_progress_report(
        LEAD,
        project,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        milestones_achieved="Interviews",
        issues_and_concerns="Staff leave",
        rag="amber",
        percent_complete=35,
    )
    models.catch_up()
    with models.engine.connect() as c:
        row = queries.project(c, project, today=date(2026, 10, 5))
        mine = queries.project_progress(c, today=date(2026, 10, 5), lead="lead-1")
    assert row is not None
    assert row["commissioned_by"] == "Portfolio Holder for Care Services"
    assert row["brief_status"] == "agreed"
    assert (row["latest_rag"], row["percent_complete"], row["report_count"]) == ("amber", 35, 2)
    assert row["next_report_due"] == date(2026, 9, 30)
    assert row["days_overdue"] == 5
    assert [(r["rag"], r["percent_complete"]) for r in row["reports"]] == [("green", 20), ("amber", 35)]
    assert mine.total == 1


def test_audit_log_has_one_row_per_change(hub: PartnershipHub, models: ReadModels) -> None:
    group = _group(hub)
    other = _group(hub, "Carers Forum")
    hub.add_member(
        OFFICER, group, person="Ann", role="member", representation="carer", effective_date=date(2026, 1, 6)
    )  # membership is not a governance change, but it is on the log: who joined, as what
    hub.change_funding(OFFICER, group, annual_funding_pence=500_000, decision=Decision("Budget", date(2026, 4, 1)))
    admin = Actor("admin-1", "administrator")
    hub.end_body(admin, other, decision=Decision("Folded", date(2026, 9, 1), decided_by="Portfolio Holder"))
    models.catch_up()
    with models.engine.connect() as c:
        everything = queries.audit(c, newest_first=False)
        for_group = queries.audit(c, body_id=group)
        ended = queries.audit(c, change="ended")
        by_admin = queries.audit(c, actor="admin-1")
        april = queries.audit(c, date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    assert [r["change"] for r in everything.items] == [
        "established",
        "established",
        "member_joined",
        "funding_changed",
        "ended",
    ]
    assert for_group.total == 3
    assert for_group.items[1]["sentence"] == "Ann joined as member representing carer"
    funding = for_group.items[0]
    assert funding["sentence"] == "Funding changed from no funding to £5,000 a year"
    assert json.loads(funding["changes"]) == {"annual_funding_pence": {"after": 500_000, "before": None}}
    assert (funding["actor"], funding["actor_role"], funding["reason"]) == (
        "officer-1",
        "partnership_officer",
        "Budget",
    )
    assert ended.total == 1 and ended.items[0]["decided_by"] == "Portfolio Holder"
    assert by_admin.total == 1
    assert [r["change"] for r in april.items] == ["funding_changed"]


def test_as_at_views_by_effective_date(hub: PartnershipHub, models: ReadModels) -> None:
    group = hub.establish_body(
        OFFICER, name="Board", kind="partnership_board", decision=Decision("Set up", date(2012, 1, 1))
    )
    hub.add_member(
        OFFICER,
        group,
        member_id="a",
        person="Ann",
        role="member",
        representation="community",
        effective_date=date(2012, 2, 1),
    )
    hub.add_member(
        OFFICER,
        group,
        member_id="b",
        person="Bo",
        role="member",
        representation="carer",
        effective_date=date(2013, 2, 1),
    )
    hub.remove_member(OFFICER, group, member_id="a", effective_date=date(2013, 6, 30), reason="Moved away")
    hub.end_body(OFFICER, group, decision=Decision("Replaced by the conference", date(2013, 9, 1)))
    models.catch_up()
    with models.engine.connect() as c:
        before = queries.directory_as_at(c, date(2011, 12, 31))
        during = queries.directory_as_at(c, date(2013, 8, 31))
        after = queries.directory_as_at(c, date(2013, 9, 1))
        early = queries.members_as_at(c, group, date(2012, 6, 1))
        overlap = queries.members_as_at(c, group, date(2013, 3, 1))
        late = queries.members_as_at(c, group, date(2013, 7, 1))
    assert before == []
    assert [r["status_label"] for r in during] == ["active"]
    assert [r["status_label"] for r in after] == ["ended"]
    assert [m["person"] for m in early] == ["Ann"]
    assert [m["person"] for m in overlap] == ["Ann", "Bo"]
    assert [m["person"] for m in late] == ["Bo"]


def test_lag_counts_events_not_yet_projected(hub: PartnershipHub, models: ReadModels) -> None:
    _group(hub)
    models.catch_up()
    assert set(models.lag().values()) == {0}
    _group(hub, "Another Group")
    hub.add_member(
        OFFICER,
        hub.find_body("Another Group").id,
        person="Zed",
        role="member",  # type: ignore[union-attr]
        representation="carer",
        effective_date=date(2026, 1, 6),
    )
    assert set(models.lag().values()) == {2}
    models.catch_up()
    assert set(models.lag().values()) == {0}


def test_read_models_can_live_in_a_separate_database(hub: PartnershipHub, tmp_path) -> None:
    _group(hub)
    separate = ReadModels(hub, f"sqlite:///{tmp_path / 'read-models.sqlite3'}")
    try:
        separate.catch_up()
        with separate.engine.connect() as c:
            assert queries.directory(c, today=date(2026, 3, 1)).total == 1
        assert separate.url != hub.settings.database_url
    finally:
        separate.close()


def test_the_background_follower_picks_up_a_command_by_itself(hub: PartnershipHub, models: ReadModels) -> None:
    # Freshness (well under a second) is measured by bench/, not asserted here: machines are noisy.
    import time as clock_time

    with models.following(interval=0.05):
        group = _group(hub)
        deadline = clock_time.monotonic() + 10  # bounded wait
        found = None
        while found is None and clock_time.monotonic() < deadline:
            with models.engine.connect() as c:
                found = queries.body(c, group, today=date(2026, 3, 2))
            clock_time.sleep(0.01)
    assert found is not None and found["name"] == "Older People Consultative Group"
    assert set(models.lag().values()) == {0}


def test_a_read_model_whose_tables_no_longer_match_is_rebuilt(hub: PartnershipHub, models: ReadModels) -> None:
    group = _group(hub)
    hub.schedule_meeting(OFFICER, group, meeting_date=date(2026, 4, 1), start_time=time(14), place="Civic Centre")
    models.catch_up()
    before = dump(models.engine)
    # A read model built by an older version of the code, before a column was added.
    with models.engine.begin() as connection:
        connection.execute(text("ALTER TABLE rm_meetings DROP COLUMN held"))
    again = ReadModels(hub, hub.settings.read_model_url)
    try:
        assert again.positions()["calendar"] == 0  # dropped, to be rebuilt from the first event
        assert again.positions()["directory"] > 0  # the others are left alone
        again.catch_up()
        assert dump(again.engine) == before
    finally:
        again.close()
