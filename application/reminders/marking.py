"""Marking a reminder done: the one change a person makes to a reminder (the domain checks it is theirs)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.errors import ConflictError
from application.hub_base import HubBase
from domain.actor import Actor
from domain.reminder import Reminder
from domain.working_days import council_day

MARK_DONE_ATTEMPTS = 5


class ReminderMarking(HubBase):
    def reminder(self, reminder_id: UUID) -> Reminder:
        return self._get(Reminder, reminder_id)

    def mark_reminder_done(self, actor: Actor, reminder_id: UUID, *, on: date | None = None) -> int:
        """The person reminded says it is dealt with; returns the reminder's new version.

        No expected version: the only change a person makes to a reminder is this one, and doing it twice
        is refused by the reminder itself ("already marked done on ..."). The sender's events (claimed,
        sent) move the version on without changing anything the person saw, so they must not turn a
        "Mark done" into a conflict; a sender saving at the same moment is simply waited out.
        """
        for _ in range(MARK_DONE_ATTEMPTS):
            reminder = self._get(Reminder, reminder_id)
            reminder.mark_done(actor=actor, at=self._now(), on=on or council_day(self._now()))
            try:
                self._save(reminder)
            except ConflictError:
                continue  # the sender recorded something in between: apply it to the fresh copy
            return reminder.version
        raise ConflictError("reminder", reminder.title, reminder.id)
