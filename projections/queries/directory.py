"""Reads of the directory read model: bodies, their members, and the framework as it stood on a day.

Values that depend on today (next meeting, days overdue) are computed at read time, from the date the
caller passes in, so a rebuilt read model equals the one kept incrementally.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Date, Integer, and_, asc, bindparam, desc, func, or_, select

from domain.vocabulary import MIN_SERVICE_USER_SHARE, BodyKind
from projections.queries.common import Page
from projections.tables import (
    bodies,
    body_states,
    meetings,
    members,
)


def status_label(row: dict[str, Any], *, today: date | None = None) -> str:
    """The directory's status in words: active, time-limited until…, past its end date, ended, completed,
    replaced by…, transformed into…"""
    status = row["status"]
    if status == "completed":
        return "closed with its completion report"
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
        if today is not None and row["until"] < today:
            # Rule A5: nobody has yet decided to extend, close or convert it.
            return f"{prefix}past its end date ({row['until']:%-d %B %Y}): extend, close or convert it"
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


# Filters of the directory beyond a recorded status: what the dashboard's "See all" links open.
PAST_END_DATE = "past_end_date"  # time-limited groups past their end date, nothing decided (A5)
AWAITING_DECISION = "awaiting_decision"  # bodies with a proposed change not yet decided (F4)
BELOW_SHARE = "below_share"  # consultative groups below the 70% user-side share (B3)
DIRECTORY_FILTERS = {
    PAST_END_DATE: "Past its end date",
    AWAITING_DECISION: "Proposal awaiting a decision",
    BELOW_SHARE: "Below the 70% service-user share",
}

DIRECTORY_SORTS = {
    "name": bodies.c.name,
    "kind": bodies.c.kind,
    "status": bodies.c.status,
    "members": bodies.c.member_count,
    "funding": bodies.c.annual_funding_pence,
    "share": bodies.c.service_user_share,
}


def _matching(kind: bool, status: str | None, q: bool) -> list[Any]:
    """The directory's filters, as bound parameters (``kind``, ``status``, ``pattern``, ``today``). ``status``
    is None, "recorded" (a status as recorded) or one of DIRECTORY_FILTERS. The name search finds its text
    anywhere in the name, in any case, taking ``%`` and ``_`` as themselves (``_pattern``); it reads the
    narrow (name, id) index rather than the bodies' rows."""
    where = []
    if kind:
        where.append(bodies.c.kind == bindparam("kind"))
    if status == PAST_END_DATE:
        where += [bodies.c.status == "time_limited", bodies.c.until < bindparam("today", type_=Date)]
    elif status == AWAITING_DECISION:
        where.append(bodies.c.open_proposals > 0)
    elif status == BELOW_SHARE:
        where += [
            bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value,
            bodies.c.status.in_(("active", "time_limited")),
            bodies.c.service_user_share < MIN_SERVICE_USER_SHARE,
        ]
    elif status:
        where.append(bodies.c.status == bindparam("status"))
    if q:
        where.append(func.lower(bodies.c.name).like(bindparam("pattern"), escape="\\"))
    return where


def _pattern(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@lru_cache(maxsize=256)
def _statements(kind: bool, status: str | None, q: bool, sort: str, descending: bool) -> tuple[Any, Any]:
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
    shape = status if status in DIRECTORY_FILTERS else "recorded" if status else None
    count, rows = _statements(bool(kind), shape, bool(q), sort, descending)
    values = {"kind": kind, "status": status, "pattern": _pattern(q) if q else None, "today": today}
    total = connection.scalar(count, values) or 0
    found = connection.execute(rows, {**values, "limit": per_page, "offset": (page - 1) * per_page}).mappings()
    result = Page([dict(r) for r in found], total, page, per_page)
    for item in result.items:
        item["status_label"] = status_label(item, today=today)
    return result


def body(connection: Connection, body_id: UUID, *, today: date) -> dict[str, Any] | None:
    next_meeting, last_meeting = _meeting_dates(today)
    row = (
        connection.execute(select(bodies, next_meeting, last_meeting).where(bodies.c.id == body_id)).mappings().first()
    )
    if row is None:
        return None
    item = dict(row)
    item["status_label"] = status_label(item, today=today)
    return item


def body_members(connection: Connection, body_id: UUID, *, current_only: bool = False) -> list[dict[str, Any]]:
    query = select(members).where(members.c.body_id == body_id)
    if current_only:
        query = query.where(members.c.left_on.is_(None))
    query = query.order_by(members.c.left_on.is_not(None), members.c.joined_on, members.c.person)
    return [dict(r) for r in connection.execute(query).mappings()]


def _standing_in_force(connection: Connection, day: date, body_id: UUID | None = None) -> list[dict[str, Any]]:
    """Each body as it stood on ``day``: every decided change in force by then, folded in effective order
    (its effective date, then the order recorded), so a change recorded late or backdated, or a correction
    (which counts from the change it corrects), lands where it belongs. A change recorded without an
    effective date counts from the day it was recorded, except the establishment of a body already
    existing when the record began. Proposals not yet decided are not changes and never appear."""
    in_force = or_(body_states.c.effective_from.is_(None), body_states.c.effective_from <= day)
    query = select(body_states).where(in_force)
    if body_id is not None:
        query = query.where(body_states.c.body_id == body_id)
    query = query.order_by(
        body_states.c.body_id,
        body_states.c.effective_from.is_not(None),
        body_states.c.effective_from,
        body_states.c.version,
    )
    states: dict[Any, dict[str, Any]] = {}
    for row in connection.execute(query).mappings():
        state = states.setdefault(row["body_id"], {"body_id": row["body_id"]})
        state.update(json.loads(row["sets"]))
        state["version"] = row["version"]
        state["effective_from"] = row["effective_from"]
    found = []
    for state in states.values():
        if "name" not in state:
            continue  # established after ``day``: only later changes would be in force
        if state.get("until"):
            state["until"] = date.fromisoformat(state["until"])
        state["status_label"] = status_label(state, today=day)
        found.append(state)
    return sorted(found, key=lambda s: (s["name"].casefold(), str(s["body_id"])))


def directory_as_at(connection: Connection, day: date) -> list[dict[str, Any]]:
    """Every body as it stood on ``day``, by effective date (see ``_standing_in_force``)."""
    return _standing_in_force(connection, day)


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
    found = _standing_in_force(connection, day, body_id)
    return found[0] if found else None
