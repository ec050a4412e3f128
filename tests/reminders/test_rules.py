"""Each reminder rule, on read-model rows written straight into a real SQLite file, at many dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Connection, create_engine, insert, update

from application.authority import Role
from application.reminders.rules import Recipients, cadence_window_closes, plan
from application.users import User
from domain.reminder import Rule, reminder_id
from domain.vocabulary import EXECUTIVE_DIRECTOR
from domain.working_days import minutes_due, papers_due
from projections.tables import bodies, meetings, metadata, projects


def person(user_id: str, role: Role = Role.PARTNERSHIP_OFFICER, lead: int = 5, active: bool = True) -> User:
    return User(user_id, user_id.title(), f"{user_id}@council.test", role, active, lead, True, 1)


PEOPLE = Recipients.from_users(
    [
        person("officer"),
        person("late-officer", lead=0),
        person("gone", active=False),
        person("lead-1", Role.PROJECT_LEAD),
        person("director", Role.EXECUTIVE_DIRECTOR),
    ]
)


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{tmp_path / 'rm.sqlite3'}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        yield conn
    engine.dispose()


def add_body(connection: Connection, name: str, kind: str = "consultative_group", **extra: Any) -> UUID:
    body_id = uuid4()
    row = dict(
        id=body_id, name=name, kind=kind, status="active", purpose="", accountability="", open_to_public=True,
        terms_of_reference_version=0, member_count=0, user_side_count=0, share_base=0, version=1,
        updated_at=datetime(2025, 1, 1), established_on=date(2025, 1, 1), last_election_on=date(2025, 9, 1),
    )  # fmt: skip
    connection.execute(insert(bodies), {**row, **extra})
    return body_id


def add_meeting(connection: Connection, body_id: UUID, day: date, **extra: Any) -> UUID:
    meeting_id = uuid4()
    row = dict(
        id=meeting_id, body_id=body_id, body_name="Group", meeting_date=day, start_time=time(14), place="Hall",
        status="scheduled", public=True, additional=False, papers_due=papers_due(day), minutes_due=minutes_due(day),
        agenda_published_late=False, minutes_status="none", minutes_published_late=False, held=False, version=1,
    )  # fmt: skip
    connection.execute(insert(meetings), {**row, **extra})
    return meeting_id


def found(connection: Connection, today: date, rule: Rule | None = None) -> set[tuple[str, str, date]]:
    return {
        (d.rule.value, d.recipient, d.due_date)
        for d in plan(connection, today=today, recipients=PEOPLE)
        if rule is None or d.rule is rule
    }


def test_agenda_and_papers_each_officer_by_their_own_lead_then_overdue(connection: Connection) -> None:
    body = add_body(connection, "Group")
    add_meeting(connection, body, date(2026, 3, 16))  # papers due Monday 9 March
    due = date(2026, 3, 9)
    assert found(connection, date(2026, 2, 27), Rule.PAPERS_DUE) == set()
    assert found(connection, date(2026, 3, 2), Rule.PAPERS_DUE) == {("papers_due", "officer", due)}
    assert found(connection, due, Rule.PAPERS_DUE) == {
        ("papers_due", "officer", due),
        ("papers_due", "late-officer", due),
    }
    overdue = {("papers_overdue", "officer", due), ("papers_overdue", "late-officer", due)}
    assert found(connection, date(2026, 3, 10), Rule.PAPERS_OVERDUE) == overdue
    assert found(connection, date(2026, 3, 17), Rule.PAPERS_OVERDUE) == set()  # the meeting has passed
    published = add_body(connection, "Published")
    add_meeting(connection, published, date(2026, 3, 16), agenda_published_on=date(2026, 3, 5))
    cancelled = add_body(connection, "Cancelled")
    add_meeting(connection, cancelled, date(2026, 3, 16), status="cancelled")
    # Published agendas and cancelled meetings add nothing.
    assert found(connection, date(2026, 3, 10), Rule.PAPERS_OVERDUE) == overdue
    assert (
        len([d for d in plan(connection, today=date(2026, 3, 10), recipients=PEOPLE) if "meeting" in d.subject_type])
        == 2
    )


def test_draft_minutes_due_after_the_meeting_then_overdue_within_the_lookback(connection: Connection) -> None:
    body = add_body(connection, "Group")
    add_meeting(connection, body, date(2026, 3, 2))  # minutes due 23 March (15 working days)
    due = minutes_due(date(2026, 3, 2))
    assert due == date(2026, 3, 23)
    assert found(connection, date(2026, 3, 13), Rule.MINUTES_DUE) == set()
    assert found(connection, date(2026, 3, 16), Rule.MINUTES_DUE) == {("minutes_due", "officer", due)}
    assert found(connection, date(2026, 3, 24), Rule.MINUTES_OVERDUE) == {
        ("minutes_overdue", "officer", due),
        ("minutes_overdue", "late-officer", due),
    }
    assert found(connection, date(2026, 5, 1), Rule.MINUTES_OVERDUE) == set()  # beyond the 28-day look-back
    other = add_body(connection, "Published minutes")
    add_meeting(connection, other, date(2026, 3, 2), minutes_status="published")
    assert len(found(connection, date(2026, 3, 24), Rule.MINUTES_OVERDUE)) == 2


def test_a_twice_yearly_body_with_no_meeting_in_its_window_well_before_it_closes(connection: Connection) -> None:
    body = add_body(connection, "Quiet Group")
    add_meeting(connection, body, date(2025, 9, 10))
    closes = date(2026, 3, 10)
    assert cadence_window_closes(date(2025, 9, 10), date(2026, 1, 5)) == closes
    assert found(connection, date(2026, 1, 9), Rule.CADENCE) == set()
    assert found(connection, date(2026, 1, 10), Rule.CADENCE) == {
        ("cadence", "officer", closes),
        ("cadence", "late-officer", closes),
    }
    # The due date stays put from one day to the next, so the reminder is the same one.
    assert found(connection, date(2026, 3, 1), Rule.CADENCE) == found(connection, date(2026, 1, 10), Rule.CADENCE)
    # An additional meeting does not count; an ordinary one inside the window does.
    add_meeting(connection, body, date(2026, 2, 20), additional=True)
    assert found(connection, date(2026, 1, 20), Rule.CADENCE)
    add_meeting(connection, body, date(2026, 3, 3))
    assert found(connection, date(2026, 1, 20), Rule.CADENCE) == set()
    # Other kinds are not on the twice-yearly cadence.
    add_body(connection, "Board", kind="partnership_board")
    assert found(connection, date(2026, 1, 20), Rule.CADENCE) == set()


def test_projects_report_to_the_lead_and_ending_to_the_commissioner(connection: Connection) -> None:
    project_id = uuid4()
    connection.execute(
        insert(projects),
        dict(
            id=project_id, title="Carers Strategy", commissioned_by=EXECUTIVE_DIRECTOR,
            lead="lead-1", brief_status="agreed", start_date=date(2025, 10, 1), end_date=date(2026, 4, 30),
            reporting_every_months=3, report_count=1, next_report_due=date(2026, 3, 31), version=3,
        ),
    )  # fmt: skip
    assert found(connection, date(2026, 3, 24), Rule.PROGRESS_DUE) == {("progress_due", "lead-1", date(2026, 3, 31))}
    assert found(connection, date(2026, 4, 1), Rule.PROGRESS_OVERDUE) == {
        ("progress_overdue", "lead-1", date(2026, 3, 31))
    }
    end = date(2026, 4, 30)
    assert found(connection, date(2026, 3, 30), Rule.END_IN_A_MONTH) == {
        ("end_in_a_month", "director", end),
        ("end_in_a_month", "lead-1", end),
    }
    assert found(connection, date(2026, 4, 23), Rule.END_IN_A_WEEK) == {
        ("end_in_a_week", "director", end),
        ("end_in_a_week", "lead-1", end),
    }
    assert found(connection, date(2026, 4, 23), Rule.END_IN_A_MONTH) == set()


def test_time_limited_bodies_elections_break_clauses_and_the_annual_review(connection: Connection) -> None:
    add_body(connection, "Mobility Forum", kind="task_and_finish_group", status="time_limited", until=date(2026, 3, 31))
    assert ("end_in_a_month", "officer", date(2026, 3, 31)) in found(connection, date(2026, 3, 2))
    assert ("end_in_a_week", "officer", date(2026, 3, 31)) in found(connection, date(2026, 3, 25))
    # Elected on 1 September 2025: due by 1 September 2026, raised a month ahead.
    add_body(connection, "Elected Group")
    assert found(connection, date(2026, 8, 1), Rule.ELECTION_DUE) == set()
    assert ("election_due", "officer", date(2026, 9, 1)) in found(connection, date(2026, 8, 2), Rule.ELECTION_DUE)
    add_body(
        connection, "Contracted Forum", kind="provider_forum", contract_end=date(2026, 9, 30), break_clause_months=3
    )
    notice = date(2026, 6, 30)
    assert found(connection, date(2026, 5, 30), Rule.BREAK_CLAUSE) == set()
    assert found(connection, date(2026, 5, 31), Rule.BREAK_CLAUSE) == {
        ("break_clause", "officer", notice),
        ("break_clause", "late-officer", notice),
    }
    review = date(2026, 3, 31)
    assert found(connection, date(2026, 1, 30), Rule.ANNUAL_REVIEW) == set()
    assert found(connection, date(2026, 2, 2), Rule.ANNUAL_REVIEW) == {
        ("annual_review", "officer", review),
        ("annual_review", "late-officer", review),
    }
    assert {d for _, _, d in found(connection, date(2027, 2, 1), Rule.ANNUAL_REVIEW)} == {date(2027, 3, 31)}


def test_an_election_missed_years_ago_is_reminded_for_this_years_anniversary(connection: Connection) -> None:
    """A group imported in 2013 with no election on record is not told it is 13 years overdue: an overdue
    notice stops after the lookback like every other, and the reminder is for the coming anniversary."""
    add_body(connection, "Imported Group", established_on=date(2013, 9, 1), last_election_on=None)
    assert found(connection, date(2026, 11, 30), Rule.ELECTION_DUE) == set()
    assert {d for _, _, d in found(connection, date(2027, 8, 2), Rule.ELECTION_DUE)} == {date(2027, 9, 1)}
    # Within the lookback after an anniversary it is still the anniversary just gone.
    assert {d for _, _, d in found(connection, date(2026, 9, 20), Rule.ELECTION_DUE)} == {date(2026, 9, 1)}
    # Month ends do not drift: a 31 January anchor falls due on 31 January, not the 28th, years on.
    add_body(connection, "January Group", established_on=date(2016, 1, 31), last_election_on=None)
    january = {d.due_date for d in plan(connection, today=date(2027, 1, 5), recipients=PEOPLE)}
    assert date(2027, 1, 31) in january


def test_identity_is_the_rule_subject_due_date_and_person() -> None:
    one = reminder_id(Rule.PAPERS_DUE, "m-1", date(2026, 3, 9), "officer")
    assert one == reminder_id("papers_due", "m-1", date(2026, 3, 9), "officer")
    assert len({
        one,
        reminder_id(Rule.PAPERS_OVERDUE, "m-1", date(2026, 3, 9), "officer"),
        reminder_id(Rule.PAPERS_DUE, "m-2", date(2026, 3, 9), "officer"),
        reminder_id(Rule.PAPERS_DUE, "m-1", date(2026, 3, 10), "officer"),
        reminder_id(Rule.PAPERS_DUE, "m-1", date(2026, 3, 9), "officer2"),
    }) == 5  # fmt: skip
    assert datetime.now(tz=UTC)  # the rules never read it: every date above came in as an argument


def test_a_group_past_its_end_date_asks_the_officers_and_its_commissioner_until_decided(connection: Connection) -> None:
    group = add_body(
        connection, "Carers Strategy", "task_and_finish_group", status="time_limited", until=date(2014, 3, 31)
    )
    connection.execute(
        insert(projects),
        dict(
            id=uuid4(), title="Carers Strategy", commissioned_by=EXECUTIVE_DIRECTOR, lead="lead-1", body_id=group,
            brief_status="agreed", start_date=date(2013, 9, 1), end_date=date(2014, 3, 31),
            reporting_every_months=3, report_count=0, version=2,
        ),
    )  # fmt: skip
    ended = date(2014, 3, 31)
    assert found(connection, ended, Rule.PAST_END_DATE) == set()
    asked = found(connection, date(2026, 11, 30), Rule.PAST_END_DATE)
    assert ("past_end_date", "officer", ended) in asked and ("past_end_date", "director", ended) in asked
    assert "lead-1" not in {person for _rule, person, _due in asked}
    connection.execute(update(bodies).where(bodies.c.id == group).values(status="completed"))
    assert found(connection, date(2026, 11, 30), Rule.PAST_END_DATE) == set()
