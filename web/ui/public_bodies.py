"""The public's view of the bodies, without signing in: the directory, each body's page and history, and
"Follow this body" (an e-mail subscription confirmed by a signed link, ended by one click).

What the public reads comes from projections/queries/public_bodies.py (no names of members) and the
calendar's public queries (no meeting of a body closed to the public, no exempt item, nothing unpublished).
The followers' addresses are kept by application/followers.py, never in the event log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from application.followers import BadLink, Followers
from domain.errors import InvalidInput
from projections import queries
from projections.queries.public_bodies import public_body, public_directory, public_history, public_membership
from web.services import services
from web.ui import csrf
from web.ui.params import page_number, with_args

bp = Blueprint("public_bodies", __name__, url_prefix="/public")

HISTORY_ON_PAGE = 10
# What following would tell of a body whose meetings are closed to the public: nothing (rule C3).
CLOSED = "this body's meetings are not open to the public, so no agenda or minutes of it are published to follow"


def followers() -> Followers:
    return services().followers


def confirmation_link(token: str) -> str:
    """The address a confirmation e-mail gives: the mail settings' base URL when set (the scheduler's mail
    is read far from this request), else this request's own host."""
    base = services().smtp.base_url or request.host_url.rstrip("/")
    return f"{base}/public/follow/confirm/{token}"


def _body_or_404(body_id: UUID) -> dict[str, Any]:
    svc = services()
    with svc.reading() as connection:
        body = public_body(connection, body_id, today=svc.today())
    if body is None:
        abort(404, "There is no body with that id.")
    return body


@bp.get("/bodies")
def directory() -> str:
    svc = services()
    q = (request.args.get("q") or "").strip()[:200] or None
    with svc.reading() as connection:
        page = public_directory(connection, today=svc.today(), q=q, page=page_number(), per_page=50)
    return render_template("public/bodies.html", page=page, q=q or "", url_for_page=lambda n: with_args(page=n))


def _body_page(body_id: UUID, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> str:
    svc = services()
    body = _body_or_404(body_id)
    today = svc.today()
    with svc.reading() as connection:
        membership = public_membership(connection, body_id)
        coming = queries.calendar(connection, public_only=True, body_id=body_id, start=today, per_page=10)
        past = queries.calendar(
            connection,
            public_only=True,
            body_id=body_id,
            end=today - timedelta(days=1),
            newest_first=True,
            per_page=20,
        )
        history = public_history(connection, body_id, per_page=HISTORY_ON_PAGE)
    return render_template(
        "public/body.html",
        body=body,
        membership=membership,
        coming=coming,
        past=past,
        history=history,
        values=values or {},
        errors=errors or {},
    )


@bp.get("/bodies/<uuid:body_id>")
def body_page(body_id: UUID) -> str:
    return _body_page(body_id)


@bp.get("/bodies/<uuid:body_id>/history")
def history(body_id: UUID) -> str:
    body = _body_or_404(body_id)
    with services().reading() as connection:
        page = public_history(connection, body_id, page=page_number(), per_page=50, newest_first=False)
    return render_template("public/body_history.html", body=body, page=page, url_for_page=lambda n: with_args(page=n))


@bp.post("/bodies/<uuid:body_id>/follow")
def follow(body_id: UUID) -> tuple[str, int] | str:
    body = _body_or_404(body_id)
    email = (request.form.get("email") or "")[:1000]
    if not body["open_to_public"]:
        return _body_page(body_id, values={"email": email}, errors={"email": CLOSED + " (rule C3)"}), 400
    try:
        followers().subscribe(body_id, body["name"], email, link=confirmation_link)
    except InvalidInput as error:
        return _body_page(body_id, values={"email": email}, errors={"email": error.message}), 400
    return render_template("public/follow_check_email.html", body=body)


@bp.get("/follow/confirm/<token>")
def confirm_page(token: str) -> tuple[str, int] | str:
    """Shows a button rather than confirming on opening: a mail filter that opens links to check them
    does not subscribe anyone."""
    return _token_page("confirm", token)


@bp.post("/follow/confirm/<token>")
def confirm(token: str) -> tuple[str, int] | str:
    try:
        body_id = followers().confirm(token)
    except BadLink as error:
        return render_template("public/follow_refused.html", message=error.message), 400
    body = _body_or_404(body_id)
    return render_template("public/follow_confirmed.html", body=body)


@bp.get("/follow/unsubscribe/<token>")
def unsubscribe_page(token: str) -> tuple[str, int] | str:
    return _token_page("unsubscribe", token)


@bp.post("/follow/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: a mail client's one-click POST carries no form token; the signed link is the secret
def unsubscribe(token: str) -> tuple[str, int] | str | Response:
    try:
        body_id = followers().unsubscribe(token)
    except BadLink as error:
        return render_template("public/follow_refused.html", message=error.message), 400
    body = None
    if body_id is not None:
        with services().reading() as connection:
            body = public_body(connection, body_id, today=services().today())
    return render_template("public/follow_unsubscribed.html", body=body)


def _token_page(action: str, token: str) -> tuple[str, int] | str:
    try:
        followers().check(action, token)
    except BadLink as error:
        return render_template("public/follow_refused.html", message=error.message), 400
    return render_template("public/follow_action.html", action=action, token=token)
