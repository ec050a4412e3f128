"""The page queries (directory, audit log, dashboard) return exactly what a plain Python filter over the same
rows returns, on generated read models in a real SQLite file and a real PostgreSQL database.

The queries cut pages from indexes and count the audit log only up to a limit; these tests read every
row and decide in Python, so a faster query can never quietly return other rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid5

import pytest
from sqlalchemy import Connection, create_engine, insert, select

from domain import deadlines as rules
from domain.vocabulary import MIN_SERVICE_USER_SHARE, TWICE_YEARLY_KINDS
from domain.working_days import add_months, minutes_due, papers_due
from projections import queries
from projections.queries import dashboard
from projections.tables import audit_log, bodies, meetings, metadata, projects, proposals

NAMESPACE = UUID("9b0f3f0e-55a4-4c2a-8d0e-1f5e1b7c2d33")
TODAY = date(2026, 3, 2)
KINDS = ["consultative_group", "stakeholder_conference", "task_and_finish_group", "partnership_board"]
STATUSES = ["active", "active", "time_limited", "ended", "replaced"]
WORDS = ["Carers", "Young People", "Older people", "Housing 100%", "Mental_Health", "carers' forum"]
CHANGES = ["established", "funding_changed", "transformed", "ended"]


@dataclass
class Data:
    connection: Connection
    postgres: bool
    bodies: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def _fill(connection: Connection, rng: random.Random) -> tuple[list[dict[str, Any]], ...]:
    body_rows = []
    for n in range(300):
        kind = rng.choice(KINDS)
        elected = TODAY - timedelta(days=rng.randrange(0, 900)) if rng.random() < 0.7 else None
        body_rows.append(
            dict(
                id=uuid5(NAMESPACE, f"body/{n}"), name=f"Body {n:05d} {rng.choice(WORDS)}", kind=kind,
                status=rng.choice(STATUSES), until=TODAY + timedelta(days=rng.randrange(-30, 120)),
                purpose="", accountability="", open_to_public=True, terms_of_reference_version=0,
                annual_funding_pence=rng.choice([None, *range(0, 5_000_000, 250_000)]),
                member_count=rng.randrange(0, 8), user_side_count=0, share_base=0,
                service_user_share=rng.choice([None, 0.5, 0.7, 0.75, 1.0]),
                established_on=TODAY - timedelta(days=rng.randrange(-30, 3000)) if rng.random() < 0.9 else None,
                last_election_on=elected, election_due_by=add_months(elected, 12) if elected else None,
                version=1, updated_at=datetime(2026, 1, 1),
            )
        )  # fmt: skip
    meeting_rows, taken = [], set()
    for n in range(2_000):
        day = TODAY + timedelta(days=rng.randrange(-400, 200))
        body = rng.choice(body_rows)
        if (body["id"], day) in taken:
            continue  # one meeting a day per body, so every list's order is decided
        taken.add((body["id"], day))
        meeting_rows.append(
            dict(
                id=uuid5(NAMESPACE, f"meeting/{n}"), body_id=body["id"], body_name=body["name"], meeting_date=day,
                start_time=time(14), place="Hall", status="scheduled" if rng.random() < 0.9 else "cancelled",
                public=True, additional=rng.random() < 0.15, papers_due=papers_due(day), minutes_due=minutes_due(day),
                agenda_published_on=day - timedelta(days=7) if rng.random() < 0.6 else None,
                minutes_status=rng.choice(["none", "draft", "cleared", "published", "approved"]), version=1,
            )
        )  # fmt: skip
    project_rows = [
        dict(
            id=uuid5(NAMESPACE, f"project/{n}"), title=f"Project {n:03d}", commissioned_by="Executive Director",
            lead=f"lead-{n % 7}", brief_status="agreed", start_date=TODAY - timedelta(days=200),
            end_date=TODAY + timedelta(days=rng.randrange(0, 300)), reporting_every_months=3,
            next_report_due=TODAY + timedelta(days=rng.randrange(-60, 60)) if rng.random() < 0.9 else None,
            completed_on=TODAY if rng.random() < 0.1 else None, version=1,
        )
        for n in range(100)
    ]  # fmt: skip
    audit_rows = []
    for n in range(3_000):
        body = rng.choice(body_rows)
        recorded = datetime(2024, 1, 1) + timedelta(hours=5 * n)
        effective = recorded.date() - timedelta(days=rng.randrange(0, 90)) if rng.random() < 0.7 else None
        audit_rows.append(
            dict(
                notification_id=3 * n + rng.randrange(1, 3), subject_id=body["id"], subject_type="body",
                subject_name=body["name"], body_id=body["id"], version=1, change=rng.choice(CHANGES),
                sentence="Changed.", changes="{}", actor=f"officer-{rng.randrange(5)}", actor_role="officer",
                effective_date=effective, recorded_at=recorded, on_date=effective or recorded.date(),
            )
        )  # fmt: skip
    for table, rows in (
        (bodies, body_rows),
        (meetings, meeting_rows),
        (projects, project_rows),
        (audit_log, audit_rows),
    ):
        connection.execute(insert(table), rows)
    # Read back, so the Python side sees what the database holds (defaults filled in).
    return tuple(
        [dict(r) for r in connection.execute(select(t)).mappings()] for t in (bodies, meetings, projects, audit_log)
    )


@pytest.fixture
def data(database_url: str) -> Iterator[Data]:
    engine = create_engine(database_url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        yield Data(connection, database_url.startswith("postgresql"), *_fill(connection, random.Random(15)))
    engine.dispose()


def _nulls(value: Any, postgres: bool) -> tuple[bool, Any]:
    """A sort key that puts NULL where the database does: first ascending on SQLite, last on PostgreSQL
    (and the other way round descending)."""
    if value is None:
        return postgres, 0
    return not postgres, value


# ------------------------------------------------------------------ the directory


def _directory_by_hand(
    data: Data, *, kind: str | None, status: str | None, q: str | None, sort: str, descending: bool
) -> list[UUID]:
    column = queries.DIRECTORY_SORTS[sort].name
    rows = [
        b
        for b in data.bodies
        if (not kind or b["kind"] == kind)
        and (not status or b["status"] == status)
        and (not q or q.lower() in b["name"].lower())
    ]
    rows.sort(key=lambda b: (b["name"], b["id"]))
    rows.sort(key=lambda b: _nulls(b[column], data.postgres), reverse=descending)
    return [b["id"] for b in rows]


@pytest.mark.parametrize("sort", sorted(queries.DIRECTORY_SORTS))
def test_the_directory_pages_through_what_a_filter_by_hand_finds(data: Data, sort: str) -> None:
    for kind, status, q in [
        (None, None, None),
        ("consultative_group", None, None),
        (None, "active", "carers"),
        ("partnership_board", "ended", None),
        (None, None, "100%"),  # the search takes % and _ as themselves
        (None, None, "l_h"),
        (None, None, "YOUNG peo"),
    ]:
        for descending in (False, True):
            want = _directory_by_hand(data, kind=kind, status=status, q=q, sort=sort, descending=descending)
            got: list[UUID] = []
            for page in range(1, 1 + max(1, -(-len(want) // 40)) + 1):  # one page past the end too
                found = queries.directory(
                    data.connection, today=TODAY, kind=kind, status=status, q=q, sort=sort,
                    descending=descending, page=page, per_page=40,
                )  # fmt: skip
                assert (found.total, found.exact) == (len(want), True)
                got += [row["id"] for row in found.items]
            assert got == want, (kind, status, q, descending)


# ------------------------------------------------------------------ the audit log


def _audit_by_hand(data: Data, newest_first: bool, **f: Any) -> list[int]:
    rows = [
        a
        for a in data.audit
        if (f.get("body_id") is None or a["body_id"] == f["body_id"])
        and (f.get("change") is None or a["change"] == f["change"])
        and (f.get("actor") is None or a["actor"] == f["actor"])
        and (f.get("date_from") is None or a["on_date"] >= f["date_from"])
        and (f.get("date_to") is None or a["on_date"] <= f["date_to"])
    ]
    return sorted((a["notification_id"] for a in rows), reverse=newest_first)


def test_the_kinds_of_change_on_record_are_every_distinct_one(data: Data) -> None:
    assert queries.audit_changes(data.connection) == sorted({a["change"] for a in data.audit})
    data.connection.execute(audit_log.delete())
    assert queries.audit_changes(data.connection) == []


def test_the_audit_log_pages_and_counts_what_a_filter_by_hand_finds(data: Data) -> None:
    some_body = data.audit[7]["body_id"]
    for filters in [
        {},
        {"body_id": some_body},
        {"change": "transformed"},
        {"actor": "officer-3"},
        {"date_from": date(2024, 6, 1), "date_to": date(2024, 12, 31)},
        {"date_from": date(2024, 6, 1), "date_to": date(2024, 6, 1)},
        {"change": "ended", "date_from": date(2025, 1, 1)},
        {"body_id": some_body, "actor": "officer-1", "date_to": date(2025, 3, 1)},
    ]:
        for newest_first in (True, False):
            want = _audit_by_hand(data, newest_first, **filters)
            for limit in (10_000, 100, len(want)):
                got: list[int] = []
                page = 1
                while True:
                    found = queries.audit(
                        data.connection, newest_first=newest_first, page=page, per_page=70, count_limit=limit, **filters
                    )
                    assert (found.total, found.exact) == ((len(want), True) if len(want) <= limit else (limit, False))
                    got += [row["notification_id"] for row in found.items]
                    if not found.has_next:
                        break
                    page += 1
                assert got == want, (filters, newest_first, limit)


# ------------------------------------------------------------------ the dashboard


def _first(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any], id_column: str = "id") -> dict[str, Any]:
    ordered = sorted(rows, key=key)
    return {"rows": [r[id_column] for r in ordered[: dashboard.LIMIT]], "total": len(ordered)}


def _dashboard_by_hand(data: Data, today: date) -> dict[str, dict[str, Any]]:
    going_ahead = [m for m in data.meetings if m["status"] == "scheduled"]
    agenda_waits = [m for m in going_ahead if m["agenda_published_on"] is None]
    minutes_wait = [m for m in going_ahead if m["minutes_status"] not in ("published", "approved")]
    by_due = lambda column: lambda m: (m[column], m["body_name"])  # noqa: E731
    open_bodies = [b for b in data.bodies if b["status"] in ("active", "time_limited")]
    since = add_months(today, -6)
    ordinary = {}
    for m in going_ahead:
        if not m["additional"]:
            ordinary.setdefault(m["body_id"], []).append(m["meeting_date"])
    behind = [
        b
        for b in open_bodies
        if b["kind"] in {k.value for k in TWICE_YEARLY_KINDS}
        and (b["established_on"] is None or b["established_on"] <= since)
        and not any(since <= d <= today for d in ordinary.get(b["id"], []))
    ]
    on_record = [dict(r) for r in data.connection.execute(select(proposals)).mappings()]
    return {
        "coming_meetings": _first(
            [m for m in going_ahead if today <= m["meeting_date"] < today + dashboard.COMING],
            lambda m: (m["meeting_date"], m["start_time"], m["body_name"]),
        ),
        "pending_proposals": _first(
            [p for p in on_record if p["status"] in dashboard.OPEN_PROPOSAL],
            lambda p: (p["proposed_at"], p["body_name"], p["number"]),
        ),
        "past_end_date": _first(
            [b for b in data.bodies if b["status"] == "time_limited" and b["until"] is not None and b["until"] < today],
            lambda b: (b["until"], b["name"]),
        ),
        "short_of_share": _first(
            [
                b
                for b in open_bodies
                if b["kind"] == "consultative_group"
                and b["service_user_share"] is not None
                and b["service_user_share"] < MIN_SERVICE_USER_SHARE
            ],
            lambda b: (b["service_user_share"], b["name"]),
        ),
        "papers_due": _first(
            [m for m in agenda_waits if today <= m["papers_due"] <= today + timedelta(days=7)], by_due("papers_due")
        ),
        "papers_overdue": _first(
            [
                m
                for m in agenda_waits
                if rules.papers_overdue(m["papers_due"], m["meeting_date"], today, published=False)
            ],
            by_due("papers_due"),
        ),
        "minutes_overdue": _first(
            [m for m in minutes_wait if rules.minutes_overdue(m["minutes_due"], today, published=False)],
            by_due("minutes_due"),
        ),
        "reports_overdue": _first(
            [p for p in data.projects if p["completed_on"] is None and rules.overdue(p["next_report_due"], today)],
            lambda p: (p["next_report_due"], p["title"]),
        ),
        "behind_cadence": _first(behind, lambda b: (b["name"], b["id"])),
        "elections_due": _first(
            [
                b
                for b in open_bodies
                if b["kind"] == "consultative_group"
                and (b["election_due_by"] is None or rules.overdue(b["election_due_by"], today))
            ],
            lambda b: (b["election_due_by"] is not None, b["election_due_by"] or today, b["name"]),
        ),
        "ending_soon": _first(
            [b for b in open_bodies if b["until"] is not None and today <= b["until"] <= today + timedelta(days=60)],
            lambda b: (b["until"], b["name"]),
        ),
    }


def test_the_dashboard_lists_what_a_filter_by_hand_finds(data: Data) -> None:
    for today in (TODAY, TODAY + timedelta(days=40), date(2025, 12, 24)):
        lists = dashboard.week_ahead(data.connection, today)
        want = _dashboard_by_hand(data, today)
        got = {
            name: {
                "rows": [r["body_id" if name == "behind_cadence" else "id"] for r in found["rows"]],
                "total": found["total"],
            }
            for name, found in lists.items()
        }
        assert got == want, today
