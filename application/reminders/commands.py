"""Raising reminders: the scan, the system acting on a schedule rather than a person with a role.

Marking a reminder done is a person's command (application/commands/reminders.py). The scan records
an actor like every other event.

Raising is idempotent by identity: a reminder's id comes from its rule, subject, due date and
recipient, so a second attempt to create it (a second scan, a restarted scheduler, a scheduler in
another process) is refused by the event store's unique (id, version) key and counted as "already
raised". Nothing is read back to decide that, so two processes racing cannot both succeed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from eventsourcing.persistence import IntegrityError

from application.hub import PartnershipHub
from application.reminders.rules import DEFAULT_LOOKBACK_DAYS, Recipients, plan
from application.users import Users
from domain.actor import Actor
from domain.reminder import Due, Reminder
from projections.reminders import raised_among
from projections.runner import ReadModels

log = logging.getLogger(__name__)
# Who records what the scheduler does (application/authority.py is for people's commands).
SCHEDULER = Actor("scheduler", "system", "Reminder scheduler")
RAISE_BATCH = 200


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

    def scan(self, *, today: date, lookback_days: int = DEFAULT_LOOKBACK_DAYS, person: str | None = None) -> ScanResult:
        """Raises every reminder due on ``today`` that does not exist yet; with ``person``, only that person's.

        One person's scan is the same rules over the same read models with only that account among the
        recipients, so it raises exactly the reminders of theirs a full scan would (nobody else's), and
        each query still reads only the rows due today. An unknown or deactivated account has none.
        """
        self.read_models.catch_up()
        if person is None:
            people = self.users.all()
        else:
            user = self.users.get(person)
            people = [user] if user is not None else []
        recipients = Recipients.from_users(people)
        with self.read_models.engine.connect() as connection:
            dues = plan(connection, today=today, recipients=recipients, lookback_days=lookback_days)
            known = raised_among(connection, dues)
        fresh = sorted((d for d in dues if d.key not in known), key=lambda d: d.id)  # one lock order for all
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
