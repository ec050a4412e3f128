"""Reads of the audit read model: the log of governance changes, filtered and paged."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, asc, desc, distinct, select

from projections.queries.common import Page, _page, _rows
from projections.tables import (
    audit_log,
    audit_subjects,
)


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
    **filters: Any,
) -> Page:
    """A page of governance changes, newest first unless asked otherwise (filters as ``_matching``)."""
    order = desc(audit_log.c.notification_id) if newest_first else asc(audit_log.c.notification_id)
    return _page(connection, _matching(**filters).order_by(order), page, per_page)


def audit_after(connection: Connection, after: int, *, limit: int, **filters: Any) -> list[dict[str, Any]]:
    """The next ``limit`` matching changes after log position ``after``, oldest first: keyset pages for an export
    of any size (no OFFSET, no COUNT)."""
    query = _matching(**filters).where(audit_log.c.notification_id > after)
    return _rows(connection, query.order_by(audit_log.c.notification_id).limit(limit))


def audit_actors(connection: Connection) -> list[str]:
    """Everyone who recorded something on the log, for the audit page's person picker."""
    return list(connection.scalars(select(distinct(audit_log.c.actor)).order_by(audit_log.c.actor)))


def audit_bodies(connection: Connection) -> list[tuple[UUID, str]]:
    """Every body on the log (id, name), for the audit page's body picker."""
    query = (
        select(audit_subjects.c.id, audit_subjects.c.name)
        .where(audit_subjects.c.id.in_(select(audit_log.c.body_id).where(audit_log.c.body_id.is_not(None))))
        .order_by(audit_subjects.c.name)
    )
    return [(r.id, r.name) for r in connection.execute(query)]


def audit_changes(connection: Connection) -> list[str]:
    """The kinds of change on record, for the audit page's filter."""
    return list(connection.scalars(select(distinct(audit_log.c.change)).order_by(audit_log.c.change)))
