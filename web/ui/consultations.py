"""The virtual panel's pages (rule A4).

Officers (whose role carries the consultations duty): the panel's members, the consultations, each
consultation's questions, results (chart, table, free text, CSV) and outcome. The officers' changes are
the commands' own forms (web/ui/commands.py).

Panel members and the public, without signing in: responding through a signed link (save and come back,
send once), leaving the panel through the link in any e-mail, signing up and confirming, an anonymous
response where a consultation takes them, and the public page of each consultation: its questions,
results and outcome, never a name, an address or a free-text answer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, current_app, render_template, request
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from application.authority import Duty
from application.commands.consultations import PanelSignUp
from application.errors import DuplicateError, NotFound
from application.panel_links import Link, LinkRefused, PanelLinks
from domain.consultation import Audience, QuestionKind, Stage
from domain.errors import DomainError, InvalidInput
from projections import queries
from projections.queries import consultations as q
from web.downloads import content_disposition, csv_cell
from web.services import services
from web.ui.access import carries, requires_sign_in
from web.ui.consultation_chart import choices_svg
from web.ui.fields import flatten_messages, sentence

bp = Blueprint("consultations", __name__)


def links() -> PanelLinks:
    return PanelLinks(current_app.secret_key)  # type: ignore[arg-type]


def _officer() -> None:
    if not carries(Duty.CONSULTATIONS):
        abort(403, "Only the partnership team sees the panel and its consultations.")


def _officer_page(view: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _officer()
        return view(*args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return requires_sign_in(wrapper)


def _consultation(consultation_id: UUID, *, public_only: bool = False) -> dict[str, Any]:
    with services().reading() as connection:
        row = q.consultation(connection, consultation_id, public_only=public_only)
    if row is None:
        abort(404, "There is no consultation with that id." if not public_only else "There is no such consultation.")
    return row


def _charts(figures: list[dict[str, Any]]) -> dict[int, Any]:
    return {f["number"]: choices_svg(f, id_prefix=f"chart-q{f['number']}") for f in figures if f["choices"]}


def _labels() -> dict[str, Any]:
    return {"stages": {s.value: s.label for s in Stage}, "audiences": {a.value: a.label for a in Audience},
            "kinds": {k.value: k.label for k in QuestionKind}}  # fmt: skip


# ------------------------------------------------------------------ officers


@bp.get("/panel")
@_officer_page
def panel() -> str:
    people = services().hub.panel.all()
    return render_template("consultations/panel.html", people=people)


@bp.get("/panel-members/<uuid:panel_member_id>")
@_officer_page
def panel_member(panel_member_id: UUID) -> str:
    person = services().hub.panel.get(panel_member_id)
    if person is None:
        abort(404, "There is no panel member with that id.")
    return render_template("consultations/panel_member.html", person=person)


@bp.get("/consultations")
@_officer_page
def consultation_list() -> str:
    with services().reading() as connection:
        rows = q.consultation_list(connection)
    return render_template("consultations/list.html", consultations=rows, **_labels())


@bp.get("/consultations/<uuid:consultation_id>")
@_officer_page
def consultation_page(consultation_id: UUID) -> str:
    row = _consultation(consultation_id)
    with services().reading() as connection:
        body = queries.body(connection, row["body_id"], today=services().today()) if row["body_id"] else None
    return render_template("consultations/consultation.html", c=row, body=body, **_labels())


@bp.get("/consultations/<uuid:consultation_id>/results")
@_officer_page
def results(consultation_id: UUID) -> str:
    row = _consultation(consultation_id)
    with services().reading() as connection:
        figures = q.results(connection, consultation_id, with_text=True)
    return render_template(
        "consultations/results.html", c=row, figures=figures, charts=_charts(figures), officer=True, **_labels()
    )


@bp.get("/consultations/<uuid:consultation_id>/results.csv")
@_officer_page
def results_csv(consultation_id: UUID) -> Response:
    """One row per submitted response, one column per question; no names or addresses."""
    row = _consultation(consultation_id)
    with services().reading() as connection:
        answers = q.submitted_answers(connection, consultation_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    numbers = [question["number"] for question in row["questions"]]
    writer.writerow(
        ["Response", "Sent at (UTC)", "Anonymous", *[f"Q{n}. {question['text']}" for n, question in
                                                    zip(numbers, row["questions"], strict=True)]]
    )  # fmt: skip
    for a in answers:
        cells = ["; ".join(a["answers"].get(n, [])) for n in numbers]
        writer.writerow(
            [a["response"], a["submitted_at"].isoformat(), "yes" if a["anonymous"] else "no", *map(csv_cell, cells)]
        )
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(f"{row['title']} - responses.csv")
    return response


# ------------------------------------------------------------------ responding


def refusal_status(refusal: DomainError) -> int:
    """410 Gone once a consultation has closed, 409 for a second response, 403 for anyone else refused."""
    text = str(refusal)
    if "already responded" in text:
        return 409
    return 410 if "closed on" in text else 403


def _refused(message: str, status: int) -> tuple[str, int]:
    return render_template("consultations/refused.html", message=sentence(message) + "."), status


def _answers_from_form(questions: list[dict[str, Any]]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        name = f"q{question['number']}"
        if question["kind"] == QuestionKind.MULTIPLE_CHOICE.value:
            chosen = request.form.getlist(name)
            if chosen:
                answers[str(question["number"])] = chosen
        elif request.form.get(name, "").strip():
            answers[str(question["number"])] = request.form[name]
    return answers


def _respond(consultation_id: UUID, panel_member_id: UUID | None, *, action_url: str) -> Any:
    """The response form: GET shows it (with what was saved), POST saves or sends it."""
    hub = services().hub
    try:
        hub.check_link(consultation_id, panel_member_id)
    except NotFound:
        return _refused("there is no such consultation", 404)
    except DomainError as refusal:
        return _refused(str(refusal), refusal_status(refusal))
    row = _consultation(consultation_id)
    saved: dict[str, Any] = {}
    if panel_member_id is not None:
        response = hub.response_of(consultation_id, panel_member_id)
        saved = dict(response.answers) if response is not None else {}
    errors: dict[str, str] = {}
    values: dict[str, Any] = saved
    status = 200
    if request.method == "POST":
        values = _answers_from_form(row["questions"])
        submit = request.form.get("action") != "save"
        try:
            outcome = hub.save_response(consultation_id, panel_member_id, values, submit=submit)
        except InvalidInput as error:
            message = error.message.split(": ", 1)[-1]
            errors[error.field if error.field.startswith("q") else "_form"] = sentence(message)
            status = 400
        except DomainError as refusal:
            return _refused(str(refusal), refusal_status(refusal))
        else:
            services().wait_for()  # the officer's figures show it at once
            return render_template(
                "consultations/thanks.html", c=row, submitted=outcome.submitted, again_url=action_url
            )
    return render_template(
        "consultations/respond.html",
        c=row,
        values={f"q{k}": v if isinstance(v, list) else str(v) for k, v in values.items()},
        errors=errors,
        action_url=action_url,
        anonymous=panel_member_id is None,
        leave_url=f"/panel/leave/{links().make('leave', panel_member_id)}" if panel_member_id else None,
        **_labels(),
    ), status


def _link(token: str, purpose: str) -> Link | tuple[str, int]:
    try:
        return links().read(token, purpose)
    except LinkRefused as refusal:
        return _refused(str(refusal), 403)


@bp.route("/respond/<token>", methods=["GET", "POST"])
def respond(token: str) -> Any:
    link = _link(token, "respond")
    if not isinstance(link, Link):
        return link
    assert link.consultation_id is not None
    return _respond(link.consultation_id, link.panel_member_id, action_url=f"/respond/{token}")


@bp.route("/public/consultations/<uuid:consultation_id>/respond", methods=["GET", "POST"])
def respond_anonymously(consultation_id: UUID) -> Any:
    return _respond(consultation_id, None, action_url=f"/public/consultations/{consultation_id}/respond")


@bp.route("/panel/leave/<token>", methods=["GET", "POST"])
def leave(token: str) -> Any:
    link = _link(token, "leave")
    if not isinstance(link, Link):
        return link
    if request.method == "POST":
        try:
            services().hub.leave_panel(link.panel_member_id)
        except NotFound:
            return _refused("this link is for a panel member we no longer hold", 404)
        except DomainError as refusal:
            return _refused(str(refusal), 409)
        return render_template("consultations/left.html")
    return render_template("consultations/leave.html", action_url=f"/panel/leave/{token}")


@bp.route("/panel/join", methods=["GET", "POST"])
def join() -> Any:
    """Self sign-up: name, address, interests and consent; contacted once the address is confirmed."""
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "") for k in ("name", "email", "interests")}
    if request.method == "POST":
        data: dict[str, Any] = {
            "name": values["name"],
            "email": values["email"].strip(),
            "interests": [line.strip() for line in values["interests"].splitlines() if line.strip()],
            "consent": request.form.get("consent") == "yes",
        }
        try:
            loaded = PanelSignUp().load(data)
            services().hub.sign_up_to_panel(
                name=loaded["name"], email=loaded["email"], interests=loaded.get("interests") or []
            )
        except ValidationError as error:
            errors = {k: sentence(v) for k, v in flatten_messages(error.messages).items()}
        except DuplicateError:
            # The same answer as a new sign-up: the page must not tell anyone whether an address is on the
            # panel (that someone uses the council's services is personal data).
            return render_template("consultations/joined.html")
        except InvalidInput as error:
            errors = {error.field: sentence(error.message.split(": ", 1)[-1])}
        else:
            return render_template("consultations/joined.html")
    return render_template("consultations/join.html", values=values, errors=errors), 400 if errors else 200


@bp.route("/panel/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Any:
    """Opening the link shows a button; only pressing it confirms (a mail filter that opens every link in a
    message must not put someone on the panel with an address they never gave)."""
    link = _link(token, "confirm")
    if not isinstance(link, Link):
        return link
    if request.method == "GET":
        return render_template("consultations/confirm.html", action_url=f"/panel/confirm/{token}")
    try:
        services().hub.confirm_panel_member(link.panel_member_id)
    except NotFound:
        return _refused("this link is for a panel member we no longer hold", 404)
    except DomainError as refusal:
        return _refused(str(refusal), 409)
    return render_template("consultations/confirmed.html")


# ------------------------------------------------------------------ the public


@bp.get("/public/consultations")
def public_list() -> str:
    with services().reading() as connection:
        rows = q.consultation_list(connection, public_only=True)
    return render_template("consultations/public_list.html", consultations=rows, **_labels())


@bp.get("/public/consultations/<uuid:consultation_id>")
def public_consultation(consultation_id: UUID) -> str:
    """What it asked, its results once closed, and what came of it: no names, addresses or free text."""
    row = _consultation(consultation_id, public_only=True)
    figures: list[dict[str, Any]] = []
    linked: dict[str, Any] = {}
    with services().reading() as connection:
        if row["stage"] in (Stage.CLOSED.value, Stage.OUTCOME_PUBLISHED.value):
            figures = q.results(connection, consultation_id)
        for key in ("body_id", "linked_body_id"):
            if row[key]:
                body = queries.body(connection, row[key], today=services().today())
                linked[key] = body["name"] if body else None
        if row["linked_meeting_id"]:
            meeting = queries.meeting_detail(connection, row["linked_meeting_id"], public_only=True)
            linked["meeting"] = meeting
        if row["linked_project_id"]:
            project = queries.project(connection, row["linked_project_id"], today=services().today())
            linked["project"] = project["title"] if project else None
    return render_template(
        "consultations/public.html",
        c=row,
        figures=figures,
        charts=_charts(figures),
        linked=linked,
        **_labels(),
    )
