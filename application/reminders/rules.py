"""What is due on a day: the reminder rules, read from the read models.

``plan`` returns every reminder that should exist on ``today`` (one ``Due`` per rule, subject, due date
and person). It only reads; raising them is commands.py's job, and raising one twice is harmless
because its identity is derived from those four things.

Set-based: each rule's query returns only the rows that give someone a reminder today, filtered in
SQL on indexed date columns (a deadline between the furthest anyone is reminded ahead and the
lookback), so a scan reads what is due rather than every body and meeting. Where the exact test needs
month arithmetic that SQL does differently on each database (the cadence window, an election's
anniversary, a break clause's notice date), the query's filter is a slightly wider one in whole months
and the Python below decides each row exactly, as before. tests/reminders/test_scan_is_set_based.py
checks that ``plan`` returns exactly what reading every row in Python returns.

Lead times. A person's ``reminder_lead_days`` is counted in working days before a deadline (rule I1),
so a reminder never lands on a weekend. Some rules need longer warning than a few days whatever the
person chose (an election, a break clause, the annual review); those take whichever start is earlier.
The end-date reminders are fixed at one month and one week before, as the issue asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Date, Integer, Select, and_, bindparam, false, func, literal, or_, select

from application.authority import COMMISSIONER_FOR_ROLE, Role
from application.importer import NEW_FRAMEWORK_STARTS
from application.users import User
from domain.deadlines import minutes_overdue, overdue, papers_overdue
from domain.reminder import Due, Rule
from domain.vocabulary import CLOSED_STATUSES, TWICE_YEARLY_KINDS, BodyKind, BodyStatus
from domain.working_days import add_months, add_working_days, reminder_date
from projections.queries import deadlines
from projections.queries.deadlines import OPEN_STATUSES, day_of_month, month_index, month_index_of
from projections.questions import public_questions
from projections.reviews import annual_reviews
from projections.tables import bodies, meetings, projects

# An overdue notice is raised at most this many days after the deadline: a scan run for the first
# time over years of history should not bury people in notices about meetings long past.
DEFAULT_LOOKBACK_DAYS = 28
# Rule C1: the six-month window each conference and consultative group must meet in, and how long
# before it closes to warn ("well before the window closes", with time for 14 days' notice and papers).
CADENCE_WINDOW_MONTHS = 6
CADENCE_WARNING_MONTHS = 2
ELECTION_WARNING_DAYS = 30
BREAK_CLAUSE_WARNING_DAYS = 30
ANNUAL_REVIEW_WARNING_MONTHS = 2
FRAMEWORK_SUBJECT_ID = "framework"


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


@dataclass(frozen=True)
class Recipients:
    """Who is told what: partnership officers, project leads by user id, commissioners by the role they hold."""

    officers: tuple[User, ...]
    by_id: dict[str, User]
    by_commissioner: dict[str, tuple[User, ...]] = field(default_factory=dict)

    @classmethod
    def from_users(cls, users: Iterable[User]) -> Recipients:
        active = [u for u in users if u.active]
        by_commissioner: dict[str, list[User]] = {}
        for user in active:
            commissioner = COMMISSIONER_FOR_ROLE.get(user.role)
            if commissioner is not None:
                by_commissioner.setdefault(commissioner.value, []).append(user)
        return cls(
            officers=tuple(u for u in active if u.role is Role.PARTNERSHIP_OFFICER),
            by_id={u.user_id: u for u in active},
            by_commissioner={k: tuple(v) for k, v in by_commissioner.items()},
        )

    def max_lead(self) -> int:
        return max((u.reminder_lead_days for u in self.by_id.values()), default=0)


def advance_reach(today: date, lead_working_days: int, at_least_days: int = 0) -> date:
    """The furthest deadline whose "coming up" reminder has started by ``today``.

    The reminder starts ``lead_working_days`` working days before the deadline (reminder_date), or
    ``at_least_days`` before it if that is earlier; both move with the deadline, so a deadline ``due``
    is reminded today exactly when ``today <= due <= advance_reach(today, ...)``. That turns a person's
    lead time into one date a query can compare with.
    """
    return max(add_working_days(today, lead_working_days), today + timedelta(days=at_least_days))


def in_advance_window(due: date, today: date, lead_working_days: int, at_least_days: int = 0) -> bool:
    return today <= due <= advance_reach(today, lead_working_days, at_least_days)


def in_overdue_window(due: date, today: date, lookback_days: int) -> bool:
    """Overdue (domain.deadlines.overdue), and no further past the deadline than the lookback."""
    return overdue(due, today) and today <= due + timedelta(days=lookback_days)


def anniversary_on_or_after(anchor: date, earliest: date) -> date:
    """The first of ``anchor``, ``anchor`` + 1 year, + 2 years... on or after ``earliest`` (from the anchor,
    so a 31 January or 29 February does not drift after a short month)."""
    years = max(0, earliest.year - anchor.year - 1)
    due = add_months(anchor, 12 * years)
    while due < earliest:
        years += 1
        due = add_months(anchor, 12 * years)
    return due


class Planner:
    """Collects the reminders due on ``today``; one method per rule."""

    def __init__(
        self, connection: Connection, *, today: date, recipients: Recipients, lookback_days: int = DEFAULT_LOOKBACK_DAYS
    ) -> None:
        self.connection = connection
        self.today = today
        self.recipients = recipients
        self.lookback_days = lookback_days
        # The earliest deadline still reminded as overdue today.
        self.since = today - timedelta(days=lookback_days)
        self.found: list[Due] = []
        self._reach: dict[int, list[tuple[User, date]]] = {}

    def plan(self) -> list[Due]:
        self.meetings()
        self.cadence()
        self.projects()
        self.time_limited_bodies()
        self.elections()
        self.break_clauses()
        self.annual_review()
        self.public_questions()
        return self.found

    def reach(self, at_least_days: int = 0) -> list[tuple[User, date]]:
        """Each officer with the furthest deadline they are reminded of today (``advance_reach``)."""
        if at_least_days not in self._reach:
            self._reach[at_least_days] = [
                (u, advance_reach(self.today, u.reminder_lead_days, at_least_days)) for u in self.recipients.officers
            ]
        return self._reach[at_least_days]

    def furthest(self, at_least_days: int = 0) -> date:
        """The furthest deadline any officer is reminded of today: a query's upper bound."""
        return max((r for _, r in self.reach(at_least_days)), default=self.today)

    def _add(self, rule: Rule, subject: tuple[str, Any, str], due: date, people: Iterable[User], title: str) -> None:
        subject_type, subject_id, subject_name = subject
        subject_id = str(subject_id)
        self.found.extend(Due(rule, subject_type, subject_id, subject_name, due, u.user_id, title) for u in people)

    def _advance(
        self, rule: Rule, subject: tuple[str, Any, str], due: date, title: str, at_least_days: int = 0
    ) -> None:
        """A "coming up" reminder to each officer whose lead time has reached today."""
        if due >= self.today:
            self._add(rule, subject, due, [u for u, r in self.reach(at_least_days) if due <= r], title)

    # --------------------------------------------------------- meetings (C4, C5)

    def meetings(self) -> None:
        """Agenda and papers 5 working days before (C4); draft minutes 15 working days after (C5).

        Two queries, each on its deadline's index: the deadline between the lookback and the furthest
        lead time, for meetings whose agenda (or minutes) are still to come.
        """
        if not self.recipients.officers:
            return  # every meeting reminder is an officer's
        today = self.today
        # Lead times are in working days: 60 of them is under 13 weeks; 15 working days under 5 weeks.
        horizon = today + timedelta(days=7 * (self.recipients.max_lead() // 5 + 3))
        earliest = today - timedelta(days=self.lookback_days + 35)
        bounds = dict(today=today, since=self.since, furthest=self.furthest(), earliest=earliest, horizon=horizon)
        for m in self.connection.execute(_papers_query(), bounds):
            subject = ("meeting", m.id, f"{m.body_name} meeting on {_day(m.meeting_date)}")
            if m.papers_due >= today:
                self._advance(
                    Rule.PAPERS_DUE,
                    subject,
                    m.papers_due,
                    f"Publish the agenda and papers for the {subject[2]} by {_day(m.papers_due)}, "
                    "5 working days before the meeting (rule C4).",
                )
            elif papers_overdue(m.papers_due, m.meeting_date, today, published=False) and in_overdue_window(
                m.papers_due, today, self.lookback_days
            ):
                self._add(
                    Rule.PAPERS_OVERDUE,
                    subject,
                    m.papers_due,
                    self.recipients.officers,
                    f"The agenda and papers for the {subject[2]} were due by {_day(m.papers_due)} "
                    "and are not published yet (rule C4).",
                )
        for m in self.connection.execute(_minutes_query(), {**bounds, "horizon": min(horizon, today)}):
            subject = ("meeting", m.id, f"{m.body_name} meeting on {_day(m.meeting_date)}")
            if m.minutes_due >= today:
                self._advance(
                    Rule.MINUTES_DUE,
                    subject,
                    m.minutes_due,
                    f"Publish the draft minutes of the {subject[2]} by {_day(m.minutes_due)}, "
                    "15 working days after the meeting (rule C5).",
                )
            elif minutes_overdue(m.minutes_due, today, published=False) and in_overdue_window(
                m.minutes_due, today, self.lookback_days
            ):
                self._add(
                    Rule.MINUTES_OVERDUE,
                    subject,
                    m.minutes_due,
                    self.recipients.officers,
                    f"The draft minutes of the {subject[2]} were due by {_day(m.minutes_due)} "
                    "and are not published yet (rule C5).",
                )

    # ------------------------------------------------------------- cadence (C1)

    def cadence(self) -> None:
        """A conference or consultative group with no ordinary meeting in its current six-month window.

        The windows run in steps of six months from the body's last ordinary meeting (or, if it has
        none, from when it was established or the framework began), so a window's closing date, the
        reminder's due date, stays put until the body meets again.
        """
        if not self.recipients.officers:
            return
        today = self.today
        params = dict(today=today, this_month=month_index_of(today), today_day=today.day)
        for b in self.connection.execute(_cadence_query(), params):
            anchor = b.last_meeting or b.established_on or NEW_FRAMEWORK_STARTS
            closes = cadence_window_closes(anchor, today)
            opens = add_months(closes, -CADENCE_WINDOW_MONTHS)
            met_in_window = b.last_meeting is not None and b.last_meeting > opens
            if met_in_window or (b.next_meeting is not None and b.next_meeting <= closes):
                continue
            if b.until is not None and b.until < closes:
                continue  # the body ends before the window does
            if today < add_months(closes, -CADENCE_WARNING_MONTHS):
                continue
            self._add(
                Rule.CADENCE,
                ("body", b.body_id, b.name),
                closes,
                self.recipients.officers,
                f"{b.name} has no meeting scheduled in the six months to {_day(closes)}: "
                "schedule one, with 14 days' notice, to keep to two meetings a year (rule C1).",
            )

    # ------------------------------------------------------------- projects (D4, D5)

    def projects(self) -> None:
        today = self.today
        params = dict(
            since=self.since,
            # A report due within the longest lead time anyone has, or overdue within the lookback.
            reports_until=add_working_days(today, self.recipients.max_lead()),
            today=today,
            # Ending within a month: add_months(end, -1) <= today puts the end at most 31 days ahead.
            ends_until=today + timedelta(days=31),
        )
        for p in self.connection.execute(_projects_query(), params):
            subject = ("project", p.id, p.title)
            lead = self.recipients.by_id.get(p.lead)
            due = p.next_report_due
            if lead is not None and due is not None:
                if in_advance_window(due, today, lead.reminder_lead_days):
                    self._add(
                        Rule.PROGRESS_DUE,
                        subject,
                        due,
                        [lead],
                        f"A progress report on {p.title} is due to the Executive Director by {_day(due)}: "
                        "milestones achieved and any issues or concerns (rule D4).",
                    )
                elif in_overdue_window(due, today, self.lookback_days):
                    self._add(
                        Rule.PROGRESS_OVERDUE,
                        subject,
                        due,
                        [lead],
                        f"The progress report on {p.title} was due by {_day(due)} and has not been received (rule D4).",
                    )
            people = list(self.recipients.by_commissioner.get(p.commissioned_by, ()))
            if lead is not None and lead not in people:
                people.append(lead)  # the lead writes the completion report (D5)
            self._ending(
                subject, p.end_date, people, f"{p.title} reaches the end of its agreed timeframe on {_day(p.end_date)}"
            )

    def _ending(self, subject: tuple[str, Any, str], end: date, people: Sequence[User], sentence: str) -> None:
        today = self.today
        week_before = end - timedelta(days=7)
        if week_before <= today <= end:
            self._add(Rule.END_IN_A_WEEK, subject, end, people, f"{sentence}: one week to go.")
        elif add_months(end, -1) <= today < week_before:
            self._add(Rule.END_IN_A_MONTH, subject, end, people, f"{sentence}: one month to go.")

    def time_limited_bodies(self) -> None:
        """A time-limited group (A5, F1) reaching its end date: one month and one week before."""
        if not self.recipients.officers:
            return
        today = self.today
        query = _time_limited_query()
        for b in self.connection.execute(query, {"today": today, "month_on": add_months(today, 1)}):
            self._ending(
                ("body", b.id, b.name),
                b.until,
                self.recipients.officers,
                f"{b.name}, a {BodyKind(b.kind).label}, is time-limited until {_day(b.until)}; decide whether it "
                "ends, is extended or is replaced, and ask for its completion report",
            )

        # Past its end date with nothing decided (A5): the officers and the commissioner of its project are
        # asked to extend it, close it with its completion report, or convert it, until one is recorded.
        past = (
            select(bodies.c.id, bodies.c.name, bodies.c.until, projects.c.commissioned_by)
            .select_from(bodies.outerjoin(projects, projects.c.body_id == bodies.c.id))
            .where(bodies.c.status == BodyStatus.TIME_LIMITED.value, bodies.c.until < today)
        )
        for b in self.connection.execute(past):
            people = list(self.recipients.officers)
            people += [u for u in self.recipients.by_commissioner.get(b.commissioned_by or "", ()) if u not in people]
            self._add(
                Rule.PAST_END_DATE,
                ("body", b.id, b.name),
                b.until,
                people,
                f"{b.name} passed its end date, {_day(b.until)}, with nothing decided: extend it, close it with "
                "its completion report, or convert it (rule A5)",
            )

    # ------------------------------------------------------------- elections (B5)

    def elections(self) -> None:
        if not self.recipients.officers:
            return
        furthest = self.furthest(ELECTION_WARNING_DAYS)
        first, last = self.since, furthest
        query = _elections_query(within_a_year=(last - first).days < 365, one_year=first.year == last.year)
        # Month and day as month * 100 + day (months from 0), one day wider at the end for a 29 February
        # that a common year clamps to the 28th.
        month_days = dict(start=(first.month - 1) * 100 + first.day, end=(last.month - 1) * 100 + last.day + 1)
        for b in self.connection.execute(query, {"first": first, "last": last, **month_days}):
            # The directory keeps the date by domain.deadlines.election_due_by; a group recorded with no
            # start date counts from the framework's.
            why = f"the last was on {_day(b.last_election_on)}" if b.last_election_on else "none is on record"
            # Elections fall due every year. One missed long ago is not reminded as years overdue (an
            # overdue notice stops after the lookback, as for every deadline; the dashboard lists the
            # group as due): the reminder is for this year's anniversary instead.
            due = anniversary_on_or_after(b.election_due_by or NEW_FRAMEWORK_STARTS, self.since)
            if due > furthest:
                continue
            # Raised from the warning on, and kept through the lookback once the date has passed.
            people = [u for u, r in self.reach(ELECTION_WARNING_DAYS) if due <= r]
            self._add(
                Rule.ELECTION_DUE,
                ("body", b.id, b.name),
                due,
                people,
                f"{b.name} elects its chair and vice-chair every year; an election is due by {_day(due)} "
                f"({why}) (rule B5).",
            )

    # ------------------------------------------------------------- break clauses (F2)

    def break_clauses(self) -> None:
        if not self.recipients.officers:
            return
        today = self.today
        furthest = self.furthest(BREAK_CLAUSE_WARNING_DAYS)
        params = dict(today=today, this_month=month_index_of(today), last_month=month_index_of(furthest))
        for b in self.connection.execute(_break_clauses_query(), params):
            notice = add_months(b.contract_end, -b.break_clause_months)
            self._advance(
                Rule.BREAK_CLAUSE,
                ("body", b.id, b.name),
                notice,
                f"The last day to give notice under the {b.break_clause_months}-month break clause of the "
                f"contract for {b.name} is {_day(notice)} (the contract runs to {_day(b.contract_end)}).",
                at_least_days=BREAK_CLAUSE_WARNING_DAYS,
            )

    # ------------------------------------------------------------- annual review (H1)

    def annual_review(self) -> None:
        year = self.today.year if self.today <= date(self.today.year, 3, 31) else self.today.year + 1
        due = date(year, 3, 31)
        # Done already: the year's review is completed (its completion also settles a reminder raised before).
        completed = select(annual_reviews.c.id).where(
            annual_reviews.c.due == due, annual_reviews.c.completed_on.is_not(None)
        )
        if self.connection.execute(completed).first() is not None:
            return
        people = [
            u
            for u in self.recipients.officers
            if min(reminder_date(due, u.reminder_lead_days), add_months(due, -ANNUAL_REVIEW_WARNING_MONTHS))
            <= self.today
        ]
        self._add(
            Rule.ANNUAL_REVIEW,
            ("framework", FRAMEWORK_SUBJECT_ID, "The partnership arrangements"),
            due,
            people,
            f"Review the effectiveness of the partnership arrangements before the {year}-{(year + 1) % 100:02d} "
            f"financial year starts on 1 April {year} (rule H1).",
        )

    # ------------------------------------------------------- questions from the public (C7)

    def public_questions(self) -> None:
        """Questions from the public have arrived for a meeting still to come: each officer is told once a
        meeting (due on the meeting day), to put them to the meeting and record the answers."""
        if not self.recipients.officers:
            return
        for m in self.connection.execute(questions_waiting_query(), {"today": self.today}):
            subject = ("meeting", m.meeting_id, f"{m.body_name} meeting on {_day(m.meeting_date)}")
            self._add(
                Rule.QUESTIONS_RECEIVED,
                subject,
                m.meeting_date,
                self.recipients.officers,
                f"Questions from the public have arrived for the {subject[2]}: put them to the meeting and "
                "record the answers given, which are published with the minutes (rule C7).",
            )


@cache
def questions_waiting_query() -> Select[Any]:
    """Meetings still to come with questions from the public not yet answered (C7)."""
    return (
        select(public_questions.c.meeting_id, public_questions.c.body_name, public_questions.c.meeting_date)
        .where(public_questions.c.meeting_date >= _date("today"), public_questions.c.answer.is_(None))
        .group_by(public_questions.c.meeting_id, public_questions.c.body_name, public_questions.c.meeting_date)
    )


# ------------------------------------------------------------------ the queries
# Built once, with bound parameters, so a scan does not pay for building SQL expressions (and
# SQLAlchemy compiles each once). Each returns the rows that may give someone a reminder; the
# Planner's methods above decide exactly.


def _date(name: str) -> Any:
    return bindparam(name, type_=Date)


def _int(name: str) -> Any:
    return bindparam(name, type_=Integer)


_MEETING = (meetings.c.id, meetings.c.body_name, meetings.c.meeting_date)


@cache
def _papers_query() -> Select[Any]:
    """Agendas still to come, due between the lookback and the furthest lead time (the papers_due index)."""
    return select(*_MEETING, meetings.c.papers_due).where(
        deadlines.agenda_pending(),
        meetings.c.recorded_afterwards.is_(False),  # no deadline is counted against a meeting recorded afterwards
        meetings.c.papers_due.between(_date("since"), _date("furthest")),
        or_(meetings.c.papers_due >= _date("today"), meetings.c.meeting_date >= _date("today")),
        meetings.c.meeting_date.between(_date("earliest"), _date("horizon")),
    )


@cache
def _minutes_query() -> Select[Any]:
    """Draft minutes still to come, due between the lookback and the furthest lead time (minutes_due index)."""
    return select(*_MEETING, meetings.c.minutes_due).where(
        deadlines.minutes_pending(),
        meetings.c.recorded_afterwards.is_(False),
        meetings.c.minutes_due.between(_date("since"), _date("furthest")),
        meetings.c.meeting_date.between(_date("earliest"), _date("horizon")),
    )


@cache
def _projects_query() -> Select[Any]:
    return select(
        projects.c.id,
        projects.c.title,
        projects.c.commissioned_by,
        projects.c.lead,
        projects.c.brief_status,
        projects.c.end_date,
        projects.c.next_report_due,
    ).where(
        projects.c.brief_status != "completed",
        or_(
            projects.c.next_report_due.between(_date("since"), _date("reports_until")),
            projects.c.end_date.between(_date("today"), _date("ends_until")),
        ),
    )


@cache
def _time_limited_query() -> Select[Any]:
    return select(bodies.c.id, bodies.c.name, bodies.c.until, bodies.c.kind).where(
        bodies.c.status == BodyStatus.TIME_LIMITED.value,
        bodies.c.until >= _date("today"),
        bodies.c.until <= _date("month_on"),
    )


@cache
def _elections_query(*, within_a_year: bool, one_year: bool) -> Select[Any]:
    """Open consultative groups with a yearly anniversary of their election date between ``first`` and ``last``.

    The date itself when it is in that range; otherwise, for a date before it, its month and day
    (``start`` to ``end``, see ``elections``) within the range's, which may run over New Year.
    """
    anchor = func.coalesce(bodies.c.election_due_by, literal(NEW_FRAMEWORK_STARTS, Date))
    month_day = month_index(anchor) % 12 * 100 + day_of_month(anchor)
    if not within_a_year:
        in_range: Any = anchor.is_not(None)  # a year or more: every date has an anniversary in it
    elif one_year:
        in_range = month_day.between(_int("start"), _int("end"))
    else:
        in_range = or_(month_day >= _int("start"), month_day <= _int("end"))
    return select(bodies.c.id, bodies.c.name, bodies.c.last_election_on, bodies.c.election_due_by).where(
        bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value,
        bodies.c.status.in_(OPEN_STATUSES),
        or_(anchor.between(_date("first"), _date("last")), and_(anchor < _date("first"), in_range)),
    )


@cache
def _break_clauses_query() -> Select[Any]:
    """Contracts whose break-clause notice date, add_months(contract_end, -break_clause_months), falls in the
    months from today's to the furthest reach's (the exact test is ``_advance``'s)."""
    notice_month = month_index(bodies.c.contract_end) - bodies.c.break_clause_months
    return select(bodies.c.id, bodies.c.name, bodies.c.contract_end, bodies.c.break_clause_months).where(
        bodies.c.contract_end.is_not(None),
        bodies.c.break_clause_months > 0,
        bodies.c.contract_end >= _date("today"),
        bodies.c.status.not_in([s.value for s in CLOSED_STATUSES]),
        notice_month.between(_int("this_month"), _int("last_month")),
    )


@cache
def _cadence_query() -> Select[Any]:
    """Open conferences and consultative groups whose six-month window may close within the warning.

    The window's closing date is add_months(anchor, 6k) for the first k >= 1 that is not before today
    (``cadence_window_closes``), and a reminder needs it no more than two months ahead: its month is
    today's (and its day not before today's), or one of the next two (the last one only if its day,
    clamped to 28, is not after today's). In month indexes that is a condition on the anchor's month
    and day. A group whose next ordinary meeting falls on or before that date, or that ends in an
    earlier month, has nothing to be reminded of. Each group's last ordinary meeting (its anchor) is
    looked up once, on the ordinary-meeting index.
    """
    today, this_month, today_day = _date("today"), _int("this_month"), _int("today_day")
    ordinary = and_(meetings.c.status == "scheduled", meetings.c.additional == false())
    last = (
        select(func.max(meetings.c.meeting_date))
        .where(meetings.c.body_id == bodies.c.id, ordinary, meetings.c.meeting_date <= today)
        .scalar_subquery()
    )
    groups = (
        select(bodies.c.id, bodies.c.name, bodies.c.established_on, bodies.c.until, last.label("last_meeting"))
        .where(
            bodies.c.kind.in_([k.value for k in TWICE_YEARLY_KINDS]),
            bodies.c.status.in_(OPEN_STATUSES),
        )
        .cte("open_groups")
        .prefix_with("MATERIALIZED")  # the anchor's lookup runs once per group, not once per use below
    )
    anchor = func.coalesce(groups.c.last_meeting, groups.c.established_on, literal(NEW_FRAMEWORK_STARTS, Date))
    anchor_month, anchor_day = month_index(anchor), day_of_month(anchor)
    # The month the window closes: the first anchor month + 6k from this month on (SQL's % keeps the sign
    # of its left side, so it is taken of this_month - anchor_month, positive where it matters).
    window, ahead = CADENCE_WINDOW_MONTHS, CADENCE_WARNING_MONTHS
    closes_month = this_month + (window - (this_month - anchor_month) % window) % window
    windows = (
        select(groups, closes_month.label("closes_month"), anchor_day.label("anchor_day"))
        .where(
            # Past the first window still to come: that one closes six months after the anchor, too far ahead.
            anchor_month <= this_month - (window - ahead),
            or_(
                and_(closes_month == this_month, anchor_day >= today_day),  # this month, not before today
                closes_month.between(this_month + 1, this_month + ahead - 1),
                # The last month the warning reaches: its day, clamped to a shorter month, not after today's.
                and_(closes_month == this_month + ahead, or_(anchor_day <= today_day, today_day >= 28)),
            ),
            or_(groups.c.until.is_(None), month_index(groups.c.until) >= closes_month),
        )
        .cte("windows")
        .prefix_with("MATERIALIZED")
    )
    following = (
        select(func.min(meetings.c.meeting_date))
        .where(meetings.c.body_id == windows.c.id, ordinary, meetings.c.meeting_date > today)
        .scalar_subquery()
    )
    candidates = select(windows, following.label("next_meeting")).cte("candidates").prefix_with("MATERIALIZED")
    next_month = month_index(candidates.c.next_meeting)
    return select(
        candidates.c.id.label("body_id"),
        candidates.c.name,
        candidates.c.established_on,
        candidates.c.until,
        candidates.c.last_meeting,
        candidates.c.next_meeting,
    ).where(
        or_(
            candidates.c.next_meeting.is_(None),
            next_month > candidates.c.closes_month,
            and_(
                next_month == candidates.c.closes_month,
                day_of_month(candidates.c.next_meeting) > candidates.c.anchor_day,
            ),
        ),
    )


def cadence_window_closes(anchor: date, today: date) -> date:
    """The end of the first six-month step from ``anchor`` that ends on or after ``today``."""
    # Start near today rather than stepping from an anchor years back: thousands of bodies are scanned.
    months = (today.year - anchor.year) * 12 + today.month - anchor.month
    steps = max(1, months // CADENCE_WINDOW_MONTHS)
    closes = add_months(anchor, CADENCE_WINDOW_MONTHS * steps)
    while closes < today:
        steps += 1
        closes = add_months(anchor, CADENCE_WINDOW_MONTHS * steps)  # from the anchor, so month ends do not drift
    return closes


def plan(
    connection: Connection, *, today: date, recipients: Recipients, lookback_days: int = DEFAULT_LOOKBACK_DAYS
) -> list[Due]:
    """Every reminder that should exist on ``today``, already raised or not."""
    return Planner(connection, today=today, recipients=recipients, lookback_days=lookback_days).plan()
