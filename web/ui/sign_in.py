"""Signing in and out: GET/POST /sign-in, POST /sign-out.

Sign-in is throttled per account and per client address (application/sign_in_throttle.py): a locked
account or address is refused with 429, how long to wait (also as Retry-After) and, for an account,
that an administrator can unlock it. The password is not even checked while locked.
"""

from __future__ import annotations

import logging
import math
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response

from web.auth import login_user, logout_user
from web.services import services

bp = Blueprint("sign_in", __name__)
log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in form cannot send someone elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def client_address() -> str:
    """The client's address (behind a proxy, as ProxyFix took it from X-Forwarded-For: web/app.py)."""
    return request.remote_addr or "unknown"


def _named(typed: str) -> str:
    """An account's user name for the log, but never what was typed otherwise (often a password, typed
    into the wrong box)."""
    user = services().users.get(typed.strip().lower())
    return f"account {user.user_id}" if user is not None else "a user name that is no account's"


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("sign_in.html", values={}, errors={}, next_path=next_path)
    values = {"user_id": request.form.get("user_id", "").strip()}
    password = request.form.get("password", "")
    errors = {}
    if not values["user_id"]:
        errors["user_id"] = "Enter your user name"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        svc = services()
        address = client_address()
        locked = svc.throttle.locked(values["user_id"], address)
        if locked is not None:
            log.warning("sign-in refused: %s locked (%s)", locked.scope.value, _named(values["user_id"]))
            page = render_template(
                "sign_in.html",
                values=values,
                errors={"user_id": locked.message(svc.throttle.now())},
                next_path=next_path,
            )
            return page, 429, {"Retry-After": str(max(1, math.ceil(locked.wait(svc.throttle.now()).total_seconds())))}
        user = svc.users.authenticate(values["user_id"], password)
        if user is not None:
            svc.throttle.succeeded(user.user_id)
            login_user(user)
            return redirect(next_path)
        svc.throttle.failed(values["user_id"], address)
        log.info("sign-in failed for %s", _named(values["user_id"]))
        errors["user_id"] = "The user name or password is not right"
    return render_template("sign_in.html", values=values, errors=errors, next_path=next_path), 400


@bp.post("/sign-out")
def sign_out() -> Response:
    logout_user()
    return redirect("/signed-out")


@bp.get("/signed-out")
def signed_out() -> str:
    return render_template("signed_out.html")
