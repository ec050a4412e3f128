"""Who is calling and which version they saw: bearer tokens, If-Match and ETags for the API.

The API knows callers by bearer token only. A session cookie is ignored here, so a page in someone's
browser cannot write through the API on their behalf (the cookie would ride along; a token does not),
and CSRF protection does not apply to the API's routes.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, g, request
from flask_smorest import abort

from application.users import User
from web.services import services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REALM = 'Bearer realm="Partnership Hub API"'
# If-Match carries the version the caller read, as the ETag gave it: "3", 3 or W/"3".
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The version of the record you read (its `version`, or the ETag, e.g. `"3"`). '
    "A stale version is refused with 409; leaving it out, with 428.",
    "schema": {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,9}"?$'},
}
IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Any unique string (e.g. a UUID). Sending the same key with the same body again returns "
    "the first response and changes nothing more; the same key with a different body is refused with 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def api_user() -> User | None:
    """The caller, from ``Authorization: Bearer``; an unknown, revoked or malformed token is refused, never ignored."""
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization")
    user = None
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(
                401,
                message="Send your API token as 'Authorization: Bearer <token>'.",
                headers={"WWW-Authenticate": REALM},
            )
        user = services().users.user_for_token(token.strip())
        if user is None:
            abort(
                401,
                message="That API token is not known, has been revoked, or belongs to an account that is closed.",
                headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
            )
    g.api_user = user
    return user


def require_user() -> User:
    """The caller, who must have sent a token (every write, and the reads that are not public)."""
    user = api_user()
    if user is None:
        abort(
            401,
            message="Sign in: send an API token as 'Authorization: Bearer <token>' "
            "(an administrator makes one with `partnership-hub users token USER_ID`).",
            headers={"WWW-Authenticate": REALM},
        )
    return user


def expected_version() -> int:
    """The version named by If-Match; a change must say which version it was made against."""
    require_user()  # who is asking comes before what they sent
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        abort(
            428,
            message="Send the version you are changing in an If-Match header (the record's `version` or its ETag), "
            "so a change made by someone else since you read it is not overwritten.",
        )
    match = _IF_MATCH.match(header)
    if match is None:
        abort(400, message=f'If-Match must be the record\'s version, like "3"; got {header!r}.')
    return int(match.group(1))


def writes_need_a_token(blueprint: Blueprint) -> None:
    """Refuses an anonymous change before its input is even read: 401 comes before 422 or 428."""

    @blueprint.before_request
    def _token_for_writes() -> None:
        if request.method not in SAFE_METHODS:
            require_user()


def with_etag(response: Response, version: int) -> Response:
    response.headers["ETag"] = f'"{version}"'
    return response
