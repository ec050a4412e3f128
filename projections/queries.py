"""Reads of the read models for pages, the API, exports and reminder scans.

Values that depend on today (next meeting, days overdue) are computed here, at
read time, from the date the caller passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, and_, asc, desc, func, or_, select

from domain.vocabulary import BodyKind
from projections.tables import audit_log, bodies, body_states, meetings, members, progress_reports, projects


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


def _meeting_dates(today: date) -> tuple[Any, Any]:
    scheduled = and_(meetings.c.body_id == bodies.c.id, meetings.c.status == "scheduled")
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
    next_meeting, last_meeting = _meeting_dates(today)
    query = select(bodies, next_meeting, last_meeting)
    if kind:
        query = query.where(bodies.c.kind == kind)
    if status:
        query = query.where(bodies.c.status == status)
    if q:
        query = query.where(func.lower(bodies.c.name).contains(q.lower()))
    column = DIRECTORY_SORTS.get(sort, bodies.c.name)
    query = query.order_by(desc(column) if descending else asc(column), bodies.c.name, bodies.c.id)
    result = _page(connection, query, page, per_page)
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


def calendar(
    connection: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    body_id: UUID | None = None,
    public_only: bool = False,
    include_cancelled: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    query = select(meetings)
    if start:
        query = query.where(meetings.c.meeting_date >= start)
    if end:
        query = query.where(meetings.c.meeting_date <= end)
    if body_id:
        query = query.where(meetings.c.body_id == body_id)
    if public_only:
        query = query.where(meetings.c.public.is_(True))
    if not include_cancelled:
        query = query.where(meetings.c.status == "scheduled")
    query = query.order_by(meetings.c.meeting_date, meetings.c.start_time, meetings.c.id)
    return _page(connection, query, page, per_page)


def project_progress(
    connection: Connection, *, today: date, lead: str | None = None, page: int = 1, per_page: int = 25
) -> Page:
    query = select(projects)
    if lead:
        query = query.where(projects.c.lead == lead)
    query = query.order_by(projects.c.next_report_due.is_(None), projects.c.next_report_due, projects.c.title)
    result = _page(connection, query, page, per_page)
    for item in result.items:
        item["days_overdue"] = days_overdue(item["next_report_due"], today)
    return result


def project(connection: Connection, project_id: UUID, *, today: date) -> dict[str, Any] | None:
    row = connection.execute(select(projects).where(projects.c.id == project_id)).mappings().first()
    if row is None:
        return None
    item = dict(row)
    item["days_overdue"] = days_overdue(item["next_report_due"], today)
    item["reports"] = progress_series(connection, project_id)
    return item


def days_overdue(due: date | None, today: date) -> int:
    return max(0, (today - due).days) if due else 0


def progress_series(connection: Connection, project_id: UUID) -> list[dict[str, Any]]:
    query = select(progress_reports).where(progress_reports.c.project_id == project_id)
    return [dict(r) for r in connection.execute(query.order_by(progress_reports.c.version)).mappings()]


def audit(
    connection: Connection,
    *,
    body_id: UUID | None = None,
    change: str | None = None,
    actor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    newest_first: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Governance changes; the date range applies to when a change took effect, or was recorded if unstated."""
    query = select(audit_log)
    if body_id:
        query = query.where(audit_log.c.body_id == body_id)
    if change:
        query = query.where(audit_log.c.change == change)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    when = func.coalesce(audit_log.c.effective_date, func.date(audit_log.c.recorded_at))
    if date_from:
        query = query.where(when >= date_from)
    if date_to:
        query = query.where(when <= date_to)
    order = desc(audit_log.c.notification_id) if newest_first else asc(audit_log.c.notification_id)
    return _page(connection, query.order_by(order), page, per_page)


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
