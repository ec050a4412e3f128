"""A reminder to one person of one deadline, and the life of the e-mail that tells them.

A reminder's identity is derived from what it is about: the rule, the subject, the due date and the
recipient (``reminder_id``). Raising it twice therefore creates the same aggregate twice, which the
event store's unique (id, version) key refuses: however often a scan runs, and however many
processes run it, each reminder exists once.

Sending it by e-mail exactly once needs one more step, a claim: the sender appends ``Claimed`` at the
version it read; only the sender whose save succeeds talks to the mail server, and it records ``Sent``
only after the server accepted the message. A claim that is never followed by ``Sent`` or
``SendFailed`` (the sender died) can be taken again once it has expired.

Pure domain: dates and moments come in as arguments, never from a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_date
from domain.errors import DomainError, InvalidInput, NotPermitted

REMINDER_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/reminder")


class Rule(StrEnum):
    """What a reminder is about; each is a separate identity, so a "due" and an "overdue" both arrive."""

    CADENCE = "cadence"  # C1: no meeting scheduled in the body's current six-month window
    PAPERS_DUE = "papers_due"  # C4: agenda and papers due 5 working days before the meeting
    PAPERS_OVERDUE = "papers_overdue"
    MINUTES_DUE = "minutes_due"  # C5: draft minutes due 15 working days after the meeting
    MINUTES_OVERDUE = "minutes_overdue"
    PROGRESS_DUE = "progress_due"  # D4: a progress report to the Executive Director
    PROGRESS_OVERDUE = "progress_overdue"
    END_IN_A_MONTH = "end_in_a_month"  # A5, D5: a time-limited group or project ends in a month
    END_IN_A_WEEK = "end_in_a_week"
    PAST_END_DATE = "past_end_date"  # A5: a time-limited group past its end date with nothing decided
    ELECTION_DUE = "election_due"  # B5: a consultative group's annual election of chair and vice-chair
    ANNUAL_REVIEW = "annual_review"  # H1: review of the arrangements before the financial year starts
    BREAK_CLAUSE = "break_clause"  # F2: last day to give notice under a contract's break clause
    QUESTIONS_RECEIVED = "questions_received"  # C7: questions from the public have arrived for a meeting
    # A4: mail to a member of the virtual panel (recipient and address are ``panel:<their id>``).
    CONSULTATION_INVITATION = "consultation_invitation"
    CONSULTATION_CLOSING = "consultation_closing"
    CONSULTATION_OUTCOME = "consultation_outcome"
    PANEL_CONFIRMATION = "panel_confirmation"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS: dict[Rule, str] = {
    Rule.CADENCE: "Meeting to schedule",
    Rule.PAPERS_DUE: "Agenda and papers due",
    Rule.PAPERS_OVERDUE: "Agenda and papers overdue",
    Rule.MINUTES_DUE: "Draft minutes due",
    Rule.MINUTES_OVERDUE: "Draft minutes overdue",
    Rule.PROGRESS_DUE: "Progress report due",
    Rule.PROGRESS_OVERDUE: "Progress report overdue",
    Rule.END_IN_A_MONTH: "Ends in a month",
    Rule.END_IN_A_WEEK: "Ends in a week",
    Rule.PAST_END_DATE: "Past its end date",
    Rule.ELECTION_DUE: "Election of chair and vice-chair due",
    Rule.ANNUAL_REVIEW: "Annual review of the arrangements",
    Rule.BREAK_CLAUSE: "Break-clause notice date",
    Rule.QUESTIONS_RECEIVED: "Questions from the public",
    Rule.CONSULTATION_INVITATION: "Your views are wanted",
    Rule.CONSULTATION_CLOSING: "A consultation closes soon",
    Rule.CONSULTATION_OUTCOME: "You said, we did",
    Rule.PANEL_CONFIRMATION: "Confirm your place on the panel",
}

# A panel member's mail is addressed to ``panel:<their random id>``: their address is looked up when it
# is sent (application/panel_people.py), so no event holds it and leaving the panel stops it.
PANEL_PREFIX = "panel:"


def panel_address(panel_member_id: UUID | str) -> str:
    return f"{PANEL_PREFIX}{panel_member_id}"


def panel_member_of(recipient: str) -> UUID | None:
    """The panel member a recipient or address stands for, or None for an account's own."""
    if not recipient.startswith(PANEL_PREFIX):
        return None
    try:
        return UUID(recipient[len(PANEL_PREFIX) :])
    except ValueError:
        return None


def reminder_id(rule: Rule | str, subject_id: UUID | str, due_date: date, recipient: str) -> UUID:
    """The one identity of a reminder: the same rule, subject, due date and person give the same id."""
    return uuid5(REMINDER_NAMESPACE, f"{Rule(rule).value}/{subject_id}/{due_date.isoformat()}/{recipient}")


# (rule, subject id, due date, recipient): a reminder's identity before it is hashed into an id.
DueKey = tuple[str, str, date, str]


@dataclass(frozen=True)
class Due:
    """A reminder a scan found due: everything ``Reminder.raise_`` records."""

    rule: Rule
    subject_type: str  # body / meeting / project / framework
    subject_id: str
    subject_name: str
    due_date: date
    recipient: str
    title: str

    @property
    def id(self) -> UUID:
        return reminder_id(self.rule, self.subject_id, self.due_date, self.recipient)

    @property
    def key(self) -> DueKey:
        """What the id is made from, as the reminders read model holds it: cheaper to compare than the id."""
        return (self.rule.value, self.subject_id, self.due_date, self.recipient)


class ReminderError(DomainError):
    """A reminder cannot do what was asked in its current state."""


class EmailState(StrEnum):
    NOT_WANTED = "not_wanted"  # the recipient had e-mail reminders off when it was raised
    WAITING = "waiting"  # in the outbox
    CLAIMED = "claimed"  # a sender holds it while it talks to the mail server
    SENT = "sent"  # the mail server accepted it
    WITHDRAWN = "withdrawn"  # not sent: e-mail turned off, reminder done, or the server refused it for good


class Reminder(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Raised(Event, Aggregate.Created):
        rule: str
        subject_type: str
        subject_id: str
        subject_name: str
        due_date: date
        recipient: str
        title: str
        raised_on: date
        email_to: str | None

    def __init__(
        self,
        actor: str,
        actor_role: str,
        rule: str,
        subject_type: str,
        subject_id: str,
        subject_name: str,
        due_date: date,
        recipient: str,
        title: str,
        raised_on: date,
        email_to: str | None,
    ) -> None:
        self.rule = Rule(rule)
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.subject_name = subject_name
        self.due_date = due_date
        self.recipient = recipient
        self.title = title
        self.raised_on = raised_on
        self.email_to = email_to
        self.email_state = EmailState.WAITING if email_to else EmailState.NOT_WANTED
        self.claimed_by: str | None = None
        self.claimed_until: datetime | None = None
        self.attempts = 0
        self.retry_at: datetime | None = None
        self.sent_at: datetime | None = None
        self.done_on: date | None = None

    @classmethod
    def raise_(cls, due: Due, *, actor: Actor, at: datetime, raised_on: date, email_to: str | None) -> Reminder:
        if not due.title.strip():
            raise InvalidInput("title", "a reminder says what is due")
        if email_to is not None and "@" not in email_to and panel_member_of(email_to) is None:
            raise InvalidInput("email_to", f"{email_to!r} is not an e-mail address")
        return cls._create(
            cls.Raised,
            id=due.id,
            timestamp=at,
            **actor.event_fields(),
            rule=due.rule.value,
            subject_type=due.subject_type,
            subject_id=str(due.subject_id),
            subject_name=due.subject_name,
            due_date=due.due_date,
            recipient=due.recipient,
            title=due.title,
            raised_on=raised_on,
            email_to=email_to,
        )

    # ------------------------------------------------------------- e-mail

    def can_claim(self, now: datetime) -> bool:
        """Whether a sender may take this reminder's e-mail now."""
        if self.email_state is EmailState.WAITING:
            return self.retry_at is None or self.retry_at <= now
        if self.email_state is EmailState.CLAIMED:
            return self.claimed_until is not None and self.claimed_until <= now  # the last sender died
        return False

    class Claimed(Event):
        worker: str
        until: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.email_state = EmailState.CLAIMED
            aggregate.claimed_by = self.worker
            aggregate.claimed_until = self.until

    def claim(self, *, actor: Actor, at: datetime, worker: str, hold_for: timedelta) -> None:
        if not self.can_claim(at):
            raise ReminderError(f"the e-mail of reminder {self.id} is not waiting to be sent ({self.email_state})")
        self.trigger_event(self.Claimed, timestamp=at, **actor.event_fields(), worker=worker, until=at + hold_for)

    def _check_claimed_by(self, worker: str) -> None:
        if self.email_state is not EmailState.CLAIMED or self.claimed_by != worker:
            raise ReminderError(f"the e-mail of reminder {self.id} is not claimed by {worker}")

    class Sent(Event):
        worker: str

        def apply(self, aggregate: Any) -> None:
            aggregate.email_state = EmailState.SENT
            aggregate.sent_at = self.timestamp
            aggregate.attempts += 1
            aggregate.claimed_by = aggregate.claimed_until = None

    def record_sent(self, *, actor: Actor, at: datetime, worker: str) -> None:
        """The mail server accepted the message (recorded only after it did)."""
        self._check_claimed_by(worker)
        self.trigger_event(self.Sent, timestamp=at, **actor.event_fields(), worker=worker)

    class SendFailed(Event):
        worker: str
        error: str
        retry_at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.email_state = EmailState.WAITING
            aggregate.attempts += 1
            aggregate.retry_at = self.retry_at
            aggregate.claimed_by = aggregate.claimed_until = None

    def record_failure(self, *, actor: Actor, at: datetime, worker: str, error: str, retry_at: datetime) -> None:
        """The server could not take it now; it goes back to the outbox until ``retry_at``."""
        self._check_claimed_by(worker)
        self.trigger_event(
            self.SendFailed, timestamp=at, **actor.event_fields(), worker=worker, error=error[:500], retry_at=retry_at
        )

    class EmailWithdrawn(Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.email_state = EmailState.WITHDRAWN
            aggregate.claimed_by = aggregate.claimed_until = None

    def withdraw_email(self, *, actor: Actor, at: datetime, reason: str) -> None:
        """No e-mail after all: turned off, already done, or refused for good by the server."""
        if self.email_state in (EmailState.SENT, EmailState.WITHDRAWN, EmailState.NOT_WANTED):
            raise ReminderError(f"the e-mail of reminder {self.id} is no longer waiting ({self.email_state})")
        self.trigger_event(self.EmailWithdrawn, timestamp=at, **actor.event_fields(), reason=reason[:500])

    # ------------------------------------------------------------- in the app

    class MarkedDone(Event):
        done_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.done_on = self.done_on

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def mark_done(self, *, actor: Actor, at: datetime, on: date) -> None:
        """Only the person reminded says it is done; doing it twice is refused with the date it was done."""
        if actor.user_id != self.recipient:
            raise NotPermitted("only the person a reminder is for can mark it done")
        if self.done_on is not None:
            raise ReminderError(f"this reminder was already marked done on {self.done_on:%-d %B %Y}")
        check_date("on", on)
        self.trigger_event(self.MarkedDone, timestamp=at, **actor.event_fields(), done_on=on)
