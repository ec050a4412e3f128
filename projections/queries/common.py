"""What every read-model query shares: a page of rows with its count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, literal, select


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    # False when more than ``total`` rows match: counting stopped there (``count_up_to``).
    exact: bool = True

    @property
    def pages(self) -> int:
        """The number of pages, or when the count is not exact the pages up to where counting stopped."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (not self.exact and len(self.items) == self.per_page)


def count_up_to(connection: Connection, query: Select[Any], cap: int) -> tuple[int, bool]:
    """How many rows ``query`` matches, counting no further than ``cap``: (count, exact). Counting is the cost
    of a page of a big table (every matching row is visited), so past ``cap`` the page says "more than"."""
    first = query.order_by(None).with_only_columns(literal(1), maintain_column_froms=True).limit(cap + 1).subquery()
    counted = connection.scalar(select(func.count()).select_from(first)) or 0
    return (cap, False) if counted > cap else (counted, True)


def _page(connection: Connection, query: Select[Any], page: int, per_page: int) -> Page:
    total = connection.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = connection.execute(query.limit(per_page).offset((page - 1) * per_page)).mappings().all()
    return Page([dict(r) for r in rows], total, page, per_page)


def _rows(connection: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in connection.execute(query).mappings()]
