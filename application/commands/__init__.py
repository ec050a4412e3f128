"""Every command of Partnership Hub, each defined once (definition.py), and the one dispatcher that runs them.

The definitions live on their input schemas, by what they change: bodies.py, meetings.py, projects.py,
reminders.py, accounts.py, reviews.py (the annual review, H1), questions.py (questions from the
public, C7), consultations.py (the virtual panel, A4), people.py (erasing a name, P1). Code names a
command by its schema class (``PublishAgenda``, whose ``.command`` is the definition); ``COMMANDS`` is
the registry by name, in the order the commands are defined (the CLI and the tests walk it).
"""

from __future__ import annotations

# Importing the definitions registers them.
from application.commands import (  # noqa: F401
    accounts,
    bodies,
    consultations,
    meetings,
    people,
    projects,
    questions,
    reminders,
    reviews,
)
from application.commands.definition import (
    ACCOUNT,
    BODY,
    MEETING,
    PROJECT,
    QUESTION,
    REGISTRY,
    REMINDER,
    REVIEW,
    Command,
    Subject,
)
from application.commands.dispatcher import Dispatcher, Outcome, SavedThenFailed

COMMANDS: dict[str, Command] = REGISTRY

__all__ = [
    "ACCOUNT",
    "BODY",
    "COMMANDS",
    "MEETING",
    "PROJECT",
    "QUESTION",
    "REMINDER",
    "REVIEW",
    "Command",
    "Dispatcher",
    "Outcome",
    "SavedThenFailed",
    "Subject",
]
