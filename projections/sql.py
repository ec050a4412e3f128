"""Statement helpers for the read models.

Values go in as bound parameters of statements built once per shape, so
SQLAlchemy compiles each shape once and reuses it. Building a statement with
the values embedded (``insert(t).values(**row)``) made it rebuild and re-key
every statement on every event, which the rebuild benchmark showed to be most
of the cost of a rebuild.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, Table, Update, bindparam, insert, update


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


@cache
def _update(table: Table, keys: tuple[str, ...]) -> Update:
    return update(table).where(*(table.c[k] == bindparam(f"_key_{k}") for k in keys))


def insert_row(connection: Connection, table: Table, row: dict[str, Any]) -> None:
    connection.execute(_insert(table), row)


def update_where(connection: Connection, table: Table, where: dict[str, Any], changes: dict[str, Any]) -> None:
    """UPDATE table SET <changes> WHERE each column in ``where`` equals its value."""
    if not changes:
        return
    params = {f"_key_{k}": v for k, v in where.items()}
    connection.execute(_update(table, tuple(where)), {**params, **changes})
