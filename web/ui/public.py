"""What the public sees, without signing in: meetings open to the public (C3), their published
agendas and public papers (C4), and their published minutes (C5). Never an exempt item or anything
unpublished: every read here goes through the queries' ``public_only=True``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from projections import queries
from web.services import services
from web.ui.documents import send_document
from web.ui.params import page_number, with_args

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("/meetings")
def calendar() -> str:
    svc = services()
    today = svc.today()
    past = request.args.get("show") == "past"
    with svc.reading() as connection:
        page = queries.calendar(
            connection,
            start=None if past else today,
            end=today - timedelta(days=1) if past else None,
            public_only=True,
            newest_first=past,
            page=page_number(),
            per_page=50,
        )
    return render_template(
        "public/calendar.html", page=page, past=past, today=today, url_for_page=lambda n: with_args(page=n)
    )


def _public_meeting(meeting_id: UUID) -> dict[str, Any]:
    svc = services()
    with svc.reading() as connection:
        detail = queries.meeting_detail(connection, meeting_id, public_only=True)
    if detail is None:  # unknown, or of a body not open to the public (the queries' one policy)
        abort(404, "There is no public meeting with that id.")
    return detail


@bp.get("/meetings/<uuid:meeting_id>")
def meeting(meeting_id: UUID) -> str:
    return render_template("public/meeting.html", meeting=_public_meeting(meeting_id))


@bp.get("/meetings/<uuid:meeting_id>/papers/<int:number>")
def paper(meeting_id: UUID, number: int) -> Response:
    for item in _public_meeting(meeting_id)["agenda"]:
        for p in item["papers"]:
            if p["number"] == number:
                return send_document(p)
    abort(404, "There is no such public paper.")


@bp.get("/meetings/<uuid:meeting_id>/minutes")
def minutes(meeting_id: UUID) -> Response:
    detail = _public_meeting(meeting_id)
    if not detail["minutes"]:
        abort(404, "The minutes of this meeting are not published yet.")
    return send_document(detail["minutes"])
