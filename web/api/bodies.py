"""/api/v1/bodies: the directory, one body (now or as the record stood), and its history.

Changes to a body are commands (web/api/commands.py): POST /api/v1/bodies, /bodies/{id}/changes/...,
/bodies/{id}/members, /bodies/{id}/elections and /bodies/{id}/meetings.


Bodies are public record, so the directory, a body and its governance history need no token. Members
are people (service users, carers), so the member list and membership events are shown to signed-in
callers only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from domain.body import Body
from domain.vocabulary import BodyKind
from projections import queries
from web.api import problems
from web.api.access import (
    api_user,
    writes_need_a_token,
)
from web.api.args import BodyArgs, DirectoryArgs
from web.api.common import page_out, plain
from web.api.schemas import BodyOut, BodyPageOut, HistoryOut
from web.services import services

blp = Blueprint("api_bodies", __name__, url_prefix="/api/v1/bodies", description="Partnership bodies")
problems.register(blp)
writes_need_a_token(blp)
WRITE = {"security": [{"bearerAuth": []}]}

# ------------------------------------------------------------------- reading


def body_row(body_id: UUID, *, members: bool) -> dict[str, Any]:
    """A body as the directory holds it (404 if it has none), with its members when asked."""
    hub_services = services()
    with hub_services.reading() as connection:
        row = queries.body(connection, body_id, today=hub_services.today())
        if row is None:
            abort(404, message=f"There is no body with id {body_id}.")
        row["kind_label"] = _kind_label(row["kind"])
        if members:
            row["members"] = queries.body_members(connection, body_id)
    return row


def _kind_label(kind: str) -> str | None:
    try:
        return BodyKind(kind).label
    except ValueError:
        return None


def _as_it_stood(body: Body, moment: Any, *, members: bool) -> dict[str, Any]:
    """A body replayed to a recorded moment, in the shape of the directory's row."""
    chair = body.chair()
    share = body.member_share()
    row: dict[str, Any] = {
        "id": body.id,
        "version": body.version,
        "name": body.name,
        "kind": body.kind.value,
        "kind_label": body.kind.label,
        "status": body.status.value,
        "status_effective": body.status_effective,
        "until": body.until,
        "task": body.task,
        "successor_id": body.successor_id,
        "successor_name": body.successor_name,
        "purpose": body.purpose,
        "parent_id": body.parent_id,
        "accountability": "; ".join(body.accountability),
        "terms_of_reference": body.terms_of_reference,
        "terms_of_reference_version": body.terms_of_reference_version,
        "annual_funding_pence": body.annual_funding_pence,
        "council_funding_until": body.council_funding_until,
        "self_funding_option_until": body.self_funding_option_until,
        "provider_forum_under": body.provider_forum_under,
        "statutory_function": body.statutory_functions_described(),
        "contract_end": body.contract_end,
        "break_clause_months": body.break_clause_months,
        "meets_per_year": body.meets_per_year,
        "quorum": body.quorum,
        "open_to_public": body.open_to_public,
        "established_on": body.established_on,
        "chair": chair.person if chair else None,
        "member_count": len(body.current_members()),
        "user_side_count": share.user_side,
        "share_base": share.counted,
        "service_user_share": share.share,
        "last_election_on": body.last_election_on,
        "as_at": moment,
    }
    if members:
        row["members"] = [
            {
                "member_id": m.member_id,
                "person": m.person,
                "position": m.position,
                "role": m.role.value,
                "representation": m.representation.value,
                "votes": m.votes,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in body.members.values()
        ]
    return row


@blp.route("")
@blp.arguments(DirectoryArgs, location="query", unknown=RAISE)
@blp.response(200, BodyPageOut)
def directory(args: dict[str, Any]) -> dict[str, Any]:
    """The directory of bodies, filtered by kind, status and part of the name; public."""
    hub_services = services()
    api_user()  # a token that is sent must be valid
    with hub_services.reading() as connection:
        page = queries.directory(connection, today=hub_services.today(), **args)
    for item in page.items:
        item["kind_label"] = _kind_label(item["kind"])
    return page_out(page)


@blp.route("/<uuid:body_id>")
@blp.arguments(BodyArgs, location="query", unknown=RAISE)
@blp.response(200, BodyOut)
def body(args: dict[str, Any], body_id: UUID) -> Any:
    """A body as it stands, or ``as_at`` a recorded moment; members only for a signed-in caller."""
    signed_in = api_user() is not None
    moment = args.get("as_at")
    if moment is None:
        row = body_row(body_id, members=signed_in)
        return row, 200, {"ETag": f'"{row["version"]}"'}
    try:
        then = services().hub.as_at(body_id, moment)
    except (ValueError, OverflowError):
        abort(422, messages={"query": {"as_at": ["give a moment between year 1 and 9999"]}})
    if not isinstance(then, Body):
        abort(404, message=f"There was no body with id {body_id} at {moment.isoformat()}.")
    return _as_it_stood(then, moment, members=signed_in)


@blp.route("/<uuid:body_id>/history")
@blp.response(200, HistoryOut)
def history(body_id: UUID) -> dict[str, Any]:
    """The body's events, oldest first, with who recorded each, when, and why; membership events signed in only."""
    signed_in = api_user() is not None
    body_row(body_id, members=False)  # 404 for an unknown body (or one not yet in the read models)
    entries = services().hub.history(body_id)
    shown = [e for e in entries if signed_in or e.governance]
    return {
        "id": body_id,
        "public_only": not signed_in,
        "entries": [
            {
                "version": e.version,
                "change": e.change,
                "sentence": e.sentence,
                "actor": e.actor,
                "recorded_at": e.recorded_at,
                "effective_date": e.effective_date,
                "reason": e.reason,
                "governance": e.governance,
                "changes": plain(e.changes),
            }
            for e in shown
        ],
    }
