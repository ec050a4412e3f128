"""The officers' dashboard: what needs doing this week, across the read models.

Each list is bounded (the first ``LIMIT`` rows, soonest first) with its full count, so the page stays
quick with 10,000 bodies; the directory, calendar and project lists page through the rest. Every list
and its count read an index range: pending agendas and minutes come from their partial indexes (only
the meetings still waiting), the rest from date or kind indexes. What counts as overdue or due is
projections/queries/deadlines.py, the same as the reminder scan's.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select

from domain.membership import MIN_SERVICE_USER_SHARE
from domain.vocabulary import BodyKind, BodyStatus
from projections.queries import deadlines
from projections.queries.calendar import behind_cadence, behind_cadence_count
from projections.tables import bodies, meetings, projects, proposals

LIMIT = 10
WEEK = timedelta(days=7)
NEAR_END = timedelta(days=60)


def _listed(connection: Connection, query: Any) -> dict[str, Any]:
    count, first = query
    return {"rows": [dict(r) for r in connection.execute(first).mappings()], "total": connection.scalar(count) or 0}


def _count_and_first(query: Any) -> tuple[Any, Any]:
    return select(func.count()).select_from(query.order_by(None).subquery()), query.limit(LIMIT)


@lru_cache(maxsize=4)
def _statements(today: date) -> dict[str, tuple[Any, Any]]:
    """Each list's count and first rows, built once a day: building SQL expressions is a good part of a
    request's time, and a day's statements are the same for every request."""
    lists = {
        "papers_due": select(meetings)
        .where(deadlines.agenda_pending(), meetings.c.papers_due.between(today, today + WEEK))
        .order_by(meetings.c.papers_due, meetings.c.body_name),
        "papers_overdue": select(meetings)
        .where(deadlines.papers_overdue(today))
        .order_by(meetings.c.papers_due, meetings.c.body_name),
        "minutes_overdue": select(meetings)
        .where(deadlines.minutes_overdue(today))
        .order_by(meetings.c.minutes_due, meetings.c.body_name),
        "reports_overdue": select(projects)
        .where(deadlines.report_overdue(today))
        .order_by(projects.c.next_report_due, projects.c.title),
        "elections_due": select(bodies)
        .where(deadlines.election_due(today))
        .order_by(bodies.c.election_due_by.is_not(None), bodies.c.election_due_by, bodies.c.name),
        "ending_soon": select(bodies)
        .where(bodies.c.status.in_(deadlines.OPEN_STATUSES), bodies.c.until.between(today, today + NEAR_END))
        .order_by(bodies.c.until, bodies.c.name),
    }
    return {name: _count_and_first(query) for name, query in lists.items()}


COMING = timedelta(days=35)  # this week and the four weeks after it
OPEN_PROPOSAL = ("pending", "deferred")


def next_step(meeting: dict[str, Any], today: date) -> str:
    """What a coming meeting needs next, in words (C4): its agenda and papers, then nothing until it is held."""
    if meeting["agenda_published_on"] is None:
        if meeting["papers_due"] < today:
            return f"Agenda and papers overdue: they were due by {meeting['papers_due']:%-d %B %Y}"
        return f"Publish the agenda and papers by {meeting['papers_due']:%-d %B %Y}"
    published, minutes = meeting["agenda_published_on"], meeting["minutes_due"]
    return f"Agenda published {published:%-d %B %Y}; minutes due by {minutes:%-d %B %Y}"


def coming_meetings(connection: Connection, today: date) -> dict[str, Any]:
    """Meetings from today to five weeks ahead, soonest first, each with what it needs next."""
    listed = _listed(
        connection,
        _count_and_first(
            select(meetings)
            .where(
                meetings.c.status == "scheduled",
                meetings.c.meeting_date >= today,
                meetings.c.meeting_date < today + COMING,
            )
            .order_by(meetings.c.meeting_date, meetings.c.start_time, meetings.c.body_name)
        ),
    )
    for row in listed["rows"]:
        row["next_step"] = next_step(row, today)
        row["this_week"] = row["meeting_date"] < today + WEEK
    return listed


def open_proposals_query(body_id: Any = None) -> Any:
    query = select(proposals).where(proposals.c.status.in_(OPEN_PROPOSAL))
    if body_id is not None:
        query = query.where(proposals.c.body_id == body_id)
    return query.order_by(proposals.c.proposed_at, proposals.c.body_name, proposals.c.number)


def open_proposals(connection: Connection, body_id: Any = None) -> list[dict[str, Any]]:
    """Proposed changes awaiting a decision (F4), oldest first; of one body when ``body_id`` is given."""
    return [dict(r) for r in connection.execute(open_proposals_query(body_id)).mappings()]


def decided_proposals(connection: Connection, body_id: Any) -> list[dict[str, Any]]:
    query = (
        select(proposals)
        .where(proposals.c.body_id == body_id, proposals.c.status.not_in(OPEN_PROPOSAL))
        .order_by(proposals.c.number.desc())
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def past_end_date_query(today: date) -> Any:
    """Time-limited groups whose end date has gone by with no decision to extend, close or convert them (A5)."""
    return (
        select(bodies)
        .where(bodies.c.status == BodyStatus.TIME_LIMITED.value, bodies.c.until < today)
        .order_by(bodies.c.until, bodies.c.name)
    )


def short_of_share_query() -> Any:
    """Consultative groups whose user-side share is below 70% (B3; AMB-5: a warning, never a block)."""
    return (
        select(bodies)
        .where(
            bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value,
            bodies.c.status.in_(deadlines.OPEN_STATUSES),
            bodies.c.service_user_share < MIN_SERVICE_USER_SHARE,
        )
        .order_by(bodies.c.service_user_share, bodies.c.name)
    )


def week_ahead(connection: Connection, today: date) -> dict[str, dict[str, Any]]:
    """Every list on the dashboard: its first ``LIMIT`` rows and how many there are."""
    lists = {
        "coming_meetings": coming_meetings(connection, today),
        "pending_proposals": _listed(connection, _count_and_first(open_proposals_query())),
        "past_end_date": _listed(connection, _count_and_first(past_end_date_query(today))),
        "short_of_share": _listed(connection, _count_and_first(short_of_share_query())),
    }
    lists |= {name: _listed(connection, query) for name, query in _statements(today).items()}
    lists["behind_cadence"] = {
        "rows": behind_cadence(connection, today=today, limit=LIMIT),
        "total": behind_cadence_count(connection, today=today),
    }
    return lists
