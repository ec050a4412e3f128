"""Reads of the directory read model: bodies, their members, and the framework as it stood on a day.

Values that depend on today (next meeting, days overdue) are computed at read time, from the date the
caller passes in, so a rebuilt read model equals the one kept incrementally.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Date, Integer, and_, asc, bindparam, desc, func, or_, select

from domain.vocabulary import BodyKind
from projections.queries.common import Page
from projections.tables import (
    bodies,
    body_states,
    meetings,
    members,
)


def status_label(row: dict[str, Any]) -> str:
    """The directory's status in words: active, time-limited until…, ended, replaced by…, transformed into…"""
    status = row["status"]
    if status == "replaced":
        return f"replaced by {row['successor_name']}"
    if status == "merged":
        return f"merged into {row['successor_name']}"
    if status == "ended":
        return "ended"
    prefix = ""
    if row.get("previous_kind"):
        prefix = f"transformed into a {BodyKind(row['kind']).label}; "
    if status == "time_limited" and row.get("until"):
        return f"{prefix}time-limited until {row['until']:%-d %B %Y}"
    return prefix + "active"


def _meeting_dates(today: date, body_id: Any = bodies.c.id) -> tuple[Any, Any]:
    scheduled = and_(meetings.c.body_id == body_id, meetings.c.status == "scheduled")
    next_meeting = (
        select(func.min(meetings.c.meeting_date))
        .where(scheduled, meetings.c.meeting_date >= today)
        .scalar_subquery()
        .label("next_meeting")
    )
    last_meeting = (
        select(func.max(meetings.c.meeting_date))
        .where(scheduled, meetings.c.meeting_date < today)
        .scalar_subquery()
        .label("last_meeting")
    )
    return next_meeting, last_meeting


DIRECTORY_SORTS = {
    "name": bodies.c.name,
    "kind": bodies.c.kind,
    "status": bodies.c.status,
    "members": bodies.c.member_count,
    "funding": bodies.c.annual_funding_pence,
    "share": bodies.c.service_user_share,
}


def _matching(kind: bool, status: bool, q: bool) -> list[Any]:
    """The directory's filters, as bound parameters (``kind``, ``status``, ``pattern``). The name search finds
    its text anywhere in the name, in any case, taking ``%`` and ``_`` as themselves (``_pattern``); it
    reads the narrow (name, id) index rather than the bodies' rows."""
    where = []
    if kind:
        where.append(bodies.c.kind == bindparam("kind"))
    if status:
        where.append(bodies.c.status == bindparam("status"))
    if q:
        where.append(func.lower(bodies.c.name).like(bindparam("pattern"), escape="\\"))
    return where


def _pattern(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@lru_cache(maxsize=256)
def _statements(kind: bool, status: bool, q: bool, sort: str, descending: bool) -> tuple[Any, Any]:
    """The count and the page of one shape of directory query, built once: building SQL expressions costs
    a request more than running these."""
    where = _matching(kind, status, q)
    column = DIRECTORY_SORTS[sort].name

    def ordered(table: Any) -> list[Any]:
        first = table.c[column]
        return [desc(first) if descending else asc(first), table.c.name, table.c.id]

    count = select(func.count()).select_from(bodies).where(*where)
    ids = (
        select(bodies.c.id)
        .where(*where)
        .order_by(*ordered(bodies))
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    rows = select(bodies).join(ids, bodies.c.id == ids.c.id).subquery()
    next_meeting, last_meeting = _meeting_dates(bindparam("today", type_=Date), rows.c.id)
    return count, select(rows, next_meeting, last_meeting).order_by(*ordered(rows))


def directory(
    connection: Connection,
    *,
    today: date,
    kind: str | None = None,
    status: str | None = None,
    q: str | None = None,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """A page of the directory: filtered, sorted (then by name and id, so pages never overlap), counted.

    The page is cut from the ids alone, on the index of the sort column (each sortable column is
    indexed with name and id, so a deep page walks index entries, not rows); only the page's rows
    are then read whole, with their next and last meeting.
    """
    sort = sort if sort in DIRECTORY_SORTS else "name"
    count, rows = _statements(bool(kind), bool(status), bool(q), sort, descending)
    values = {"kind": kind, "status": status, "pattern": _pattern(q) if q else None}
    total = connection.scalar(count, values) or 0
    found = connection.execute(
        rows, {**values, "today": today, "limit": per_page, "offset": (page - 1) * per_page}
    ).mappings()
    result = Page([dict(r) for r in found], total, page, per_page)
    for item in result.items:
        item["status_label"] = status_label(item)
    return result


def body(connection: Connection, body_id: UUID, *, today: date) -> dict[str, Any] | None:
    next_meeting, last_meeting = _meeting_dates(today)
    row = (
        connection.execute(select(bodies, next_meeting, last_meeting).where(bodies.c.id == body_id)).mappings().first()
    )
    if row is None:
        return None
    item = dict(row)
    item["status_label"] = status_label(item)
    return item


def body_members(connection: Connection, body_id: UUID, *, current_only: bool = False) -> list[dict[str, Any]]:
    query = select(members).where(members.c.body_id == body_id)
    if current_only:
        query = query.where(members.c.left_on.is_(None))
    query = query.order_by(members.c.left_on.is_not(None), members.c.joined_on, members.c.person)
    return [dict(r) for r in connection.execute(query).mappings()]


def directory_as_at(connection: Connection, day: date) -> list[dict[str, Any]]:
    """Every body as it stood on ``day``: the last change in force by then, by effective date.

    A change recorded without an effective date counts from the day it was recorded,
    except the establishment of a body already existing when the record began.
    """
    in_force = or_(body_states.c.effective_from.is_(None), body_states.c.effective_from <= day)
    latest = (
        select(body_states.c.body_id, func.max(body_states.c.version).label("version"))
        .where(in_force)
        .group_by(body_states.c.body_id)
        .subquery()
    )
    query = (
        select(body_states)
        .join(
            latest,
            and_(body_states.c.body_id == latest.c.body_id, body_states.c.version == latest.c.version),
        )
        .order_by(body_states.c.name)
    )
    rows = [dict(r) for r in connection.execute(query).mappings()]
    for row in rows:
        row["status_label"] = status_label(row)
    return rows


def members_as_at(connection: Connection, body_id: UUID, day: date) -> list[dict[str, Any]]:
    """The members of a body on ``day``: joined by then and not yet left."""
    query = (
        select(members)
        .where(
            members.c.body_id == body_id,
            members.c.joined_on <= day,
            or_(members.c.left_on.is_(None), members.c.left_on > day),
        )
        .order_by(members.c.joined_on, members.c.person)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def body_id_by_name(connection: Connection, name: str) -> UUID | None:
    """A body's id from its name as typed (any case, spaces at the ends ignored)."""
    return connection.scalar(select(bodies.c.id).where(func.lower(bodies.c.name) == name.strip().lower()).limit(1))


def state_on(connection: Connection, body_id: UUID, day: date) -> dict[str, Any] | None:
    """The body's standing in force on ``day``, by effective date (None before it existed)."""
    in_force = or_(body_states.c.effective_from.is_(None), body_states.c.effective_from <= day)
    query = (
        select(body_states)
        .where(body_states.c.body_id == body_id, in_force)
        .order_by(body_states.c.version.desc())
        .limit(1)
    )
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    state = dict(row)
    state["status_label"] = status_label(state)
    return state
