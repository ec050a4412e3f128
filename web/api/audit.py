"""/api/v1/audit, /api/v1/reminders and /api/v1/calendar.ics: the audit log, the caller's reminders, the feed.

The audit log is for signed-in callers (any role; auditors are its main readers). Reminders are the
caller's own. The iCalendar feed is the public calendar and needs no token.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE

from projections import queries
from projections.ical_feeds import framework_feed
from projections.reminders import reminders_for_user
from web.api import problems
from web.api.access import require_user
from web.api.args import AuditArgs, RemindersArgs
from web.api.common import page_out, parse_changes
from web.api.schemas import AuditPageOut, RemindersOut
from web.feeds import raise_due_for
from web.services import services

blp = Blueprint(
    "api_records", __name__, url_prefix="/api/v1", description="The audit log, reminders and the calendar feed"
)
problems.register(blp)
SIGNED_IN = {"security": [{"bearerAuth": []}]}


@blp.route("/audit")
@blp.arguments(AuditArgs, location="query", unknown=RAISE)
@blp.response(200, AuditPageOut)
@blp.doc(**SIGNED_IN)
def audit(args: dict[str, Any]) -> dict[str, Any]:
    """Governance changes, newest first; ``from``/``to`` apply to when a change took effect (or was recorded)."""
    require_user()
    with services().reading() as connection:
        page = queries.audit(
            connection,
            body_id=args.get("body"),
            change=args.get("type"),
            actor=args.get("actor"),
            date_from=args.get("from_"),
            date_to=args.get("to"),
            page=args["page"],
            per_page=args["per_page"],
        )
    for item in page.items:
        item["changes"] = parse_changes(item["changes"])
    return page_out(page)


@blp.route("/reminders")
@blp.arguments(RemindersArgs, location="query", unknown=RAISE)
@blp.response(200, RemindersOut)
@blp.doc(**SIGNED_IN)
def reminders(args: dict[str, Any]) -> dict[str, Any]:
    """The caller's reminders, soonest due first; ``include_done`` adds those already done."""
    user = require_user()
    raise_due_for(user)  # as opening the reminders page does: today's reminders of theirs not yet raised
    with services().reading() as connection:
        items = reminders_for_user(connection, user.user_id, include_done=args["include_done"])
    return {"user_id": user.user_id, "items": items}


@blp.route("/calendar.ics")
@blp.response(200, content_type="text/calendar", description="The public meeting calendar as iCalendar")
def calendar_feed() -> Response:
    """The public meeting calendar (iCalendar); subscribe to it from any calendar program."""
    with services().reading() as connection:
        body = framework_feed(connection, public_only=True, now=services().now())
    return Response(body, mimetype="text/calendar")
