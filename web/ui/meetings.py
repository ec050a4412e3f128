"""Meetings for those who service them: the calendar, a meeting's whole record and its documents."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from projections import queries
from projections.questions import questions_for_officer
from web.services import services
from web.ui.access import MEETING_RECORD_DUTY, requires_duty
from web.ui.documents import send_document
from web.ui.forms import approvable
from web.ui.params import page_number, with_args

bp = Blueprint("meetings", __name__)


@bp.get("/meetings")
@requires_duty(MEETING_RECORD_DUTY)
def calendar() -> str:
    svc = services()
    today = svc.today()
    show = request.args.get("show", "coming")
    start, end = (today, None) if show == "coming" else (None, today - timedelta(days=1))
    with svc.reading() as connection:
        page = queries.calendar(connection, start=start, end=end, page=page_number(), per_page=50)
    rows = page.items
    for row in rows:
        row.update(queries.deadline_flags(row, today))
    return render_template(
        "meetings/calendar.html", page=page, show=show, today=today, url_for_page=lambda n: with_args(page=n)
    )


def _detail(meeting_id: UUID) -> dict[str, Any]:
    svc = services()
    with svc.reading() as connection:
        detail = queries.meeting_detail(connection, meeting_id, public_only=False, today=svc.today())
        if detail is not None:
            earlier = queries.meetings_of_body(connection, detail["body_id"], before=detail["meeting_date"], limit=1)
            detail["approvable"] = approvable(earlier)
            detail["public_questions"] = questions_for_officer(connection, meeting_id)
    if detail is None:
        abort(404, "There is no meeting with that id.")
    return detail


@bp.get("/meetings/<uuid:meeting_id>")
@requires_duty(MEETING_RECORD_DUTY)
def meeting(meeting_id: UUID) -> str:
    return render_template("meetings/meeting.html", meeting=_detail(meeting_id), today=services().today())


@bp.get("/meetings/<uuid:meeting_id>/papers/<int:number>")
@requires_duty(MEETING_RECORD_DUTY)
def paper(meeting_id: UUID, number: int) -> Response:
    detail = _detail(meeting_id)
    for item in detail["agenda"]:
        for p in item["papers"]:
            if p["number"] == number:
                return send_document(p)
    abort(404, "There is no such paper.")


@bp.get("/meetings/<uuid:meeting_id>/minutes")
@requires_duty(MEETING_RECORD_DUTY)
def minutes(meeting_id: UUID) -> Response:
    detail = _detail(meeting_id)
    if not detail["minutes"]:
        abort(404, "No minutes have been recorded for this meeting.")
    return send_document(detail["minutes"])
