"""/api/v1/meetings: the calendar, scheduling, and a meeting's workflow from agenda to approved minutes.

Without a token the calendar is the public calendar (every meeting, public columns only) and a
meeting shows what projections.queries gives the public: published Part 1 agenda items and papers,
and what happened only once its minutes are published. With a token, everything. Each workflow step
is a POST to a sub-resource naming the hub command it runs, with the meeting's version in If-Match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import url_for
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields

from application.hub_base import Numbered, Publication
from projections import queries
from web.api import problems
from web.api.access import (
    IDEMPOTENCY_KEY_PARAMETER,
    IF_MATCH_PARAMETER,
    api_user,
    expected_version,
    writes_need_a_token,
)
from web.api.args import MeetingArgs
from web.api.common import page_out, perform
from web.api.idempotency import idempotent
from web.api.schemas import MeetingOut, MeetingPageOut, NumberedOut, PublicationOut
from web.schemas import COMMAND_INPUTS
from web.services import services

blp = Blueprint(
    "api_meetings", __name__, url_prefix="/api/v1/meetings", description="Meetings and their papers and minutes"
)
problems.register(blp)
writes_need_a_token(blp)
WRITE = {"security": [{"bearerAuth": []}]}


class ScheduleMeetingRequest(COMMAND_INPUTS["schedule_meeting"]):  # type: ignore[misc, valid-type]
    """A meeting of a body: the shared ScheduleMeetingInput plus the body, which the command takes by position."""

    body_id = fields.UUID(required=True, error_messages={"required": "choose the body that meets"})


def _meeting(meeting_id: UUID) -> dict[str, Any]:
    hub_services = services()
    public_only = api_user() is None
    with hub_services.reading() as connection:
        row = queries.meeting_detail(connection, meeting_id, public_only=public_only, today=hub_services.today())
    if row is None:
        abort(404, message=f"There is no meeting with id {meeting_id}.")
    return row  # type: ignore[return-value]


def _headers(row: dict[str, Any], **extra: str) -> dict[str, str]:
    headers = dict(extra)
    if row.get("version") is not None:
        headers["ETag"] = f'"{row["version"]}"'
    return headers


@blp.route("")
@blp.arguments(MeetingArgs, location="query", unknown=RAISE)
@blp.response(200, MeetingPageOut)
def calendar(args: dict[str, Any]) -> dict[str, Any]:
    """The calendar in date order; the public calendar (public columns) without a token."""
    with services().reading() as connection:
        if api_user() is None:
            return page_out(queries.public_calendar(connection, **args))
        return page_out(queries.calendar(connection, **args))


@blp.route("", methods=["POST"])
@idempotent
@blp.arguments(ScheduleMeetingRequest)
@blp.response(201, MeetingOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **WRITE)
def schedule(kwargs: dict[str, Any]) -> Any:
    """Schedule a meeting of a body; an additional meeting gives 14 days' notice (rule C2)."""
    body_id = kwargs.pop("body_id")
    meeting_id = perform("schedule_meeting", body_id, **kwargs)
    row = _meeting(meeting_id)
    return row, 201, _headers(row, Location=url_for("api_meetings.meeting", meeting_id=meeting_id))


@blp.route("/<uuid:meeting_id>")
@blp.response(200, MeetingOut)
def meeting(meeting_id: UUID) -> Any:
    """A meeting with its agenda, papers, proceedings and minutes (what the public may see, without a token)."""
    row = _meeting(meeting_id)
    return row, 200, _headers(row)


# --------------------------------------------------------------- the workflow
#
# One POST per command. What each returns: the meeting, the meeting with the number of what was
# added (an item, a paper, ...), or the meeting with whether a publication was late and its due date.

MEETING_STEPS: tuple[tuple[str, str, str, int, str], ...] = (
    # (path, command, returns, status, summary)
    ("/move", "move_meeting", "meeting", 200, "Move the meeting to a new date, time or place, saying why."),
    ("/cancellation", "cancel_meeting", "meeting", 200, "Cancel the meeting, saying why."),
    (
        "/agenda-items",
        "add_agenda_item",
        "numbered",
        201,
        "Add an agenda item; exempt (Part 2) items name their paragraph (G1).",
    ),
    (
        "/papers",
        "attach_paper",
        "numbered",
        201,
        "Attach a paper (upload it first to /api/v1/files) to an agenda item (C4, C6).",
    ),
    (
        "/agenda/publication",
        "publish_agenda",
        "publication",
        200,
        "Publish the agenda and papers; late is allowed and recorded (C4).",
    ),
    (
        "/attendance",
        "record_attendance",
        "meeting",
        200,
        "Record who was present and who sent apologies, with substitutes (C7).",
    ),
    ("/interests", "declare_interest", "numbered", 201, "Record a declaration of interest (C7)."),
    ("/decisions", "record_decision", "numbered", 201, "Record a decision on an agenda item."),
    ("/actions", "record_action", "numbered", 201, "Record an action with its owner and due date (C8)."),
    ("/actions/closure", "close_action", "meeting", 200, "Close one of this meeting's actions with a note (C8)."),
    (
        "/minutes",
        "record_draft_minutes",
        "meeting",
        201,
        "Record the draft minutes (upload the document first to /api/v1/files) (C5).",
    ),
    ("/minutes/clearance", "clear_minutes", "meeting", 200, "Record that the chair cleared the draft minutes (C5)."),
    (
        "/minutes/publication",
        "publish_minutes",
        "publication",
        200,
        "Publish the cleared minutes; late is allowed and recorded (C5).",
    ),
    (
        "/minutes/approval",
        "approve_previous_minutes",
        "meeting",
        200,
        "At this meeting, approve the minutes of the body's previous meeting (named in the body) (C5). "
        "Both meetings record it; If-Match is this meeting's version.",
    ),
)
OUTPUTS: dict[str, type[Schema]] = {"meeting": MeetingOut, "numbered": NumberedOut, "publication": PublicationOut}


def _step(command: str, returns: str, status: int, summary: str) -> Callable[..., Any]:
    def view(kwargs: dict[str, Any], meeting_id: UUID) -> Any:
        version = expected_version()
        result = perform(command, meeting_id, expected_version=version, **kwargs)
        row = _meeting(meeting_id)
        if returns == "numbered" and isinstance(result, Numbered):
            return {"number": result.number, "meeting": row}, status, _headers(row)
        if returns == "publication" and isinstance(result, Publication):
            return {"late": result.late, "due": result.due, "meeting": row}, status, _headers(row)
        return row, status, _headers(row)

    view.__name__ = command
    view.__doc__ = summary
    return view


for _path, _command, _returns, _status, _summary in MEETING_STEPS:
    blp.route(f"/<uuid:meeting_id>{_path}", methods=["POST"], endpoint=_command)(
        blp.arguments(COMMAND_INPUTS[_command])(
            blp.response(_status, OUTPUTS[_returns])(
                blp.doc(parameters=[IF_MATCH_PARAMETER], **WRITE)(_step(_command, _returns, _status, _summary))
            )
        )
    )
