"""Erasing a person's name from the record (rule P1): an administrator's command (duty ADMINISTRATION).

It acts on no record of the governance kind: the person is named in the input, by the name the record
gives them or by their person id, and the command creates the erasure's own audited event. It takes
no version: a person is erased once, and asking again is refused.
"""

from __future__ import annotations

from application.authority import Duty
from application.commands.definition import define
from application.commands.inputs import CommandInput, text
from application.people_commands import PeopleCommands


@define(title="Erase a person's name", duty=Duty.ADMINISTRATION, versioned=False, handler=PeopleCommands.erase_person)
class ErasePerson(CommandInput):
    """Destroys the key to a person's name: from then on the record reads "name erased" where it stood (rule P1)."""

    person = text("the person's name or person id")
    reason = text("why the name is erased (the request it answers, naming no one)")
