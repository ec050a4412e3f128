"""Reads of the audit read model: the log of governance changes, filtered and paged."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, asc, desc, func, select

from projections.queries.common import Page, _rows, count_up_to
from projections.tables import audit_log, audit_subjects

# Counting a page's matches visits every one of them: past this many the page says "more than".
COUNT_LIMIT = 10_000


def _matching(
    *,
    body_id: UUID | None = None,
    subject_id: UUID | None = None,
    change: str | None = None,
    actor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select[Any]:
    """The changes matching the filters; the dates are when a change took effect, or was recorded if unstated
    (``on_date``, indexed)."""
    query = select(audit_log)
    if body_id:
        query = query.where(audit_log.c.body_id == body_id)
    if subject_id:
        query = query.where(audit_log.c.subject_id == subject_id)
    if change:
        query = query.where(audit_log.c.change == change)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if date_from:
        query = query.where(audit_log.c.on_date >= date_from)
    if date_to:
        query = query.where(audit_log.c.on_date <= date_to)
    return query


def audit(
    connection: Connection,
    *,
    newest_first: bool = True,
    page: int = 1,
    per_page: int = 50,
    count_limit: int | None = None,
    **filters: Any,
) -> Page:
    """A page of governance changes, newest first unless asked otherwise (filters as ``_matching``).

    The count is exact up to ``count_limit`` (``COUNT_LIMIT``) and "more than" beyond (``Page.exact``). The page is cut
    from log positions alone, on the filter's index (each is indexed with the position), and only its
    rows are then read whole.
    """
    matching = _matching(**filters)
    total, exact = count_up_to(connection, matching, COUNT_LIMIT if count_limit is None else count_limit)
    order = desc(audit_log.c.notification_id) if newest_first else asc(audit_log.c.notification_id)
    positions = (
        matching.with_only_columns(audit_log.c.notification_id)
        .order_by(order)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = select(audit_log).join(positions, audit_log.c.notification_id == positions.c.notification_id)
    return Page(_rows(connection, rows.order_by(order)), total, page, per_page, exact)


def audit_after(connection: Connection, after: int, *, limit: int, **filters: Any) -> list[dict[str, Any]]:
    """The next ``limit`` matching changes after log position ``after``, oldest first: keyset pages for an export
    of any size (no OFFSET, no COUNT)."""
    query = _matching(**filters).where(audit_log.c.notification_id > after)
    return _rows(connection, query.order_by(audit_log.c.notification_id).limit(limit))


def audit_actors(connection: Connection) -> list[str]:
    """Everyone who recorded something on the log, for the audit page's person picker (a loose index
    scan of the (actor, position) index, as for the kinds of change below)."""
    return list(connection.scalars(_ACTORS))


def audit_bodies(connection: Connection) -> list[tuple[UUID, str]]:
    """Every body on the log (id, name), for the audit page's body picker."""
    # One probe of the (body, position) index per subject, not a pass over the log.
    on_log = select(audit_log.c.notification_id).where(audit_log.c.body_id == audit_subjects.c.id).exists()
    query = select(audit_subjects.c.id, audit_subjects.c.name).where(on_log).order_by(audit_subjects.c.name)
    return [(r.id, r.name) for r in connection.execute(query)]


def audit_changes(connection: Connection) -> list[str]:
    """The kinds of change on record, for the audit page's filter.

    A loose index scan: the first kind, then the next one after it, and so on, each one probe of the
    (change, position) index, so the page pays for the handful of kinds rather than a pass over a log
    of a million changes (which SELECT DISTINCT was).
    """
    return list(connection.scalars(_KINDS))


def _distinct_values(column: Any) -> Any:
    """The distinct values of an indexed column by a loose index scan: the least value, then the least one
    above it, and so on, each one probe of the column's index."""
    found = select(func.min(column).label("value")).cte(f"distinct_{column.name}", recursive=True)
    following = select(func.min(column)).where(column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    return select(found.c.value).where(found.c.value.is_not(None)).order_by(found.c.value)


_KINDS = _distinct_values(audit_log.c.change)
_ACTORS = _distinct_values(audit_log.c.actor)
