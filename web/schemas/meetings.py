"""Inputs of the meeting commands: calendar (C1, C2), agenda and papers (C4, G1), the meeting (C7, C8), minutes (C5)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, post_load, validate

from domain.documents import FileRef
from domain.meeting import Apology
from web.schemas.base import LONG, UNKNOWN_FIELD, CommandInput, FileRefInput, day, text, whole_number


def clock_time(what: str, *, required: bool = True) -> fields.Time:
    return fields.Time(
        required=required,
        allow_none=not required,
        error_messages={"invalid": f"{what} must be a time like 14:00", "required": f"enter {what}"},
    )


def item_number(*, required: bool) -> fields.Integer:
    return whole_number("the agenda item number", minimum=1, maximum=500, required=required)


class ScheduleMeetingInput(CommandInput):
    command = "schedule_meeting"

    meeting_date = day("the meeting date")
    start_time = clock_time("the start time")
    place = text("where the meeting is held")
    additional = fields.Boolean(load_default=False)
    lead_officer = text("the lead officer who agreed the additional meeting", required=False)
    meeting_id = fields.UUID(allow_none=True)


class PlanAnnualCalendarInput(CommandInput):
    command = "plan_annual_calendar"

    year = whole_number("the year", minimum=2000, maximum=2100)
    place = text("where the meetings are held")
    start_time = clock_time("the start time", required=False)
    body_id = fields.UUID(allow_none=True)
    dates = fields.List(
        fields.Date(error_messages={"invalid": "each date must be a real date, like 2027-03-31"}),
        allow_none=True,
        validate=validate.Length(equal=2, error="give the two meeting dates of the year"),
    )

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("start_time") is None:
            data.pop("start_time", None)
        if data.get("dates") is not None:
            data["dates"] = tuple(data["dates"])
        return data


class MoveMeetingInput(CommandInput):
    command = "move_meeting"

    new_date = day("the new date")
    new_start_time = clock_time("the new start time")
    new_place = text("the new place")
    reason = text("why the meeting moves", max_length=LONG)


class CancelMeetingInput(CommandInput):
    command = "cancel_meeting"

    reason = text("why the meeting is cancelled", max_length=LONG)


class AddAgendaItemInput(CommandInput):
    command = "add_agenda_item"

    title = text("the item's title")
    # Schedule 12A paragraphs 1-7 (rule G1); absent or null for a public item.
    exemption_paragraph = whole_number("the exemption paragraph", minimum=1, maximum=7, required=False)


class AttachPaperInput(CommandInput):
    command = "attach_paper"

    item = item_number(required=True)
    title = text("the paper's title")
    file = fields.Nested(FileRefInput, required=True, error_messages={"required": "choose the paper's file"})
    summary = text("a summary of the paper", max_length=LONG)
    accessible = fields.Boolean(load_default=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["file"] = FileRef(**data["file"])
        return data


class PublishAgendaInput(CommandInput):
    command = "publish_agenda"


class ApologyInput(Schema):
    error_messages = UNKNOWN_FIELD

    class Meta:
        unknown = RAISE

    person = text("who sent apologies")
    substitute = text("who came in their place", required=False)

    @post_load
    def _apology(self, data: dict[str, Any], **_: Any) -> Apology:
        return Apology(person=data["person"], substitute=data.get("substitute") or None)


class RecordAttendanceInput(CommandInput):
    command = "record_attendance"

    present = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        required=True,
        validate=validate.Length(min=1, error="name at least one person present"),
        error_messages={"required": "name the people present"},
    )
    apologies = fields.List(fields.Nested(ApologyInput), load_default=list)


class DeclareInterestInput(CommandInput):
    command = "declare_interest"

    person = text("who declared the interest")
    interest = text("the interest", max_length=LONG)
    item = item_number(required=False)


class RecordDecisionInput(CommandInput):
    command = "record_decision"

    item = item_number(required=True)
    text = text("the decision", max_length=LONG)


class RecordActionInput(CommandInput):
    command = "record_action"

    description = text("the action", max_length=LONG)
    owner = text("who owns the action")
    due = day("the date the action is due")
    item = item_number(required=False)


class CloseActionInput(CommandInput):
    command = "close_action"

    number = whole_number("the action number", minimum=1, maximum=10_000)
    note = text("a note of what was done", max_length=LONG)
    closed_on = day("the date it was closed", required=False)
    at_meeting_id = fields.UUID(allow_none=True)


class RecordDraftMinutesInput(CommandInput):
    command = "record_draft_minutes"

    file = fields.Nested(FileRefInput, required=True, error_messages={"required": "choose the minutes' file"})

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["file"] = FileRef(**data["file"])
        return data


class ClearMinutesInput(CommandInput):
    command = "clear_minutes"

    chair = text("the chair who cleared the minutes", required=False)
    cleared_on = day("the date the chair cleared them", required=False)


class PublishMinutesInput(CommandInput):
    command = "publish_minutes"


class ApprovePreviousMinutesInput(CommandInput):
    command = "approve_previous_minutes"

    previous_meeting_id = fields.UUID(
        required=True, error_messages={"required": "choose the previous meeting whose minutes are approved"}
    )
    amendments = text("the amendments", max_length=LONG, required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("amendments") is None:
            data.pop("amendments", None)
        return data


MEETING_INPUTS = (
    ScheduleMeetingInput,
    PlanAnnualCalendarInput,
    MoveMeetingInput,
    CancelMeetingInput,
    AddAgendaItemInput,
    AttachPaperInput,
    PublishAgendaInput,
    RecordAttendanceInput,
    DeclareInterestInput,
    RecordDecisionInput,
    RecordActionInput,
    CloseActionInput,
    RecordDraftMinutesInput,
    ClearMinutesInput,
    PublishMinutesInput,
    ApprovePreviousMinutesInput,
)
