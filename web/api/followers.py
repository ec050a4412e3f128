"""/api/v1: following a body by e-mail, for the public (no token): subscribe, confirm, unsubscribe.

The same as the public pages' "Follow this body" (web/ui/public_bodies.py), over application/followers.py:
a subscription answers 202 whatever the address's state (nobody learns who follows what), and is only
in force once the link e-mailed to the address is confirmed; the token of that link (or of the
unsubscribe link in every e-mail) is what the other two operations take.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from application.followers import EMAIL_LENGTH
from domain.errors import InvalidInput
from projections.queries.public_bodies import public_body
from web.api import problems
from web.services import services
from web.ui.public_bodies import CLOSED, confirmation_link

blp = Blueprint(
    "api_followers",
    __name__,
    url_prefix="/api/v1",
    description="Following a body by e-mail (the public; double opt-in, one-click unsubscribe)",
)
problems.register(blp)


class FollowIn(Schema):
    class Meta:
        unknown = RAISE

    email = fields.String(
        required=True,
        validate=validate.Length(min=1, max=EMAIL_LENGTH, error="the e-mail address must be 1 to 320 characters"),
        metadata={"description": "where to send the confirmation link and, once confirmed, the notices"},
        error_messages={"required": "enter an e-mail address", "null": "enter an e-mail address"},
    )


class TokenIn(Schema):
    class Meta:
        unknown = RAISE

    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200, error="the token must be 1 to 200 characters"),
        metadata={"description": "the last part of the link in the e-mail, after /confirm/ or /unsubscribe/"},
        error_messages={"required": "give the token from the e-mail's link", "null": "give the token"},
    )


class FollowOut(Schema):
    message = fields.String(required=True)


class FollowingOut(Schema):
    body_id = fields.UUID(allow_none=True, required=True)
    following = fields.Boolean(required=True)
    message = fields.String(required=True)


@blp.route("/bodies/<uuid:body_id>/followers", methods=["POST"])
@blp.arguments(FollowIn)
@blp.response(202, FollowOut)
def follow_body(data: dict[str, Any], body_id: UUID) -> dict[str, Any]:
    """Follow a body: e-mails a confirmation link (valid 3 days) to the address; nothing else is sent until
    it is confirmed. The same answer whether or not the address already follows the body."""
    svc = services()
    with svc.reading() as connection:
        body = public_body(connection, body_id, today=svc.today())
    if body is None:
        abort(404, message=f"There is no body with id {body_id}.")
    if not body["open_to_public"]:
        raise InvalidInput("email", CLOSED, rule="C3")
    svc.followers.subscribe(body_id, body["name"], data["email"], link=confirmation_link)
    return {"message": "If the address is not already following this body, a confirmation link has been sent to it."}


@blp.route("/followers/confirmation", methods=["POST"])
@blp.arguments(TokenIn)
@blp.response(200, FollowingOut)
def confirm_following(data: dict[str, Any]) -> dict[str, Any]:
    """Confirm a subscription with the token of the link e-mailed to the address (refused when changed,
    expired or no longer in use, with what to do)."""
    body_id = services().followers.confirm(data["token"])
    return {"body_id": body_id, "following": True, "message": "You are following this body."}


@blp.route("/followers/unsubscription", methods=["POST"])
@blp.arguments(TokenIn)
@blp.response(200, FollowingOut)
def stop_following(data: dict[str, Any]) -> dict[str, Any]:
    """Stop following, with the token of the unsubscribe link in any of the e-mails: deletes the address.
    Doing it twice does no harm."""
    body_id = services().followers.unsubscribe(data["token"])
    return {
        "body_id": body_id,
        "following": False,
        "message": "You have stopped following this body; your e-mail address is deleted.",
    }
