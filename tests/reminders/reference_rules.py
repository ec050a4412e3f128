"""The reminder rules the plain way, for the tests to compare the scan with: every row read, every test in Python.

This is the scan as it was before its filters moved into SQL (application/reminders/rules.py), with each
``WHERE`` turned back into a Python condition over whole tables. It is slow on purpose and obviously
right; ``plan`` must return exactly what this returns, on any data and any day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from application.importer import NEW_FRAMEWORK_STARTS
from application.reminders.rules import (
    ANNUAL_REVIEW_WARNING_MONTHS,
    BREAK_CLAUSE_WARNING_DAYS,
    CADENCE_WARNING_MONTHS,
    CADENCE_WINDOW_MONTHS,
    ELECTION_WARNING_DAYS,
    FRAMEWORK_SUBJECT_ID,
    Recipients,
)
from application.users import User
from domain.deadlines import minutes_overdue, overdue, papers_overdue
from domain.reminder import Due, Rule
from domain.vocabulary import CLOSED_STATUSES, TWICE_YEARLY_KINDS, BodyKind
from domain.working_days import add_months, reminder_date
from projections.questions import public_questions
from projections.reviews import annual_reviews
from projections.tables import bodies, meetings, projects

OPEN = ("active", "time_limited")
MINUTES_OUT = ("published", "approved")


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _starts(due: date, lead: int, at_least: int) -> date:
    return min(reminder_date(due, lead), due - timedelta(days=at_least))


def _in_advance(due: date, today: date, lead: int, at_least: int = 0) -> bool:
    return _starts(due, lead, at_least) <= today <= due


def _in_overdue(due: date, today: date, lookback: int) -> bool:
    return overdue(due, today) and today <= due + timedelta(days=lookback)


def _closes(anchor: date, today: date) -> date:
    steps = 1
    while add_months(anchor, CADENCE_WINDOW_MONTHS * steps) < today:
        steps += 1
    return add_months(anchor, CADENCE_WINDOW_MONTHS * steps)


def reference_plan(connection: Connection, *, today: date, recipients: Recipients, lookback_days: int) -> list[Due]:
    found: list[Due] = []
    officers = recipients.officers

    def add(rule: Rule, subject: tuple[str, Any, str], due: date, people: Any, title: str) -> None:
        for user in people:
            found.append(Due(rule, subject[0], str(subject[1]), subject[2], due, user.user_id, title))

    def advance(rule: Rule, subject: tuple[str, Any, str], due: date, title: str, at_least: int = 0) -> None:
        add(rule, subject, due, [u for u in officers if _in_advance(due, today, u.reminder_lead_days, at_least)], title)

    def ending(subject: tuple[str, Any, str], end: date, people: list[User], sentence: str) -> None:
        if end - timedelta(days=7) <= today <= end:
            add(Rule.END_IN_A_WEEK, subject, end, people, f"{sentence}: one week to go.")
        elif add_months(end, -1) <= today < end - timedelta(days=7):
            add(Rule.END_IN_A_MONTH, subject, end, people, f"{sentence}: one month to go.")

    all_bodies = list(connection.execute(select(bodies)))
    all_meetings = list(connection.execute(select(meetings)))

    # Meetings (C4, C5), inside the date bounds the scan has always had.
    horizon = today + timedelta(days=7 * (recipients.max_lead() // 5 + 3))
    earliest = today - timedelta(days=lookback_days + 35)
    for m in all_meetings:
        if m.status != "scheduled" or not earliest <= m.meeting_date <= horizon:
            continue
        subject = ("meeting", m.id, f"{m.body_name} meeting on {_day(m.meeting_date)}")
        if m.agenda_published_on is None:
            if m.papers_due >= today:
                advance(
                    Rule.PAPERS_DUE,
                    subject,
                    m.papers_due,
                    f"Publish the agenda and papers for the {subject[2]} by {_day(m.papers_due)}, "
                    "5 working days before the meeting (rule C4).",
                )
            elif papers_overdue(m.papers_due, m.meeting_date, today, published=False) and _in_overdue(
                m.papers_due, today, lookback_days
            ):
                add(
                    Rule.PAPERS_OVERDUE,
                    subject,
                    m.papers_due,
                    officers,
                    f"The agenda and papers for the {subject[2]} were due by {_day(m.papers_due)} "
                    "and are not published yet (rule C4).",
                )
        if m.meeting_date <= today and m.minutes_status not in MINUTES_OUT:
            if m.minutes_due >= today:
                advance(
                    Rule.MINUTES_DUE,
                    subject,
                    m.minutes_due,
                    f"Publish the draft minutes of the {subject[2]} by {_day(m.minutes_due)}, "
                    "15 working days after the meeting (rule C5).",
                )
            elif minutes_overdue(m.minutes_due, today, published=False) and _in_overdue(
                m.minutes_due, today, lookback_days
            ):
                add(
                    Rule.MINUTES_OVERDUE,
                    subject,
                    m.minutes_due,
                    officers,
                    f"The draft minutes of the {subject[2]} were due by {_day(m.minutes_due)} "
                    "and are not published yet (rule C5).",
                )

    # Cadence (C1): ordinary meetings are scheduled, not additional.
    ordinary_dates: dict[Any, list[date]] = {}
    for m in all_meetings:
        if m.status == "scheduled" and not m.additional:
            ordinary_dates.setdefault(m.body_id, []).append(m.meeting_date)
    for b in all_bodies:
        if b.kind not in {k.value for k in TWICE_YEARLY_KINDS} or b.status not in OPEN:
            continue
        ordinary = ordinary_dates.get(b.id, [])
        last = max((d for d in ordinary if d <= today), default=None)
        following = min((d for d in ordinary if d > today), default=None)
        anchor = last or b.established_on or NEW_FRAMEWORK_STARTS
        closes = _closes(anchor, today)
        opens = add_months(closes, -CADENCE_WINDOW_MONTHS)
        if last is not None and last > opens:
            continue
        if following is not None and following <= closes:
            continue
        if b.until is not None and b.until < closes:
            continue
        if today < add_months(closes, -CADENCE_WARNING_MONTHS):
            continue
        add(
            Rule.CADENCE,
            ("body", b.id, b.name),
            closes,
            officers,
            f"{b.name} has no meeting scheduled in the six months to {_day(closes)}: "
            "schedule one, with 14 days' notice, to keep to two meetings a year (rule C1).",
        )

    # Projects (D4, D5).
    for p in connection.execute(select(projects)):
        if p.brief_status == "completed":
            continue
        subject = ("project", p.id, p.title)
        lead = recipients.by_id.get(p.lead)
        due = p.next_report_due
        if lead is not None and due is not None:
            if _in_advance(due, today, lead.reminder_lead_days):
                add(
                    Rule.PROGRESS_DUE,
                    subject,
                    due,
                    [lead],
                    f"A progress report on {p.title} is due to the Executive Director by {_day(due)}: "
                    "milestones achieved and any issues or concerns (rule D4).",
                )
            elif _in_overdue(due, today, lookback_days):
                add(
                    Rule.PROGRESS_OVERDUE,
                    subject,
                    due,
                    [lead],
                    f"The progress report on {p.title} was due by {_day(due)} and has not been received (rule D4).",
                )
        people = list(recipients.by_commissioner.get(p.commissioned_by, ()))
        if lead is not None and lead not in people:
            people.append(lead)
        ending(subject, p.end_date, people, f"{p.title} reaches the end of its agreed timeframe on {_day(p.end_date)}")

    # Time-limited groups.
    for b in all_bodies:
        if b.status == "time_limited" and b.until is not None and today <= b.until <= add_months(today, 1):
            ending(
                ("body", b.id, b.name),
                b.until,
                list(officers),
                f"{b.name}, a {BodyKind(b.kind).label}, is time-limited until {_day(b.until)}; decide whether it "
                "ends, is extended or is replaced, and ask for its completion report",
            )

    # Past its end date with nothing decided (A5): the officers, and the commissioner of each project the
    # group carries out, every day until something is recorded.
    commissioners_of: dict[Any, list[str | None]] = {}
    for p in connection.execute(select(projects)):
        commissioners_of.setdefault(p.body_id, []).append(p.commissioned_by)
    for b in all_bodies:
        if b.status == "time_limited" and b.until is not None and b.until < today:
            for commissioned_by in commissioners_of.get(b.id, [None]):
                people = list(officers)
                people += [u for u in recipients.by_commissioner.get(commissioned_by or "", ()) if u not in people]
                add(
                    Rule.PAST_END_DATE,
                    ("body", b.id, b.name),
                    b.until,
                    people,
                    f"{b.name} passed its end date, {_day(b.until)}, with nothing decided: extend it, close it "
                    "with its completion report, or convert it (rule A5)",
                )

    # Elections (B5): this year's anniversary of a date missed long ago.
    for b in all_bodies:
        if b.kind != BodyKind.CONSULTATIVE_GROUP.value or b.status not in OPEN:
            continue
        anchor = b.election_due_by or NEW_FRAMEWORK_STARTS
        due, years = anchor, 0
        while due + timedelta(days=lookback_days) < today:
            years += 1
            due = add_months(anchor, 12 * years)
        why = f"the last was on {_day(b.last_election_on)}" if b.last_election_on else "none is on record"
        add(
            Rule.ELECTION_DUE,
            ("body", b.id, b.name),
            due,
            [u for u in officers if _starts(due, u.reminder_lead_days, ELECTION_WARNING_DAYS) <= today],
            f"{b.name} elects its chair and vice-chair every year; an election is due by {_day(due)} "
            f"({why}) (rule B5).",
        )

    # Break clauses (F2).
    for b in all_bodies:
        if b.contract_end is None or not (b.break_clause_months or 0) > 0 or b.contract_end < today:
            continue
        if b.status in {s.value for s in CLOSED_STATUSES}:
            continue
        notice = add_months(b.contract_end, -b.break_clause_months)
        advance(
            Rule.BREAK_CLAUSE,
            ("body", b.id, b.name),
            notice,
            f"The last day to give notice under the {b.break_clause_months}-month break clause of the "
            f"contract for {b.name} is {_day(notice)} (the contract runs to {_day(b.contract_end)}).",
            at_least=BREAK_CLAUSE_WARNING_DAYS,
        )

    # Questions from the public (C7), every row read.
    waiting = {(q.meeting_id, q.body_name, q.meeting_date) for q in connection.execute(select(public_questions))
               if q.meeting_date >= today and q.answer is None}  # fmt: skip
    for meeting_id, body_name, meeting_date in sorted(waiting, key=str):
        name = f"{body_name} meeting on {_day(meeting_date)}"
        add(Rule.QUESTIONS_RECEIVED, ("meeting", meeting_id, name), meeting_date, officers,
            f"Questions from the public have arrived for the {name}: put them to the meeting and "
            "record the answers given, which are published with the minutes (rule C7).")  # fmt: skip

    # The annual review (H1), unless the year's review is already completed.
    year = today.year if today <= date(today.year, 3, 31) else today.year + 1
    due = date(year, 3, 31)
    completed = {r.due for r in connection.execute(select(annual_reviews)) if r.completed_on is not None}
    if due in completed:
        return found
    add(
        Rule.ANNUAL_REVIEW,
        ("framework", FRAMEWORK_SUBJECT_ID, "The partnership arrangements"),
        due,
        [
            u
            for u in officers
            if min(reminder_date(due, u.reminder_lead_days), add_months(due, -ANNUAL_REVIEW_WARNING_MONTHS)) <= today
        ],
        f"Review the effectiveness of the partnership arrangements before the {year}-{(year + 1) % 100:02d} "
        f"financial year starts on 1 April {year} (rule H1).",
    )
    return found
