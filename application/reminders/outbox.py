"""Sending the mail outbox: each reminder's e-mail exactly once, as far as a mail server allows.

For each message in the outbox (projections/reminders.py) the sender:

1. loads the reminder from the event store (the outbox read model may lag) and checks it still wants
   sending; if the person turned e-mail off or already marked it done, withdraws it;
2. claims it: appends ``Claimed`` at the version just read and saves. The store's unique
   (id, version) key lets exactly one of several racing senders save; the others move on;
3. hands the message to the server, and only once the server has accepted it records ``Sent``.
   A server that cannot be reached, or puts the message off, gets ``SendFailed`` with a retry time
   (exponential back-off, kept in the event so it survives a restart); a 5xx refusal withdraws it.

The same sender sends the messages queued for the public's followers of bodies (application/followers.py),
over the same connection and with the same back-off: each is claimed with one atomic update, and marked
sent once the server has accepted it.

The remaining at-least-once window: if the process dies after the server accepted a message but
before ``Sent`` is saved, the claim expires (``claim_for``, five minutes by default) and another
sender sends it again. The message keeps the same Message-ID both times. Nothing is ever lost: a
claim that dies with its sender is retaken.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.followers import Followers, follower_message
from application.hub import PartnershipHub
from application.panel_links import PanelLinks
from application.reminders.commands import SCHEDULER
from application.reminders.panel_mail import build_panel_message
from application.reminders.smtp import (
    Connection,
    MessageDeferred,
    MessageRefused,
    ServerUnavailable,
    SmtpSettings,
    build_message,
)
from application.secret_key import secret_key
from application.users import Users
from domain.reminder import EmailState, Reminder, Rule, panel_member_of
from projections.reminders import outbox_ready
from projections.runner import ReadModels

log = logging.getLogger(__name__)
SETTLE_ATTEMPTS = 5


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: ``first`` after the first failure, doubling, never longer than ``longest``."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)

    def after(self, failures: int) -> timedelta:
        return min(self.longest, self.first * (2 ** max(0, failures - 1)))


@dataclass
class SendReport:
    sent: int = 0
    deferred: int = 0
    withdrawn: int = 0
    skipped: int = 0  # taken by another sender, or no longer waiting
    server_down: bool = False
    errors: list[str] = field(default_factory=list)


def default_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class MailSender:
    def __init__(
        self,
        hub: PartnershipHub,
        read_models: ReadModels,
        users: Users,
        settings: SmtpSettings,
        *,
        worker: str | None = None,
        claim_for: timedelta = timedelta(minutes=5),
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] | None = None,
        followers: Followers | None = None,
        links: PanelLinks | None = None,
    ) -> None:
        self.hub = hub
        self.followers = followers
        # Signs the panel's links in their e-mails (the web app's key: application/secret_key.py).
        self.links = links
        self.read_models = read_models
        self.users = users
        self.settings = settings
        self.worker = worker or default_worker()
        self.claim_for = claim_for
        self.backoff = backoff or Backoff()
        self.clock = clock or hub.clock
        # While the server is down, this process holds off every message until then (in memory:
        # after a restart the per-message retry times in the events still apply).
        self.server_retry_at: datetime | None = None
        self.server_failures = 0

    def send_due(self, *, limit: int = 100) -> SendReport:
        """Sends what is waiting in the outbox, up to ``limit`` messages; safe to run in many processes."""
        report = SendReport()
        now = self.clock()
        if self.server_retry_at is not None and now < self.server_retry_at:
            report.server_down = True
            return report
        self.read_models.catch_up()
        with self.read_models.engine.connect() as connection:
            rows = outbox_ready(connection, now=now, limit=limit)
        smtp = Connection(self.settings)
        try:
            for row in rows:
                self._send_one(row["reminder_id"], smtp, report)
                if report.server_down:
                    break
            if self.followers is not None and not report.server_down:
                for mail_id in self.followers.waiting(limit=limit):
                    self._send_follower_mail(self.followers, mail_id, smtp, report)
                    if report.server_down:
                        break
        finally:
            smtp.close()
        if report.sent or report.deferred or report.withdrawn:
            self.read_models.catch_up()
        return report

    def _load(self, reminder_id: object) -> Reminder | None:
        try:
            reminder = self.hub.repository.get(reminder_id)  # type: ignore[arg-type]
        except AggregateNotFoundError:
            return None
        return reminder if isinstance(reminder, Reminder) else None

    def _save(self, reminder: Reminder) -> bool:
        """False when another process saved this reminder first (its version is taken)."""
        try:
            self.hub.save(reminder)
        except IntegrityError:
            return False
        return True

    def _send_one(self, reminder_id: object, smtp: Connection, report: SendReport) -> None:
        reminder = self._load(reminder_id)
        now = self.clock()
        if reminder is None or not reminder.can_claim(now):
            report.skipped += 1
            return
        reason = self._no_longer_wanted(reminder)
        if reason:
            reminder.withdraw_email(actor=SCHEDULER, at=now, reason=reason)
            if self._save(reminder):
                report.withdrawn += 1
            else:
                report.skipped += 1
            return
        reminder.claim(actor=SCHEDULER, at=now, worker=self.worker, hold_for=self.claim_for)
        if not self._save(reminder):
            report.skipped += 1  # another sender claimed it first
            return
        member = panel_member_of(reminder.recipient)
        if member is not None:
            person = self.hub.panel.get(member)
            assert person is not None  # _no_longer_wanted withdrew it otherwise
            message = build_panel_message(reminder, person, links=self._links(), settings=self.settings, now=now)
        else:
            user = self.users.get(reminder.recipient)
            message = build_message(
                reminder, name=user.name if user else reminder.recipient, settings=self.settings, now=now
            )
        try:
            smtp.send(message)
        except ServerUnavailable as error:
            self.server_failures += 1
            delay = self.backoff.after(self.server_failures)
            self.server_retry_at = self.clock() + delay
            report.server_down = True
            self._failed(reminder, str(error), delay, report)
            return
        except MessageDeferred as error:
            self._failed(reminder, str(error), self.backoff.after(reminder.attempts + 1), report)
            return
        except MessageRefused as error:
            reason = f"the mail server refused it: {error}"
            if self._settle(reminder, lambda r: r.withdraw_email(actor=SCHEDULER, at=self.clock(), reason=reason)):
                report.withdrawn += 1
            report.errors.append(str(error))
            return
        self.server_failures = 0
        self.server_retry_at = None
        report.sent += 1
        if not self._settle(reminder, lambda r: r.record_sent(actor=SCHEDULER, at=self.clock(), worker=self.worker)):
            # Only if our claim expired mid-send and another sender retook it: it may go twice.
            log.warning("reminder %s was sent but another sender had retaken its claim", reminder.id)

    def _send_follower_mail(self, followers: Followers, mail_id: str, smtp: Connection, report: SendReport) -> None:
        """One message to a follower of a body: claimed (one sender wins), sent, then marked sent."""
        mail = followers.claim(mail_id, worker=self.worker, hold_for=self.claim_for)
        if mail is None:
            report.skipped += 1
            return
        message = follower_message(mail, sender=self.settings.sender, base_url=self.settings.base_url, now=self.clock())
        try:
            smtp.send(message)
        except ServerUnavailable as error:
            self.server_failures += 1
            delay = self.backoff.after(self.server_failures)
            self.server_retry_at = self.clock() + delay
            report.server_down = True
            followers.failed(mail, self.worker, self.clock() + delay)
            report.deferred += 1
            report.errors.append(str(error))
            return
        except MessageDeferred as error:
            followers.failed(mail, self.worker, self.clock() + self.backoff.after(mail["attempts"] + 1))
            report.deferred += 1
            report.errors.append(str(error))
            return
        except MessageRefused as error:
            followers.refused(mail_id, self.worker, f"the mail server refused it: {error}")
            report.withdrawn += 1
            report.errors.append(str(error))
            return
        self.server_failures = 0
        self.server_retry_at = None
        followers.sent(mail_id, self.worker)
        report.sent += 1

    def _settle(self, reminder: Reminder, record: Callable[[Reminder], None]) -> bool:
        """Records how our send went. The person may mark the reminder done while we talk to the server,
        taking the version our event was to have; the claim is still ours, so record it on a fresh copy
        (otherwise a message that went would later be withdrawn as "done before the e-mail went")."""
        for _ in range(SETTLE_ATTEMPTS):
            record(reminder)
            if self._save(reminder):
                return True
            fresh = self._load(reminder.id)
            if fresh is None or fresh.email_state is not EmailState.CLAIMED or fresh.claimed_by != self.worker:
                return False  # the claim is no longer ours
            reminder = fresh
        return False

    def _failed(self, reminder: Reminder, error: str, delay: timedelta, report: SendReport) -> None:
        now = self.clock()
        self._settle(
            reminder,
            lambda r: r.record_failure(actor=SCHEDULER, at=now, worker=self.worker, error=error, retry_at=now + delay),
        )
        report.deferred += 1
        report.errors.append(error)
        log.info("reminder %s not sent (%s); next try after %s", reminder.id, error, now + delay)

    def _links(self) -> PanelLinks:
        if self.links is None:
            self.links = PanelLinks(secret_key())
        return self.links

    def _no_longer_wanted(self, reminder: Reminder) -> str | None:
        if reminder.is_done:
            return "marked done before the e-mail went"
        member = panel_member_of(reminder.recipient)
        if member is not None:  # rule A4: leaving the panel stops all contact, mail already waiting too
            person = self.hub.panel.get(member)
            if person is None:
                return "the panel member's details are no longer held"
            if person.left_on is not None:
                return "they left the panel"
            if not person.confirmed and reminder.rule is not Rule.PANEL_CONFIRMATION:
                return "they have not confirmed their address"
            return None
        user = self.users.get(reminder.recipient)
        if user is None or not user.active:
            return "the account is no longer active"
        if not user.email_reminders:
            return "the person turned e-mail reminders off"
        return None


__all__ = ["Backoff", "EmailState", "MailSender", "SendReport"]
