"""A member of the virtual service user panel (rule A4): joined, consented to be contacted, and perhaps left.

The events know a panel member only by a random id. Their name, e-mail address and interests are
personal data and live in a table beside the event store (application/panel_tables.py), so that
erasing a person deletes their row and leaves the record whole. Leaving the panel stops all contact.

Pure domain: dates and moments come in as arguments.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_date
from domain.errors import DomainError, InvalidInput


class PanelError(DomainError):
    """The panel membership cannot change this way."""


class JoinedBy(StrEnum):
    OFFICER = "officer"  # an officer added them, having their consent
    SIGN_UP = "sign_up"  # they signed up themselves and confirmed their address


class PanelMember(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Joined(Event, Aggregate.Created):
        joined_by: str
        consent_on: date
        confirmed: bool

    def __init__(self, actor: str, actor_role: str, joined_by: str, consent_on: date, confirmed: bool) -> None:
        self.joined_by = JoinedBy(joined_by)
        self.consent_on = consent_on
        self.confirmed = confirmed
        self.left_on: date | None = None

    @classmethod
    def join(
        cls, *, id: UUID, actor: Actor, at: datetime, joined_by: JoinedBy | str, consent_on: date, today: date
    ) -> PanelMember:
        """Rule A4: a panel member is contacted only with their consent, recorded with its date; someone who
        signs up themselves is contacted only once they have confirmed their address."""
        joined_by = JoinedBy(joined_by)
        if not isinstance(consent_on, date) or isinstance(consent_on, datetime):
            raise InvalidInput("consent_on", "give the date they consented to be contacted", rule="A4")
        check_date("consent_on", consent_on)
        if consent_on > today:
            raise InvalidInput("consent_on", "the date of consent cannot be in the future", rule="A4")
        return cls._create(
            cls.Joined,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            joined_by=joined_by.value,
            consent_on=consent_on,
            confirmed=joined_by is JoinedBy.OFFICER,
        )

    @property
    def active(self) -> bool:
        """Whether they may be contacted: confirmed and not left."""
        return self.confirmed and self.left_on is None

    class Confirmed(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.confirmed = True

    def confirm(self, *, actor: Actor, at: datetime) -> None:
        self._check_not_left()
        if self.confirmed:
            raise PanelError("your place on the panel is already confirmed")
        self.trigger_event(self.Confirmed, timestamp=at, **actor.event_fields())

    class InterestsChanged(Event):
        """Their interests changed (what they are is personal data, kept beside the store)."""

        def apply(self, aggregate: Any) -> None:
            pass

    def change_interests(self, *, actor: Actor, at: datetime) -> None:
        self._check_not_left()
        self.trigger_event(self.InterestsChanged, timestamp=at, **actor.event_fields())

    class Left(Event):
        left_on: date
        by_themselves: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.left_on = self.left_on

    def _check_not_left(self) -> None:
        if self.left_on is not None:
            raise PanelError(f"this person left the panel on {self.left_on:%-d %B %Y}", rule="A4")

    def leave(self, *, actor: Actor, at: datetime, on: date, by_themselves: bool) -> None:
        """Leaving is open to anyone on the panel at any time, and stops all contact (rule A4)."""
        self._check_not_left()
        self.trigger_event(self.Left, timestamp=at, **actor.event_fields(), left_on=on, by_themselves=by_themselves)
