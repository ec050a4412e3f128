"""HTTP errors outside any view's own handling: a problem document under /api/, an HTML page elsewhere.

Registered last by the app factory, so it also replaces any app-wide handler an extension installed
(flask-smorest installs one that would answer the UI's 404s in JSON). Every request has an id (sent back
as ``X-Request-Id``); an unexpected error is logged with its traceback and that id, and the page or
problem document shows the id. It says "nothing was saved" only when this request saved nothing: a
command that saved and then failed, or a failure after a command in the same request, is answered as
saved, with the record's version.

A disk that is full or read-only (the database's or the uploaded files') is not "something went wrong":
it is answered 503 with what it is, that nothing was saved and to try later (with Retry-After), in the
UI and the API alike, and logged with the request id.
"""

from __future__ import annotations

import errno
import logging
import re
import uuid

from eventsourcing.persistence import PersistenceError
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from jinja2 import TemplateNotFound
from sqlalchemy.exc import SQLAlchemyError, StatementError
from werkzeug.exceptions import HTTPException, InternalServerError

from application.commands import Outcome, SavedThenFailed
from web.log_paths import logged_path
from web.saved import saved_outcomes

PROBLEM_TYPE = "about:blank"
REQUEST_ID_HEADER = "X-Request-Id"
# A request id from a proxy in front of us is kept if it looks like one; anything else is replaced.
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger(__name__)


def request_id() -> str:
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex
    return g.request_id


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
        extra = {"request_id": request_id()} if status >= 500 else {}
        response = problem(status, title, error.description, **extra)
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response
    try:
        page = render_template(
            "error.html", status=status, title=title, detail=error.description, request_id=request_id()
        )
        return page, status
    except TemplateNotFound:
        return f"{status} {title}: {error.description}", status


def _saved_sentence(outcomes: list[Outcome]) -> str:
    last = outcomes[-1]
    what = f"{last.subject.value} version {last.version}" if last.subject and last.version else "the record"
    return f"Your change was saved ({last.command.title.lower()}: {what}), but something went wrong afterwards"


# What a full or read-only disk says through SQLite, PostgreSQL and the operating system.
_FULL = ("database or disk is full", "no space left on device", "could not extend file", "disk full")
_READ_ONLY = ("readonly database", "read-only file system", "read-only transaction")
RETRY_AFTER_SECONDS = 60


def storage_problem(error: BaseException) -> str | None:
    """'full' or 'read-only' when the error (or what caused it) is a disk that cannot take a write."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return "full"
        if isinstance(current, OSError) and current.errno == errno.EROFS:
            return "read-only"
        text = str(current).lower()
        if any(words in text for words in _FULL):
            return "full"
        if any(words in text for words in _READ_ONLY):
            return "read-only"
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return None


def _without_parameters(error: BaseException) -> BaseException:
    """The error with every SQL statement's parameters left out of its text: they can hold a person's name
    or address (the people register, the panel, the followers), which the log must not keep."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, StatementError):
            link.hide_parameters = True
        link = link.__cause__ or link.__context__
    return error


def handle_storage_error(error: Exception) -> Response | tuple[str, int]:
    problem_kind = storage_problem(error)
    if problem_kind is None:
        if current_app.testing or current_app.debug:
            raise error
        return handle_unexpected(error)
    rid = request_id()
    log.error(
        "storage %s on %s %s (request %s)",
        problem_kind,
        request.method,
        logged_path(),
        rid,
        exc_info=_without_parameters(error),
        extra={"event": "storage_unavailable", "request_id": rid, "storage": problem_kind},
    )
    outcomes = saved_outcomes()
    if isinstance(error, SavedThenFailed):
        outcomes.append(error.outcome)
    if outcomes:  # saved first, then the disk failed: the change stands, and the answer must say so
        return handle_unexpected(error)
    detail = (
        f"The service cannot save anything just now: its disk is {problem_kind}. Nothing you sent was saved. "
        f"Please try again later; the service's administrators have been told (reference {rid})."
    )
    if is_api_request():
        response = problem(503, "Cannot save just now", detail, request_id=rid, storage=problem_kind)
    else:
        page = render_template("error.html", status=503, title="Cannot save just now", detail=detail, request_id=rid)
        response = Response(page, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    rid = request_id()
    log.error(
        "unexpected error on %s %s (request %s)",
        request.method,
        logged_path(),
        rid,
        exc_info=_without_parameters(error),
        extra={"event": "unexpected_error", "request_id": rid},
    )
    outcomes = saved_outcomes()
    if isinstance(error, SavedThenFailed):
        outcomes.append(error.outcome)
    if outcomes:
        detail = f"{_saved_sentence(outcomes)} on our side. Do not send it again. Reference: {rid}."
        if is_api_request():
            last = outcomes[-1]
            return problem(
                500,
                "Saved, then something went wrong",
                detail,
                saved=True,
                id=str(last.subject_id) if last.subject_id else None,
                version=last.version,
                position=last.position,
                request_id=rid,
            )
    else:
        detail = f"Something went wrong on our side; nothing was saved. Reference: {rid}."
    return handle_http_exception(InternalServerError(detail))


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    # A command that saved and then failed is answered as saved, in tests too.
    app.register_error_handler(SavedThenFailed, handle_unexpected)
    # A full or read-only disk is answered 503 with what it is, in tests too.
    for kind in (OSError, SQLAlchemyError, PersistenceError):
        app.register_error_handler(kind, handle_storage_error)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, handle_unexpected)

    @app.after_request
    def _send_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response
