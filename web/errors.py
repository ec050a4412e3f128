"""HTTP errors outside any view's own handling: a problem document under /api/, an HTML page elsewhere.

Registered last by the app factory, so it also replaces any app-wide handler an extension installed
(flask-smorest installs one that would answer the UI's 404s in JSON).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_TYPE = "about:blank"


def problem(status: int, title: str, detail: str | None = None, **extra: object) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, object] = {"type": PROBLEM_TYPE, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def handle_http_exception(error: HTTPException) -> Response | tuple[str, int]:
    status = error.code or 500
    title = error.name
    if is_api_request():
        response = problem(status, title, error.description)
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response
    try:
        return render_template("error.html", status=status, title=title, detail=error.description), status
    except TemplateNotFound:
        return f"{status} {title}: {error.description}", status


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    return handle_http_exception(InternalServerError("Something went wrong on our side; nothing was saved."))


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, handle_unexpected)
