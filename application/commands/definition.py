"""What a command is: its one definition, from which the dispatcher, the forms, the API and the CLI work.

A command is declared once, on its input schema::

    @define(title="Publish the agenda", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.publish_agenda)
    class PublishAgenda(CommandInput):
        '''Publishes the agenda and its papers; late after the fifth working day before (C4).'''

The schema loads JSON-style values (the API's body, a form's reshaped fields, the CLI's --data) into
the handler's keyword arguments; ``about`` says which record's id the handler takes after the actor
(and so where a form or API operation lives); ``duty`` is its row in the authority table; the handler
is the use case that loads the aggregate, lets it apply the rule and saves. The command's name is the
schema's class name in snake case: it is the API's operationId, the form's slug and the CLI's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from marshmallow import Schema

from application.authority import Duty


class Subject(StrEnum):
    """The kinds of record a command acts on (and the name of the id it takes)."""

    BODY = "body"
    MEETING = "meeting"
    PROJECT = "project"
    REMINDER = "reminder"
    ACCOUNT = "account"
    REVIEW = "review"  # the annual review of the arrangements (H1)
    QUESTION = "question"  # a written question from the public to a public meeting (C7)
    CONSULTATION = "consultation"
    PANEL_MEMBER = "panel_member"

    @property
    def plural(self) -> str:
        if self is Subject.PANEL_MEMBER:
            return "panel-members"
        return "bodies" if self is Subject.BODY else f"{self.value}s"


BODY, MEETING, PROJECT, REMINDER, ACCOUNT, REVIEW, QUESTION, CONSULTATION, PANEL_MEMBER = (
    Subject.BODY,
    Subject.MEETING,
    Subject.PROJECT,
    Subject.REMINDER,
    Subject.ACCOUNT,
    Subject.REVIEW,
    Subject.QUESTION,
    Subject.CONSULTATION,
    Subject.PANEL_MEMBER,
)


@dataclass(frozen=True)
class Command:
    name: str
    title: str  # what the person does, as a form's heading says it: "Publish the agenda"
    summary: str  # one sentence for the API reference and the CLI's help (the schema's docstring)
    input: type[Schema]
    duty: Duty
    handler: Callable[..., Any]  # handler(hub, actor, [subject id], **input) -> what the use case reports
    about: Subject | None = None  # the record whose id the handler takes; None: it starts something new
    creates: Subject | None = None  # the kind of record it creates (its id is what the handler returns)
    # Whether the caller names the version it saw (a change to an existing record); commands that only
    # create, or that a person may repeat safely (marking a reminder done), take none.
    versioned: bool = True

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    def load(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The handler's keyword arguments from JSON-style values; marshmallow.ValidationError names each field."""
        return self.input().load(data)

    def __repr__(self) -> str:
        return f"<command {self.name}>"


REGISTRY: dict[str, Command] = {}
S = TypeVar("S", bound=type[Schema])


def command_name(schema_name: str) -> str:
    """``PublishAgenda`` -> ``publish_agenda``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", schema_name).lower()


def define(
    *,
    title: str,
    duty: Duty,
    handler: Callable[..., Any],
    about: Subject | None = None,
    creates: Subject | None = None,
    versioned: bool | None = None,
) -> Callable[[S], S]:
    """Declares the command whose input is the decorated schema, and registers it."""

    def register(schema: S) -> S:
        name = command_name(schema.__name__)
        if name in REGISTRY:
            raise ValueError(f"the command {name} is defined twice")
        summary = " ".join((schema.__doc__ or title).split())
        REGISTRY[name] = Command(
            name=name,
            title=title,
            summary=summary,
            input=schema,
            duty=duty,
            handler=handler,
            about=about,
            creates=creates,
            versioned=(about is not None and creates is None) if versioned is None else versioned,
        )
        schema.command = REGISTRY[name]  # type: ignore[attr-defined]
        return schema

    return register
