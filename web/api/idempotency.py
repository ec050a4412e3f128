"""Idempotency-Key for creates: a retried POST returns the first response instead of creating twice.

A key belongs to the caller (keys of different users never meet). The first request with a key reserves
it before the command runs, so two copies racing each other cannot both create: the second is told the
first is still in progress (409). A request that fails (a 4xx or 5xx, nothing created) releases its key,
so the caller can fix the request and send it again with the same key. The records are plain rows in
the event store's database (not events): they are transport bookkeeping, not part of the record.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, request
from flask_smorest import abort
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from web.api.access import require_user
from web.api.json_input import MAX_DEPTH, nesting_depth

metadata = MetaData()

idempotency_keys = Table(
    "api_idempotency_keys",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # SHA-256 of method, path and canonical body
    Column("status", Integer),  # None while the first request is still running
    Column("body", Text),
    Column("location", Text),
    Column("content_type", String(100)),
    Column("created_at", DateTime, nullable=False),
)

ENGINE_KEY = "partnership_hub_api_idempotency"
MAX_KEY_LENGTH = 200


def create_table(engine: Engine) -> None:
    metadata.create_all(engine)


def init_app(app: Any, engine: Engine) -> None:
    create_table(engine)
    app.extensions[ENGINE_KEY] = engine


def _engine() -> Engine:
    return current_app.extensions[ENGINE_KEY]


def _fingerprint() -> str:
    raw = request.get_data()
    canonical = raw  # a body that is not JSON, or nested too deep to parse, is fingerprinted as sent
    if nesting_depth(raw) <= MAX_DEPTH:  # the command refuses anything deeper, with a 400 that says so
        with contextlib.suppress(ValueError):
            canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _replay(row: Any) -> Response:
    response = Response(row.body, status=row.status, content_type=row.content_type)
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def refuses_idempotency_key(view: Callable[..., Response]) -> Callable[..., Response]:
    """For a create whose answer holds a secret shown once: keeping that answer would keep the secret."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        if request.headers.get("Idempotency-Key") is not None:
            require_user()
            abort(
                400,
                message="This operation's answer holds a secret shown once, so it is not kept for an "
                "Idempotency-Key: send it without one.",
            )
        return view(*args, **kwargs)

    return wrapper


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Wraps a create view (outside flask-smorest's argument and response decorators)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        key = key.strip()
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            abort(400, message=f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} characters.")
        user_id = require_user().user_id
        fingerprint = _fingerprint()
        engine = _engine()
        try:
            with engine.begin() as connection:
                connection.execute(
                    insert(idempotency_keys).values(
                        user_id=user_id,
                        key=key,
                        fingerprint=fingerprint,
                        created_at=datetime.now(tz=UTC).replace(tzinfo=None),
                    )
                )
        except IntegrityError:
            with engine.connect() as connection:
                row = connection.execute(
                    select(idempotency_keys).where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
                ).first()
            if row is None:  # released by a failed first request between our insert and this read
                abort(409, message="A request with this Idempotency-Key has just failed; send it again.")
            if row.fingerprint != fingerprint:
                abort(
                    422,
                    message="This Idempotency-Key was already used for a different request; "
                    "use a new key for a new request.",
                )
            if row.status is None:
                abort(409, message="A request with this Idempotency-Key is still being processed; try again shortly.")
            return _replay(row)
        where = (idempotency_keys.c.user_id == user_id) & (idempotency_keys.c.key == key)
        try:
            response = view(*args, **kwargs)
        except BaseException:
            with engine.begin() as connection:
                connection.execute(delete(idempotency_keys).where(where))
            raise
        with engine.begin() as connection:
            if response.status_code >= 400:
                connection.execute(delete(idempotency_keys).where(where))
            else:
                connection.execute(
                    update(idempotency_keys)
                    .where(where)
                    .values(
                        status=response.status_code,
                        body=response.get_data(as_text=True),
                        location=response.headers.get("Location"),
                        content_type=response.content_type,
                    )
                )
        return response

    return wrapper
