"""Working-day deadlines (rules C4, C5, I1), checked against dates worked out by hand.

Every expected date below was counted on a calendar against the England and Wales bank holidays as
published on GOV.UK, not taken from the code under test:

    2024: Mon 1 Jan, Fri 29 Mar, Mon 1 Apr, Mon 6 May, Mon 27 May, Mon 26 Aug, Wed 25 Dec, Thu 26 Dec
    2025: Wed 1 Jan, Fri 18 Apr, Mon 21 Apr, Mon 5 May, Mon 26 May, Mon 25 Aug, Thu 25 Dec, Fri 26 Dec
    2026: Thu 1 Jan, Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug, Fri 25 Dec,
          Mon 28 Dec (substitute: Boxing Day is a Saturday)
    2027: Fri 1 Jan, Fri 26 Mar, Mon 29 Mar, Mon 3 May, Mon 31 May, Mon 30 Aug,
          Mon 27 Dec and Tue 28 Dec (substitutes: Christmas Day is a Saturday, Boxing Day a Sunday)
    2028: Mon 3 Jan (substitute: New Year's Day is a Saturday), Fri 14 Apr, Mon 17 Apr, Mon 1 May,
          Mon 29 May, Mon 28 Aug, Mon 25 Dec, Tue 26 Dec

Notation in the comments: "H" marks a bank holiday skipped, "(n)" the n-th working day counted.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.working_days import (
    MINUTES_DUE_WORKING_DAYS,
    PAPERS_DUE_WORKING_DAYS,
    add_working_days,
    is_working_day,
    minutes_due,
    papers_due,
    reminder_date,
    working_days_between,
)

BANK_HOLIDAYS = {
    2024: [
        date(2024, 1, 1),
        date(2024, 3, 29),
        date(2024, 4, 1),
        date(2024, 5, 6),
        date(2024, 5, 27),
        date(2024, 8, 26),
        date(2024, 12, 25),
        date(2024, 12, 26),
    ],
    2025: [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
    ],
    2028: [
        date(2028, 1, 3),
        date(2028, 4, 14),
        date(2028, 4, 17),
        date(2028, 5, 1),
        date(2028, 5, 29),
        date(2028, 8, 28),
        date(2028, 12, 25),
        date(2028, 12, 26),
    ],
}
ALL_BANK_HOLIDAYS = [day for days in BANK_HOLIDAYS.values() for day in days]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- papers_due: the 5th working day counted back from the meeting, the meeting day not counted ---------

PAPERS_DUE_CASES = [
    # Christmas 2024-25
    # Mon 6 Jan 25: Fri 3 (1), Thu 2 (2), Wed 1 Jan H, Tue 31 (3), Mon 30 (4), Fri 27 Dec (5)
    pytest.param(date(2025, 1, 6), date(2024, 12, 27), id="2025-01-06-mon-after-new-year"),
    # Thu 2 Jan 25: 1 Jan H, 31 (1), 30 (2), 27 (3), 26 H, 25 H, 24 (4), Mon 23 Dec (5)
    pytest.param(date(2025, 1, 2), date(2024, 12, 23), id="2025-01-02-three-holidays-skipped"),
    # Christmas 2025-26 (Christmas Thu, Boxing Day Fri)
    # Fri 2 Jan 26: 1 Jan H, 31 (1), 30 (2), 29 (3), 26 H, 25 H, 24 (4), Tue 23 Dec (5)
    pytest.param(date(2026, 1, 2), date(2025, 12, 23), id="2026-01-02-fri"),
    # Mon 5 Jan 26: Fri 2 (1), 1 H, 31 (2), 30 (3), 29 (4), 26 H, 25 H, Wed 24 Dec (5)
    pytest.param(date(2026, 1, 5), date(2025, 12, 24), id="2026-01-05-mon"),
    # Sun 28 Dec 25: Sat 27, Fri 26 H, Thu 25 H, 24 (1), 23 (2), 22 (3), Fri 19 (4), Thu 18 Dec (5)
    pytest.param(date(2025, 12, 28), date(2025, 12, 18), id="2025-12-28-sun-in-christmas-week"),
    # Christmas 2026-27 (Boxing Day Sat -> substitute Mon 28 Dec)
    # Mon 4 Jan 27: Fri 1 Jan H, 31 (1), 30 (2), 29 (3), Mon 28 H (substitute), Fri 25 H, 24 (4), Wed 23 Dec (5)
    pytest.param(date(2027, 1, 4), date(2026, 12, 23), id="2027-01-04-boxing-day-substitute"),
    # Wed 30 Dec 26: 29 (1), Mon 28 H, Fri 25 H, 24 (2), 23 (3), 22 (4), Mon 21 Dec (5)
    pytest.param(date(2026, 12, 30), date(2026, 12, 21), id="2026-12-30-wed"),
    # Sat 2 Jan 27: Fri 1 H, 31 (1), 30 (2), 29 (3), 28 H, 25 H, 24 (4), Wed 23 Dec (5)
    pytest.param(date(2027, 1, 2), date(2026, 12, 23), id="2027-01-02-sat"),
    # Christmas 2027-28 (Christmas Sat, Boxing Day Sun -> substitutes Mon 27, Tue 28 Dec; 1 Jan Sat -> Mon 3 Jan)
    # Wed 29 Dec 27: Tue 28 H, Mon 27 H, Fri 24 (1), 23 (2), 22 (3), 21 (4), Mon 20 Dec (5)
    pytest.param(date(2027, 12, 29), date(2027, 12, 20), id="2027-12-29-two-substitutes"),
    # Tue 4 Jan 28: Mon 3 H (substitute), Fri 31 (1), 30 (2), 29 (3), 28 H, 27 H, Fri 24 (4), Thu 23 Dec (5)
    pytest.param(date(2028, 1, 4), date(2027, 12, 23), id="2028-01-04-three-substitutes"),
    # Easter 2025 (Good Friday 18 Apr, Easter Monday 21 Apr)
    # Thu 24 Apr: 23 (1), 22 (2), Mon 21 H, Fri 18 H, 17 (3), 16 (4), Tue 15 Apr (5)
    pytest.param(date(2025, 4, 24), date(2025, 4, 15), id="2025-easter"),
    # Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr)
    # Wed 8 Apr: 7 (1), Mon 6 H, Fri 3 H, 2 (2), 1 (3), 31 Mar (4), Mon 30 Mar (5)
    pytest.param(date(2026, 4, 8), date(2026, 3, 30), id="2026-easter"),
    # Easter 2027 (Good Friday 26 Mar, Easter Monday 29 Mar)
    # Tue 30 Mar: Mon 29 H, Fri 26 H, 25 (1), 24 (2), 23 (3), 22 (4), Fri 19 Mar (5)
    pytest.param(date(2027, 3, 30), date(2027, 3, 19), id="2027-easter"),
    # Early May: Fri 8 May 26: 7 (1), 6 (2), 5 (3), Mon 4 H, Fri 1 May (4), Thu 30 Apr (5)
    pytest.param(date(2026, 5, 8), date(2026, 4, 30), id="2026-early-may-fri"),
    # Spring: Tue 27 May 25: Mon 26 H, 23 (1), 22 (2), 21 (3), 20 (4), Mon 19 May (5)
    pytest.param(date(2025, 5, 27), date(2025, 5, 19), id="2025-spring"),
    # Spring: Fri 4 Jun 27: 3 (1), 2 (2), 1 (3), Mon 31 May H, 28 (4), Thu 27 May (5)
    pytest.param(date(2027, 6, 4), date(2027, 5, 27), id="2027-spring"),
    # August: Wed 27 Aug 25: 26 (1), Mon 25 H, 22 (2), 21 (3), 20 (4), Tue 19 Aug (5)
    pytest.param(date(2025, 8, 27), date(2025, 8, 19), id="2025-august"),
    # August: Tue 31 Aug 27: Mon 30 H, 27 (1), 26 (2), 25 (3), 24 (4), Mon 23 Aug (5)
    pytest.param(date(2027, 8, 31), date(2027, 8, 23), id="2027-august"),
    # Ordinary weeks in March 2026, no holidays near
    pytest.param(date(2026, 3, 9), date(2026, 3, 2), id="monday-previous-monday"),
    pytest.param(date(2026, 3, 13), date(2026, 3, 6), id="friday-previous-friday"),
    # A weekend meeting counts back from Friday (1) to Monday (5) of the same week.
    pytest.param(date(2026, 3, 14), date(2026, 3, 9), id="saturday-same-week-monday"),
    pytest.param(date(2026, 3, 15), date(2026, 3, 9), id="sunday-same-week-monday"),
]


@pytest.mark.parametrize(("meeting", "expected"), PAPERS_DUE_CASES)
def test_papers_due(meeting: date, expected: date) -> None:
    assert papers_due(meeting) == expected


# --- minutes_due: the 15th working day counted forward from the day after the meeting -------------------
# Shortcut used to check each count: 15 working days is three weeks to the same weekday, then one more
# working day for each bank holiday in between.

MINUTES_DUE_CASES = [
    # Thu 19 Dec 24: 3 weeks -> Thu 9 Jan; holidays 25, 26 Dec, 1 Jan push it to Fri 10, Mon 13, Tue 14 Jan
    pytest.param(date(2024, 12, 19), date(2025, 1, 14), id="2024-christmas"),
    # Mon 15 Dec 25: 3 weeks -> Mon 5 Jan; holidays 25, 26 Dec, 1 Jan -> Thu 8 Jan
    pytest.param(date(2025, 12, 15), date(2026, 1, 8), id="2025-christmas-monday"),
    # Sun 28 Dec 25: 29 (1), 30 (2), 31 (3), 1 Jan H, 2 (4), 5-9 (9), 12-16 (14), Mon 19 Jan (15)
    pytest.param(date(2025, 12, 28), date(2026, 1, 19), id="2025-christmas-sunday"),
    # Fri 18 Dec 26: 3 weeks -> Fri 8 Jan; holidays 25 Dec, Mon 28 Dec (substitute), 1 Jan -> Wed 13 Jan
    pytest.param(date(2026, 12, 18), date(2027, 1, 13), id="2026-christmas-friday"),
    # Thu 24 Dec 26: Fri 25 H, Mon 28 H, 29 (1), 30 (2), 31 (3), 1 Jan H, 4-8 (8), 11-15 (13), Tue 19 Jan (15)
    pytest.param(date(2026, 12, 24), date(2027, 1, 19), id="2026-christmas-eve"),
    # Fri 24 Dec 27: Mon 27 H, Tue 28 H, 29 (1), 30 (2), 31 (3), Mon 3 Jan H, 4-7 (7), 10-14 (12), Wed 19 Jan (15)
    pytest.param(date(2027, 12, 24), date(2028, 1, 19), id="2027-christmas-substitutes"),
    # Mon 20 Dec 27: 3 weeks -> Mon 10 Jan; holidays 27, 28 Dec, 3 Jan (all substitutes) -> Thu 13 Jan
    pytest.param(date(2027, 12, 20), date(2028, 1, 13), id="2027-christmas-monday"),
    # Thu 17 Apr 25: 3 weeks -> Thu 8 May; Good Friday, Easter Monday and Mon 5 May -> Tue 13 May
    pytest.param(date(2025, 4, 17), date(2025, 5, 13), id="2025-easter-and-early-may"),
    # Wed 1 Apr 26: 3 weeks -> Wed 22 Apr; Good Friday 3 Apr, Easter Monday 6 Apr -> Fri 24 Apr
    pytest.param(date(2026, 4, 1), date(2026, 4, 24), id="2026-easter"),
    # Thu 25 Mar 27: 3 weeks -> Thu 15 Apr; Good Friday 26 Mar, Easter Monday 29 Mar -> Mon 19 Apr
    pytest.param(date(2027, 3, 25), date(2027, 4, 19), id="2027-easter"),
    # Fri 13 Mar 26: 16-20 (5), 23-27 (10), 30, 31, 1, 2 Apr (14), Fri 3 H, Mon 6 H, Tue 7 Apr (15)
    pytest.param(date(2026, 3, 13), date(2026, 4, 7), id="2026-friday-into-easter"),
    # Sat 14 Mar 26: counting starts Sun 15, so the same days as the Friday before -> Tue 7 Apr
    pytest.param(date(2026, 3, 14), date(2026, 4, 7), id="2026-saturday-into-easter"),
    # Mon 9 Mar 26: 3 weeks -> Mon 30 Mar, Good Friday (3 Apr) not reached
    pytest.param(date(2026, 3, 9), date(2026, 3, 30), id="monday-no-holiday"),
    # Fri 30 Apr 27: 3 weeks -> Fri 21 May; early May Mon 3 May -> Mon 24 May (spring holiday 31 May not reached)
    pytest.param(date(2027, 4, 30), date(2027, 5, 24), id="2027-early-may"),
    # Fri 22 May 26: 3 weeks -> Fri 12 Jun; spring holiday Mon 25 May -> Mon 15 Jun
    pytest.param(date(2026, 5, 22), date(2026, 6, 15), id="2026-spring"),
    # Fri 28 Aug 26: 3 weeks -> Fri 18 Sep; August holiday Mon 31 Aug -> Mon 21 Sep
    pytest.param(date(2026, 8, 28), date(2026, 9, 21), id="2026-august"),
]


@pytest.mark.parametrize(("meeting", "expected"), MINUTES_DUE_CASES)
def test_minutes_due(meeting: date, expected: date) -> None:
    assert minutes_due(meeting) == expected


def test_rule_constants() -> None:
    assert PAPERS_DUE_WORKING_DAYS == 5  # rule C4
    assert MINUTES_DUE_WORKING_DAYS == 15  # rule C5


# --- is_working_day ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("holiday", ALL_BANK_HOLIDAYS, ids=str)
def test_bank_holidays_are_not_working_days(holiday: date) -> None:
    assert not is_working_day(holiday)


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_weekdays_off_are_exactly_the_bank_holidays(year: int) -> None:
    # Nothing else (no Scottish or Northern Irish day, no observance) may take a weekday away.
    off = [day for day in _days(date(year, 1, 1), date(year, 12, 31)) if day.weekday() < 5 and not is_working_day(day)]
    assert off == BANK_HOLIDAYS[year]


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 12, 24),  # Christmas Eve is not a bank holiday
        date(2025, 12, 31),  # nor New Year's Eve
        date(2026, 1, 2),  # 2 January is a bank holiday in Scotland only
        date(2026, 3, 17),  # St Patrick's Day: Northern Ireland only
        date(2026, 4, 23),  # St George's Day: not a bank holiday
        date(2026, 7, 13),  # Battle of the Boyne (substitute for Sun 12 Jul): Northern Ireland only
        date(2026, 8, 3),  # first Monday of August: the summer bank holiday in Scotland only
        date(2026, 11, 30),  # St Andrew's Day: Scotland only
        date(2026, 12, 29),  # the day after the Boxing Day substitute
        date(2027, 3, 1),  # St David's Day: not a bank holiday, even in Wales
        date(2027, 12, 29),  # the day after the two Christmas substitutes
        date(2028, 1, 4),  # the day after the New Year substitute
    ],
    ids=str,
)
def test_ordinary_weekdays_are_working_days(day: date) -> None:
    assert is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 14), date(2026, 3, 15), date(2026, 12, 26), date(2027, 12, 25), date(2028, 1, 1)],
    ids=str,
)
def test_weekends_are_not_working_days(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize(("year", "expected"), [(2026, 253), (2027, 253)])
def test_working_days_in_a_year(year: int, expected: int) -> None:
    # 2026 and 2027 each have 261 weekdays (365 days starting on a Thursday / Friday) and 8 weekday bank holidays.
    assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


# --- add_working_days, working_days_between, reminder_date -----------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 11), 0, date(2026, 3, 11), id="zero-working-day"),
        pytest.param(date(2026, 3, 14), 0, date(2026, 3, 14), id="zero-on-saturday-stays"),
        pytest.param(date(2026, 12, 25), 0, date(2026, 12, 25), id="zero-on-holiday-stays"),
        pytest.param(date(2026, 3, 11), 1, date(2026, 3, 12), id="plus-one-midweek"),
        pytest.param(date(2026, 3, 13), 1, date(2026, 3, 16), id="plus-one-over-weekend"),
        pytest.param(date(2026, 3, 14), 1, date(2026, 3, 16), id="plus-one-from-saturday"),
        # Thu 24 Dec 26: Fri 25 H, Sat, Sun, Mon 28 H (substitute) -> Tue 29
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 29), id="plus-one-over-christmas-2026"),
        # Fri 24 Dec 27: Mon 27 H, Tue 28 H -> Wed 29
        pytest.param(date(2027, 12, 24), 1, date(2027, 12, 29), id="plus-one-over-christmas-2027"),
        pytest.param(date(2026, 3, 11), 10, date(2026, 3, 25), id="plus-ten"),
        pytest.param(date(2026, 3, 12), -1, date(2026, 3, 11), id="minus-one-midweek"),
        pytest.param(date(2026, 3, 16), -1, date(2026, 3, 13), id="minus-one-over-weekend"),
        pytest.param(date(2026, 3, 15), -1, date(2026, 3, 13), id="minus-one-from-sunday"),
        # Tue 29 Dec 26: Mon 28 H, Sun, Sat, Fri 25 H -> Thu 24
        pytest.param(date(2026, 12, 29), -1, date(2026, 12, 24), id="minus-one-over-christmas-2026"),
        # Tue 7 Apr 26: Mon 6 H, Fri 3 H -> Thu 2
        pytest.param(date(2026, 4, 7), -1, date(2026, 4, 2), id="minus-one-over-easter-2026"),
        pytest.param(date(2026, 3, 25), -10, date(2026, 3, 11), id="minus-ten"),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2026, 3, 11), date(2026, 3, 11), 0, id="same-day"),
        pytest.param(date(2026, 3, 14), date(2026, 3, 15), 0, id="weekend-only"),
        pytest.param(date(2026, 3, 13), date(2026, 3, 16), 1, id="friday-to-monday"),
        pytest.param(date(2026, 3, 16), date(2026, 3, 13), -1, id="monday-back-to-friday"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 29), 1, id="over-christmas-2026"),
        pytest.param(date(2026, 12, 29), date(2026, 12, 24), -1, id="back-over-christmas-2026"),
        pytest.param(date(2026, 4, 1), date(2026, 4, 24), 15, id="easter-2026-minutes"),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize("n", [-20, -5, -1, 0, 1, 5, 15, 20])
def test_working_days_between_inverts_add_working_days(n: int) -> None:
    for start in _days(date(2026, 12, 1), date(2027, 1, 15)):
        assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("due", "before", "expected"),
    [
        pytest.param(date(2026, 3, 13), 0, date(2026, 3, 13), id="zero-is-the-due-date"),
        pytest.param(date(2026, 3, 16), 1, date(2026, 3, 13), id="monday-due-reminded-friday"),
        # due Tue 29 Dec 26: Mon 28 H, Fri 25 H, Thu 24 (1), Wed 23 (2)
        pytest.param(date(2026, 12, 29), 2, date(2026, 12, 23), id="over-christmas-2026"),
        # due Tue 4 Jan 28: Mon 3 H, Fri 31 (1), 30 (2), 29 (3), 28 H, 27 H, Fri 24 (4), Thu 23 (5)
        pytest.param(date(2028, 1, 4), 5, date(2027, 12, 23), id="over-christmas-2027"),
    ],
)
def test_reminder_date(due: date, before: int, expected: date) -> None:
    assert reminder_date(due, before) == expected


def test_reminder_date_rejects_negative_warning() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        reminder_date(date(2026, 3, 13), -1)


# --- properties over every day of 2026 ---------------------------------------------------------------------

DAYS_OF_2026 = _days(date(2026, 1, 1), date(2026, 12, 31))


def _count_working_days(first: date, last: date) -> int:
    """Working days in [first, last], counted the slow way."""
    return sum(is_working_day(day) for day in _days(first, last))


def test_papers_due_property_every_day_of_2026() -> None:
    for meeting in DAYS_OF_2026:
        due = papers_due(meeting)
        assert is_working_day(due), meeting
        assert due < meeting, meeting
        # exactly 5 working days in [due, meeting)
        assert _count_working_days(due, meeting - timedelta(days=1)) == PAPERS_DUE_WORKING_DAYS, meeting


def test_minutes_due_property_every_day_of_2026() -> None:
    for meeting in DAYS_OF_2026:
        due = minutes_due(meeting)
        assert is_working_day(due), meeting
        assert due > meeting, meeting
        # exactly 15 working days in (meeting, due]
        assert _count_working_days(meeting + timedelta(days=1), due) == MINUTES_DUE_WORKING_DAYS, meeting
