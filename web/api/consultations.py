"""/api/v1/consultations: the virtual panel's consultations and their results (rule A4).

Reads need a token of a role that carries the consultations duty (the partnership team): the results
include free-text answers. The changes are the commands' generated operations (web/api/commands.py).
Nothing here gives a panel member's name or address; a response is counted, never attributed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import fields

from application import authority
from application.authority import Duty
from projections.queries import consultations as q
from web.api import problems
from web.api.access import require_user, writes_need_a_token
from web.api.schemas import Out, UtcDateTime, _date, _int, _str
from web.services import services

blp = Blueprint(
    "api_consultations", __name__, url_prefix="/api/v1/consultations", description="Consultations of the panel"
)
problems.register(blp)
writes_need_a_token(blp)
SIGNED_IN = {"security": [{"bearerAuth": []}]}


class QuestionOut(Out):
    consultation_id = fields.UUID()
    number = fields.Integer(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "free_text, single_choice, multiple_choice, scale"})
    options = fields.List(fields.String(), metadata={"description": "the answers to choose from"})
    required = fields.Boolean(required=True)


class ConsultationOut(Out):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    concerns = fields.String(required=True)
    body_id = fields.UUID(allow_none=True)
    audience = fields.String(required=True, metadata={"description": "whole_panel, interested or body_members"})
    topic = _str("the topic whose interested panel members are asked")
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    anonymous_allowed = fields.Boolean(required=True)
    stage = fields.String(required=True, metadata={"description": "draft, published, closed, outcome_published"})
    invited = fields.Integer(required=True)
    responses = fields.Integer(required=True, metadata={"description": "responses sent"})
    in_progress = _int("responses saved to finish later")
    published_at = UtcDateTime(allow_none=True)
    closed_on = _date()
    outcome = _str("what came of it: you said, we did")
    outcome_published_at = UtcDateTime(allow_none=True)
    linked_body_id = fields.UUID(allow_none=True)
    linked_meeting_id = fields.UUID(allow_none=True)
    linked_project_id = fields.UUID(allow_none=True)
    questions = fields.List(fields.Nested(QuestionOut))


class ConsultationListOut(Out):
    items = fields.List(fields.Nested(ConsultationOut), required=True)


class ChoiceOut(Out):
    choice = fields.String(required=True)
    count = fields.Integer(required=True)
    percent = fields.Float(required=True, metadata={"description": "of those who answered the question"})


class QuestionResultOut(QuestionOut):
    answered = fields.Integer(required=True)
    choices = fields.List(fields.Nested(ChoiceOut))
    texts = fields.List(fields.String(), metadata={"description": "free-text answers"})


class ResultsOut(Out):
    id = fields.UUID(required=True)
    responses = fields.Integer(required=True)
    questions = fields.List(fields.Nested(QuestionResultOut), required=True)


def _team() -> None:
    user = require_user()
    if not authority.may(user.role, Duty.CONSULTATIONS):
        abort(403, message="Only the partnership team reads the panel's consultations.")


def consultation_row(consultation_id: UUID) -> dict[str, Any]:
    with services().reading() as connection:
        row = q.consultation(connection, consultation_id)
    if row is None:
        abort(404, message=f"There is no consultation with id {consultation_id}.")
    return row  # type: ignore[return-value]


@blp.route("")
@blp.response(200, ConsultationListOut)
@blp.doc(**SIGNED_IN)
def consultation_list() -> dict[str, Any]:
    """Every consultation, the latest close date first."""
    _team()
    with services().reading() as connection:
        return {
            "items": [{**r, "questions": q.questions(connection, r["id"])} for r in q.consultation_list(connection)]
        }


@blp.route("/<uuid:consultation_id>")
@blp.response(200, ConsultationOut)
@blp.doc(**SIGNED_IN)
def consultation(consultation_id: UUID) -> Any:
    """A consultation with its questions."""
    _team()
    row = consultation_row(consultation_id)
    return row, 200, {"ETag": f'"{row["version"]}"'}


@blp.route("/<uuid:consultation_id>/results")
@blp.response(200, ResultsOut)
@blp.doc(**SIGNED_IN)
def results(consultation_id: UUID) -> dict[str, Any]:
    """Each question's answers: count and percentage per choice, and the free-text answers."""
    _team()
    row = consultation_row(consultation_id)
    with services().reading() as connection:
        figures = q.results(connection, consultation_id, with_text=True)
    return {"id": consultation_id, "responses": row["responses"], "questions": figures}
