"""What a read model is: its tables, the handler that turns events into rows, and the rows it writes.

A read model is an eventsourcing ``Projection`` whose view (``ReadModelView``) is a tracking recorder
that also owns the model's tables. The runner (projections/runner.py) feeds every read model the same
batch of events inside ONE transaction, which also moves each model's tracking position: after a crash
at any point the batch is either wholly there or wholly absent, so processing resumes from the recorded
positions with no gap and no duplicate.

A handler writes through ``Rows``, not a bare connection: inserts and keyed updates wait, table by
table, and go to the database as one ``executemany`` per statement shape when the batch ends, or sooner
when a statement reads or changes that table (so a handler always reads what it wrote before).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, ClassVar

from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import Connection, CursorResult, Executable, Insert, Table, Update, bindparam, insert, update
from sqlalchemy.exc import SAWarning
from sqlalchemy.sql.util import find_tables

APPLICATION_NAME = "PartnershipHub"

# eventsourcing-sqlalchemy names every tracking record class alike, and SQLAlchemy
# warns each time another read model defines one; the tables themselves are distinct.
warnings.filterwarnings("ignore", message=".*NotificationTrackingRecord.*", category=SAWarning)


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


# ------------------------------------------------------------------ statements, built once per shape


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


@cache
def _update(table: Table, keys: tuple[str, ...]) -> Update:
    return update(table).where(*(table.c[k] == bindparam(f"_key_{k}") for k in keys))


@lru_cache(maxsize=1024)
def _tables_of(statement: Executable) -> frozenset[Table]:
    """The tables a statement reads or writes (the module-level statements are looked at once)."""
    return frozenset(t for t in find_tables(statement, check_columns=True, include_crud=True) if isinstance(t, Table))


class Rows:
    """A read model's writes within one batch: held per table, sent in as few statements as order allows."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        # Per table, its held writes in order: (statement, parameters).
        self._held: dict[Table, list[tuple[Executable, dict[str, Any]]]] = {}

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self._held.setdefault(table, []).append((_insert(table), row))

    def update(self, table: Table, where: dict[str, Any], changes: dict[str, Any]) -> None:
        """UPDATE table SET <changes> WHERE each column in ``where`` equals its value."""
        if changes:
            params = {f"_key_{k}": v for k, v in where.items()}
            self._held.setdefault(table, []).append((_update(table, tuple(where)), {**params, **changes}))

    def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        """Runs a statement now, after the held writes to the tables it reads or changes."""
        if self._held:
            for table in _tables_of(statement) & self._held.keys():
                self._flush(table)
        return self.connection.execute(statement, parameters)

    def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self.execute(statement, parameters).scalar()

    def flush(self) -> None:
        for table in list(self._held):
            self._flush(table)

    def _flush(self, table: Table) -> None:
        held = self._held.pop(table)
        # Consecutive writes of one shape (the statement and the names of its values) go as one executemany;
        # the order of the writes to a table is kept, so the last update of a row wins as it would have.
        run: list[dict[str, Any]] = []
        current: Executable | None = None
        names: tuple[str, ...] = ()
        for statement, params in held:
            if run and (statement is not current or tuple(params) != names):
                self.connection.execute(current, run)  # type: ignore[arg-type]
                run = []
            current, names = statement, tuple(params)
            run.append(params)
        if run:
            self.connection.execute(current, run)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the read model


class ReadModelView(SQLAlchemyTrackingRecorder):
    """The tracking recorder that also owns a read model's tables (created by the runner, see schema.py)."""

    # Not "tables": the library keeps its own list under that name.
    read_tables: ClassVar[Sequence[Table]] = ()


class ReadModel(Projection[ReadModelView]):
    """A projection of the hub's events into SQL rows.

    Subclasses implement ``handle``; the runner (projections/runner.py) calls it for each event of a
    batch, with every read model's rows and tracking positions written in one transaction.
    """

    view_class: ClassVar[type[ReadModelView]] = ReadModelView
    # Raise it when the handler changes what it writes without a change of tables: the read model is
    # then rebuilt once, as it is when its tables change shape.
    version: ClassVar[int] = 1
    # Called inside the batch's transaction, after this model's rows are written: a seam for crash tests.
    before_commit: Callable[[], None] | None = None

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        raise NotImplementedError

    def process_event(self, domain_event: Any, tracking: Any) -> None:
        raise NotImplementedError("read models are fed in batches by projections.runner.ReadModels")

    @classmethod
    def fingerprint(cls) -> str:
        """What the model's tables look like in the code (columns, types, keys, indexes) and its version."""
        parts = [f"{cls.name} v{cls.version}"]
        for table in cls.view_class.read_tables:
            parts.append(table.name)
            parts += [f"{c.name} {c.type!r} null={c.nullable} pk={c.primary_key}" for c in table.columns]
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                parts.append(f"index {index.name} {[c.name for c in index.columns]} unique={index.unique}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
