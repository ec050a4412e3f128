"""Read-model lookups the UI needs beyond projections.queries: small, indexed, read-only."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, select

from projections import queries
from projections.tables import actions, bodies, meetings


def body_id_by_name(connection: Connection, name: str) -> UUID | None:
    return connection.scalar(select(bodies.c.id).where(func.lower(bodies.c.name) == name.strip().lower()).limit(1))


def meeting_row(connection: Connection, meeting_id: UUID) -> dict[str, Any] | None:
    row = connection.execute(select(meetings).where(meetings.c.id == meeting_id)).mappings().first()
    return dict(row) if row else None


def open_actions_of_meeting(connection: Connection, meeting_id: UUID) -> list[dict[str, Any]]:
    query = (
        select(actions).where(actions.c.meeting_id == meeting_id, actions.c.status == "open").order_by(actions.c.number)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def meetings_of_body(
    connection: Connection, body_id: UUID, *, before: Any = None, after: Any = None, limit: int = 200
) -> list[dict[str, Any]]:
    """A body's meetings (not cancelled), newest first; ``before``/``after`` bound the date."""
    conditions = [meetings.c.body_id == body_id, meetings.c.status == "scheduled"]
    if before is not None:
        conditions.append(meetings.c.meeting_date < before)
    if after is not None:
        conditions.append(meetings.c.meeting_date > after)
    query = select(meetings).where(and_(*conditions)).order_by(meetings.c.meeting_date.desc()).limit(limit)
    return [dict(r) for r in connection.execute(query).mappings()]


def all_meetings_of_body(connection: Connection, body_id: UUID, *, today: Any) -> list[dict[str, Any]]:
    page = queries.calendar(connection, body_id=body_id, page=1, per_page=500)
    for row in page.items:
        row.update(queries.deadline_flags(row, today))
    return page.items
