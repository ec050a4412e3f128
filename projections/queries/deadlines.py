"""The deadline definitions of domain/deadlines.py as conditions a query can filter on.

Each says in SQL exactly what its namesake in domain.deadlines says in Python, over the dates the
read models hold (papers_due, minutes_due, next_report_due, election_due_by), so the meeting page,
the dashboard and the reminder scan cannot disagree about what is overdue.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, cast, extract, or_

from domain.vocabulary import BodyKind, BodyStatus
from projections.tables import AGENDA_PENDING, MINUTES_OUT, MINUTES_PENDING, bodies, meetings, projects

__all__ = ["MINUTES_OUT"]  # minutes out: published, or published and then approved
OPEN_STATUSES = (BodyStatus.ACTIVE.value, BodyStatus.TIME_LIMITED.value)
# Five working days before a meeting (domain.working_days.papers_due) are fewer than 31 calendar days,
# whatever bank holidays fall between.
PAPERS_NEVER_DUE_EARLIER = timedelta(days=31)


def overdue(due: Any, today: date) -> Any:
    """domain.deadlines.overdue: met on the day itself, overdue from the day after."""
    return due < today


def agenda_pending() -> Any:
    """A meeting going ahead whose agenda and papers are not published yet (C4): its partial index's rows."""
    return AGENDA_PENDING


def minutes_pending() -> Any:
    """A meeting going ahead whose draft minutes are not out yet (C5): its partial index's rows."""
    return MINUTES_PENDING


def papers_overdue(today: date) -> Any:
    """domain.deadlines.papers_overdue, for meetings that are going ahead.

    Papers are due five working days before the meeting, never a month: a meeting on or after today
    has its papers due no earlier than a month before today, which keeps the index range short.
    """
    return and_(
        agenda_pending(),
        # No deadline is counted against a meeting recorded after it took place.
        meetings.c.recorded_afterwards.is_(False),
        overdue(meetings.c.papers_due, today),
        meetings.c.papers_due >= today - PAPERS_NEVER_DUE_EARLIER,
        meetings.c.meeting_date >= today,
    )


def minutes_overdue(today: date) -> Any:
    """domain.deadlines.minutes_overdue, for meetings that were held."""
    return and_(minutes_pending(), overdue(meetings.c.minutes_due, today), meetings.c.recorded_afterwards.is_(False))


def report_overdue(today: date) -> Any:
    """A project's progress report is overdue after its due date, until the project is complete (D4)."""
    return and_(projects.c.completed_on.is_(None), overdue(projects.c.next_report_due, today))


def election_due(today: date) -> Any:
    """An open consultative group whose election (B5) is overdue, or with none on record and no start date."""
    return and_(
        bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value,
        bodies.c.status.in_(OPEN_STATUSES),
        or_(bodies.c.election_due_by.is_(None), overdue(bodies.c.election_due_by, today)),
    )


# Month arithmetic in SQL that reads the same on SQLite and PostgreSQL: a date's month as one integer
# (12 * year + month - 1) and its day. domain.working_days.add_months moves the month index and clamps
# the day, so "a date d is on or before add_months(x, n)" is "month_index(d) < month_index(x) + n, or the
# same month and day(d) <= day(x)" without building a date in SQL.


def month_index(value: Any) -> Any:
    return cast(extract("year", value), Integer) * 12 + cast(extract("month", value), Integer) - 1


def day_of_month(value: Any) -> Any:
    return cast(extract("day", value), Integer)


def month_index_of(day: date) -> int:
    return day.year * 12 + day.month - 1
