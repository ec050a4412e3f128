"""The deadline definitions of domain/deadlines.py as conditions a query can filter on.

Each says in SQL exactly what its namesake in domain.deadlines says in Python, over the dates the
read models hold (papers_due, minutes_due, next_report_due, election_due_by), so the meeting page,
the dashboard and the reminder scan cannot disagree about what is overdue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_

from domain.vocabulary import BodyKind, BodyStatus
from projections.tables import bodies, meetings, projects

# Minutes out: published, or published and then approved.
MINUTES_OUT = ("published", "approved")
OPEN_STATUSES = (BodyStatus.ACTIVE.value, BodyStatus.TIME_LIMITED.value)


def overdue(due: Any, today: date) -> Any:
    """domain.deadlines.overdue: met on the day itself, overdue from the day after."""
    return due < today


def papers_overdue(today: date) -> Any:
    """domain.deadlines.papers_overdue, for meetings that are going ahead."""
    return and_(
        meetings.c.status == "scheduled",
        meetings.c.recorded_afterwards.is_(False),
        meetings.c.agenda_published_on.is_(None),
        overdue(meetings.c.papers_due, today),
        meetings.c.meeting_date >= today,
    )


def minutes_overdue(today: date) -> Any:
    """domain.deadlines.minutes_overdue, for meetings that were held."""
    return and_(
        meetings.c.status == "scheduled",
        meetings.c.recorded_afterwards.is_(False),
        meetings.c.minutes_status.not_in(MINUTES_OUT),
        overdue(meetings.c.minutes_due, today),
    )


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
