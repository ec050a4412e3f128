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
from sqlalchemy import (
    Connection,
    CursorResult,
    Executable,
    Insert,
    Select,
    Table,
    Update,
    bindparam,
    insert,
    select,
    update,
)
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


class _Held:
    """One table's writes waiting to go, in segments whose writes touch distinct rows, so each segment can go
    as one ``executemany`` per statement shape. A row's later update by its primary key is merged into its
    waiting insert or update; an update by other columns starts a new segment (it may touch any row)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key = tuple(c.name for c in table.primary_key.columns)
        self.segments: list[list[tuple[Executable, dict[str, Any]]]] = [[]]
        self.by_key: dict[tuple[Any, ...], dict[str, Any]] = {}  # a row's waiting write, to merge into

    def insert(self, row: dict[str, Any]) -> None:
        params = dict(row)
        self.segments[-1].append((_insert(self.table), params))
        self.by_key[tuple(params[k] for k in self.key)] = params

    def update(self, where: dict[str, Any], changes: dict[str, Any]) -> None:
        if len(where) == len(self.key) and all(k in where for k in self.key):
            key = tuple(where[k] for k in self.key)
            waiting = self.by_key.get(key)
            if waiting is not None:
                waiting.update(changes)
                return
            params = {**{f"_key_{k}": where[k] for k in self.key}, **changes}
            self.segments[-1].append((_update(self.table, self.key), params))
            self.by_key[key] = params
            return
        self.segments.append(
            [(_update(self.table, tuple(where)), {**{f"_key_{k}": v for k, v in where.items()}, **changes})]
        )
        self.segments.append([])
        self.by_key.clear()

    def send(self, connection: Connection) -> None:
        for segment in self.segments:
            shapes: dict[tuple[int, frozenset[str]], tuple[Executable, list[dict[str, Any]]]] = {}
            for statement, params in segment:
                shapes.setdefault((id(statement), frozenset(params)), (statement, []))[1].append(params)
            for statement, many in shapes.values():
                connection.execute(statement, many)


class Rows:
    """A read model's writes within one batch: held per table, sent in as few statements as order allows.

    ``get`` reads a row by its primary key as the batch has left it: from the database once, then from
    what the batch wrote, so a handler that reads what it just wrote does not make the writes go early.
    ``memo`` keeps whatever else a handler wants to remember for the rest of the batch (it is dropped with
    the batch, so it never outlives the transaction whose rows it describes).
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.memo: dict[Any, Any] = {}
        self._held: dict[Table, _Held] = {}
        self._rows: dict[Table, dict[tuple[Any, ...], dict[str, Any] | None]] = {}

    def _table(self, table: Table) -> _Held:
        held = self._held.get(table)
        if held is None:
            held = self._held[table] = _Held(table)
        return held

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self._table(table).insert(row)
        known = self._rows.setdefault(table, {})
        known[_key(table, row)] = {c.name: row.get(c.name, _default(c)) for c in table.columns}

    def update(self, table: Table, where: dict[str, Any], changes: dict[str, Any]) -> None:
        """UPDATE table SET <changes> WHERE each column in ``where`` equals its value."""
        if not changes:
            return
        self._table(table).update(where, changes)
        known = self._rows.get(table)
        if known is None:
            return
        if len(where) == len(table.primary_key.columns) and all(c.name in where for c in table.primary_key.columns):
            row = known.get(_key(table, where))
            if row is not None:
                row.update(changes)
        else:
            del self._rows[table]  # it may have changed any row

    def get(self, table: Table, **key: Any) -> dict[str, Any] | None:
        """The row with this primary key as the batch has left it, or None; not to be changed by the caller."""
        known = self._rows.setdefault(table, {})
        wanted = _key(table, key)
        if wanted not in known:
            held = self._held.get(table)
            if held is not None and (wanted in held.by_key or len(held.segments) > 1):
                self._held.pop(table).send(self.connection)  # a held write may change this row: send it first
            params = {f"_key_{k}": v for k, v in key.items()}
            found = self.connection.execute(_by_key(table), params).mappings().first()
            known[wanted] = dict(found) if found is not None else None
        return known[wanted]

    def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        """Runs a statement now, after the held writes to the tables it reads or changes."""
        touched = _tables_of(statement)
        if self._held:
            for table in touched & self._held.keys():
                self._held.pop(table).send(self.connection)
        if not isinstance(statement, Select):
            for table in touched & self._rows.keys():
                del self._rows[table]  # a write of its own: what was read of the table may be out of date
        return self.connection.execute(statement, parameters)

    def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return self.execute(statement, parameters).scalar()

    def flush(self) -> None:
        while self._held:
            self._held.popitem()[1].send(self.connection)


def _key(table: Table, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[c.name] for c in table.primary_key.columns)


def _default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


@cache
def _by_key(table: Table) -> Select[Any]:
    return select(table).where(*(c == bindparam(f"_key_{c.name}") for c in table.primary_key.columns))


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
