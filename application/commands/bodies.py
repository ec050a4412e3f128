"""Inputs of the body commands: establishing, governance changes (each with its Decision) and membership."""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import Enum, StrEnum
from typing import Any
from uuid import UUID

from marshmallow import ValidationError, fields, validate

from application.authority import Duty
from application.body_commands import BodyCommands
from application.commands.definition import BODY, define
from application.commands.inputs import (
    LONG,
    SHORT,
    CommandInput,
    DecisionInput,
    Listing,
    Text,
    choice,
    day,
    text,
    whole_number,
)
from domain import bounds
from domain.body import MAX_BREAK_CLAUSE_MONTHS, ProposalOutcome
from domain.vocabulary import BodyKind, MemberRole, Representation

MAX_PENCE = bounds.MAX_PENCE  # £20m: far above any body's budget, inside the read models' INTEGER columns


def pence(what: str, *, required: bool, **kwargs: Any) -> fields.Integer:
    # Money is whole pence, never a float (a JSON 12.5 is refused, so is "1250", 1e400 and true).
    return whole_number(what, minimum=0, maximum=MAX_PENCE, required=required, **kwargs)


def corrected_value(value: Any) -> None:
    """A corrected value is text, a whole number, a date (as text), a list of names, or null; within bounds."""
    what = "the corrected value"
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        problem = bounds.text_problem(value, long=True)
        if problem:
            raise ValidationError(f"{what} {problem}")
        if len(value) > LONG:
            raise ValidationError(f"{what} must be {LONG} characters or fewer")
    elif isinstance(value, int):
        if not -MAX_PENCE <= value <= MAX_PENCE:
            raise ValidationError(f"{what} must be from {-MAX_PENCE} to {MAX_PENCE}")
    elif isinstance(value, list):
        if len(value) > bounds.MAX_ACCOUNTABILITY:
            raise ValidationError(f"{what} must list {bounds.MAX_ACCOUNTABILITY} or fewer")
        for entry in value:
            if not isinstance(entry, str) or bounds.text_problem(entry) or len(entry) > SHORT:
                raise ValidationError(f"each entry of {what} must be text on one line, {SHORT} characters or fewer")
    else:
        raise ValidationError(f"{what} must be text, a whole number, a date like 2027-03-31, a list or null")


def normalised(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


@define(title="Establish a body", creates=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.establish_body)
class EstablishBody(DecisionInput):
    """Establishes a body with its kind, purpose and funding; its id comes from its name, so it exists once."""

    name = text("the body's name")
    kind = choice(BodyKind, "the kind of body")
    purpose = text("the body's purpose", max_length=LONG, required=False)
    parent_id = fields.UUID(allow_none=True)
    accountability = Listing(
        Text("each body it reports to", long=False, validate=validate.Length(min=1, max=SHORT)),
        "the bodies it reports to",
        max_items=bounds.MAX_ACCOUNTABILITY,
        allow_none=True,
    )
    annual_funding_pence = pence("the annual funding in pence", required=False)
    contract_end = day("the contract's end date", required=False)
    break_clause_months = whole_number(
        "the break clause notice in months", minimum=1, maximum=MAX_BREAK_CLAUSE_MONTHS, required=False
    )
    meets_per_year = whole_number("meetings a year", minimum=0, maximum=52, required=False)
    open_to_public = fields.Boolean(allow_none=True)
    until = day("the date the body ends", required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().to_kwargs(data)
        if data.get("purpose") is None:
            data.pop("purpose", None)
        return data


@define(
    title="Adopt terms of reference", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.adopt_terms_of_reference
)
class AdoptTermsOfReference(DecisionInput):
    """Adopts new terms of reference for the body, recording who decided, from when and why (F4)."""

    text = text("the terms of reference", max_length=LONG)


@define(title="Change funding", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.change_funding)
class ChangeFunding(DecisionInput):
    """Changes the body's annual council funding (in pence; null when the council stops funding it) (F2)."""

    annual_funding_pence = pence(
        "the annual funding in pence",
        required=True,
        allow_none=True,
        messages={
            "invalid": "the annual funding must be whole pence",
            "decimal": "the annual funding must be whole pence, without a decimal point or exponent",
            "required": "enter the annual funding in pence (null when the council no longer funds it)",
        },
    )
    council_funding_until = day("the last date of council funding", required=False)


@define(title="Extend the contract", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.extend_contract)
class ExtendContract(DecisionInput):
    """Extends the body's contract to a new end date, with its break clause (F2)."""

    until = day("the contract's new end date")
    break_clause_months = whole_number(
        "the break clause notice in months", minimum=1, maximum=MAX_BREAK_CLAUSE_MONTHS, required=False
    )


@define(
    title="Transform into another kind of body", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.transform_body
)
class TransformBody(DecisionInput):
    """Turns the body into another kind of body, such as a time-limited task-and-finish group (F1)."""

    into = choice(BodyKind, "the kind of body it becomes")
    until = day("the date the new body ends", required=False)
    task = text("the task it is given", max_length=LONG, required=False)


@define(title="Replace with another body", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.replace_body)
class ReplaceBody(DecisionInput):
    """Replaces the body with another, which carries on its work (F1)."""

    successor_id = fields.UUID(required=True, error_messages={"required": "choose the body that replaces it"})
    task = text("the task it is given", max_length=LONG, required=False)


@define(title="Merge into another body", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.merge_body)
class MergeBody(DecisionInput):
    """Merges the body into another, which encompasses its work (F1)."""

    target_id = fields.UUID(required=True, error_messages={"required": "choose the body it merges into"})


@define(
    title="Give the option to become self-funding",
    about=BODY,
    duty=Duty.GOVERNANCE,
    handler=BodyCommands.give_self_funding_option,
)
class GiveSelfFundingOption(DecisionInput):
    """Gives the body the option to become self-funding, with council funding until a date (A7, F1)."""

    council_funding_until = day("the last date of council funding")


@define(
    title="Transfer under a provider forum",
    about=BODY,
    duty=Duty.GOVERNANCE,
    handler=BodyCommands.transfer_to_provider_forum,
)
class TransferToProviderForum(DecisionInput):
    """Transfers the body to provider-forum status under a named forum (F1)."""

    under = text("the provider forum it moves under")


@define(title="Maintain the body", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.maintain_body)
class MaintainBody(DecisionInput):
    """Records that the body is kept, optionally as something named (F1)."""

    as_ = text("what it is kept as", required=False, data_key="as")


# Rule A11: the statutory function the framework must give to some body, named once here.
CHILDRENS_TRUST_BOARD = "Children's Trust Board"
CHILDREN_ACT_12A = "Children Act 2004, section 12A"


@define(
    title="Give a statutory function",
    about=BODY,
    duty=Duty.GOVERNANCE,
    handler=BodyCommands.assign_statutory_function,
)
class AssignStatutoryFunction(DecisionInput):
    """Records that the body holds a statutory function, such as the Children's Trust Board's, from a date and
    on a recorded decision: who decided and its reference are required (A11). Usually proposed, then decided."""

    function = text("the statutory function", load_default=CHILDRENS_TRUST_BOARD, required=False)
    legal_basis = text("the law that gives the function", load_default=CHILDREN_ACT_12A, required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().to_kwargs(data)
        data["function"] = data.get("function") or CHILDRENS_TRUST_BOARD
        data["legal_basis"] = data.get("legal_basis") or CHILDREN_ACT_12A
        return data


@define(title="End the body", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.end_body)
class EndBody(DecisionInput):
    """Ends the body, removing council support unless said otherwise (F1)."""

    remove_council_support = fields.Boolean(load_default=True)


@define(title="Extend the end date", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.extend_time_limit)
class ExtendTimeLimit(DecisionInput):
    """Extends a time-limited group to a new end date, with the reason and the decision (A5)."""

    until = day("the new end date")


@define(
    title="Close with a completion report",
    about=BODY,
    duty=Duty.GOVERNANCE,
    handler=BodyCommands.close_time_limited_group,
)
class CloseTimeLimitedGroup(DecisionInput):
    """Closes a time-limited group with its completion report, saying what it achieved (A5, D5)."""

    completion_report = text("the completion report: what the group achieved", max_length=LONG)


@define(title="Correct the record", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.correct_body)
class CorrectBody(DecisionInput):
    """Corrects one field that an earlier event recorded wrongly; the only change an ended body accepts."""

    corrects_version = whole_number("the version being corrected", minimum=1, maximum=1_000_000)
    field = text("the field being corrected", max_length=64)
    value = fields.Raw(
        required=True,
        allow_none=True,
        validate=corrected_value,
        error_messages={"required": "enter the corrected value"},
    )

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().to_kwargs(data)
        data["value"] = normalised(data["value"])
        return data


@define(title="Add a member", about=BODY, duty=Duty.MEMBERSHIP, handler=BodyCommands.add_member)
class AddMember(CommandInput):
    """Adds a member; a consultative group below the 70% service-user share gets a warning, not a refusal (B3)."""

    person = text("the member's name")
    role = choice(MemberRole, "the member's role")
    representation = choice(Representation, "whom the member represents")
    effective_date = day("the date they join")
    position = text("their position", required=False)
    member_id = Text(
        "the member id",
        long=False,
        allow_none=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z", error="use letters, digits, - or _"),
    )

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["role"] = data["role"].value
        data["representation"] = data["representation"].value
        if data.get("position") is None:
            data.pop("position", None)
        return data


@define(title="Remove a member", about=BODY, duty=Duty.MEMBERSHIP, handler=BodyCommands.remove_member)
class RemoveMember(CommandInput):
    """A member leaves, from a date and with a reason; their past membership stays on record."""

    member_id = text("the member to remove", max_length=64)
    effective_date = day("the date they leave")
    reason = text("why they leave", max_length=LONG)


@define(title="Record an election", about=BODY, duty=Duty.MEMBERSHIP, handler=BodyCommands.record_election)
class RecordElection(CommandInput):
    """Records a consultative group's annual election of its chair and vice-chair (B5)."""

    chair_id = text("the member elected chair", max_length=64)
    vice_chair_id = text("the member elected vice-chair", max_length=64)
    election_date = day("the date of the election")


@define(title="Set the quorum", about=BODY, duty=Duty.MEMBERSHIP, handler=BodyCommands.set_quorum)
class SetQuorum(CommandInput):
    """Records the body's own quorum: how many voting members its meetings need present (AMB-Q). A meeting's
    attendance may still name its own; bodies without one use a third of the voting members, at least 3."""

    quorum = whole_number("the quorum", minimum=1, maximum=bounds.MAX_NAMES)
    reason = text("why the quorum is set", max_length=LONG)


class ProposableChange(StrEnum):
    """The governance changes that can be proposed and then decided (F1, F4): each is a command above."""

    END_BODY = "end_body"
    REPLACE_BODY = "replace_body"
    TRANSFORM_BODY = "transform_body"
    MERGE_BODY = "merge_body"
    GIVE_SELF_FUNDING_OPTION = "give_self_funding_option"
    TRANSFER_TO_PROVIDER_FORUM = "transfer_to_provider_forum"
    MAINTAIN_BODY = "maintain_body"
    CHANGE_FUNDING = "change_funding"
    EXTEND_CONTRACT = "extend_contract"
    ADOPT_TERMS_OF_REFERENCE = "adopt_terms_of_reference"
    EXTEND_TIME_LIMIT = "extend_time_limit"
    CLOSE_TIME_LIMITED_GROUP = "close_time_limited_group"
    ASSIGN_STATUTORY_FUNCTION = "assign_statutory_function"


# The fields of the changes above that a proposal may carry; each change's own schema checks them.
_DETAIL_FIELDS = (
    "into",
    "until",
    "task",
    "successor_id",
    "target_id",
    "council_funding_until",
    "annual_funding_pence",
    "break_clause_months",
    "under",
    "as",
    "remove_council_support",
    "text",
    "completion_report",
    "function",
    "legal_basis",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | UUID):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    return value


@define(title="Propose a change", about=BODY, duty=Duty.GOVERNANCE, handler=BodyCommands.propose_change)
class ProposeChange(CommandInput):
    """Proposes a governance change, with its reason and the date it would take effect, for someone with the
    authority to decide (F4); nothing changes until it is approved. Give only the fields the change takes."""

    change = choice(ProposableChange, "the change proposed")
    reason = text("the reason for the change", max_length=LONG)
    effective_date = day("the date the change would take effect", required=False)
    into = choice(BodyKind, "the kind of body it becomes", required=False)
    until = day("the end date", required=False)
    task = text("the task it is given", max_length=LONG, required=False)
    successor_id = fields.UUID(allow_none=True)
    target_id = fields.UUID(allow_none=True)
    council_funding_until = day("the last date of council funding", required=False)
    annual_funding_pence = pence("the annual funding in pence", required=False)
    break_clause_months = whole_number(
        "the break clause notice in months", minimum=1, maximum=MAX_BREAK_CLAUSE_MONTHS, required=False
    )
    under = text("the provider forum it moves under", required=False)
    as_ = text("what it is kept as", required=False, data_key="as")
    remove_council_support = fields.Boolean(allow_none=True)
    text_ = text("the terms of reference", max_length=LONG, required=False, data_key="text")
    completion_report = text("the completion report", max_length=LONG, required=False)
    function = text("the statutory function", required=False)
    legal_basis = text("the law that gives the function", required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        details = {}
        for key in _DETAIL_FIELDS:
            attr = {"as": "as_", "text": "text_"}.get(key, key)
            value = data.pop(attr, None)
            if value is not None:
                details[key] = _json_value(value)
        return {**data, "change": data["change"].value, "details": details}


@define(title="Decide a proposal", about=BODY, duty=Duty.DECISIONS, handler=BodyCommands.decide_proposal)
class DecideProposal(CommandInput):
    """Records the decision on a proposed change: approved, amended (say how), rejected or deferred, by whom,
    under what reference and on what date (F4). Approved or amended, the change is made, from its date."""

    number = whole_number("the proposal's number", minimum=1, maximum=1_000_000)
    outcome = choice(ProposalOutcome, "the decision")
    decided_by = text("who decided")
    decision_ref = text("the decision reference", max_length=bounds.DECISION_REF_LENGTH)
    decided_on = day("the date of the decision", required=False)
    effective_date = day("the date the amended change takes effect", required=False)
    note = text(
        "how the decision amends the proposal, or why it was rejected or deferred", max_length=LONG, required=False
    )

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["outcome"] = data["outcome"].value
        data["note"] = data.get("note") or ""
        return data
