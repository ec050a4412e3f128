"""An erasure of a person's name from the record (UK GDPR, right to erasure), as the record tells it.

The names of the people in the record (members, officers elected, those at a meeting, those who
declared an interest) are kept so that they can be made unreadable without changing any event: each
person's names are held in a form only that person's key opens, and erasing the person destroys the
key (application/people.py). This aggregate is the audited fact that it was done: which person (by
their id in the people register, never their name), why, who did it and when. It holds no personal
data, so it can stay in the record for ever.

Governance facts do not depend on a name and survive: that a seat was held, that a meeting was
quorate, that a decision was made; where a name stood, the record reads ``NAME_ERASED``.

Pure domain: the moment comes in as an argument.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_text
from domain.errors import InvalidInput

# What the record shows where an erased person's name stood (history, read models, exports, feeds).
NAME_ERASED = "name erased"

# Where a decoded event says whose each name is ({name: person id}), set by the event store's mapper
# (application/people.py) on the events whose names it opened: how a read model knows which rows to
# change when a person's erasure reaches it.
PEOPLE_ATTRIBUTE = "_people"


def people_in(event: object) -> dict[str, UUID]:
    """The people an event read from the store names, by name: {} for an event that names no one."""
    return getattr(event, PEOPLE_ATTRIBUTE, None) or {}


ERASURE_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/erasure")


def erasure_id(person_id: UUID) -> UUID:
    """A person is erased once: the erasure's id follows from the person's, so a second erasure of the
    same person (even one racing the first from another process) is refused by the event store."""
    return uuid5(ERASURE_NAMESPACE, str(person_id))


class Erasure(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class NameErased(Event, Aggregate.Created):
        person_id: UUID
        reason: str

    def __init__(self, person_id: UUID, reason: str, actor: str, actor_role: str) -> None:
        self.person_id = person_id
        self.reason = reason

    @classmethod
    def record(cls, *, person_id: UUID, reason: str, actor: Actor, at: datetime) -> Erasure:
        """Rule P1: an erasure says why (the request it answers), in words that name no one."""
        reason = " ".join(str(reason or "").split())
        if not reason:
            raise InvalidInput("reason", "say why the name is erased, for example 'erasure request of 3 May 2027'")
        check_text("reason", reason)
        return cls._create(
            cls.NameErased,
            id=erasure_id(person_id),
            timestamp=at,
            person_id=person_id,
            reason=reason,
            **actor.event_fields(),
        )
