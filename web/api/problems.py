"""Every error under /api/v1 as an RFC 9457 problem document (application/problem+json).

Registered on each API blueprint, so they answer before the app-wide handler (web.errors), which
still covers what no blueprint sees (an unknown path, a wrong method). Domain errors map to statuses
here, in one place: a broken rule or bad value is 422 with the field named, a stale version 409 with
the record named, a refused role 403, an unknown record 404, a second record with the same identity 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response
from marshmallow import INCLUDE, Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException

from application.errors import ConflictError, DuplicateError, NotFound
from domain.errors import DomainError, InvalidInput, NotPermitted
from web.errors import problem

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSchema(Schema):
    """The documented shape of every error; extension members (e.g. a conflict's ``current_version``) may follow."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(metadata={"description": "a URI naming the kind of problem; about:blank for plain HTTP ones"})
    title = fields.String(required=True, metadata={"description": "what went wrong, in a few words"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    detail = fields.String(metadata={"description": "what to do about it"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "for invalid input: each field's messages, keyed by field (dotted when nested)"},
    )
    rule = fields.String(metadata={"description": "the numbered rule of the framework that was broken"})


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"field.sub": [messages]} (the request location dropped)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, texts in flatten_messages(value, name).items():
                out.setdefault(field, []).extend(texts)
    elif isinstance(messages, list | tuple):
        for value in messages:
            for field, texts in flatten_messages(value, prefix).items():
                out.setdefault(field, []).extend(texts)
    else:
        out.setdefault(prefix or "_request", []).append(str(messages))
    return out


LOCATIONS = ("json", "query", "querystring", "headers", "form", "files", "view_args")


def validation_problem(messages: Any, status: int = 422) -> Response:
    if isinstance(messages, Mapping) and messages and set(messages) <= set(LOCATIONS):
        # webargs keys messages by where they came from; one request has one body and one query.
        merged: dict[str, list[str]] = {}
        for part in messages.values():
            for field, texts in flatten_messages(part).items():
                merged.setdefault(field, []).extend(texts)
    else:
        merged = flatten_messages(messages)
    return problem(
        status,
        "Invalid input",
        "Some of what you sent is not valid: see each field's messages in 'errors'.",
        errors=merged,
    )


def _domain_problem(error: DomainError) -> Response:
    extra: dict[str, Any] = {"rule": error.rule} if error.rule else {}
    if isinstance(error, NotPermitted):  # the role's table, or a record that is someone else's
        return problem(403, "Not allowed", error.message, **extra)
    if isinstance(error, NotFound):
        return problem(404, "Not found", error.message, **extra)
    if isinstance(error, ConflictError):
        return problem(
            409,
            "Changed by someone else",
            error.message,
            resource={"id": str(error.id), "name": error.name},
            current_version=error.current_version,
            **extra,
        )
    if isinstance(error, DuplicateError):
        return problem(409, "Already exists", error.message, **extra)
    if isinstance(error, InvalidInput):
        field_message = error.message.removeprefix(f"{error.field}: ")
        return problem(422, "Invalid input", error.message, errors={error.field: [field_message]}, **extra)
    return problem(422, "Not allowed by the framework's rules", error.message, **extra)


def _http_problem(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    if status == 422 and "messages" in data:
        response = validation_problem(data["messages"])
    elif status == 400 and "messages" in data and "json" not in data["messages"]:
        # A read whose question was not understood (the search's q): 400, each field's messages named.
        response = validation_problem(data["messages"], status=400)
    elif status == 400 and "messages" in data:
        # webargs could not parse the body at all (it says only "Invalid JSON body.").
        detail = "the request body is not valid JSON: send one JSON object, with Content-Type: application/json"
        response = problem(400, "Malformed request body", detail, errors=flatten_messages(data["messages"]))
    else:
        response = problem(status, error.name, data.get("message") or error.description)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    for name in ("WWW-Authenticate", "Allow"):
        header = error.get_response().headers.get(name)
        if header and name not in response.headers:
            response.headers[name] = header
    return response


def register(blueprint: Blueprint) -> None:
    blueprint.register_error_handler(DomainError, _domain_problem)
    blueprint.register_error_handler(ValidationError, lambda e: validation_problem(e.messages))
    blueprint.register_error_handler(HTTPException, _http_problem)
