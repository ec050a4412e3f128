"""Inputs of the meeting commands: calendar (C1, C2), agenda and papers (C4, G1), the meeting (C7, C8), minutes (C5)."""

from __future__ import annotations

from datetime import time
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from application.authority import Duty
from application.commands.definition import BODY, MEETING, define
from application.commands.inputs import (
    LONG,
    SHORT,
    UNKNOWN_FIELD,
    CommandInput,
    FileRefInput,
    Listing,
    Text,
    day,
    text,
    whole_number,
    within_window,
)
from application.meeting_commands import MeetingCommands
from domain import bounds
from domain.documents import FileRef
from domain.meeting import Apology
from domain.vocabulary import AgendaPurpose


def clock_time(what: str, *, required: bool = True) -> fields.Time:
    # A meeting's time is local (London) time: one with a UTC offset cannot be compared or stored with the rest.
    def local(value: time) -> None:
        if value.tzinfo is not None:
            raise ValidationError(f"{what} must be a time like 14:00, without a UTC offset")

    return fields.Time(
        required=required,
        allow_none=not required,
        validate=local,
        error_messages={"invalid": f"{what} must be a time like 14:00", "required": f"enter {what}"},
    )


def item_number(*, required: bool) -> fields.Integer:
    return whole_number("the agenda item number", minimum=1, maximum=500, required=required)


@define(
    title="Schedule a meeting",
    about=BODY,
    creates=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.schedule_meeting,
)
class ScheduleMeeting(CommandInput):
    """Schedules a meeting of the body; an additional one gives 14 days' notice (C2)."""

    meeting_date = day("the meeting date")
    start_time = clock_time("the start time")
    place = text("where the meeting is held")
    additional = fields.Boolean(load_default=False)
    lead_officer = text("the lead officer who agreed the additional meeting", required=False)
    additional_reason = text("why the additional meeting is called", max_length=LONG, required=False)
    meeting_id = fields.UUID(allow_none=True)


@define(
    title="Record a meeting that already took place",
    about=BODY,
    creates=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.record_past_meeting,
)
class RecordPastMeeting(CommandInput):
    """Records a meeting held before today, so its papers, attendance, decisions and minutes can be recorded
    afterwards; they take effect on the meeting day and no deadline is counted against them."""

    meeting_date = day("the date the meeting was held")
    start_time = clock_time("the start time")
    place = text("where the meeting was held")
    additional = fields.Boolean(load_default=False)
    meeting_id = fields.UUID(allow_none=True)


@define(title="Plan the year’s meetings", duty=Duty.CALENDAR, handler=MeetingCommands.plan_annual_calendar)
class PlanAnnualCalendar(CommandInput):
    """Plans the year's two ordinary meetings of every conference and consultative group, or of one body (C1)."""

    year = whole_number("the year", minimum=2000, maximum=2100)
    place = text("where the meetings are held")
    start_time = clock_time("the start time", required=False)
    body_id = fields.UUID(allow_none=True)
    dates = Listing(
        fields.Date(
            error_messages={"invalid": "each date must be a real date, like 2027-03-31"},
            validate=within_window("each date"),
        ),
        "the meeting dates",
        min_items=2,
        max_items=2,
        allow_none=True,
        error_messages={
            "too_many": "give the two meeting dates of the year",
            "too_few": "give the two meeting dates of the year",
        },
    )
    # Saves nothing: answers what planning would create and what it would leave alone.
    preview = fields.Boolean(load_default=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("start_time") is None:
            data.pop("start_time", None)
        if data.get("dates") is not None:
            data["dates"] = tuple(data["dates"])
        return data


@define(title="Move the meeting", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.move_meeting)
class MoveMeeting(CommandInput):
    """Moves the meeting to a new date, time or place, saying why."""

    new_date = day("the new date")
    new_start_time = clock_time("the new start time")
    new_place = text("the new place")
    reason = text("why the meeting moves", max_length=LONG)


@define(title="Cancel the meeting", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.cancel_meeting)
class CancelMeeting(CommandInput):
    """Cancels the meeting, saying why."""

    reason = text("why the meeting is cancelled", max_length=LONG)


@define(title="Add an agenda item", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.add_agenda_item)
class AddAgendaItem(CommandInput):
    """Adds an agenda item; an exempt (Part 2) item names its paragraph of Schedule 12A (G1)."""

    title = text("the item's title")
    # Schedule 12A paragraphs 1-7 (rule G1); absent or null for a public item.
    exemption_paragraph = whole_number("the exemption paragraph", minimum=1, maximum=7, required=False)
    purpose = fields.Enum(
        AgendaPurpose,
        by_value=True,
        load_default=AgendaPurpose.DISCUSSION,
        error_messages={"unknown": "choose the item's purpose from: {choices}"},
    )
    presenter = text("who presents the item", required=False)
    starts_at = clock_time("the item's time", required=False)


@define(title="Attach a paper", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.attach_paper)
class AttachPaper(CommandInput):
    """Attaches an uploaded paper, with a plain-English summary, to an agenda item (C4, C6)."""

    item = item_number(required=True)
    title = text("the paper's title")
    file = fields.Nested(FileRefInput, required=True, error_messages={"required": "choose the paper's file"})
    summary = text("a summary of the paper", max_length=LONG)
    accessible = fields.Boolean(load_default=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["file"] = FileRef(**data["file"])
        return data


@define(
    title="Publish the agenda and papers", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.publish_agenda
)
class PublishAgenda(CommandInput):
    """Publishes the agenda and papers; after the fifth working day before, allowed and recorded as late (C4)."""


@define(
    title="Record that the meeting was held",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.record_meeting_held,
)
class RecordMeetingHeld(CommandInput):
    """Records that the meeting took place, from its day on; recording attendance or any business does it too (C7)."""


class ApologyInput(Schema):
    error_messages = UNKNOWN_FIELD

    class Meta:
        unknown = RAISE

    person = text("who sent apologies")
    substitute = text("who came in their place", required=False)

    @post_load
    def _apology(self, data: dict[str, Any], **_: Any) -> Apology:
        return Apology(person=data["person"], substitute=data.get("substitute") or None)


@define(title="Record attendance", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.record_attendance)
class RecordAttendance(CommandInput):
    """Records who of the body's members was present, sent apologies (with substitutes) or was absent, and the
    guests and officers in attendance, who never count; works out the quorum and the service-user share (C7)."""

    present = Listing(
        Text("each name", long=False, validate=validate.Length(min=1, max=SHORT)),
        "the people present",
        min_items=1,
        max_items=bounds.MAX_NAMES,
        required=True,
        error_messages={"required": "name the people present", "too_few": "name at least one person present"},
    )
    apologies = Listing(fields.Nested(ApologyInput), "the apologies", max_items=bounds.MAX_NAMES, load_default=list)
    absent = Listing(
        Text("each name", long=False, validate=validate.Length(min=1, max=SHORT)),
        "the members absent",
        max_items=bounds.MAX_NAMES,
        load_default=list,
    )
    guests = Listing(
        Text("each name", long=False, validate=validate.Length(min=1, max=SHORT)),
        "the guests",
        max_items=bounds.MAX_NAMES,
        load_default=list,
    )
    officers = Listing(
        Text("each name", long=False, validate=validate.Length(min=1, max=SHORT)),
        "the officers in attendance",
        max_items=bounds.MAX_NAMES,
        load_default=list,
    )
    # The body's quorum, when it has its own; otherwise a third of the voting members, at least three (C7).
    quorum = whole_number("the quorum", minimum=1, maximum=bounds.MAX_NAMES, required=False)


@define(
    title="Record a declaration of interest",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.declare_interest,
)
class DeclareInterest(CommandInput):
    """Records a declaration of interest, on an agenda item or the meeting (C7)."""

    person = text("who declared the interest")
    interest = text("the interest", max_length=LONG)
    item = item_number(required=False)


@define(title="Record a decision", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.record_decision)
class RecordDecision(CommandInput):
    """Records a decision on an agenda item."""

    item = item_number(required=True)
    text = text("the decision", max_length=LONG)


@define(title="Record an action", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.record_action)
class RecordAction(CommandInput):
    """Records an action with its owner and due date; it stays a matter arising until closed (C8)."""

    description = text("the action", max_length=LONG)
    owner = text("who owns the action")
    due = day("the date the action is due")
    item = item_number(required=False)


@define(title="Close an action", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.close_action)
class CloseAction(CommandInput):
    """Closes one of this meeting's actions with a note, optionally at a later meeting of the body (C8)."""

    number = whole_number("the action number", minimum=1, maximum=10_000)
    note = text("a note of what was done", max_length=LONG)
    closed_on = day("the date it was closed", required=False)
    at_meeting_id = fields.UUID(allow_none=True)


@define(
    title="Close a matter arising",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.close_matter_arising,
)
class CloseMatterArising(CommandInput):
    """At this meeting, closes an action of an earlier meeting of the body with a note; both meetings show it (C8)."""

    from_meeting_id = fields.UUID(
        required=True, error_messages={"required": "choose the matter arising", "null": "choose the matter arising"}
    )
    number = whole_number("the action number", minimum=1, maximum=10_000)
    note = text("a note of what was done", max_length=LONG)


@define(title="Record draft minutes", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.record_draft_minutes)
class RecordDraftMinutes(CommandInput):
    """Records the draft minutes, an uploaded document (C5)."""

    file = fields.Nested(FileRefInput, required=True, error_messages={"required": "choose the minutes' file"})
    drafted_on = day("the date the minutes were drafted", required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["file"] = FileRef(**data["file"])
        return data


@define(
    title="Record that the chair cleared the minutes",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.clear_minutes,
)
class ClearMinutes(CommandInput):
    """Records that the chair cleared the draft minutes (C5)."""

    chair = text("the chair who cleared the minutes", required=False)
    cleared_on = day("the date the chair cleared them", required=False)


@define(title="Publish the minutes", about=MEETING, duty=Duty.MEETINGS, handler=MeetingCommands.publish_minutes)
class PublishMinutes(CommandInput):
    """Publishes the cleared minutes; after the fifteenth working day it is allowed and recorded as late (C5)."""


@define(
    title="Approve the previous meeting’s minutes",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=MeetingCommands.approve_previous_minutes,
)
class ApprovePreviousMinutes(CommandInput):
    """At this meeting, approves the minutes of the body's previous meeting; both meetings record it (C5)."""

    previous_meeting_id = fields.UUID(
        required=True, error_messages={"required": "choose the previous meeting whose minutes are approved"}
    )
    amendments = text("the amendments", max_length=LONG, required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("amendments") is None:
            data.pop("amendments", None)
        return data
