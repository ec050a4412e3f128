"""The annual reviews of the arrangements (rule H1): the list, and one review with its findings and proposals."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from projections import queries
from projections.queries import reviews as review_queries
from web.services import services
from web.ui.access import requires_sign_in

bp = Blueprint("reviews", __name__)


@bp.get("/reviews")
@requires_sign_in
def review_list() -> str:
    svc = services()
    with svc.reading() as connection:
        found = review_queries.reviews(connection)
    return render_template("reviews/list.html", reviews=found, today=svc.today())


@bp.get("/reviews/<uuid:review_id>")
@requires_sign_in
def review_page(review_id: UUID) -> str:
    svc = services()
    with svc.reading() as connection:
        review = review_queries.review(connection, review_id)
        history = queries.audit(connection, subject_id=review_id, newest_first=False, per_page=200).items
    if review is None:
        abort(404, "There is no annual review with that id.")
    return render_template("reviews/review.html", review=review, history=history, today=svc.today())
