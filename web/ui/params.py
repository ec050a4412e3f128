"""Reading query-string parameters safely: bad values fall back to defaults or become a message."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import request


def page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


def uuid_or_none(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def date_from_parts(prefix: str) -> tuple[date | None, str | None, dict[str, str]]:
    """A GOV.UK day/month/year date from the query string: (date, error, the typed values)."""
    parts = {p: request.args.get(f"{prefix}-{p}", "").strip() for p in ("day", "month", "year")}
    values = {f"{prefix}-{p}": v for p, v in parts.items()}
    if not any(parts.values()):
        return None, None, values
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None, values
    except ValueError:
        return None, "Enter a real date, like 27 3 2026", values


def with_args(**changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = str(value)
    from urllib.parse import urlencode

    query = urlencode(args)
    return request.path + ("?" + query if query else "")
