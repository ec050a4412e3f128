"""/api/v1/bodies: the directory, one body (now or as the record stood), its history, changes, members.

Bodies are public record, so the directory, a body and its governance history need no token. Members
are people (service users, carers), so the member list and membership events are shown to signed-in
callers only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import request, url_for
from flask_smorest import Api, Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from domain.body import Body
from domain.vocabulary import BodyKind
from projections import queries
from web.api import problems
from web.api.access import (
    IDEMPOTENCY_KEY_PARAMETER,
    IF_MATCH_PARAMETER,
    api_user,
    expected_version,
    writes_need_a_token,
)
from web.api.args import BodyArgs, DirectoryArgs
from web.api.common import page_out, perform, plain
from web.api.idempotency import idempotent
from web.api.schemas import BodyOut, BodyPageOut, HistoryOut, MembershipChangeOut
from web.schemas import COMMAND_INPUTS
from web.services import services

blp = Blueprint("api_bodies", __name__, url_prefix="/api/v1/bodies", description="Partnership bodies")
problems.register(blp)
writes_need_a_token(blp)
WRITE = {"security": [{"bearerAuth": []}]}

# POST /changes: the `type` names the governance command, one per change of App. 8 (rule F1).
CHANGE_COMMANDS: dict[str, str] = {
    "terms_of_reference": "adopt_terms_of_reference",
    "funding": "change_funding",
    "extend_contract": "extend_contract",
    "transform": "transform_body",
    "replace": "replace_body",
    "merge": "merge_body",
    "self_funding_option": "give_self_funding_option",
    "transfer_to_provider_forum": "transfer_to_provider_forum",
    "maintain": "maintain_body",
    "end": "end_body",
    "correct": "correct_body",
}
CHANGE_INPUTS: dict[str, type[Schema]] = {
    change: COMMAND_INPUTS[command] for change, command in CHANGE_COMMANDS.items()
}


class _Typed:
    """Adds the ``type`` discriminator to a shared command input and drops it before the command sees it."""

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        data.pop("type", None)
        return super().to_kwargs(data)  # type: ignore[misc]


def _typed(change: str, base: type[Schema]) -> type[Schema]:
    name = "".join(part.capitalize() for part in change.split("_")) + "Change"
    attrs = {
        "type": fields.String(required=True, validate=validate.OneOf([change])),
        "Meta": type("Meta", (), {"unknown": RAISE}),
        "__doc__": f"`type: {change}` runs {base.command} (the fields are those of {base.__name__}).",  # type: ignore[attr-defined]
    }
    return type(name, (_Typed, base), attrs)


CHANGE_SCHEMAS: dict[str, type[Schema]] = {change: _typed(change, base) for change, base in CHANGE_INPUTS.items()}


def document_changes(api: Api) -> None:
    """Registers the typed change schemas, which the /changes request body names in a oneOf."""
    for schema in CHANGE_SCHEMAS.values():
        if schema.__name__ not in api.spec.components.schemas:
            api.spec.components.schema(schema.__name__, schema=schema)


def _change_request_body() -> dict[str, Any]:
    refs = {change: f"#/components/schemas/{schema.__name__}" for change, schema in CHANGE_SCHEMAS.items()}
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [{"$ref": ref} for ref in refs.values()],
                    "discriminator": {"propertyName": "type", "mapping": refs},
                }
            }
        },
    }


# ------------------------------------------------------------------- reading


def _body_row(body_id: UUID, *, members: bool) -> dict[str, Any]:
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
        "contract_end": body.contract_end,
        "break_clause_months": body.break_clause_months,
        "meets_per_year": body.meets_per_year,
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


@blp.route("", methods=["POST"])
@idempotent
@blp.arguments(COMMAND_INPUTS["establish_body"])
@blp.response(201, BodyOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **WRITE)
def establish(kwargs: dict[str, Any]) -> Any:
    """Establish a body (partnership officers and administrators). Its id is derived from its name."""
    body_id = perform("establish_body", **kwargs)
    row = _body_row(body_id, members=True)
    return row, 201, {"ETag": f'"{row["version"]}"', "Location": url_for("api_bodies.body", body_id=body_id)}


@blp.route("/<uuid:body_id>")
@blp.arguments(BodyArgs, location="query", unknown=RAISE)
@blp.response(200, BodyOut)
def body(args: dict[str, Any], body_id: UUID) -> Any:
    """A body as it stands, or ``as_at`` a recorded moment; members only for a signed-in caller."""
    signed_in = api_user() is not None
    moment = args.get("as_at")
    if moment is None:
        row = _body_row(body_id, members=signed_in)
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
    _body_row(body_id, members=False)  # 404 for an unknown body (or one not yet in the read models)
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


@blp.route("/<uuid:body_id>/changes", methods=["POST"])
@blp.response(200, BodyOut)
@blp.doc(requestBody=_change_request_body(), parameters=[IF_MATCH_PARAMETER], **WRITE)
def change(body_id: UUID) -> Any:
    """A governance change, named by ``type`` (rule F1); who decided, from when and why go with it (F4)."""
    version = expected_version()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(422, messages={"json": {"_request": ["send a JSON object with the change's `type` and fields"]}})
    kind = data.get("type")
    schema = CHANGE_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        abort(422, messages={"json": {"type": [f"choose the change from: {', '.join(CHANGE_SCHEMAS)}"]}})
    try:
        kwargs = schema().load(data)
    except ValidationError as error:
        abort(422, messages={"json": error.messages})
    command = CHANGE_COMMANDS[kind]  # type: ignore[index]
    perform(command, body_id, expected_version=version, **kwargs)
    row = _body_row(body_id, members=True)
    return row, 200, {"ETag": f'"{row["version"]}"'}


@blp.route("/<uuid:body_id>/members", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["add_member"])
@blp.response(201, MembershipChangeOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **WRITE)
def add_member(kwargs: dict[str, Any], body_id: UUID) -> Any:
    """Add a member; a consultative group below the 70% service-user share gets a warning, not a refusal (B3)."""
    version = expected_version()
    kwargs["member_id"] = kwargs.get("member_id") or uuid4().hex[:12]
    result = perform("add_member", body_id, expected_version=version, **kwargs)
    row = _body_row(body_id, members=True)
    out = {"member_id": kwargs["member_id"], "warning": result.warning, "body": row}
    return out, 201, {"ETag": f'"{row["version"]}"'}


@blp.route("/<uuid:body_id>/members/<member_id>", methods=["DELETE"])
@blp.arguments(COMMAND_INPUTS["remove_member"](exclude=("member_id",)), location="query", unknown=RAISE)
@blp.response(200, MembershipChangeOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **WRITE)
def remove_member(kwargs: dict[str, Any], body_id: UUID, member_id: str) -> Any:
    """A member leaves, from a date and with a reason (in the query string); their past membership stays on record."""
    version = expected_version()
    result = perform("remove_member", body_id, expected_version=version, member_id=member_id, **kwargs)
    row = _body_row(body_id, members=True)
    out = {"member_id": member_id, "warning": result.warning, "body": row}
    return out, 200, {"ETag": f'"{row["version"]}"'}


@blp.route("/<uuid:body_id>/elections", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["record_election"])
@blp.response(201, BodyOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **WRITE)
def record_election(kwargs: dict[str, Any], body_id: UUID) -> Any:
    """A consultative group's annual election of its chair and vice-chair (rule B5)."""
    version = expected_version()
    perform("record_election", body_id, expected_version=version, **kwargs)
    row = _body_row(body_id, members=True)
    return row, 201, {"ETag": f'"{row["version"]}"'}
