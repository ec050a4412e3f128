"""The reminder a person deals with: the one command people give about reminders (the scheduler raises them)."""

from __future__ import annotations

from application.authority import Duty
from application.commands.definition import REMINDER, define
from application.commands.inputs import CommandInput, day
from application.reminders.marking import ReminderMarking


@define(
    title="Mark done",
    about=REMINDER,
    duty=Duty.PERSONAL,
    handler=ReminderMarking.mark_reminder_done,
    # A person's only change to a reminder, refused by the reminder if made twice; the sender's own
    # events must not make it a conflict, so it names no version.
    versioned=False,
)
class MarkReminderDone(CommandInput):
    """The person a reminder is for says it is dealt with (only they can); it is not sent again."""

    on = day("the date it was dealt with", required=False)
