"""Raising reminders (the scan) and marking them done.

These are not ``@command``s of the hub: the scan is the system acting on a schedule, not a person with
a role, and marking a reminder done is allowed to exactly one person, the one it is for, whatever
their role. Both record an actor like every other event.

Raising is idempotent by identity: a reminder's id comes from its rule, subject, due date and
recipient, so a second attempt to create it (a second scan, a restarted scheduler, a scheduler in
another process) is refused by the event store's unique (id, version) key and counted as "already
raised". Nothing is read back to decide that, so two processes racing cannot both succeed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.errors import ConflictError, NotAuthorised, NotFound
from application.hub import PartnershipHub
from application.reminders.rules import DEFAULT_LOOKBACK_DAYS, Recipients, plan
from application.users import Users
from domain.actor import Actor
from domain.reminder import Due, Reminder
from projections.reminders import raised_ids
from projections.runner import ReadModels

log = logging.getLogger(__name__)
# Who records what the scheduler does (application/authority.py is for people's commands).
SCHEDULER = Actor("scheduler", "system", "Reminder scheduler")
RAISE_BATCH = 200
MARK_DONE_ATTEMPTS = 5


@dataclass(frozen=True)
class ScanResult:
    as_of: date
    due: int  # reminders that should exist today
    raised: int  # created by this scan
    already: int  # existed before (found in the read model, or refused by the store's unique key)


class ReminderCommands:
    """The reminder commands over one hub, its read models and its accounts."""

    def __init__(self, hub: PartnershipHub, read_models: ReadModels, users: Users) -> None:
        self.hub = hub
        self.read_models = read_models
        self.users = users

    # ------------------------------------------------------------- the scan

    def scan(self, *, today: date, lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> ScanResult:
        """Raises every reminder due on ``today`` that does not exist yet."""
        self.read_models.catch_up()
        recipients = Recipients.from_users(self.users.all())
        with self.read_models.engine.connect() as connection:
            dues = plan(connection, today=today, recipients=recipients, lookback_days=lookback_days)
            known = raised_ids(connection, [d.id for d in dues])
        fresh = sorted((d for d in dues if d.id not in known), key=lambda d: d.id)  # one lock order for all
        raised = self._raise_all(fresh, today, recipients)
        if raised:
            self.read_models.catch_up()
        return ScanResult(as_of=today, due=len(dues), raised=raised, already=len(dues) - raised)

    def _raise_all(self, dues: list[Due], today: date, recipients: Recipients) -> int:
        raised = 0
        for first in range(0, len(dues), RAISE_BATCH):
            batch = [self._new(d, today, recipients) for d in dues[first : first + RAISE_BATCH]]
            try:
                self.hub.save(*batch)
                raised += len(batch)
            except IntegrityError:
                # Someone raised one of these since the read model was read: go one by one.
                for due in dues[first : first + RAISE_BATCH]:
                    try:
                        self.hub.save(self._new(due, today, recipients))
                        raised += 1
                    except IntegrityError:
                        log.debug("reminder %s was already raised", due.id)
        return raised

    def _new(self, due: Due, today: date, recipients: Recipients) -> Reminder:
        user = recipients.by_id[due.recipient]
        return Reminder.raise_(
            due,
            actor=SCHEDULER,
            at=self.hub.clock(),
            raised_on=today,
            email_to=user.email if user.email_reminders else None,
        )

    # ------------------------------------------------------------- in the app

    def get(self, reminder_id: UUID) -> Reminder:
        try:
            aggregate = self.hub.repository.get(reminder_id)
        except AggregateNotFoundError:
            raise NotFound("reminder", reminder_id) from None
        if not isinstance(aggregate, Reminder):
            raise NotFound("reminder", reminder_id)
        return aggregate

    def mark_done(self, reminder_id: UUID, *, actor: Actor, on: date) -> int:
        """The recipient says it is dealt with; returns the reminder's new version.

        No expected version: the only change a person makes to a reminder is this one, and doing it twice
        is refused by the reminder itself ("already marked done on ..."). The sender's events (claimed,
        sent) move the version on without changing anything the person saw, so they must not turn a
        "Mark done" into a conflict; a sender saving at the same moment is simply waited out.
        """
        for _ in range(MARK_DONE_ATTEMPTS):
            reminder = self.get(reminder_id)
            if actor.user_id != reminder.recipient:
                raise NotAuthorised("only the person a reminder is for can mark it done")
            reminder.mark_done(actor=actor, at=self.hub.clock(), on=on)
            try:
                self.hub.save(reminder)
            except IntegrityError:
                continue  # the sender recorded something in between: apply it to the fresh copy
            return reminder.version
        raise ConflictError("reminder", reminder.title, reminder.id)
