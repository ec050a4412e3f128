"""The directory of bodies, a body's page, its history and the body or directory "as at" a date."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request

from application.commands.meetings import ScheduleMeeting
from domain.body import Body
from domain.vocabulary import BodyKind, BodyStatus
from domain.working_days import LONDON
from projections import queries
from web.services import services
from web.ui.access import requires_sign_in
from web.ui.forms import BODY_FORMS
from web.ui.params import date_from_parts, page_number, with_args

bp = Blueprint("bodies", __name__)

PER_PAGE = 25
KIND_OPTIONS = [(k.value, k.label.capitalize()) for k in BodyKind]
STATUS_OPTIONS = [(s.value, s.value.replace("_", " ").capitalize()) for s in BodyStatus] + list(
    queries.DIRECTORY_FILTERS.items()
)


@bp.get("/bodies")
@requires_sign_in
def directory() -> str:
    svc = services()
    kind = request.args.get("kind") or None
    status = request.args.get("status") or None
    kind = kind if kind in {k for k, _ in KIND_OPTIONS} else None
    status = status if status in {s for s, _ in STATUS_OPTIONS} else None
    q = (request.args.get("q") or "").strip()[:200] or None
    sort = request.args.get("sort", "name")
    sort = sort if sort in queries.DIRECTORY_SORTS else "name"
    descending = request.args.get("order") == "desc"
    with svc.reading() as connection:
        page = queries.directory(
            connection,
            today=svc.today(),
            kind=kind,
            status=status,
            q=q,
            sort=sort,
            descending=descending,
            page=page_number(),
            per_page=PER_PAGE,
        )
    return render_template(
        "bodies/directory.html",
        page=page,
        filters={"kind": kind or "", "status": status or "", "q": q or ""},
        kind_options=KIND_OPTIONS,
        status_options=STATUS_OPTIONS,
        sort=sort,
        descending=descending,
        url_for_page=lambda n: with_args(page=n),
        url_for_sort=lambda key, desc: with_args(sort=key, order="desc" if desc else None, page=None),
    )


def _body_or_404(body_id: UUID) -> dict[str, Any]:
    svc = services()
    with svc.reading() as connection:
        body = queries.body(connection, body_id, today=svc.today())
    if body is None:
        abort(404, "There is no body with that id.")
    return body


@bp.get("/bodies/<uuid:body_id>")
@requires_sign_in
def body_page(body_id: UUID) -> str:
    svc = services()
    body = _body_or_404(body_id)
    today = svc.today()
    with svc.reading() as connection:
        members = queries.body_members(connection, body_id)
        meetings = queries.all_meetings_of_body(connection, body_id, today=today)
        history = queries.audit(connection, body_id=body_id, page=1, per_page=5)
        actions = queries.open_actions(connection, body_id, public_only=False)
        pending = queries.open_proposals(connection, body_id)
        decided = queries.decided_proposals(connection, body_id)
    return render_template(
        "bodies/body.html",
        body=body,
        current=[m for m in members if m["left_on"] is None],
        former=[m for m in members if m["left_on"] is not None],
        meetings=meetings,
        history=history,
        actions=actions,
        pending=pending,
        decided=decided,
        forms=[spec for spec in BODY_FORMS if spec.command is not ScheduleMeeting.command],
        today=today,
    )


@bp.get("/bodies/<uuid:body_id>/history")
@requires_sign_in
def history(body_id: UUID) -> str:
    body = _body_or_404(body_id)
    with services().reading() as connection:
        page = queries.audit(connection, body_id=body_id, newest_first=False, page=page_number(), per_page=50)
    return render_template("bodies/history.html", body=body, page=page, url_for_page=lambda n: with_args(page=n))


@bp.get("/bodies/<uuid:body_id>/as-at")
@requires_sign_in
def body_as_at(body_id: UUID) -> tuple[str, int] | str:
    """Two readings: the framework on a day by effective date (read models), or the record as it stood
    at the end of a day by when changes were recorded (the event store's ``as_at``)."""
    svc = services()
    body = _body_or_404(body_id)
    day, error, values = date_from_parts("date")
    basis = "recorded" if request.args.get("basis") == "recorded" else "effective"
    values["basis"] = basis
    state = members = None
    recorded: Body | None = None
    if day is not None:
        if basis == "effective":
            with svc.reading() as connection:
                state = queries.state_on(connection, body_id, day)
                members = queries.members_as_at(connection, body_id, day)
        else:
            end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
            found = svc.hub.as_at(body_id, end_of_day)
            recorded = found if isinstance(found, Body) else None
    html = render_template(
        "bodies/as_at.html",
        body=body,
        day=day,
        basis=basis,
        values=values,
        errors={"date": error} if error else {},
        state=state,
        members=members,
        recorded=recorded,
    )
    return (html, 400) if error else html


@bp.get("/directory/as-at")
@requires_sign_in
def directory_as_at() -> tuple[str, int] | str:
    day, error, values = date_from_parts("date")
    rows = None
    if day is not None:
        with services().reading() as connection:
            rows = queries.directory_as_at(connection, day)
    html = render_template(
        "bodies/directory_as_at.html", day=day, rows=rows, values=values, errors={"date": error} if error else {}
    )
    return (html, 400) if error else html
