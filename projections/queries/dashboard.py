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

from projections.queries import deadlines
from projections.queries.calendar import behind_cadence, behind_cadence_count
from projections.tables import bodies, meetings, projects

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


def week_ahead(connection: Connection, today: date) -> dict[str, dict[str, Any]]:
    """Every list on the dashboard: its first ``LIMIT`` rows and how many there are."""
    lists = {name: _listed(connection, query) for name, query in _statements(today).items()}
    lists["behind_cadence"] = {
        "rows": behind_cadence(connection, today=today, limit=LIMIT),
        "total": behind_cadence_count(connection, today=today),
    }
    return lists
