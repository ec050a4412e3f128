"""The bounds of what the record holds, whoever records it.

Dates stay within a window that every part of the hub can compute with: working-day deadlines, months
to the next report or election, reminders ahead of a date, and every database's DATE type. A meeting
is scheduled no more than five years ahead (one in the past stays possible where the rule allows it).
Text is what every database and page can carry: no NUL or other control characters (tabs and line
breaks only in long text), no lone surrogates, and no more than the length of its kind. Money is whole
pence within a BIGINT.

The command schemas (application/commands/inputs.py) refuse the same values with a message per field;
these checks are for callers that bypass the schemas (the importer, the demo, scripts) and so that no
path can record what a read model cannot follow. Pure: ``today`` comes in as an argument, never from
a clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from domain.errors import InvalidInput

# Every date recorded: far enough back for any historic record, far enough ahead for any contract,
# and with years of room on both sides for the deadlines and reminders computed from it.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# A meeting is scheduled (or moved) to no more than this many years after today.
MEETING_YEARS_AHEAD = 5

# Text: a name or title on one line, or a paragraph (long text) that may have tabs and line breaks.
SHORT_TEXT = 200
LONG_TEXT = 20_000
# What someone may type into the search box (web/search.py).
SEARCH_TEXT = 200
# A decision's reference ("CS13/045"): the audit read model keeps 60 characters of it.
DECISION_REF_LENGTH = 60
# The most entries of a list of names (those present at a meeting, the bodies one reports to).
MAX_NAMES = 500
MAX_ACCOUNTABILITY = 50

# Money is whole pence: £20m, far above any body's budget, and inside the read models' INTEGER columns
# (projections/tables.py: PostgreSQL's INTEGER stops at 2,147,483,647).
MAX_PENCE = 2_000_000_000

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters (Unicode category Cc), with and without tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

WINDOW = f"between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}"
BROKEN_CHARACTER = "contains a broken character (a lone surrogate, U+D800 to U+DFFF): send it as valid Unicode"
CONTROL_ON_ONE_LINE = "must be plain text on one line, without control characters (such as NUL), tabs or line breaks"
CONTROL_IN_LONG_TEXT = "must not contain control characters such as NUL (tabs and line breaks are fine)"


def _d(day: date) -> str:
    return f"{day:%-d %B %Y}"


def in_window(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_date(field: str, day: date | None) -> date | None:
    """Refuses a date outside the window the hub computes with (None, for a date not given, passes)."""
    if day is None:
        return None
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInput(field, "must be a date, like 2027-03-31")
    if not in_window(day):
        raise InvalidInput(field, f"{_d(day)} is out of range: a date must be {WINDOW}")
    return day


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_meeting_date(today: date) -> date:
    return min(years_after(today, MEETING_YEARS_AHEAD), LATEST)


def check_meeting_date(day: date, today: date, field: str = "meeting_date") -> date:
    """A meeting's date: within the window, and no more than five years after ``today``.

    Meetings in the past are not refused here (whether one may be scheduled or moved there is the
    meeting's own rule).
    """
    check_date(field, day)
    latest = latest_meeting_date(today)
    if day > latest:
        raise InvalidInput(
            field,
            f"a meeting is arranged no more than {MEETING_YEARS_AHEAD} years ahead: {_d(day)} is after {_d(latest)}",
        )
    return day


def text_problem(value: str, *, long: bool = False) -> str | None:
    """What makes ``value`` unfit to record (the end of a sentence naming the field), or None."""
    if _SURROGATE.search(value):
        return BROKEN_CHARACTER
    if (_CONTROL_BUT_LINES if long else _CONTROL).search(value):
        return CONTROL_IN_LONG_TEXT if long else CONTROL_ON_ONE_LINE
    return None


def check_text(field: str, value: Any, *, long: bool = False, max_length: int | None = None) -> Any:
    """Refuses text with NUL or other control characters (tab and line breaks allowed in long text),
    lone surrogates, or more characters than its kind allows. None (text not given) passes; so does a
    value that is not text, which the caller's own checks refuse in their words.
    """
    if not isinstance(value, str):
        return value
    problem = text_problem(value, long=long)
    if problem:
        raise InvalidInput(field, problem)
    limit = max_length or (LONG_TEXT if long else SHORT_TEXT)
    if len(value) > limit:
        raise InvalidInput(field, f"must be {limit} characters or fewer")
    return value


def check_names(field: str, names: Sequence[Any] | None, *, max_items: int = MAX_NAMES) -> None:
    """A list of short texts (names, bodies): no more than ``max_items``, each checked as short text."""
    if names is None:
        return
    if len(names) > max_items:
        raise InvalidInput(field, f"must list {max_items} or fewer")
    for name in names:
        check_text(field, name)


def check_pence(field: str, pence: Any) -> None:
    """Money: whole pence, not negative, at most MAX_PENCE (None, for no amount, passes)."""
    if pence is None:
        return
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise InvalidInput(field, "give an amount in whole pence")
    if pence < 0:
        raise InvalidInput(field, "must not be negative")
    if pence > MAX_PENCE:
        raise InvalidInput(field, f"must be no more than {MAX_PENCE} pence (£{MAX_PENCE // 100:,})")
