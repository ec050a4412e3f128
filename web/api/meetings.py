"""/api/v1/meetings: the calendar and one meeting, from agenda to approved minutes.

Without a token the calendar is the public calendar (every meeting, public columns only) and a
meeting shows what projections.queries gives the public: published Part 1 agenda items and papers,
and what happened only once its minutes are published. With a token, everything. Each step of a
meeting's workflow is a command (web/api/commands.py): POST /api/v1/meetings/{id}/agenda-items, ...
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from projections import queries
from web.api import problems
from web.api.access import (
    api_user,
    writes_need_a_token,
)
from web.api.args import MeetingArgs
from web.api.common import page_out
from web.api.schemas import MeetingOut, MeetingPageOut
from web.services import services

blp = Blueprint(
    "api_meetings", __name__, url_prefix="/api/v1/meetings", description="Meetings and their papers and minutes"
)
problems.register(blp)
writes_need_a_token(blp)
WRITE = {"security": [{"bearerAuth": []}]}


def meeting_row(meeting_id: UUID) -> dict[str, Any]:
    """A meeting as the calendar holds it (404 if it has none), as the caller may see it."""
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


@blp.route("/<uuid:meeting_id>")
@blp.response(200, MeetingOut)
def meeting(meeting_id: UUID) -> Any:
    """A meeting with its agenda, papers, proceedings and minutes (what the public may see, without a token)."""
    row = meeting_row(meeting_id)
    return row, 200, _headers(row)
