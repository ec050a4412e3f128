"""Inputs of the project commands: commissioning with a brief (D1-D3), progress (D4) and completion (D5)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load

from domain.project import Brief
from domain.vocabulary import Rag
from web.schemas.base import LONG, UNKNOWN_FIELD, CommandInput, choice, day, text, whole_number


class BriefInput(Schema):
    error_messages = UNKNOWN_FIELD

    """Rule D2: the five parts of a brief, and how often progress is reported."""

    class Meta:
        unknown = RAISE

    aims_and_objectives = text("the aims and objectives", max_length=LONG)
    outcomes = text("the outcomes", max_length=LONG)
    start_date = day("the start date")
    end_date = day("the end date")
    resources = text("the resources", max_length=LONG)
    key_risks = text("the key risks", max_length=LONG)
    reporting_every_months = whole_number("months between progress reports", minimum=1, maximum=12, required=False)

    @post_load
    def _brief(self, data: dict[str, Any], **_: Any) -> Brief:
        if data.get("reporting_every_months") is None:
            data.pop("reporting_every_months", None)
        return Brief(**data)


class CommissionProjectInput(CommandInput):
    command = "commission_project"

    title = text("the project's title")
    # The lead's user id: only they may report on the project.
    lead = text("the project lead's user id", max_length=64)
    brief = fields.Nested(BriefInput, required=True, error_messages={"required": "enter the project brief"})
    body_id = fields.UUID(allow_none=True)
    project_id = fields.UUID(allow_none=True)


class AgreeBriefInput(CommandInput):
    command = "agree_brief"

    agreed_on = day("the date the brief was agreed", required=False)


class SubmitProgressReportInput(CommandInput):
    command = "submit_progress_report"

    period_start = day("the first day of the period")
    period_end = day("the last day of the period")
    milestones_achieved = text("the milestones achieved", max_length=LONG)
    issues_and_concerns = text("the issues and concerns (or 'none')", max_length=LONG)
    rag = choice(Rag, "a RAG status")
    percent_complete = whole_number("the percentage complete", minimum=0, maximum=100)


class SubmitCompletionReportInput(CommandInput):
    command = "submit_completion_report"

    outcomes_achieved = text("the outcomes achieved", max_length=LONG)
    completed_on = day("the completion date", required=False)


class ExtendProjectTimeframeInput(CommandInput):
    command = "extend_project_timeframe"

    new_end_date = day("the new end date")
    reason = text("the reason for the extension", max_length=LONG)


PROJECT_INPUTS = (
    CommissionProjectInput,
    AgreeBriefInput,
    SubmitProgressReportInput,
    SubmitCompletionReportInput,
    ExtendProjectTimeframeInput,
)
