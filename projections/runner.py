"""Keeping the read models current, measuring their lag, and rebuilding them from zero.

Two ways to follow the log, one projection code path:
- ``ReadModels.catch_up`` polls ``select_notifications`` from each read model's
  tracking position in batches. It works on SQLite and PostgreSQL and is what
  ``make run`` (in a background thread) and a rebuild use.
- ``run_live`` hands each read model to eventsourcing's ``ProjectionRunner``,
  which subscribes with LISTEN/NOTIFY; the library supports that on PostgreSQL
  only, so it is the ``projections run`` worker for PostgreSQL deployments.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, OperationalError, Tracking
from eventsourcing.projection import ProjectionRunner
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError as SQLAlchemyIntegrityError
from sqlalchemy.exc import OperationalError as SQLAlchemyOperationalError

from projections.audit import AuditProjection
from projections.base import APPLICATION_NAME, ReadModel
from projections.calendar import CalendarProjection
from projections.directory import DirectoryProjection
from projections.progress import ProgressProjection
from projections.reminders import RemindersProjection

READ_MODELS: tuple[type[ReadModel], ...] = (
    DirectoryProjection,
    CalendarProjection,
    ProgressProjection,
    AuditProjection,
    RemindersProjection,
)
BATCH_SIZE = 500
# Interrupted transactions (deadlock victims) one catch-up retries before giving up.
MAX_INTERRUPTIONS = 10
logger = logging.getLogger(__name__)


class EventLog(Protocol):
    """What the read models follow: the event store's notification log and the mapper that decodes it
    (the eventsourcing application has both; projections never import the application itself)."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...


class ReadModels:
    """All the read models of one event log, in the database at ``url``."""

    def __init__(self, log: EventLog, url: str) -> None:
        self.log = log
        self.url = url
        self.datastore = SQLAlchemyDatastore(url=self.url)
        self.projections: dict[str, ReadModel] = {}
        for cls in READ_MODELS:
            view = cls.view_class(datastore=self.datastore, tracking_table_name=f"{cls.name}_tracking")
            view.create_table()
            self.projections[cls.name] = cls(view=view)
        self._lock = threading.Lock()  # one catch-up at a time in this process

    @property
    def engine(self) -> Engine:
        assert isinstance(self.datastore.engine, Engine)
        return self.datastore.engine

    def positions(self) -> dict[str, int]:
        return {name: p.view.max_tracking_id(APPLICATION_NAME) or 0 for name, p in self.projections.items()}

    def lag(self) -> dict[str, int]:
        """Events each read model is behind the log."""
        head = self.log.recorder.max_notification_id() or 0
        return {name: head - position for name, position in self.positions().items()}

    def catch_up(
        self,
        *,
        batch_size: int = BATCH_SIZE,
        names: Sequence[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Processes every event not yet in the read models; returns how many were read."""
        chosen = {n: self.projections[n] for n in (names or self.projections)}
        read = 0
        interruptions = 0
        with self._lock:
            positions = {n: p.view.max_tracking_id(APPLICATION_NAME) or 0 for n, p in chosen.items()}
            while True:
                start = min(positions.values()) + 1
                notifications = self.log.recorder.select_notifications(start=start, limit=batch_size)
                if not notifications:
                    return read
                batch = [(self.log.mapper.to_domain_event(n), Tracking(APPLICATION_NAME, n.id)) for n in notifications]
                for name, projection in chosen.items():
                    # Each read model takes only what it has not yet recorded.
                    pending = [item for item in batch if item[1].notification_id > positions[name]]
                    try:
                        projection.process_batch(pending)
                    except (IntegrityError, SQLAlchemyIntegrityError):
                        # Another process recorded some of these first (its transaction won, ours wrote
                        # nothing): carry on from where the read model now stands.
                        positions[name] = projection.view.max_tracking_id(APPLICATION_NAME) or 0
                        continue
                    except (OperationalError, SQLAlchemyOperationalError):
                        # PostgreSQL may choose this transaction as a deadlock victim when processes
                        # project together; it wrote nothing, so the batch is simply read again. A
                        # database that stays unavailable still raises, after a few tries.
                        interruptions += 1
                        if interruptions > MAX_INTERRUPTIONS:
                            raise
                        positions[name] = projection.view.max_tracking_id(APPLICATION_NAME) or 0
                        continue
                    if pending:
                        positions[name] = pending[-1][1].notification_id
                read += len(notifications)
                if progress:
                    progress(len(notifications))

    def rebuild(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        """Drops the named read models (all by default) and rebuilds them from event one."""
        chosen = list(names or self.projections)
        for name in chosen:
            self.projections[name].view.drop()
        return self.catch_up(names=chosen, progress=progress)

    @contextmanager
    def following(self, interval: float = 0.2) -> Iterator[threading.Thread]:
        """Keeps the read models current from a background thread (the single-process ``make run``)."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                try:
                    self.catch_up()
                except Exception:
                    # A database that is briefly unavailable must not stop the pages from updating
                    # for the rest of the process's life: log it and try again next round.
                    logger.exception("read models: catch-up failed; retrying in %.1f s", interval)
                stop.wait(interval)

        thread = threading.Thread(target=loop, name="read-models", daemon=True)
        thread.start()
        try:
            yield thread
        finally:
            stop.set()
            thread.join()

    def close(self) -> None:
        if self.datastore.engine is not None:
            self.datastore.engine.dispose()


def live_env(application_env: dict[str, str], read_model_url: str) -> dict[str, str]:
    """The application's own environment plus, for each read model, where its view lives."""
    env = dict(application_env)
    for cls in READ_MODELS:
        # The library builds each view from the environment named after the projection.
        env[f"{cls.name.upper()}_PERSISTENCE_MODULE"] = "eventsourcing_sqlalchemy"
        env[f"{cls.name.upper()}_SQLALCHEMY_URL"] = read_model_url
    return env


@contextmanager
def run_live(
    application_class: type[Application[Any]], application_env: dict[str, str], read_model_url: str
) -> Iterator[list[ProjectionRunner[Any, Any]]]:
    """Runs every read model under eventsourcing's ProjectionRunner (PostgreSQL only), following the log
    of ``application_class`` built from ``application_env`` (the composition root gives both)."""
    if not application_env.get("SQLALCHEMY_URL", "").startswith("postgresql"):
        raise RuntimeError("the live projection runner needs PostgreSQL; on SQLite use catch_up polling")
    env = live_env(application_env, read_model_url)
    with ExitStack() as stack:
        runners = [
            stack.enter_context(
                ProjectionRunner(
                    application_class=application_class,
                    projection_class=cls,
                    view_class=cls.view_class,
                    env=env,
                )
            )
            for cls in READ_MODELS
        ]
        yield runners
