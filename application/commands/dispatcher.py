"""The one way a command is run, for the web UI, the JSON API, the CLI, the importer and the demo alike.

``Dispatcher.run`` takes a command (its definition, or its name), the actor, the id of the record it
acts on, the version the actor saw and the input as JSON-style values. It checks the actor's role
first (a refused person learns nothing about their input), loads the input with the command's
schema, runs the handler, and answers with an ``Outcome``: the record's version after this command's
own event, that event's position in the log, and what the handler reported (an item's number, a late
publication, the 70% share warning). ``Dispatcher.execute`` does the same for callers that already
hold typed values (the importer and the demo); the domain bounds them again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from marshmallow import Schema

from application import authority
from application.commands.definition import REGISTRY, Command, Subject
from application.errors import NotAuthorised, NotFound
from application.hub import PartnershipHub
from application.hub_base import Saved, recording_saves
from domain.actor import Actor
from domain.errors import InvalidInput

# A command as callers name it: its definition, its schema class, or (the CLI) its name.
CommandRef = Command | type[Schema] | str


@dataclass(frozen=True)
class Outcome:
    """What a saved command reports: what it acted on, its own version and position, and its result."""

    command: Command
    subject: Subject | None  # the kind of record acted on or created
    subject_id: UUID | None
    version: int | None  # the record's version after this command's own event
    position: int | None  # the log position of the last event this command saved
    created: bool
    result: Any  # what the handler returned (an id, Numbered, Publication, MembershipResult, CalendarPlan)
    saved: tuple[Saved, ...]  # every aggregate saved, for a command that saves several together


class SavedThenFailed(Exception):
    """A command saved its events and then failed: the change is on the record; nothing must say otherwise."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"{outcome.command.name} was saved (log position {outcome.position}) and then failed")
        self.outcome = outcome


class Dispatcher:
    def __init__(self, hub: PartnershipHub, *, on_saved: Callable[[int], None] | None = None) -> None:
        self.hub = hub
        # Told the log position of every command that saved something (the composition root wakes the
        # read models' worker with it, so a write is projected at once rather than at the next poll).
        self.on_saved = on_saved

    @staticmethod
    def command(which: CommandRef) -> Command:
        """A command's definition from itself, its schema class (``PublishAgenda``) or its name."""
        if isinstance(which, Command):
            return which
        if isinstance(which, str):
            try:
                return REGISTRY[which]
            except KeyError:
                raise NotFound("command", which) from None
        return which.command  # type: ignore[attr-defined]

    def permits(self, actor: Actor, command: CommandRef) -> bool:
        """Whether the actor's role may run the command (what a page offers; ``run`` checks the same)."""
        return authority.may(actor.role, self.command(command).duty)

    def authorise(self, actor: Actor, command: CommandRef) -> Command:
        """Refuses (NotAuthorised) an actor whose role may not run the command; ``run`` does this first."""
        if not isinstance(actor, Actor):
            raise NotAuthorised("every command names its actor")
        chosen = self.command(command)
        authority.check(actor, chosen.duty, chosen.title[0].lower() + chosen.title[1:])
        return chosen

    def run(
        self,
        command: CommandRef,
        actor: Actor,
        *,
        subject_id: UUID | None = None,
        expected_version: int | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Runs a command from JSON-style input; marshmallow.ValidationError names each bad field."""
        chosen = self.authorise(actor, command)
        return self._call(chosen, actor, subject_id, expected_version, chosen.load(data or {}))

    def execute(
        self,
        command: CommandRef,
        actor: Actor,
        *,
        subject_id: UUID | None = None,
        expected_version: int | None = None,
        **values: Any,
    ) -> Outcome:
        """Runs a command from values already typed (a Decision, a Brief, dates), as the importer holds them."""
        chosen = self.authorise(actor, command)
        return self._call(chosen, actor, subject_id, expected_version, values)

    def _call(
        self,
        command: Command,
        actor: Actor,
        subject_id: UUID | None,
        expected_version: int | None,
        values: dict[str, Any],
    ) -> Outcome:
        args: list[Any] = [self.hub, actor]
        if command.about is not None:
            if subject_id is None:
                raise InvalidInput(f"{command.about.value}_id", f"name the {command.about.value} to {command.title}")
            args.append(subject_id)
        if command.versioned:
            values = {**values, "expected_version": expected_version}
        with recording_saves() as saves:
            try:
                result = command.handler(*args, **values)
            except Exception as error:
                if saves:  # something failed after a save: the change stands, and the answer must say so
                    outcome = self._outcome(command, subject_id, None, tuple(saves))
                    self._saved(outcome)
                    raise SavedThenFailed(outcome) from error
                raise
        outcome = self._outcome(command, subject_id, result, tuple(saves))
        self._saved(outcome)
        return outcome

    def _saved(self, outcome: Outcome) -> None:
        if self.on_saved is not None and outcome.position is not None:
            self.on_saved(outcome.position)

    @staticmethod
    def _outcome(command: Command, subject_id: UUID | None, result: Any, saves: tuple[Saved, ...]) -> Outcome:
        subject = command.creates or command.about
        if command.creates is not None:
            # The created record: the handler returns its id, or (when it failed after saving) it is
            # the record that was saved.
            subject_id = result if isinstance(result, UUID) else (saves[0].aggregate_id if saves else None)
        mine = [s for s in saves if s.aggregate_id == subject_id]
        positions = [s.position for s in saves if s.position is not None]
        return Outcome(
            command=command,
            subject=subject,
            subject_id=subject_id,
            version=mine[-1].version if mine else None,
            position=max(positions) if positions else None,
            created=command.creates is not None and bool(mine),
            result=result,
            saved=saves,
        )
