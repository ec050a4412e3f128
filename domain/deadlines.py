"""When a deadline is overdue and when an election falls due: one definition each.

The meeting page, the API, the officers' dashboard and the reminder scan all read these, in Python or
as the SQL of projections/queries/deadlines.py, which says the same in a query.
"""

from __future__ import annotations

from datetime import date

from domain.working_days import add_months

# Rule B5: a consultative group elects its chair and vice-chair every year.
ELECTION_EVERY_MONTHS = 12


def overdue(due: date | None, today: date) -> bool:
    """A deadline is met on the day itself and overdue from the day after."""
    return due is not None and today > due


def papers_overdue(papers_due: date, meeting_date: date, today: date, *, published: bool) -> bool:
    """C4: the agenda and papers are overdue from the day after they were due until the meeting itself;
    after the meeting they were not published in time, which publication records as late."""
    return not published and overdue(papers_due, today) and today <= meeting_date


def minutes_overdue(minutes_due: date, today: date, *, published: bool) -> bool:
    """C5: draft minutes are overdue from the day after the fifteenth working day until they are published."""
    return not published and overdue(minutes_due, today)


def election_due_by(last_election_on: date | None, started_on: date | None) -> date | None:
    """B5: a year after the last election; with none on record, from the day the group started (None when
    that is not known either: an election is then due now)."""
    if last_election_on is not None:
        return add_months(last_election_on, ELECTION_EVERY_MONTHS)
    return started_on
