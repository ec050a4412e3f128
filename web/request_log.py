"""Structured logs: one JSON line per request, and every record of the app's loggers as JSON too.

The request line has the request id (also in ``X-Request-Id``), the user (their user id, for a session
or a token; never a password, token or cookie), the method, the route (the URL rule, so one route
groups however many ids), the path, the status and the duration. An unexpected error is logged by
web/errors.py with its traceback and the same request id.

``init_app`` sends the ``web``, ``application`` and ``projections`` loggers to standard error as JSON,
unless the host already set up logging for them (a test's capture, a server's own configuration).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

from web.log_paths import logged_path

log = logging.getLogger("web.requests")
LOGGERS = ("web", "application", "projections")
# What a LogRecord carries besides what we choose to write.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if logger.handlers:
            continue
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(level)


def _user_id() -> str | None:
    for key in ("hub_user", "api_user"):
        user = g.get(key)
        if user is not None:
            return user.user_id
    return None


def init_app(app: Flask) -> None:
    from web.errors import request_id

    if not app.testing:
        configure_logging()

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        path = logged_path()
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "event": "request",
                "request_id": request_id(),
                "user": _user_id(),
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule is not None else None,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration,
                "remote_addr": request.remote_addr,
            },
        )
        return response
