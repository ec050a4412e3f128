"""/api/v1: responding to a consultation (rule A4), for panel members and, where allowed, the public.

The same as the pages at /respond/<token> and /public/consultations/<id>/respond (web/ui/consultations.py),
over the same application calls: a panel member's authority is the signed link e-mailed to them (its
token, the last part of the link), never a password or an API token; they may save their answers and come
back, and send them once. A consultation that allows it also takes anonymous responses, sent in one go.
Each refusal says why: 403 for a changed link or someone who has left the panel or is not asked, 404 for
no such consultation, 409 for a second response, 410 once the consultation has closed, 422 for answers
that do not fit the questions (naming the question).
"""

from __future__ import annotations

from typing import Any, NoReturn
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from application.errors import NotFound
from application.panel_links import LinkRefused
from domain.errors import DomainError, InvalidInput
from projections.queries import consultations as q
from web.api import problems
from web.api.consultations import QuestionOut
from web.services import services
from web.ui.consultations import links, refusal_status

blp = Blueprint(
    "api_responses",
    __name__,
    url_prefix="/api/v1",
    description="Responding to a consultation (a panel member's link, or anonymously where allowed)",
)
problems.register(blp)
PUBLIC = {"security": [{}]}  # no token: the signed link is the authority


class AnswersIn(Schema):
    class Meta:
        unknown = RAISE

    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=4)),
        values=fields.Raw(),
        required=True,
        validate=validate.Length(max=100, error="a consultation has at most 100 questions"),
        metadata={
            "description": 'by question number: text, a choice, a list of choices, or a scale point "1" to "5"',
            "example": {"1": ["Saturday"], "2": "4", "3": "More evening sessions"},
        },
    )
    submit = fields.Boolean(
        load_default=True,
        metadata={"description": "true sends the response (once); false saves it to come back to (panel members)"},
    )


class ResponseOut(Schema):
    consultation_id = fields.UUID(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    closes_on = fields.Date(required=True)
    questions = fields.List(fields.Nested(QuestionOut), required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    submitted = fields.Boolean(required=True)


class SavedOut(Schema):
    response_id = fields.UUID(required=True)
    submitted = fields.Boolean(required=True)
    message = fields.String(required=True)


def _refuse(refusal: DomainError) -> NoReturn:
    if isinstance(refusal, NotFound):
        abort(404, message="There is no such consultation.")
    if isinstance(refusal, InvalidInput):
        raise refusal  # a problem document naming the question (web/api/problems.py)
    abort(refusal_status(refusal), message=str(refusal))


def _from_link(token: str) -> tuple[UUID, UUID]:
    if len(token) > 500:
        abort(403, message="This link is not one we sent: check that you copied all of it.")
    try:
        link = links().read(token, "respond")
    except LinkRefused as refusal:
        abort(403, message=str(refusal))
    assert link.consultation_id is not None and link.panel_member_id is not None
    return link.consultation_id, link.panel_member_id


def _what_was_asked(consultation_id: UUID) -> dict[str, Any]:
    with services().reading() as connection:
        row = q.consultation(connection, consultation_id, public_only=True)
        if row is None:
            abort(404, message="There is no such consultation.")
        questions = q.questions(connection, consultation_id)
    return {
        "consultation_id": consultation_id,
        "title": row["title"],
        "summary": row["summary"],
        "closes_on": row["closes_on"],
        "questions": questions,
    }


def _save(consultation_id: UUID, panel_member_id: UUID | None, data: dict[str, Any]) -> dict[str, Any]:
    hub = services().hub
    try:
        saved = hub.save_response(consultation_id, panel_member_id, data["answers"], submit=data["submit"])
    except DomainError as refusal:
        _refuse(refusal)
    services().wait_for()  # the officer's figures show it at once, as the page does
    message = "Your response has been sent. Thank you." if saved.submitted else "Your answers are saved."
    return {"response_id": saved.response_id, "submitted": saved.submitted, "message": message}


@blp.route("/responses/<string:token>", methods=["GET"])
@blp.response(200, ResponseOut)
@blp.doc(**PUBLIC)
def my_response(token: str) -> dict[str, Any]:
    """The consultation this link asks, its questions and the answers saved so far."""
    consultation_id, panel_member_id = _from_link(token)
    hub = services().hub
    try:
        hub.check_link(consultation_id, panel_member_id)
    except DomainError as refusal:
        _refuse(refusal)
    response = hub.response_of(consultation_id, panel_member_id)
    answers = dict(response.answers) if response is not None else {}
    return {**_what_was_asked(consultation_id), "answers": answers, "submitted": False}


@blp.route("/responses/<string:token>", methods=["PUT"])
@blp.arguments(AnswersIn)
@blp.response(200, SavedOut)
@blp.doc(**PUBLIC)
def save_my_response(data: dict[str, Any], token: str) -> dict[str, Any]:
    """Save the answers to come back to (`submit`: false), or send them (once)."""
    consultation_id, panel_member_id = _from_link(token)
    return _save(consultation_id, panel_member_id, data)


@blp.route("/consultations/<uuid:consultation_id>/anonymous-responses", methods=["POST"])
@blp.arguments(AnswersIn)
@blp.response(201, SavedOut)
@blp.doc(**PUBLIC)
def respond_anonymously(data: dict[str, Any], consultation_id: UUID) -> dict[str, Any]:
    """A response from a member of the public, sent in one go, where the consultation allows it."""
    if not data["submit"]:
        raise InvalidInput("submit", "an anonymous response is sent in one go: it cannot be saved to come back to")
    return _save(consultation_id, None, data)
