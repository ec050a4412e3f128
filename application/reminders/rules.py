"""What is due on a day: the reminder rules, read from the read models.

``plan`` returns every reminder that should exist on ``today`` (one ``Due`` per rule, subject, due date
and person). It only reads; raising them is commands.py's job, and raising one twice is harmless
because its identity is derived from those four things. The queries are bounded by date so that a
scan costs about the same with ten years of history as with one.

Lead times. A person's ``reminder_lead_days`` is counted in working days before a deadline (rule I1),
so a reminder never lands on a weekend. Some rules need longer warning than a few days whatever the
person chose (an election, a break clause, the annual review); those take whichever start is earlier.
The end-date reminders are fixed at one month and one week before, as the issue asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select

from application.authority import COMMISSIONER_FOR_ROLE, Role
from application.importer import NEW_FRAMEWORK_STARTS
from application.users import User
from domain.deadlines import minutes_overdue, overdue, papers_overdue
from domain.reminder import Due, Rule
from domain.vocabulary import CLOSED_STATUSES, BodyKind, BodyStatus
from domain.working_days import add_months, reminder_date
from projections.queries import twice_yearly_bodies
from projections.queries.deadlines import MINUTES_OUT, OPEN_STATUSES
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


@lru_cache(maxsize=65536)
def _advance_start(due: date, lead_working_days: int, at_least_days: int) -> date:
    """The first day a "coming up" reminder is raised: the person's lead in working days, or the rule's."""
    return min(reminder_date(due, lead_working_days), due - timedelta(days=at_least_days))


def in_advance_window(due: date, today: date, lead_working_days: int, at_least_days: int = 0) -> bool:
    return _advance_start(due, lead_working_days, at_least_days) <= today <= due


def in_overdue_window(due: date, today: date, lookback_days: int) -> bool:
    """Overdue (domain.deadlines.overdue), and no further past the deadline than the lookback."""
    return overdue(due, today) and today <= due + timedelta(days=lookback_days)


class Planner:
    """Collects the reminders due on ``today``; one method per rule."""

    def __init__(
        self, connection: Connection, *, today: date, recipients: Recipients, lookback_days: int = DEFAULT_LOOKBACK_DAYS
    ) -> None:
        self.connection = connection
        self.today = today
        self.recipients = recipients
        self.lookback_days = lookback_days
        self.found: list[Due] = []

    def plan(self) -> list[Due]:
        self.meetings()
        self.cadence()
        self.projects()
        self.time_limited_bodies()
        self.elections()
        self.break_clauses()
        self.annual_review()
        return self.found

    def _add(self, rule: Rule, subject: tuple[str, Any, str], due: date, people: Iterable[User], title: str) -> None:
        subject_type, subject_id, subject_name = subject
        for user in people:
            self.found.append(Due(rule, subject_type, str(subject_id), subject_name, due, user.user_id, title))

    def _advance(
        self, rule: Rule, subject: tuple[str, Any, str], due: date, title: str, at_least_days: int = 0
    ) -> None:
        """A "coming up" reminder to each officer whose lead time has reached today."""
        people = [
            u
            for u in self.recipients.officers
            if in_advance_window(due, self.today, u.reminder_lead_days, at_least_days)
        ]
        self._add(rule, subject, due, people, title)

    # --------------------------------------------------------- meetings (C4, C5)

    def meetings(self) -> None:
        """Agenda and papers 5 working days before (C4); draft minutes 15 working days after (C5)."""
        today = self.today
        # Lead times are in working days: 60 of them is under 13 weeks; 15 working days under 5 weeks.
        horizon = today + timedelta(days=7 * (self.recipients.max_lead() // 5 + 3))
        earliest = today - timedelta(days=self.lookback_days + 35)
        query = select(
            meetings.c.id,
            meetings.c.body_name,
            meetings.c.meeting_date,
            meetings.c.papers_due,
            meetings.c.minutes_due,
            meetings.c.agenda_published_on,
            meetings.c.minutes_status,
        ).where(
            meetings.c.status == "scheduled",
            meetings.c.meeting_date >= earliest,
            meetings.c.meeting_date <= horizon,
        )
        for m in self.connection.execute(query):
            subject = ("meeting", m.id, f"{m.body_name} meeting on {_day(m.meeting_date)}")
            if m.agenda_published_on is None:
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
            if m.meeting_date <= today and m.minutes_status not in MINUTES_OUT:
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
        today = self.today
        query = twice_yearly_bodies(today)
        for b in self.connection.execute(query):
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
        query = select(
            projects.c.id,
            projects.c.title,
            projects.c.commissioned_by,
            projects.c.lead,
            projects.c.brief_status,
            projects.c.end_date,
            projects.c.next_report_due,
        ).where(projects.c.brief_status != "completed")
        for p in self.connection.execute(query):
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
        today = self.today
        query = select(bodies.c.id, bodies.c.name, bodies.c.until, bodies.c.kind).where(
            bodies.c.status == BodyStatus.TIME_LIMITED.value,
            bodies.c.until >= today,
            bodies.c.until <= add_months(today, 1),
        )
        for b in self.connection.execute(query):
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
        query = select(bodies.c.id, bodies.c.name, bodies.c.last_election_on, bodies.c.election_due_by).where(
            bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value, bodies.c.status.in_(OPEN_STATUSES)
        )
        for b in self.connection.execute(query):
            # The directory keeps the date by domain.deadlines.election_due_by; a group recorded with no
            # start date counts from the framework's.
            due = b.election_due_by or NEW_FRAMEWORK_STARTS
            why = f"the last was on {_day(b.last_election_on)}" if b.last_election_on else "none is on record"
            # Elections fall due every year. One missed long ago is not reminded as years overdue (an
            # overdue notice stops after the lookback, as for every deadline; the dashboard lists the
            # group as due): the reminder is for this year's anniversary instead.
            anchor, years = due, 0
            while due + timedelta(days=self.lookback_days) < self.today:
                years += 1
                due = add_months(anchor, 12 * years)  # from the anchor, so month ends do not drift
            people = [
                u
                for u in self.recipients.officers
                if _advance_start(due, u.reminder_lead_days, ELECTION_WARNING_DAYS) <= self.today
            ]
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
        query = select(bodies.c.id, bodies.c.name, bodies.c.contract_end, bodies.c.break_clause_months).where(
            bodies.c.contract_end.is_not(None),
            bodies.c.break_clause_months > 0,
            bodies.c.contract_end >= self.today,
            bodies.c.status.not_in([s.value for s in CLOSED_STATUSES]),
        )
        for b in self.connection.execute(query):
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
