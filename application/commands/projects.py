"""Inputs of the project commands: commissioning with a brief (D1-D3), progress (D4) and completion (D5)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load

from application.authority import Duty
from application.commands.definition import PROJECT, define
from application.commands.inputs import LONG, UNKNOWN_FIELD, CommandInput, choice, day, text, whole_number
from application.project_commands import ProjectCommands
from domain.project import Brief
from domain.vocabulary import Rag


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


@define(
    title="Commission a project", creates=PROJECT, duty=Duty.COMMISSIONING, handler=ProjectCommands.commission_project
)
class CommissionProject(CommandInput):
    """Commissions a task-and-finish project with its brief (D1, D2)."""

    title = text("the project's title")
    # The lead's user id: only they may report on the project.
    lead = text("the project lead's user id", max_length=64)
    brief = fields.Nested(BriefInput, required=True, error_messages={"required": "enter the project brief"})
    body_id = fields.UUID(allow_none=True)
    project_id = fields.UUID(allow_none=True)


@define(title="Agree the brief", about=PROJECT, duty=Duty.BRIEF_AGREEMENT, handler=ProjectCommands.agree_brief)
class AgreeBrief(CommandInput):
    """The Executive Director agrees the project's brief (D3)."""

    agreed_on = day("the date the brief was agreed", required=False)


@define(
    title="Submit a progress report", about=PROJECT, duty=Duty.REPORTING, handler=ProjectCommands.submit_progress_report
)
class SubmitProgressReport(CommandInput):
    """The project lead reports progress: milestones, issues, RAG and percentage complete (D4)."""

    period_start = day("the first day of the period")
    period_end = day("the last day of the period")
    milestones_achieved = text("the milestones achieved", max_length=LONG)
    issues_and_concerns = text("the issues and concerns (or 'none')", max_length=LONG)
    rag = choice(Rag, "a RAG status")
    percent_complete = whole_number("the percentage complete", minimum=0, maximum=100)


@define(
    title="Submit the completion report",
    about=PROJECT,
    duty=Duty.REPORTING,
    handler=ProjectCommands.submit_completion_report,
)
class SubmitCompletionReport(CommandInput):
    """The project lead records the outcomes achieved at the end (D5)."""

    outcomes_achieved = text("the outcomes achieved", max_length=LONG)
    completed_on = day("the completion date", required=False)


@define(
    title="Extend the timeframe",
    about=PROJECT,
    duty=Duty.COMMISSIONING,
    handler=ProjectCommands.extend_project_timeframe,
)
class ExtendProjectTimeframe(CommandInput):
    """A commissioner extends the project's timeframe, saying why."""

    new_end_date = day("the new end date")
    reason = text("the reason for the extension", max_length=LONG)


@define(title="Change the brief", about=PROJECT, duty=Duty.COMMISSIONING, handler=ProjectCommands.change_brief)
class ChangeBrief(CommandInput):
    """A commissioner changes the project's brief, saying why; the Executive Director then agrees it again (D2, D3)."""

    brief = fields.Nested(BriefInput, required=True, error_messages={"required": "enter the project brief"})
    reason = text("the reason for the change", max_length=LONG)
