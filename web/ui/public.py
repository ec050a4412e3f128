"""What the public sees, without signing in: meetings open to the public (C3), their published
agendas and public papers (C4), and their published minutes (C5). Never an exempt item or anything
unpublished: every read here goes through the queries' ``public_only=True``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from application.authority import PUBLIC_ACTOR
from application.commands.questions import AskPublicQuestion
from domain.errors import DomainError, InvalidInput
from domain.public_question import described_close, questions_close, takes_questions
from projections import queries
from projections.questions import meeting_for_questions, published_questions
from web.saved import saved
from web.services import services
from web.ui.documents import send_document
from web.ui.fields import flatten_messages, sentence
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


def _questions(meeting_id: UUID) -> dict[str, Any]:
    """Rule C7 on the public page: whether questions are taken and until when, and those published with the minutes."""
    svc = services()
    with svc.reading() as connection:
        facts = meeting_for_questions(connection, meeting_id)
        published = published_questions(connection, meeting_id)
    assert facts is not None
    refused = takes_questions(facts["body_kind"], facts["public"], facts["status"])
    closes = questions_close(facts["meeting_date"])
    return {
        "taken": refused is None,
        "open": refused is None and svc.now() <= closes,
        "closes": described_close(facts["meeting_date"]),
        "published": published,
    }


def _meeting_page(meeting_id: UUID, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  status: int = 200) -> tuple[str, int]:  # fmt: skip
    page = render_template(
        "public/meeting.html",
        meeting=_public_meeting(meeting_id),
        questions=_questions(meeting_id),
        values=values or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/meetings/<uuid:meeting_id>")
def meeting(meeting_id: UUID) -> tuple[str, int]:
    return _meeting_page(meeting_id)


@bp.post("/meetings/<uuid:meeting_id>/questions")
def ask_question(meeting_id: UUID) -> Any:
    """Rule C7: a member of the public's written question, no account needed (the form is CSRF-protected)."""
    _public_meeting(meeting_id)  # 404 for a meeting the public may not see
    values = {key: request.form.get(key, "") for key in ("name", "email", "question")}
    data: dict[str, Any] = {**values, "publish_name": request.form.get("publish_name") == "yes"}
    if request.form.get("publish_name") == "yes":
        values["publish_name"] = "yes"
    errors: dict[str, str] = {}
    try:
        outcome = services().dispatcher.run(AskPublicQuestion, PUBLIC_ACTOR, subject_id=meeting_id, data=data)
    except ValidationError as error:
        errors = {name: sentence(message) for name, message in flatten_messages(error.messages).items()}
    except InvalidInput as error:
        errors = {error.field: sentence(error.message.removeprefix(f"{error.field}: "))}
    except DomainError as error:
        errors = {"_form": sentence(str(error))}
    else:
        saved(outcome)
        flash("Your question was received. It will be put to the meeting, and it and the answer are published "
              "with the minutes.", "success")  # fmt: skip
        return redirect(f"/public/meetings/{meeting_id}#questions")
    return _meeting_page(meeting_id, values, errors, 400)


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
