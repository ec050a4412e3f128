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

from domain.body import add_months
from domain.vocabulary import TWICE_YEARLY_KINDS, BodyKind, BodyStatus
from projections.tables import (
    actions,
    agenda_items,
    attendance,
    audit_log,
    bodies,
    body_states,
    decisions,
    interests,
    meetings,
    members,
    minutes,
    papers,
    progress_reports,
    projects,
)


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
    query = select(bodies)
    if kind:
        query = query.where(bodies.c.kind == kind)
    if status:
        query = query.where(bodies.c.status == status)
    if q:
        query = query.where(func.lower(bodies.c.name).contains(q.lower()))
    column = DIRECTORY_SORTS.get(sort, bodies.c.name).name
    total = connection.scalar(select(func.count()).select_from(query.subquery())) or 0

    def ordered(table: Any) -> list[Any]:
        first = table.c[column]
        return [desc(first) if descending else asc(first), table.c.name, table.c.id]

    # The next and last meeting are looked up for the page's rows only, after the page is cut.
    rows = query.order_by(*ordered(bodies)).limit(per_page).offset((page - 1) * per_page).subquery()
    next_meeting, last_meeting = _meeting_dates(today, rows.c.id)
    found = connection.execute(select(rows, next_meeting, last_meeting).order_by(*ordered(rows))).mappings()
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


def calendar(
    connection: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    body_id: UUID | None = None,
    public_only: bool = False,
    include_cancelled: bool = True,
    newest_first: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """The officers' calendar; ``public_only`` keeps to meetings the public may attend (C3), with the
    columns the public may see. The website's list of every meeting is ``public_calendar``.
    ``newest_first`` is for lists of past meetings, read from the most recent back."""
    query = select(*PUBLIC_MEETING_COLUMNS) if public_only else select(meetings)
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
    order = (meetings.c.meeting_date, meetings.c.start_time, meetings.c.id)
    query = query.order_by(*(desc(c) for c in order) if newest_first else order)
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
    if date_from:
        query = query.where(audit_log.c.on_date >= date_from)
    if date_to:
        query = query.where(audit_log.c.on_date <= date_to)
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


# ------------------------------------------------------------------ meetings
#
# Anything the public may see goes through ``public_only=True``, which every query below takes as a
# required keyword, so no caller can forget to choose. For the public:
# - agenda items and papers appear only once the agenda is published, and never an exempt (Part 2)
#   item, its papers, or any decision, declaration or action on it (G1, C4);
# - what happened at a meeting (attendance, declarations, decisions, actions, the minutes document)
#   appears only once its minutes are published (C5);
# - meeting, item, paper and action rows come from explicit lists of the columns the public may see.

MINUTES_OUT = ("published", "approved")

# What the public may know of a meeting row.
PUBLIC_MEETING_COLUMNS = (
    meetings.c.id,
    meetings.c.body_id,
    meetings.c.body_name,
    meetings.c.meeting_date,
    meetings.c.start_time,
    meetings.c.place,
    meetings.c.status,
    meetings.c.public,
    meetings.c.additional,
    meetings.c.papers_due,
    meetings.c.minutes_due,
    meetings.c.agenda_published_on,
    meetings.c.agenda_published_late,
    meetings.c.minutes_status,
    meetings.c.minutes_published_on,
    meetings.c.minutes_published_late,
    meetings.c.minutes_approved_on,
)
PUBLIC_ITEM_COLUMNS = (
    agenda_items.c.meeting_id,
    agenda_items.c.number,
    agenda_items.c.title,
    agenda_items.c.published_on,
    agenda_items.c.published_late,
)
PUBLIC_PAPER_COLUMNS = (
    papers.c.meeting_id,
    papers.c.number,
    papers.c.item,
    papers.c.title,
    papers.c.file_sha256,
    papers.c.file_size,
    papers.c.file_content_type,
    papers.c.file_name,
    papers.c.accessible,
    papers.c.summary,
    papers.c.published_on,
    papers.c.published_late,
)
PUBLIC_ACTION_COLUMNS = (
    actions.c.meeting_id,
    actions.c.number,
    actions.c.body_id,
    actions.c.item,
    actions.c.description,
    actions.c.owner,
    actions.c.due,
    actions.c.status,
    actions.c.closed_on,
    actions.c.close_note,
    actions.c.closed_at_meeting_id,
)


def _rows(connection: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in connection.execute(query).mappings()]


def _minutes_out(meeting_row: dict[str, Any]) -> bool:
    return meeting_row["minutes_status"] in MINUTES_OUT


def deadline_flags(row: dict[str, Any], today: date) -> dict[str, bool]:
    """Deadlines missed as at ``today``: papers not out by papers_due (C4), minutes not out by minutes_due (C5)."""
    cancelled = row["status"] == "cancelled"
    return {
        "papers_overdue": not cancelled and row["agenda_published_on"] is None and today > row["papers_due"],
        "minutes_overdue": not cancelled and row["minutes_status"] not in MINUTES_OUT and today > row["minutes_due"],
    }


def public_calendar(
    connection: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    body_id: UUID | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """The partnership calendar as the website shows it (C4): every meeting, with public columns only."""
    query = select(*PUBLIC_MEETING_COLUMNS)
    if start:
        query = query.where(meetings.c.meeting_date >= start)
    if end:
        query = query.where(meetings.c.meeting_date <= end)
    if body_id:
        query = query.where(meetings.c.body_id == body_id)
    query = query.order_by(meetings.c.meeting_date, meetings.c.start_time, meetings.c.id)
    return _page(connection, query, page, per_page)


def agenda(connection: Connection, meeting_id: UUID, *, public_only: bool) -> list[dict[str, Any]]:
    """The agenda items in order, each with its papers; for the public, published Part 1 items only."""
    if public_only:
        item_query = select(*PUBLIC_ITEM_COLUMNS).where(
            agenda_items.c.public.is_(True), agenda_items.c.published.is_(True)
        )
        paper_query = select(*PUBLIC_PAPER_COLUMNS).where(papers.c.public.is_(True), papers.c.published.is_(True))
    else:
        item_query, paper_query = select(agenda_items), select(papers)
    items = _rows(connection, item_query.where(agenda_items.c.meeting_id == meeting_id).order_by(agenda_items.c.number))
    by_item: dict[int, list[dict[str, Any]]] = {}
    for paper in _rows(connection, paper_query.where(papers.c.meeting_id == meeting_id).order_by(papers.c.number)):
        by_item.setdefault(paper["item"], []).append(paper)
    for item in items:
        item["papers"] = by_item.get(item["number"], [])
    return items


def meeting_detail(
    connection: Connection, meeting_id: UUID, *, public_only: bool, today: date | None = None
) -> dict[str, Any] | None:
    """One meeting: its agenda and papers, attendance, declarations, decisions, actions set at it, the
    matters arising from earlier meetings (C8) and its minutes; ``today`` adds the deadlines missed."""
    columns = PUBLIC_MEETING_COLUMNS if public_only else tuple(meetings.c)
    row = connection.execute(select(*columns).where(meetings.c.id == meeting_id)).mappings().first()
    if row is None:
        return None
    detail = dict(row)
    if today is not None:
        detail.update(deadline_flags(detail, today))
    detail["agenda"] = agenda(connection, meeting_id, public_only=public_only)
    detail["matters_arising"] = matters_arising(connection, meeting_id, public_only=public_only)
    proceedings_public = _minutes_out(detail)
    if public_only and not proceedings_public:
        detail.update(attendance=[], interests=[], decisions=[], actions=[], minutes=None)
        return detail

    def of_meeting(table: Any, *order: Any) -> list[dict[str, Any]]:
        query = select(table).where(table.c.meeting_id == meeting_id)
        if public_only and "public" in table.c:
            query = query.where(table.c.public.is_(True))
        rows = _rows(connection, query.order_by(*order))
        if public_only:
            for r in rows:
                r.pop("public", None)
        return rows

    detail["attendance"] = of_meeting(attendance, attendance.c.line)
    detail["interests"] = of_meeting(interests, interests.c.number)
    detail["decisions"] = of_meeting(decisions, decisions.c.number)
    detail["actions"] = of_meeting(actions, actions.c.number)
    document = connection.execute(select(minutes).where(minutes.c.meeting_id == meeting_id)).mappings().first()
    detail["minutes"] = dict(document) if document is not None else None
    return detail


def _public_actions(query: Select[Any]) -> Select[Any]:
    """Actions the public may see: on Part 1 business, from meetings whose minutes are out."""
    return query.where(actions.c.public.is_(True), meetings.c.minutes_status.in_(MINUTES_OUT))


def matters_arising(connection: Connection, meeting_id: UUID, *, public_only: bool) -> list[dict[str, Any]]:
    """Rule C8: the actions from the body's earlier meetings still open when this meeting began.

    Includes those closed at or after it, so the meeting sees what it was told was done.
    """
    this = connection.execute(
        select(meetings.c.body_id, meetings.c.meeting_date).where(meetings.c.id == meeting_id)
    ).first()
    if this is None:
        return []
    columns = PUBLIC_ACTION_COLUMNS if public_only else tuple(actions.c)
    query = (
        select(*columns, meetings.c.meeting_date.label("set_on"))
        .join(meetings, meetings.c.id == actions.c.meeting_id)
        .where(
            actions.c.body_id == this.body_id,
            meetings.c.meeting_date < this.meeting_date,
            or_(actions.c.closed_on.is_(None), actions.c.closed_on >= this.meeting_date),
        )
        .order_by(meetings.c.meeting_date, actions.c.meeting_id, actions.c.number)
    )
    return _rows(connection, _public_actions(query) if public_only else query)


def open_actions(connection: Connection, body_id: UUID, *, public_only: bool) -> list[dict[str, Any]]:
    """Rule C8: a body's actions not yet closed, soonest due first, with the date of the meeting that set each."""
    columns = PUBLIC_ACTION_COLUMNS if public_only else tuple(actions.c)
    query = (
        select(*columns, meetings.c.meeting_date.label("set_on"))
        .join(meetings, meetings.c.id == actions.c.meeting_id)
        .where(actions.c.body_id == body_id, actions.c.status == "open")
        .order_by(actions.c.due, meetings.c.meeting_date, actions.c.number)
    )
    return _rows(connection, _public_actions(query) if public_only else query)


def twice_yearly_bodies(today: date) -> Select[Any]:
    """Open conferences and consultative groups (rule C1) with their last ordinary meeting up to ``today``
    and their next one after it; cancelled and additional meetings do not count (catalogue C24).

    The dashboard's ``behind_cadence`` and the reminder scan's cadence rule both read these rows.
    """
    ordinary = and_(
        meetings.c.body_id == bodies.c.id,
        meetings.c.status == "scheduled",
        meetings.c.additional.is_(False),
    )
    last = select(func.max(meetings.c.meeting_date)).where(ordinary, meetings.c.meeting_date <= today)
    following = select(func.min(meetings.c.meeting_date)).where(ordinary, meetings.c.meeting_date > today)
    return select(
        bodies.c.id.label("body_id"),
        bodies.c.name,
        bodies.c.kind,
        bodies.c.established_on,
        bodies.c.until,
        last.scalar_subquery().label("last_meeting"),
        following.scalar_subquery().label("next_meeting"),
    ).where(
        bodies.c.kind.in_([k.value for k in TWICE_YEARLY_KINDS]),
        bodies.c.status.in_([BodyStatus.ACTIVE.value, BodyStatus.TIME_LIMITED.value]),
    )


def behind_cadence(connection: Connection, *, today: date, window_months: int = 6) -> list[dict[str, Any]]:
    """Rule C1: conferences and consultative groups with no ordinary meeting in the six months up to ``today``.

    A body established within the window is not yet behind. The last and next ordinary meetings come
    with each body.
    """
    since = add_months(today, -window_months)
    inner = (
        twice_yearly_bodies(today)
        .where(or_(bodies.c.established_on.is_(None), bodies.c.established_on <= since))
        .subquery()
    )
    query = (
        select(
            inner.c.body_id,
            inner.c.name,
            inner.c.kind,
            inner.c.established_on,
            inner.c.last_meeting,
            inner.c.next_meeting,
        )
        .where(or_(inner.c.last_meeting.is_(None), inner.c.last_meeting < since))
        .order_by(inner.c.name, inner.c.body_id)
    )
    return _rows(connection, query)
