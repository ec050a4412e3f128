"""Signing in and out: GET/POST /sign-in, POST /sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response

from web.auth import login_user, logout_user
from web.services import services

bp = Blueprint("sign_in", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in form cannot send someone elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
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
        user = services().users.authenticate(values["user_id"], password)
        if user is not None:
            login_user(user)
            return redirect(next_path)
        errors["user_id"] = "The user name or password is not right"
    return render_template("sign_in.html", values=values, errors=errors, next_path=next_path), 400


@bp.post("/sign-out")
def sign_out() -> Response:
    logout_user()
    return redirect("/signed-out")


@bp.get("/signed-out")
def signed_out() -> str:
    return render_template("signed_out.html")
