"""Inputs of the body commands: establishing, governance changes (each with its Decision) and membership."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from domain.vocabulary import BodyKind, MemberRole, Representation
from web.schemas.base import LONG, CommandInput, DecisionInput, choice, day, text, whole_number

MAX_PENCE = 10**12  # £10bn: far above any body's budget, inside every database's BIGINT


def pence(what: str, *, required: bool) -> fields.Integer:
    # Money is whole pence, never a float (a JSON 12.5 is refused, so is "1250").
    return whole_number(what, minimum=0, maximum=MAX_PENCE, required=required)


class EstablishBodyInput(DecisionInput):
    command = "establish_body"

    name = text("the body's name")
    kind = choice(BodyKind, "the kind of body")
    purpose = text("the body's purpose", max_length=LONG, required=False)
    parent_id = fields.UUID(allow_none=True)
    accountability = fields.List(fields.String(validate=validate.Length(min=1, max=200)), allow_none=True)
    annual_funding_pence = pence("the annual funding in pence", required=False)
    contract_end = day("the contract's end date", required=False)
    break_clause_months = whole_number("the break clause notice in months", minimum=1, maximum=60, required=False)
    meets_per_year = whole_number("meetings a year", minimum=0, maximum=52, required=False)
    open_to_public = fields.Boolean(allow_none=True)
    until = day("the date the body ends", required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().to_kwargs(data)
        if data.get("purpose") is None:
            data.pop("purpose", None)
        return data


class AdoptTermsOfReferenceInput(DecisionInput):
    command = "adopt_terms_of_reference"

    text = text("the terms of reference", max_length=LONG)


class ChangeFundingInput(DecisionInput):
    command = "change_funding"

    annual_funding_pence = fields.Integer(
        required=True,
        allow_none=True,
        strict=True,
        validate=validate.Range(0, MAX_PENCE, error=f"the annual funding must be from 0 to {MAX_PENCE} pence"),
        error_messages={
            "invalid": "the annual funding must be whole pence",
            "required": "enter the annual funding in pence (null when the council no longer funds it)",
        },
    )
    council_funding_until = day("the last date of council funding", required=False)


class ExtendContractInput(DecisionInput):
    command = "extend_contract"

    until = day("the contract's new end date")
    break_clause_months = whole_number("the break clause notice in months", minimum=1, maximum=60, required=False)


class TransformBodyInput(DecisionInput):
    command = "transform_body"

    into = choice(BodyKind, "the kind of body it becomes")
    until = day("the date the new body ends", required=False)
    task = text("the task it is given", max_length=LONG, required=False)


class ReplaceBodyInput(DecisionInput):
    command = "replace_body"

    successor_id = fields.UUID(required=True, error_messages={"required": "choose the body that replaces it"})
    task = text("the task it is given", max_length=LONG, required=False)


class MergeBodyInput(DecisionInput):
    command = "merge_body"

    target_id = fields.UUID(required=True, error_messages={"required": "choose the body it merges into"})


class GiveSelfFundingOptionInput(DecisionInput):
    command = "give_self_funding_option"

    council_funding_until = day("the last date of council funding")


class TransferToProviderForumInput(DecisionInput):
    command = "transfer_to_provider_forum"

    under = text("the provider forum it moves under")


class MaintainBodyInput(DecisionInput):
    command = "maintain_body"

    as_ = text("what it is kept as", required=False, data_key="as")


class EndBodyInput(DecisionInput):
    command = "end_body"

    remove_council_support = fields.Boolean(load_default=True)


class CorrectBodyInput(DecisionInput):
    command = "correct_body"

    corrects_version = whole_number("the version being corrected", minimum=1, maximum=1_000_000)
    field = text("the field being corrected", max_length=64)
    value = fields.Raw(required=True, allow_none=True, error_messages={"required": "enter the corrected value"})


class AddMemberInput(CommandInput):
    command = "add_member"

    person = text("the member's name")
    role = choice(MemberRole, "the member's role")
    representation = choice(Representation, "whom the member represents")
    effective_date = day("the date they join")
    position = text("their position", required=False)
    member_id = fields.String(
        allow_none=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$", error="use letters, digits, - or _")
    )

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["role"] = data["role"].value
        data["representation"] = data["representation"].value
        if data.get("position") is None:
            data.pop("position", None)
        return data


class RemoveMemberInput(CommandInput):
    command = "remove_member"

    member_id = text("the member to remove", max_length=64)
    effective_date = day("the date they leave")
    reason = text("why they leave", max_length=LONG)


class RecordElectionInput(CommandInput):
    command = "record_election"

    chair_id = text("the member elected chair", max_length=64)
    vice_chair_id = text("the member elected vice-chair", max_length=64)
    election_date = day("the date of the election")


BODY_INPUTS = (
    EstablishBodyInput,
    AdoptTermsOfReferenceInput,
    ChangeFundingInput,
    ExtendContractInput,
    TransformBodyInput,
    ReplaceBodyInput,
    MergeBodyInput,
    GiveSelfFundingOptionInput,
    TransferToProviderForumInput,
    MaintainBodyInput,
    EndBodyInput,
    CorrectBodyInput,
    AddMemberInput,
    RemoveMemberInput,
    RecordElectionInput,
)
