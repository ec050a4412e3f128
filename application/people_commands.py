"""Erasing a person's name from the record (UK GDPR's right to erasure): an administrator's command.

One transaction destroys the person's key in the people register (application/people.py), drops the
snapshots (they hold names in the clear), and records the ``Erasure`` event (domain/erasure.py), which
names no one. The aggregate cache is emptied here at once, and in every other process at its next load
(``HubBase._forget_erased_names``). The read models replace the name when the event reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import DuplicateError
from application.hub_base import HubBase
from application.people import erase_statements
from domain.actor import Actor
from domain.erasure import Erasure
from domain.errors import DomainError, InvalidInput


class AlreadyErased(DomainError):
    """The person's name was erased before: there is no key left to destroy."""


@dataclass(frozen=True)
class ErasureDone:
    """What an erasure reports: the erasure's id (its event in the record) and the person's id."""

    erasure_id: UUID
    person_id: UUID


class PeopleCommands(HubBase):
    def erase_person(self, actor: Actor, *, person: str, reason: str) -> ErasureDone:
        """Rule P1: destroys the key to a person's name; the record reads "name erased" where it stood."""
        who = " ".join(str(person or "").split())
        if not who:
            raise InvalidInput("person", "enter the person's name as the record gives it, or their person id")
        found = self.people.find(who)
        if found is None:
            raise InvalidInput(
                "person",
                "no one of that name or id is in the people register: give the name as the record spells it, "
                "or the person id (rule P1)",
            )
        if found.erased_at is not None:
            raise AlreadyErased(
                f"person {found.person_id} was erased on {found.erased_at:%-d %B %Y}: "
                "there is nothing left to erase (rule P1)"
            )
        now = self._now()
        erasure = Erasure.record(person_id=found.person_id, reason=reason, actor=actor, at=now)
        snapshots = self.snapshots.recorder.events_record_cls.__table__ if self.snapshots is not None else None
        try:
            self._save(erasure, table_changes=erase_statements(found.person_id, now, snapshots))
        except DuplicateError:
            raise AlreadyErased(f"person {found.person_id} was erased already (rule P1)") from None
        self.drop_cached_records()
        self._erasures_seen = self.people.erased_count()
        return ErasureDone(erasure.id, found.person_id)
