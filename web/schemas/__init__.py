"""Command input schemas shared by the JSON API and the web UI's forms: one per PartnershipHub command.

``COMMAND_INPUTS[name]().load(values)`` gives the keyword arguments of ``hub.<name>(actor, [id], **kwargs)``
or raises marshmallow.ValidationError with a message per field.
"""

from __future__ import annotations

from marshmallow import Schema

from web.schemas.base import CommandInput, DecisionInput, FileRefInput
from web.schemas.bodies import BODY_INPUTS
from web.schemas.meetings import MEETING_INPUTS
from web.schemas.projects import PROJECT_INPUTS, BriefInput

COMMAND_INPUTS: dict[str, type[Schema]] = {s.command: s for s in (*BODY_INPUTS, *PROJECT_INPUTS, *MEETING_INPUTS)}

__all__ = ["COMMAND_INPUTS", "BriefInput", "CommandInput", "DecisionInput", "FileRefInput"]
