"""The set-based scan returns exactly what reading every row in Python returns, on generated read models.

The data leans on the dates where month arithmetic in SQL could go wrong: month ends, 29 February,
bank holidays, anchors a few months either side of today. Each backend runs the scan's SQL (SQLite and
PostgreSQL compute months differently), on many days, with several lead times and lookbacks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid5

import pytest
from sqlalchemy import Connection, create_engine, insert

from application.authority import Role
from application.reminders.rules import Recipients, advance_reach, anniversary_on_or_after, plan
from application.users import User
from domain.reminder import Due
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind
from domain.working_days import add_months, minutes_due, papers_due, reminder_date
from projections.tables import bodies, meetings, metadata, projects
from tests.reminders.reference_rules import reference_plan

NAMESPACE = UUID("3d2f6f5e-8c3a-4f39-9a57-6a1a2f0e4b11")
START = date(2025, 1, 1)
KINDS = [k.value for k in BodyKind]


def person(user_id: str, role: Role, lead: int) -> User:
    return User(user_id, user_id, f"{user_id}@council.test", role, True, lead, True, 1)


PEOPLE = Recipients.from_users(
    [
        *(person(f"officer-{lead}", Role.PARTNERSHIP_OFFICER, lead) for lead in (0, 1, 5, 13, 40)),
        *(person(f"lead-{n}", Role.PROJECT_LEAD, n * 3) for n in range(4)),
        person("director", Role.EXECUTIVE_DIRECTOR, 5),
    ]
)


def _edgy_day(rng: random.Random, first: date, days: int) -> date:
    """A day in [first, first + days), one time in three at a month's end or on 29 February."""
    day = first + timedelta(days=rng.randrange(days))
    roll = rng.random()
    if roll < 0.25:
        return add_months(date(day.year, day.month, 1), 1) - timedelta(days=rng.choice((1, 2, 3, 4)))
    if roll < 0.3:
        return date(2024, 2, 29) if day.year < 2027 else date(2028, 2, 29)
    return day


def fill(connection: Connection, seed: int) -> None:
    rng = random.Random(seed)
    body_ids = []
    for n in range(160):
        body_id = uuid5(NAMESPACE, f"{seed}/body/{n}")
        body_ids.append(body_id)
        kind = rng.choice(["consultative_group", "stakeholder_conference", *KINDS])
        status = rng.choice(["active"] * 5 + ["time_limited", "ended", "replaced"])
        elected = _edgy_day(rng, date(2023, 1, 1), 1400) if rng.random() < 0.7 else None
        established = _edgy_day(rng, date(2013, 9, 1), 4800) if rng.random() < 0.9 else None
        contract = _edgy_day(rng, START, 1100) if rng.random() < 0.4 else None
        connection.execute(
            insert(bodies),
            dict(
                id=body_id, name=f"Body {n}", kind=kind, status=status,
                until=_edgy_day(rng, START, 900) if status == "time_limited" or rng.random() < 0.1 else None,
                purpose="", accountability="", open_to_public=True, terms_of_reference_version=0,
                contract_end=contract, break_clause_months=rng.choice((None, 0, 1, 3, 6, 12)) if contract else None,
                established_on=established, last_election_on=elected,
                election_due_by=add_months(elected, 12) if elected else established,
                member_count=0, user_side_count=0, share_base=0, version=1, updated_at=datetime(2025, 1, 1),
            ),
        )  # fmt: skip
    rows = []
    for n in range(900):
        day = _edgy_day(rng, date(2024, 6, 1), 1000)
        rows.append(
            dict(
                id=uuid5(NAMESPACE, f"{seed}/meeting/{n}"), body_id=rng.choice(body_ids), body_name="Body",
                meeting_date=day, start_time=time(14), place="Hall",
                status="scheduled" if rng.random() < 0.9 else "cancelled", public=True,
                additional=rng.random() < 0.15, papers_due=papers_due(day), minutes_due=minutes_due(day),
                agenda_published_on=day - timedelta(days=6) if rng.random() < 0.5 else None,
                agenda_published_late=False,
                minutes_status=rng.choice(["none", "draft", "cleared", "published", "approved"]),
                minutes_published_late=False, held=False, version=1,
            )
        )  # fmt: skip
    connection.execute(insert(meetings), rows)
    connection.execute(
        insert(projects),
        [
            dict(
                id=uuid5(NAMESPACE, f"{seed}/project/{n}"), title=f"Project {n}", lead=f"lead-{n % 5}",
                commissioned_by=rng.choice([EXECUTIVE_DIRECTOR, "Portfolio Holder for Care Services"]),
                brief_status=rng.choice(["agreed", "agreed", "completed", "awaiting agreement"]),
                start_date=START, end_date=_edgy_day(rng, START, 900), reporting_every_months=3, report_count=1,
                next_report_due=_edgy_day(rng, START, 900) if rng.random() < 0.9 else None, version=1,
            )
            for n in range(80)
        ],
    )  # fmt: skip


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    engine = create_engine(database_url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        fill(conn, seed=15)
        yield conn
    engine.dispose()


def _key(d: Due) -> tuple[str, str, str, date, str, str, str]:
    return (d.rule.value, d.subject_type, d.subject_id, d.due_date, d.recipient, d.subject_name, d.title)


def test_the_scan_finds_exactly_what_reading_every_row_finds(connection: Connection) -> None:
    rng = random.Random(2026)
    days = [_edgy_day(rng, START, 900) for _ in range(60)]
    days += [date(2025, 12, 24), date(2025, 12, 29), date(2026, 4, 2), date(2026, 4, 6), date(2028, 2, 29)]
    checked = 0
    for today in days:
        for lookback in (28, 0, 400):
            got = sorted(map(_key, plan(connection, today=today, recipients=PEOPLE, lookback_days=lookback)))
            want = sorted(map(_key, reference_plan(connection, today=today, recipients=PEOPLE, lookback_days=lookback)))
            assert got == want, (today, lookback)
            checked += len(want)
    assert checked > 2_000  # the data gives every rule something to find


def test_the_furthest_reminded_deadline_is_where_the_reminder_starts() -> None:
    """``advance_reach`` turns "the reminder has started" into one date: checked day by day over two years,
    bank holidays and weekends included, for every lead time up to 25 working days."""
    for offset in range(0, 730, 3):
        today = date(2025, 12, 1) + timedelta(days=offset)
        for lead in range(26):
            for at_least in (0, 30):
                reach = advance_reach(today, lead, at_least)
                for due in (reach - timedelta(days=1), reach, reach + timedelta(days=1)):
                    started = min(reminder_date(due, lead), due - timedelta(days=at_least)) <= today
                    assert started == (due <= reach), (today, lead, at_least, due)


def test_an_anniversary_is_the_first_on_or_after_the_day() -> None:
    for anchor in (date(2013, 9, 1), date(2016, 1, 31), date(2020, 2, 29), date(2024, 12, 31)):
        for earliest in (date(2012, 1, 1), date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29)):
            years, due = 0, anchor
            while due < earliest:
                years += 1
                due = add_months(anchor, 12 * years)
            assert anniversary_on_or_after(anchor, earliest) == due
