"""/api/v1/reviews: the annual reviews of the arrangements (rule H1), one a financial year.

A review is the partnership team's working record until it leads to proposals, so reads need a token
(any role), as projects do; its changes are commands (web/api/commands.py).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import fields

from projections.queries import reviews as review_queries
from web.api import problems
from web.api.access import require_user, writes_need_a_token
from web.api.schemas import Out, _bool, _date, _str
from web.services import services

blp = Blueprint("api_reviews", __name__, url_prefix="/api/v1/reviews", description="Annual reviews (rule H1)")
problems.register(blp)
writes_need_a_token(blp)
SIGNED_IN = {"security": [{"bearerAuth": []}]}


class ReviewedBodyOut(Out):
    body_id = fields.UUID(required=True)
    body_name = fields.String(required=True)
    findings = fields.String(required=True)


class ReviewProposalOut(Out):
    body_id = fields.UUID(required=True)
    body_name = fields.String(required=True)
    number = fields.Integer(required=True, metadata={"description": "the proposal's number on its body (F4)"})
    title = fields.String(required=True)
    status = _str("pending, deferred, approved, amended or rejected (null until the lists show it)")
    decided_by = _str()
    decision_ref = _str()
    decided_on = _date()
    effective_date = _date()


class ReviewOut(Out):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    year = fields.Integer(required=True, metadata={"description": "the financial year starts on 1 April of it"})
    title = fields.String(required=True)
    due = fields.Date(required=True, metadata={"description": "31 March before the financial year (H1)"})
    opened_on = fields.Date(required=True)
    opened_by = fields.String(required=True)
    overall_findings = _str()
    bodies_reviewed = fields.Integer(required=True)
    proposals_linked = fields.Integer(required=True)
    completed_on = _date()
    completed_by = _str()
    late = _bool()
    bodies = fields.List(fields.Nested(ReviewedBodyOut), metadata={"description": "the bodies reviewed"})
    proposals = fields.List(fields.Nested(ReviewProposalOut), metadata={"description": "the changes it led to"})


class ReviewListOut(Out):
    items = fields.List(fields.Nested(ReviewOut), required=True)


def review_row(review_id: UUID) -> dict[str, Any]:
    """A review with its bodies and proposals (404 if the read model has none)."""
    with services().reading() as connection:
        row = review_queries.review(connection, review_id)
    if row is None:
        abort(404, message=f"There is no annual review with id {review_id}.")
    return row  # type: ignore[return-value]


@blp.route("")
@blp.response(200, ReviewListOut)
@blp.doc(**SIGNED_IN)
def review_list() -> dict[str, Any]:
    """Every annual review, the latest financial year first."""
    require_user()
    with services().reading() as connection:
        return {"items": review_queries.reviews(connection)}


@blp.route("/<uuid:review_id>")
@blp.response(200, ReviewOut)
@blp.doc(**SIGNED_IN)
def review(review_id: UUID) -> Any:
    """One annual review: its findings per body and overall, and the proposals it led to with their decisions."""
    require_user()
    row = review_row(review_id)
    return row, 200, {"ETag": f'"{row["version"]}"'}
