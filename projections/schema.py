"""The read models' own small table, and making their tables match the code, once, whichever process starts first.

``rm_read_models`` holds a row per read model: the fingerprint of the tables it was built with (their
columns, types, keys and indexes, and the model's version), and, when it failed on an event, that
event's position, the error and when. Its tracking position stays in the library's tracking table.

``prepare`` runs when a process builds its read models. Under one database-wide lock (an advisory
lock on PostgreSQL, the write lock of ``BEGIN IMMEDIATE`` on SQLite) it creates what is missing and,
for a read model whose stored fingerprint differs from the code's, drops its tables, makes them again
and sets its tracking position to zero, in the same transaction, so the workers rebuild it from event
one. A process that waited for the lock finds the new fingerprint and changes nothing: the model is
rebuilt once. Before dropping anything it takes every tracking row, the first thing each batch takes,
so no batch of another process is half-way through those tables (it waits, then finds its position
moved and starts again from zero).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError

from projections.base import APPLICATION_NAME, ReadModel

logger = logging.getLogger(__name__)

runtime_metadata = MetaData()

read_model_states = Table(
    "rm_read_models",
    runtime_metadata,
    Column("name", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("built_at", DateTime, nullable=False),  # naive UTC: when the tables were last made
    Column("failed_position", Integer),  # the event it failed on; None: not failed
    Column("failed_error", Text),
    Column("failed_at", DateTime),
)

# The key of PostgreSQL's advisory lock that one process holds while it prepares the read models' tables.
PREPARE_LOCK = 0x5048_5542  # "PHUB"
PREPARE_TRIES = 5
# A seam for the two-process test: called with the lock held, before any table is dropped.
after_lock: Callable[[], None] | None = None


def utc_now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's write lock from its first statement on SQLite (so it
    never fails half-way for a writer that committed since it began) and an ordinary one elsewhere."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


def lock_tracking(connection: Connection, models: Mapping[str, ReadModel]) -> None:
    """Takes the tracking rows of ``models``, in name order (the order every batch takes them in)."""
    for name in sorted(models):
        table = models[name].view.tracking_table
        connection.execute(
            update(table)
            .where(table.c.application_name == APPLICATION_NAME)
            .values(notification_id=table.c.notification_id)
        )


def prepare(engine: Engine, models: Mapping[str, ReadModel]) -> list[str]:
    """Makes every read model's tables match the code; returns the names of those made anew (to rebuild)."""
    for attempt in range(1, PREPARE_TRIES + 1):
        try:
            with writing(engine) as connection:
                return _prepare(connection, models)
        except OperationalError:
            # SQLite's lock wait ran out while another process held it (a long batch or a rebuild's DDL).
            if attempt == PREPARE_TRIES:
                raise
            logger.warning("read models: the database was busy preparing the tables; trying again")
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def _prepare(connection: Connection, models: Mapping[str, ReadModel]) -> list[str]:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PREPARE_LOCK})
    runtime_metadata.create_all(connection, checkfirst=True)
    for model in models.values():
        model.view.tracking_table.create(connection, checkfirst=True)
        _ensure_tracking_row(connection, model)
    stored = dict(connection.execute(select(read_model_states.c.name, read_model_states.c.fingerprint)).all())
    inspector = inspect(connection)
    remake: list[str] = []
    for name, model in models.items():
        wanted = type(model).fingerprint()
        # The fingerprint sees what the database cannot tell (a type, the model's version); looking at the
        # tables themselves sees a table changed or lost by other hands.
        matches = all(_matches(inspector, table) for table in model.view.read_tables)
        if matches and stored.get(name) == wanted:
            continue
        if matches and name not in stored:
            # Tables built before fingerprints were kept, and still the shape the code wants: keep them.
            connection.execute(insert(read_model_states), {"name": name, "fingerprint": wanted, "built_at": utc_now()})
            continue
        remake.append(name)
    if remake:
        if after_lock is not None:
            after_lock()
        lock_tracking(connection, models)
        for name in remake:
            existed = any(inspector.has_table(table.name) for table in models[name].view.read_tables)
            _remake(connection, models[name], stored)
            if existed:
                logger.warning("read model %s: its tables changed shape; made anew, to be rebuilt from event one", name)
    return remake


def _remake(connection: Connection, model: ReadModel, stored: dict[str, str]) -> None:
    tables = model.view.read_tables
    for table in reversed(tables):
        table.drop(connection, checkfirst=True)
    for table in tables:
        table.create(connection)
    tracking = model.view.tracking_table
    connection.execute(
        update(tracking).where(tracking.c.application_name == APPLICATION_NAME).values(notification_id=0)
    )
    state = {"fingerprint": type(model).fingerprint(), "built_at": utc_now()}
    if model.name in stored:
        cleared = {"failed_position": None, "failed_error": None, "failed_at": None}
        row = read_model_states.c.name == model.name
        connection.execute(update(read_model_states).where(row), {**state, **cleared})
    else:
        connection.execute(insert(read_model_states), {"name": model.name, **state})


def _ensure_tracking_row(connection: Connection, model: ReadModel) -> None:
    """Every read model has its tracking row from the start, at zero, so a batch can compare-and-set it."""
    table = model.view.tracking_table
    found = connection.execute(
        select(table.c.notification_id).where(table.c.application_name == APPLICATION_NAME)
    ).first()
    if found is None:
        connection.execute(insert(table), {"application_name": APPLICATION_NAME, "notification_id": 0})
    elif found[0] is None:
        connection.execute(update(table).where(table.c.application_name == APPLICATION_NAME).values(notification_id=0))


def _matches(inspector: Any, table: Table) -> bool:
    return (
        inspector.has_table(table.name)
        and {column["name"] for column in inspector.get_columns(table.name)}
        == set(table.columns.keys()) | _in_database(inspector, table, "database_columns")
        and {index["name"] for index in inspector.get_indexes(table.name)}
        == {i.name for i in table.indexes} | _in_database(inspector, table, "database_indexes")
        and all(inspector.has_table(name) for name in _in_database(inspector, table, "database_tables"))
    )


def _in_database(inspector: Any, table: Table, what: str) -> set[str]:
    """What a table's own DDL makes beyond its declared columns and indexes on this database (its
    ``info``, by dialect): the search read model's word index (projections/search.py)."""
    return set(table.info.get(what, {}).get(inspector.dialect.name, ()))


# ------------------------------------------------------------------ failures


def record_failure(connection: Connection, name: str, position: int, error: str, at: datetime) -> None:
    connection.execute(
        update(read_model_states).where(read_model_states.c.name == name),
        {"failed_position": position, "failed_error": error, "failed_at": at},
    )


def clear_failures(connection: Connection, names: list[str]) -> None:
    connection.execute(
        update(read_model_states)
        .where(read_model_states.c.name.in_(bindparam("names", expanding=True)))
        .values(failed_position=None, failed_error=None, failed_at=None),
        {"names": names},
    )
