"""The officers' dashboard: what needs doing this week, across the read models.

Each list is bounded (the first ``LIMIT`` rows, soonest first) with its full count, so the page stays
quick with 10,000 bodies; the directory, calendar and project lists page through the rest. Every list
and its count read an index range: pending agendas and minutes come from their partial indexes (only
the meetings still waiting), the rest from date or kind indexes. What counts as overdue or due is
projections/queries/deadlines.py, the same as the reminder scan's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from projections.queries import deadlines
from projections.queries.calendar import behind_cadence, behind_cadence_count
from projections.tables import bodies, meetings, projects

LIMIT = 10
WEEK = timedelta(days=7)
NEAR_END = timedelta(days=60)


def _listed(connection: Connection, query: Any) -> dict[str, Any]:
    total = connection.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = [dict(r) for r in connection.execute(query.limit(LIMIT)).mappings()]
    return {"rows": rows, "total": total}


def week_ahead(connection: Connection, today: date) -> dict[str, dict[str, Any]]:
    """Every list on the dashboard: its first ``LIMIT`` rows and how many there are."""
    return {
        "papers_due": _listed(
            connection,
            select(meetings)
            .where(deadlines.agenda_pending(), meetings.c.papers_due.between(today, today + WEEK))
            .order_by(meetings.c.papers_due, meetings.c.body_name),
        ),
        "papers_overdue": _listed(
            connection,
            select(meetings)
            .where(deadlines.papers_overdue(today))
            .order_by(meetings.c.papers_due, meetings.c.body_name),
        ),
        "minutes_overdue": _listed(
            connection,
            select(meetings)
            .where(deadlines.minutes_overdue(today))
            .order_by(meetings.c.minutes_due, meetings.c.body_name),
        ),
        "reports_overdue": _listed(
            connection,
            select(projects)
            .where(deadlines.report_overdue(today))
            .order_by(projects.c.next_report_due, projects.c.title),
        ),
        "behind_cadence": {
            "rows": behind_cadence(connection, today=today, limit=LIMIT),
            "total": behind_cadence_count(connection, today=today),
        },
        "elections_due": _listed(
            connection,
            select(bodies)
            .where(deadlines.election_due(today))
            .order_by(bodies.c.election_due_by.is_not(None), bodies.c.election_due_by, bodies.c.name),
        ),
        "ending_soon": _listed(
            connection,
            select(bodies)
            .where(bodies.c.status.in_(deadlines.OPEN_STATUSES), bodies.c.until.between(today, today + NEAR_END))
            .order_by(bodies.c.until, bodies.c.name),
        ),
    }
