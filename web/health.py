"""Where the read models stand, for machines and for people.

- ``GET /readyz``: JSON with the log's head and, for each read model, its position, lag, state
  (current / catching up / failed) and failure (the event, the error, when). Cheap: the head, and the
  positions and failures from memory when this process runs the worker, else two small queries.
- UI pages: ``read_models_failed()`` in templates names the failed read models, for the layout's banner.
- API answers: ``Hub-Read-Models: behind`` while a read model has failed (a write's own answer says
  ``updating`` when the lists have not reached it in time: web/api/commands.py).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from web.services import services

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)

# How each read model is named to a person on the pages that read it.
LISTS = {
    "directory": "the directory of bodies",
    "calendar": "the meeting calendar",
    "progress": "project progress",
    "audit": "the audit log",
    "reminders": "reminders",
}


@bp.get("/readyz")
def readyz() -> Any:
    standing = services().read_models.standing()
    failed = [s.name for s in standing if s.failure is not None]
    return jsonify(
        {
            "status": "degraded" if failed else "ok",
            "log_position": services().read_models.head(),
            "read_models": {
                s.name: {
                    "position": s.position,
                    "lag": s.lag,
                    "state": s.state,
                    "failure": None
                    if s.failure is None
                    else {
                        "position": s.failure.position,
                        "error": s.failure.error.splitlines()[0][:300] if s.failure.error else "",
                        "at": s.failure.at.isoformat() + "Z",
                    },
                }
                for s in standing
            },
        }
    )


def read_models_failed() -> list[str]:
    """The lists that stopped taking in changes, as people call them (empty when all is well, and
    when it cannot be told: an error page must still render when the database is away)."""
    try:
        failed = services().read_models.failures()
    except Exception:
        log.exception("could not read whether a read model has failed")
        return []
    return [LISTS.get(name, name) for name in failed]


def _behind_header(response: Response) -> Response:
    api = request.path.startswith("/api/") and "Hub-Read-Models" not in response.headers
    if api and services().read_models.failures():
        response.headers["Hub-Read-Models"] = "behind"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_behind_header)
    app.jinja_env.globals["read_models_failed"] = read_models_failed
