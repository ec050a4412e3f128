"""Health endpoints for a load balancer: /healthz (the process answers) and /readyz (it can do its work).

/readyz runs each check below, one function each, and answers 200 when all pass, 503 when any fails,
with every check's result (JSON, no secrets, no sign-in needed):

- ``database``: the event store's database answers and takes a write (its one row in ``hub_health``
  replaced and committed: a rolled-back write may never reach a full disk);
- ``read_models``: how many events each read model is behind the log (fails beyond ``READY_MAX_LAG``);
- ``disk``: free space where the data and uploaded files live (fails under ``READY_MIN_FREE_BYTES``).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
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
    lag = services().read_models.lag()
    limit = current_app.config.get("READY_MAX_LAG", READY_MAX_LAG)
    return {"ok": max(lag.values(), default=0) <= limit, "behind": lag, "limit": limit}


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
    response = jsonify(status="ready" if ready else "not ready", checks=results)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    _health_metadata.create_all(app.extensions["partnership_hub"].users.engine)
    app.register_blueprint(bp)
