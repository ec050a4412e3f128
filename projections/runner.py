"""Keeping the read models current, waiting for them, and rebuilding them from zero.

One code path follows the log: ``ReadModels.catch_up`` reads a batch of notifications after the
furthest-behind read model's position, decodes each event once, and feeds every read model its part
of the batch inside ONE transaction, which also moves each model's tracking position. The positions
are kept in memory by the process that projects; the database's copy is compared and set by every
batch (``UPDATE ... WHERE notification_id = <the position this process knows>``), so when another
process recorded those events first the batch writes nothing and this process carries on from where
the read models now stand: two processes projecting at once stay correct.

A read model whose handler raises on an event stops there alone: the batch is written again without
that event for that model, the failure (position, error, time) is recorded in ``rm_read_models``
(projections/schema.py), and the others carry on. ``retry`` resumes it after a fix.

``following`` runs the worker: a thread that catches up at once when a write in this process wakes
it (``wake``, which the dispatcher calls after every save), on PostgreSQL when the log's NOTIFY says
another process wrote, and otherwise every ``interval`` seconds. The web app runs it beside the
requests (FOLLOW_READ_MODELS), ``partnership-hub projections run`` as a process of its own. A request
never projects: ``wait_for`` waits for the worker to reach its write's position, on the positions in
memory when this process follows the log, or reading the tracking tables when another process does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.persistence import OperationalError as StoreOperationalError
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Connection, Engine, Table, Update, bindparam, delete, literal, select, union_all, update
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.exc import OperationalError

from projections import schema
from projections.audit import AuditProjection
from projections.base import APPLICATION_NAME, ReadModel, Rows
from projections.calendar import CalendarProjection
from projections.consultations import ConsultationsProjection
from projections.directory import DirectoryProjection
from projections.progress import ProgressProjection
from projections.questions import QuestionsProjection
from projections.reminders import RemindersProjection
from projections.reviews import ReviewsProjection
from projections.schema import read_model_states, writing
from projections.search import SearchProjection

READ_MODELS: tuple[type[ReadModel], ...] = (
    DirectoryProjection,
    CalendarProjection,
    ProgressProjection,
    AuditProjection,
    RemindersProjection,
    SearchProjection,
    ReviewsProjection,
    QuestionsProjection,
    ConsultationsProjection,
)
BATCH_SIZE = 2000
# Interrupted transactions (deadlock victims, SQLite's lock wait running out) one catch-up retries.
MAX_INTERRUPTIONS = 10
# How often the worker looks for other processes' writes when nothing woke it (seconds).
POLL_INTERVAL = 0.25
# How often a wait reads the tracking tables when another process keeps the read models (seconds).
WAIT_POLL = 0.02
# How long a process that does not follow the log trusts what it read of the failures (seconds).
FAILURES_TTL = 1.0
ERROR_TEXT_LIMIT = 2000
logger = logging.getLogger(__name__)


class EventLog(Protocol):
    """What the read models follow: the event store's notification log and the mapper that decodes it
    (the eventsourcing application has both; projections never import the application itself)."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...


@dataclass(frozen=True)
class Failure:
    """A read model stopped on an event: the event's position in the log, the error, and when (naive UTC)."""

    position: int
    error: str
    at: datetime


@dataclass(frozen=True)
class Standing:
    """Where one read model stands: its tracking position, how far behind the log, and its failure if any."""

    name: str
    position: int
    lag: int
    failure: Failure | None

    @property
    def state(self) -> str:
        if self.failure is not None:
            return "failed"
        return "current" if self.lag == 0 else "catching up"


class _Moved(Exception):
    """Another process moved a read model's position since this one read it: the batch wrote nothing."""


class _HandlerFailed(Exception):
    def __init__(self, name: str, position: int | None, error: BaseException) -> None:
        super().__init__(f"read model {name} failed on event {position}: {error!r}")
        self.name = name
        self.position = position  # None: failed writing the batch's held rows (which event is not known yet)
        self.error = error


@cache
def _moving(tracking: Table) -> Update:
    """Sets a tracking position only if it still is the one this process knows (built once per table)."""
    return (
        update(tracking)
        .where(tracking.c.application_name == APPLICATION_NAME, tracking.c.notification_id == bindparam("known"))
        .values(notification_id=bindparam("new"))
    )


def _atomic_not_durable(dbapi_connection: Any, _record: Any) -> None:
    """The read models' commits are atomic but need not be durable: they can always be made again from the
    log, and a batch's rows and tracking positions share one transaction, so a commit lost in a power cut is
    simply projected again. Not waiting for the disk at each commit halves a write's wait for its lists.
    (SQLite in WAL mode with synchronous=NORMAL, for this engine's connections only: the event store's
    own commits still wait for the disk; on PostgreSQL, synchronous_commit is off for the batch.)"""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class ReadModels:
    """All the read models of one event log, in the database at ``url``."""

    def __init__(self, log: EventLog, url: str) -> None:
        self.log = log
        self.url = url
        self.datastore = SQLAlchemyDatastore(url=self.url)
        if self.engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(self.engine, "connect", _atomic_not_durable)
        self.datastore.init_sqlite_wal_mode()
        self.projections: dict[str, ReadModel] = {}
        for cls in READ_MODELS:
            view = cls.view_class(datastore=self.datastore, tracking_table_name=f"{cls.name}_tracking")
            self.projections[cls.name] = cls(view=view)
        # Read models whose tables were made anew for the code's shape: the worker rebuilds them from zero.
        self.remade = schema.prepare(self.engine, self.projections)
        self._lock = threading.RLock()  # one catch-up (or rebuild, or retry) at a time in this process
        self._advanced = threading.Condition()  # notified whenever the positions in memory move
        self._wake = threading.Event()
        self._followers = 0
        self._positions: dict[str, int] = {}
        self._failures: dict[str, Failure] = {}
        self._failures_read_at = 0.0
        self._resync()

    @property
    def engine(self) -> Engine:
        assert isinstance(self.datastore.engine, Engine)
        return self.datastore.engine

    @property
    def is_following(self) -> bool:
        """Whether this process runs the worker, and so knows the positions without asking the database."""
        return self._followers > 0

    # ------------------------------------------------------------------ where they stand

    def head(self) -> int:
        return self.log.recorder.max_notification_id() or 0

    def positions(self) -> dict[str, int]:
        if self.is_following:
            return dict(self._positions)
        return self._read_positions()

    def failures(self) -> dict[str, Failure]:
        """The read models that stopped on an event (cheap: from memory, or read at most once a second)."""
        if not self.is_following and time.monotonic() - self._failures_read_at > FAILURES_TTL:
            self._set_failures(self._read_failures())
        return dict(self._failures)

    def lag(self) -> dict[str, int]:
        """Events each read model is behind the log."""
        head = self.head()
        return {name: head - position for name, position in self.positions().items()}

    def standing(self) -> list[Standing]:
        head = self.head()
        positions = self.positions()
        failures = self._failures if self.is_following else self._read_failures()
        return [Standing(n, positions[n], head - positions[n], failures.get(n)) for n in self.projections]

    def wait_for(self, position: int, timeout: float) -> list[str]:
        """Waits up to ``timeout`` seconds for every working read model to reach ``position``, without
        projecting anything itself; returns those still behind it. A failed read model is not waited for
        and not returned: its failure is reported on its own (the pages' banner, ``Hub-Read-Models:
        behind``), so one broken read model does not make every answer "still updating"."""
        deadline = time.monotonic() + timeout
        if self.is_following:
            with self._advanced:
                while True:
                    behind = [n for n, p in self._positions.items() if p < position and n not in self._failures]
                    remaining = deadline - time.monotonic()
                    if not behind or remaining <= 0:
                        return behind
                    self._advanced.wait(remaining)
        pause = WAIT_POLL
        while True:
            positions = self._read_positions()
            behind = [n for n, p in positions.items() if p < position]
            if behind:
                failed = self._read_failures()
                behind = [n for n in behind if n not in failed]
            remaining = deadline - time.monotonic()
            if not behind or remaining <= 0:
                return behind
            time.sleep(min(pause, remaining))
            pause = min(pause * 1.5, 0.2)

    # ------------------------------------------------------------------ following the log

    def catch_up(
        self,
        *,
        batch_size: int = BATCH_SIZE,
        names: Sequence[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Processes every event not yet in the read models (all, or ``names``); returns how many were read."""
        chosen = list(names or self.projections)
        read = 0
        interruptions = 0
        with self._lock:
            while True:
                active = sorted(n for n in chosen if n not in self._failures)
                if not active:
                    return read
                start = min(self._positions[n] for n in active) + 1
                notifications = self.log.recorder.select_notifications(start=start, limit=batch_size)
                if not notifications:
                    return read
                # A mapper that decodes a whole batch at once (the hub's looks up the keys to the people named
                # in it in one query: application/people.py) is asked to.
                decode_all = getattr(self.log.mapper, "to_domain_events", None)
                events = (
                    decode_all(notifications)
                    if decode_all
                    else [self.log.mapper.to_domain_event(n) for n in notifications]
                )
                batch = list(zip(events, (n.id for n in notifications), strict=True))
                try:
                    self._record(active, batch)
                except _Moved:
                    # Another process recorded some of these first (our transaction wrote nothing):
                    # carry on from where the read models now stand.
                    self._resync()
                    continue
                except (OperationalError, StoreOperationalError):
                    # PostgreSQL may choose this transaction as a deadlock victim, and SQLite's wait for its
                    # write lock may run out, when processes project together; it wrote nothing, so the batch
                    # is simply read again. A database that stays unavailable still raises, after a few tries.
                    interruptions += 1
                    if interruptions > MAX_INTERRUPTIONS:
                        raise
                    time.sleep(min(0.05 * interruptions, 0.5))
                    self._resync()
                    continue
                read += len(notifications)
                if progress:
                    progress(len(notifications))
                if len(notifications) < batch_size:
                    return read  # that was the end of the log (a write since then wakes the worker again)

    def _record(self, active: list[str], batch: list[tuple[Any, int]]) -> None:
        """Writes one batch for the ``active`` read models in one transaction, setting aside a model that fails."""
        stops: dict[str, int] = {}  # a model that failed on an event takes only the events before it
        careful: set[str] = set()  # models whose rows are written event by event, to find the one that fails
        found: dict[str, Failure] = {}
        while True:
            try:
                positions = self._commit(active, batch, stops, careful, found)
                break
            except _HandlerFailed as failed:
                if failed.position is None:
                    careful.add(failed.name)
                    continue
                stops[failed.name] = failed.position
                text = f"{type(failed.error).__name__}: {failed.error}"[:ERROR_TEXT_LIMIT]
                found[failed.name] = Failure(failed.position, text, schema.utc_now())
                logger.error(
                    "read model %s failed on event %s and stops there; the others carry on",
                    failed.name,
                    failed.position,
                    exc_info=failed.error,
                )
        with self._advanced:
            self._positions.update(positions)
            self._failures.update(found)
            self._advanced.notify_all()

    def _commit(
        self,
        active: list[str],
        batch: list[tuple[Any, int]],
        stops: dict[str, int],
        careful: set[str],
        found: dict[str, Failure],
    ) -> dict[str, int]:
        moved: dict[str, int] = {}
        with writing(self.engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")  # see _atomic_not_durable
            plans: dict[str, list[tuple[Any, int]]] = {}
            for name in active:  # sorted: every batch takes the tracking rows in one order
                known = self._positions[name]
                stop = stops.get(name)
                plans[name] = [(e, n) for e, n in batch if n > known and (stop is None or n < stop)]
                moved[name] = plans[name][-1][1] if plans[name] else known
                if not self._compare_and_set(connection, name, known, moved[name]):
                    raise _Moved(name)
            for name in active:
                self._project(connection, name, plans[name], name in careful)
            for name, failure in found.items():
                schema.record_failure(connection, name, failure.position, failure.error, failure.at)
        return moved

    def _project(self, connection: Connection, name: str, events: list[tuple[Any, int]], careful: bool) -> None:
        projection = self.projections[name]
        rows = Rows(connection)
        for event, position in events:
            try:
                projection.handle(rows, event, position)
                if careful:
                    rows.flush()
            except (OperationalError, StoreOperationalError):
                raise  # the database, not the read model: the whole batch is tried again
            except Exception as error:
                raise _HandlerFailed(name, position, error) from error
        try:
            rows.flush()
        except (OperationalError, StoreOperationalError):
            raise
        except Exception as error:
            raise _HandlerFailed(name, None, error) from error
        if projection.before_commit is not None:
            projection.before_commit()  # tests inject a crash here, between the rows and the commit

    def _compare_and_set(self, connection: Connection, name: str, known: int, new: int) -> bool:
        result = connection.execute(_moving(self.projections[name].view.tracking_table), {"known": known, "new": new})
        return result.rowcount == 1

    def wake(self, position: int | None = None) -> None:
        """Tells the worker there is something new to read (the dispatcher calls it after every save)."""
        self._wake.set()

    @contextmanager
    def following(self, interval: float = POLL_INTERVAL) -> Iterator[threading.Thread]:
        """Keeps the read models current from a background thread until the block ends."""
        stop = threading.Event()

        def loop() -> None:
            failing = 0
            while not stop.is_set():
                self._wake.clear()
                try:
                    if self._failures:
                        self._set_failures(self._read_failures())  # `projections retry` from another process
                    self.catch_up()
                    failing = 0
                except Exception:
                    # A database that is briefly unavailable must not stop the pages from updating
                    # for the rest of the process's life: log it and try again, less often while it lasts.
                    failing += 1
                    logger.exception("read models: catch-up failed; trying again")
                    stop.wait(min(interval * 2**failing, 10.0))
                self._wake.wait(interval)

        with self._advanced:
            self._followers += 1
        threads = [threading.Thread(target=loop, name="read-models", daemon=True)]
        if self._log_dialect() == "postgresql":
            threads.append(threading.Thread(target=self._listen, args=(stop,), name="read-models-listen", daemon=True))
        for thread in threads:
            thread.start()
        try:
            yield threads[0]
        finally:
            stop.set()
            self._wake.set()
            for thread in threads:
                thread.join()
            with self._advanced:
                self._followers -= 1

    def _log_dialect(self) -> str:
        datastore = getattr(self.log.recorder, "datastore", None)
        engine = getattr(datastore, "engine", None)
        return engine.dialect.name if engine is not None else ""

    def _listen(self, stop: threading.Event) -> None:
        """Wakes the worker when the event store's NOTIFY says some process saved events (PostgreSQL)."""
        recorder: Any = self.log.recorder
        while not stop.is_set():
            try:
                with recorder.datastore.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                    connection.exec_driver_sql(f"LISTEN {recorder.channel_name}")
                    raw = connection.connection.driver_connection
                    while not stop.is_set():
                        for _ in raw.notifies(timeout=0.5, stop_after=1):
                            self._wake.set()
            except Exception:
                logger.exception("read models: listening for new events failed; polling meanwhile")
                stop.wait(1.0)

    # ------------------------------------------------------------------ failures, retry, rebuild

    def retry(self, name: str) -> None:
        """Clears a read model's failure, so the worker resumes it from the event it failed on."""
        with self._lock:
            with writing(self.engine) as connection:
                schema.clear_failures(connection, [name])
            with self._advanced:
                self._failures.pop(name, None)
        self.wake()

    def rebuild(self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
        """Empties the named read models (all by default) and rebuilds them from event one."""
        chosen = sorted(names or self.projections)
        with self._lock:
            with writing(self.engine) as connection:
                schema.lock_tracking(connection, {n: self.projections[n] for n in chosen})
                for name in chosen:
                    view = self.projections[name].view
                    for table in reversed(view.read_tables):
                        connection.execute(delete(table))
                    tracking = view.tracking_table
                    connection.execute(
                        update(tracking)
                        .where(tracking.c.application_name == APPLICATION_NAME)
                        .values(notification_id=0)
                    )
                schema.clear_failures(connection, chosen)
            with self._advanced:
                for name in chosen:
                    self._positions[name] = 0
                    self._failures.pop(name, None)
            return self.catch_up(names=chosen, progress=progress)

    # ------------------------------------------------------------------ the database's copy

    def _resync(self) -> None:
        positions = self._read_positions()
        failures = self._read_failures()
        with self._advanced:
            self._positions = positions
            self._failures_read_at = time.monotonic()
            self._failures = failures
            self._advanced.notify_all()

    def _set_failures(self, failures: dict[str, Failure]) -> None:
        with self._advanced:
            self._failures = failures
            self._failures_read_at = time.monotonic()

    def _read_positions(self) -> dict[str, int]:
        """Every read model's tracking position, in one query."""
        parts = []
        for name, projection in self.projections.items():
            table = projection.view.tracking_table
            parts.append(
                select(literal(name).label("name"), table.c.notification_id).where(
                    table.c.application_name == APPLICATION_NAME
                )
            )
        with self.engine.connect() as connection:
            found = {name: position or 0 for name, position in connection.execute(union_all(*parts))}
        return {name: found.get(name, 0) for name in self.projections}

    def _read_failures(self) -> dict[str, Failure]:
        states = read_model_states
        query = select(states.c.name, states.c.failed_position, states.c.failed_error, states.c.failed_at).where(
            states.c.failed_position.is_not(None)
        )
        with self.engine.connect() as connection:
            return {
                name: Failure(position, error or "", at)
                for name, position, error, at in connection.execute(query)
                if name in self.projections
            }

    def close(self) -> None:
        if self.datastore.engine is not None:
            self.datastore.engine.dispose()
