"""What every read-model query shares: a page of rows with its count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _page(connection: Connection, query: Select[Any], page: int, per_page: int) -> Page:
    total = connection.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = connection.execute(query.limit(per_page).offset((page - 1) * per_page)).mappings().all()
    return Page([dict(r) for r in rows], total, page, per_page)


def _rows(connection: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in connection.execute(query).mappings()]
