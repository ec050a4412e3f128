"""Health for a load balancer and for people: /healthz, /readyz, and where the read models stand.

/readyz runs each check below, one function each, and answers 200 when all pass, 503 when any fails,
with every check's result (JSON, no secrets, no sign-in needed):

- ``database``: the event store's database answers and takes a write (its one row in ``hub_health``
  replaced and committed: a rolled-back write may never reach a full disk);
- ``read_models``: each read model's position, lag, state (current / catching up / failed) and failure
  (the event, the error's first line, when). It fails beyond ``READY_MAX_LAG``; a read model that has
  stopped on an event makes the status "degraded", not "not ready": every server shares it, so taking
  them out of service would turn one stale list into an outage;
- ``disk``: free space where the data and uploaded files live (fails under ``READY_MIN_FREE_BYTES``).

For people: UI pages name the failed read models in a banner (``read_models_failed()`` in templates);
API answers carry ``Hub-Read-Models: behind`` while one has failed (a write's own answer says
``updating`` when the lists have not reached it in time: web/api/commands.py).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Column, Integer, MetaData, Table, delete, insert

from web.services import services

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

# A read model this far behind the log is not ready to serve pages that must show recent changes.
READY_MAX_LAG = 10_000
# Less free space than this where the data lives, and uploads or the database may soon fail.
READY_MIN_FREE_BYTES = 100 * 1024 * 1024

_health_metadata = MetaData()
health_probe = Table("hub_health", _health_metadata, Column("probe", Integer, primary_key=True))

Check = dict[str, Any]


def check_database() -> Check:
    """Reachable and writable: the probe's one row replaced, committed."""
    engine = services().users.engine
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(delete(health_probe))
        connection.execute(insert(health_probe).values(probe=1))
    return {"ok": True, "milliseconds": round((time.perf_counter() - started) * 1000, 1)}


def check_read_models() -> Check:
    standing = services().read_models.standing()
    limit = current_app.config.get("READY_MAX_LAG", READY_MAX_LAG)
    working = [s for s in standing if s.failure is None]
    return {
        "ok": max((s.lag for s in working), default=0) <= limit,
        "limit": limit,
        "failed": [s.name for s in standing if s.failure is not None],
        "models": {
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


def check_disk() -> Check:
    settings = services().settings
    minimum = current_app.config.get("READY_MIN_FREE_BYTES", READY_MIN_FREE_BYTES)
    places: dict[str, Any] = {}
    for name, path in (("data", _database_dir(settings.database_url)), ("files", settings.files_dir)):
        if path is None:
            continue
        existing = _nearest_existing(path)
        free = shutil.disk_usage(existing).free
        places[name] = {"free_bytes": free, "ok": free >= minimum}
    return {"ok": all(p["ok"] for p in places.values()), "places": places, "minimum_free_bytes": minimum}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "read_models": check_read_models,
    "disk": check_disk,
}


def _database_dir(url: str) -> Path | None:
    """Where a SQLite store's file lives (a server database's disk is the server's to watch)."""
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]).parent if url.startswith(prefix) and url != prefix else None


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a check that cannot run has failed; say why, without a traceback
            log.warning("readiness check %s failed: %s", name, error)
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    ready = all(r["ok"] for r in results.values())
    degraded = bool(results["read_models"].get("failed"))
    status = "not ready" if not ready else "degraded" if degraded else "ready"
    response = jsonify(
        status=status,
        log_position=_head(),
        read_models=results["read_models"].get("models", {}),
        checks=results,
    )
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _head() -> int | None:
    try:
        return services().read_models.head()
    except Exception:  # the database is away: the checks above already say so
        return None


# How each read model is named to a person on the pages that read it.
LISTS = {
    "directory": "the directory of bodies",
    "calendar": "the meeting calendar",
    "progress": "project progress",
    "audit": "the audit log",
    "reminders": "reminders",
}


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
    try:
        if api and services().read_models.failures():
            response.headers["Hub-Read-Models"] = "behind"
    except Exception:  # the read models' database is away; the answer itself says what it can
        log.exception("could not read whether a read model has failed")
    return response


def create_table(engine: Any) -> None:
    """The readiness probe's one-row table; servers create it before forking (web/server.py)."""
    _health_metadata.create_all(engine)


def init_app(app: Flask) -> None:
    create_table(app.extensions["partnership_hub"].users.engine)
    app.register_blueprint(bp)
    app.after_request(_behind_header)
    app.jinja_env.globals["read_models_failed"] = read_models_failed
