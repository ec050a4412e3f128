"""The production server: gunicorn, with pre-forked worker processes each running threads.

``partnership-hub serve`` runs this; ``--dev`` runs Werkzeug's development server instead. The master
creates the tables first (``prepare_store``) and closes every connection it used. The app is not
preloaded: each worker calls ``create_app`` after the fork, so each builds its own Services (its
database connections, its aggregate cache, its read-model thread). Nothing that holds a connection or a
thread exists in the master process, where a fork would share it between workers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import PersistenceError
from flask import Flask
from gunicorn.app.base import BaseApplication
from sqlalchemy.exc import SQLAlchemyError

from application import bootstrap
from application.settings import Settings
from web import health
from web.api import idempotency
from web.app import create_app


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    threads: int = 4
    # Seconds a worker may go silent before the master restarts it. A worker is silent while it boots,
    # and booting brings the read models up to the log, so this is generous.
    timeout: int = 120
    access_log: bool = True

    def gunicorn_settings(self) -> dict[str, Any]:
        return {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread",  # threads in each worker, whatever their number
            "preload_app": False,  # each worker builds its own app after the fork (see above)
            "timeout": self.timeout,
            "graceful_timeout": 30,  # on SIGTERM, requests in flight get this long to finish
            "accesslog": "-" if self.access_log else None,
            # gunicorn's usual line, plus the worker's pid: which process served the request.
            "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s',
            "errorlog": "-",
            "proc_name": "partnership-hub",
        }


class HubServer(BaseApplication):  # type: ignore[misc]
    """gunicorn serving ``web.app:create_app()``, configured from ``ServerOptions`` only (not from a
    gunicorn.conf.py or the command line it was started with)."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.gunicorn_settings().items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app()  # called in each worker, after the fork


def prepare_store(attempts: int = 5) -> None:
    """Creates every table the workers use, once, before they start, and keeps no connection open.

    Workers booting together on a new database would otherwise all see a table missing and all create
    it; the losers fail to boot and gunicorn stops. Two servers starting together may still race here,
    so a failed attempt is tried again (the table is there by then). `partnership-hub init` does the same.
    """
    for attempt in range(attempts):
        try:
            services = bootstrap.build(Settings.from_env())
            try:
                idempotency.create_table(services.users.engine)
                health.create_table(services.users.engine)
            finally:
                services.close()
            return
        except (SQLAlchemyError, PersistenceError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def serve(options: ServerOptions) -> None:
    """Sets up the store, then runs gunicorn until it is stopped (SIGINT or SIGTERM stop it gracefully)."""
    prepare_store()
    HubServer(options).run()
