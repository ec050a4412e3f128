"""Every command of Partnership Hub, each defined once (definition.py), and the one dispatcher that runs them.

The definitions live on their input schemas, by what they change: bodies.py, meetings.py, projects.py,
reminders.py, accounts.py, people.py.
Code names a command by its schema class (``PublishAgenda``, whose ``.command`` is the
definition); ``COMMANDS`` is the registry by name, in the order the commands are defined (the CLI and
the tests walk it).
"""

from __future__ import annotations

# Importing the definitions registers them.
from application.commands import accounts, bodies, meetings, people, projects, reminders  # noqa: F401
from application.commands.definition import ACCOUNT, BODY, MEETING, PROJECT, REGISTRY, REMINDER, Command, Subject
from application.commands.dispatcher import Dispatcher, Outcome, SavedThenFailed

COMMANDS: dict[str, Command] = REGISTRY

__all__ = [
    "ACCOUNT",
    "BODY",
    "COMMANDS",
    "MEETING",
    "PROJECT",
    "REMINDER",
    "Command",
    "Dispatcher",
    "Outcome",
    "SavedThenFailed",
    "Subject",
]
