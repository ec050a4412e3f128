"""Statement helpers for the read models' handlers.

Values go in as bound parameters of statements built once per shape (projections/base.py), so
SQLAlchemy compiles each shape once and reuses it. Building a statement with the values embedded
(``insert(t).values(**row)``) made it rebuild and re-key every statement on every event, which the
rebuild benchmark showed to be most of the cost of a rebuild. The writes are held by ``Rows`` and
sent as one ``executemany`` per shape (see ``Rows``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from projections.base import Rows


def insert_row(rows: Rows, table: Table, row: dict[str, Any]) -> None:
    rows.insert(table, row)


def update_where(rows: Rows, table: Table, where: dict[str, Any], changes: dict[str, Any]) -> None:
    """UPDATE table SET <changes> WHERE each column in ``where`` equals its value."""
    rows.update(table, where, changes)
