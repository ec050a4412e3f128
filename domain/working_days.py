"""Working days in England and Wales: the one place deadlines in working days are computed (rule I1).

A working day is Monday to Friday, less the bank holidays of England and Wales. The bank holidays come
from the maintained ``holidays`` library rather than a hand-kept list, so that one-off holidays (jubilees,
state funerals, coronations) and weekend substitute days (Christmas or Boxing Day on a Saturday or Sunday)
are right without anyone remembering to edit this file. England and Wales share one calendar, so the
``ENG`` subdivision serves both; we ask for the ``public`` category only, which is what makes a day a bank
holiday (Scottish and Northern Irish days, St David's Day and other observances are not in it).

Everything here is pure: dates in, dates out, no clock.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "MINUTES_DUE_WORKING_DAYS",
    "PAPERS_DUE_WORKING_DAYS",
    "add_working_days",
    "is_working_day",
    "minutes_due",
    "papers_due",
    "reminder_date",
    "working_days_between",
]

PAPERS_DUE_WORKING_DAYS = 5
"""Rule C4: agenda, minutes and papers are published at least 5 working days before the meeting."""

MINUTES_DUE_WORKING_DAYS = 15
"""Rule C5: draft minutes are published within 15 working days after the meeting."""

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    """The England and Wales bank holidays falling in ``year``, substitute days included.

    Built from the neighbouring years too, so a substitute day that ever spilled across New Year would
    still be found; cached per year because every deadline calculation asks for it many times over.
    """
    calendar = holidays.country_holidays(
        "GB",
        subdiv="ENG",  # England and Wales share their bank holidays
        years=range(year - 1, year + 2),
        observed=True,  # include substitute days, e.g. Monday 28 December 2026 for Boxing Day
        categories="public",  # bank holidays only, no other observances
    )
    return frozenset(day for day in calendar if day.year == year)


def is_working_day(day: date) -> bool:
    """True if ``day`` is Monday to Friday and not a bank holiday in England and Wales (rule I1)."""
    return day.weekday() < _SATURDAY and day not in _bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it if ``n`` is negative); ``day`` itself never counts.

    ``n == 0`` returns ``day`` unchanged, even if it is not a working day: no days were to be counted.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days separate ``start`` from ``end``: the inverse of :func:`add_working_days`.

    Counts the working days in ``(start, end]`` when ``end`` is later, and minus those in ``[end, start)``
    when it is earlier, so that ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n``.
    """
    if end < start:
        return -working_days_between(end - _ONE_DAY, start - _ONE_DAY)
    count = 0
    current = start
    while current < end:
        current += _ONE_DAY
        if is_working_day(current):
            count += 1
    return count


def papers_due(meeting_date: date) -> date:
    """Last day to publish a meeting's agenda and papers (rules C4, I1).

    "At least 5 working days before" a meeting on day M: the 5th working day counted back from M, with M
    itself not counted, so exactly 5 working days lie in ``[papers_due, M)``.
    """
    return add_working_days(meeting_date, -PAPERS_DUE_WORKING_DAYS)


def minutes_due(meeting_date: date) -> date:
    """Last day to publish a meeting's draft minutes (rules C5, I1).

    "Within 15 working days after" a meeting on day M: the 15th working day counted forward from the day
    after M, so exactly 15 working days lie in ``(M, minutes_due]``.
    """
    return add_working_days(meeting_date, MINUTES_DUE_WORKING_DAYS)


def reminder_date(due: date, working_days_before: int) -> date:
    """When to remind someone of a deadline: ``working_days_before`` working days ahead of ``due``.

    Counting in working days means a reminder never lands on a weekend or a bank holiday (unless asked for
    zero days' warning, which returns ``due`` itself).
    """
    if working_days_before < 0:
        raise ValueError(f"working_days_before must not be negative, got {working_days_before}")
    return add_working_days(due, -working_days_before)


# The council's days (deadlines, "today") are London days.
LONDON = ZoneInfo("Europe/London")


def council_day(moment: datetime) -> date:
    """The day in London at ``moment`` (a moment without a zone is taken as UTC)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(LONDON).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
