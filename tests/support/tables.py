"""Dumps read-model tables in primary-key order, to compare two builds row for row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from projections.tables import metadata


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    result = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns)
            result[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*order))]
    return result
