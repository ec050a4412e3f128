"""Inputs of the annual review of the arrangements (rule H1): open it, record findings, link proposals, complete."""

from __future__ import annotations

from marshmallow import fields

from application.authority import Duty
from application.commands.definition import REVIEW, define
from application.commands.inputs import LONG, CommandInput, day, text, whole_number
from application.review_commands import ReviewCommands
from domain.annual_review import FIRST_YEAR, LAST_YEAR


@define(
    title="Open the annual review",
    creates=REVIEW,
    duty=Duty.GOVERNANCE,
    handler=ReviewCommands.open_annual_review,
)
class OpenAnnualReview(CommandInput):
    """Opens the review of how well the arrangements work for a financial year, due by 31 March before it
    starts (H1); one review per year."""

    year = whole_number("the year the financial year starts in", minimum=FIRST_YEAR, maximum=LAST_YEAR)


@define(
    title="Record findings for a body",
    about=REVIEW,
    duty=Duty.GOVERNANCE,
    handler=ReviewCommands.record_review_findings,
)
class RecordReviewFindings(CommandInput):
    """Records what the review found about one body (H1); recording it again replaces the wording, and the
    history keeps the earlier one."""

    body_id = fields.UUID(required=True, error_messages={"required": "choose the body reviewed"})
    findings = text("what the review found about the body", max_length=LONG)


@define(
    title="Record the overall findings",
    about=REVIEW,
    duty=Duty.GOVERNANCE,
    handler=ReviewCommands.record_overall_findings,
)
class RecordOverallFindings(CommandInput):
    """Records how well the arrangements as a whole are working (H1)."""

    findings = text("what the review found overall", max_length=LONG)


@define(
    title="Link a proposal",
    about=REVIEW,
    duty=Duty.GOVERNANCE,
    handler=ReviewCommands.link_review_proposal,
)
class LinkReviewProposal(CommandInput):
    """Links a change the review led to, already proposed on a reviewed body (propose_change, F4), to the review."""

    body_id = fields.UUID(required=True, error_messages={"required": "choose the body the proposal is about"})
    number = whole_number("the proposal's number", minimum=1, maximum=1_000_000)


@define(
    title="Complete the annual review",
    about=REVIEW,
    duty=Duty.GOVERNANCE,
    handler=ReviewCommands.complete_annual_review,
)
class CompleteAnnualReview(CommandInput):
    """Completes the review (H1): due by 31 March, before the financial year starts; later is recorded as late.
    Its annual-review reminder is then met."""

    completed_on = day("the date the review was completed", required=False)
