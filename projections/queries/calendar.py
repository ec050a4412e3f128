"""Reads of the calendar read model: meetings, their agendas, papers, proceedings and minutes.

The public's view is a required keyword (``public_only``) of every meeting query, so each caller decides.
What the public sees of a meeting of a body that is not open to the public (C3): nothing at all. It is
not in the public calendar, not found by its id, not in a feed: one policy, applied here for the web
pages, the API and the calendar feeds alike.

Values that depend on today (next meeting, days overdue) are computed at read time, from the date the
caller passes in, so a rebuilt read model equals the one kept incrementally.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, and_, desc, false, func, or_, select

from domain import deadlines
from domain.body import add_months
from domain.meeting import meeting_stage
from domain.vocabulary import TWICE_YEARLY_KINDS, BodyStatus
from projections.queries.common import Page, _page, _rows
from projections.queries.deadlines import MINUTES_OUT
from projections.tables import (
    actions,
    agenda_items,
    attendance,
    bodies,
    decisions,
    interests,
    meetings,
    minutes,
    papers,
)


def meetings_query(
    *,
    public_only: bool,
    start: date | None = None,
    end: date | None = None,
    body_id: UUID | None = None,
    include_cancelled: bool = True,
    newest_first: bool = False,
) -> Select[Any]:
    """The meetings a reader may see, in date order: for the public, only those open to the public (C3)
    and only their public columns. The calendar pages, the API and the calendar feeds all start here."""
    query = select(*PUBLIC_MEETING_COLUMNS) if public_only else select(meetings)
    if public_only:
        query = query.where(meetings.c.public.is_(True))
    if start:
        query = query.where(meetings.c.meeting_date >= start)
    if end:
        query = query.where(meetings.c.meeting_date <= end)
    if body_id:
        query = query.where(meetings.c.body_id == body_id)
    if not include_cancelled:
        query = query.where(meetings.c.status == "scheduled")
    order = (meetings.c.meeting_date, meetings.c.start_time, meetings.c.id)
    return query.order_by(*(desc(c) for c in order) if newest_first else order)


def calendar(
    connection: Connection,
    *,
    public_only: bool = False,
    page: int = 1,
    per_page: int = 50,
    **filters: Any,
) -> Page:
    """A page of the calendar (filters as ``meetings_query``); ``newest_first`` is for lists of past
    meetings, read from the most recent back. Each row says its stage (``with_stage``)."""
    found = _page(connection, meetings_query(public_only=public_only, **filters), page, per_page)
    for row in found.items:
        with_stage(row, public_only=public_only)
    return found


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
    meetings.c.held,
    meetings.c.moved_from,
    meetings.c.recorded_afterwards,
)


def with_stage(row: dict[str, Any], *, public_only: bool = False) -> dict[str, Any]:
    """Adds where the meeting is in its life (domain.meeting.meeting_stage) and its plain-English label;
    the public are told "held" while the minutes are still in draft."""
    stage = meeting_stage(
        status=row["status"],
        held=bool(row.get("held")),
        agenda_published=row.get("agenda_published_on") is not None,
        minutes_status=row["minutes_status"],
        moved=row.get("moved_from") is not None,
    )
    if public_only:
        stage = stage.public
    row["stage"] = stage.value
    row["stage_label"] = stage.label
    # The turnout (C7), when attendance was taken against the membership on record.
    if row.get("quorum") is not None:
        row["quorate"] = row["voting_present"] >= row["quorum"]
        counted = row["counted_present"]
        row["user_side_percent"] = round(100 * row["user_side_present"] / counted) if counted else None
    return row


PUBLIC_ITEM_COLUMNS = (
    agenda_items.c.meeting_id,
    agenda_items.c.number,
    agenda_items.c.title,
    agenda_items.c.published_on,
    agenda_items.c.published_late,
    agenda_items.c.supplementary,
    agenda_items.c.purpose,
    agenda_items.c.presenter,
    agenda_items.c.starts_at,
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


def _minutes_out(meeting_row: dict[str, Any]) -> bool:
    return meeting_row["minutes_status"] in MINUTES_OUT


def deadline_flags(row: dict[str, Any], today: date) -> dict[str, bool]:
    """Deadlines missed as at ``today`` (domain.deadlines): the agenda and papers (C4), the minutes (C5)."""
    # A meeting recorded afterwards has no deadlines counted against it (none was known at the time).
    going_ahead = row["status"] != "cancelled" and not row.get("recorded_afterwards")
    return {
        "papers_overdue": going_ahead
        and deadlines.papers_overdue(
            row["papers_due"], row["meeting_date"], today, published=row["agenda_published_on"] is not None
        ),
        "minutes_overdue": going_ahead
        and deadlines.minutes_overdue(row["minutes_due"], today, published=row["minutes_status"] in MINUTES_OUT),
    }


def public_calendar(connection: Connection, *, page: int = 1, per_page: int = 50, **filters: Any) -> Page:
    """The partnership calendar as the website shows it (C4): meetings open to the public, public columns."""
    return calendar(connection, public_only=True, page=page, per_page=per_page, **filters)


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
    query = select(*columns).where(meetings.c.id == meeting_id)
    if public_only:
        query = query.where(meetings.c.public.is_(True))  # a meeting the public may not attend: none at all
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    detail = with_stage(dict(row), public_only=public_only)
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


def _ordinary_meeting(body_id: Any) -> Any:
    """A body's ordinary meeting: not cancelled, not additional (catalogue C24); on rm_meetings_ordinary."""
    return and_(meetings.c.body_id == body_id, meetings.c.status == "scheduled", meetings.c.additional == false())


@lru_cache(maxsize=4)
def _behind_cadence(today: date, window_months: int) -> Select[Any]:
    """Rule C1: open conferences and consultative groups, established before the window, with no ordinary
    meeting in the ``window_months`` up to ``today`` (one index probe each, no per-body maximum)."""
    since = add_months(today, -window_months)
    met = (
        select(meetings.c.id)
        .where(_ordinary_meeting(bodies.c.id), meetings.c.meeting_date.between(since, today))
        .exists()
    )
    return select(bodies.c.id.label("body_id"), bodies.c.name, bodies.c.kind, bodies.c.established_on).where(
        bodies.c.kind.in_([k.value for k in TWICE_YEARLY_KINDS]),
        bodies.c.status.in_([BodyStatus.ACTIVE.value, BodyStatus.TIME_LIMITED.value]),
        or_(bodies.c.established_on.is_(None), bodies.c.established_on <= since),
        ~met,
    )


def behind_cadence(
    connection: Connection, *, today: date, window_months: int = 6, limit: int | None = None
) -> list[dict[str, Any]]:
    """Rule C1: conferences and consultative groups with no ordinary meeting in the six months up to ``today``.

    A body established within the window is not yet behind. The last and next ordinary meetings come
    with each body, looked up for the rows returned (the first ``limit`` by name) only.
    """
    return _rows(connection, _behind_cadence_rows(today, window_months, limit))


@lru_cache(maxsize=8)
def _behind_cadence_rows(today: date, window_months: int, limit: int | None) -> Select[Any]:
    rows = _behind_cadence(today, window_months).order_by(bodies.c.name, bodies.c.id).limit(limit).subquery()
    last = select(func.max(meetings.c.meeting_date)).where(
        _ordinary_meeting(rows.c.body_id), meetings.c.meeting_date <= today
    )
    following = select(func.min(meetings.c.meeting_date)).where(
        _ordinary_meeting(rows.c.body_id), meetings.c.meeting_date > today
    )
    return select(
        rows, last.scalar_subquery().label("last_meeting"), following.scalar_subquery().label("next_meeting")
    ).order_by(rows.c.name, rows.c.body_id)


def behind_cadence_count(connection: Connection, *, today: date, window_months: int = 6) -> int:
    return connection.scalar(_behind_cadence_count(today, window_months)) or 0


@lru_cache(maxsize=4)
def _behind_cadence_count(today: date, window_months: int) -> Select[Any]:
    return select(func.count()).select_from(_behind_cadence(today, window_months).subquery())


def meeting_row(connection: Connection, meeting_id: UUID) -> dict[str, Any] | None:
    """A meeting's own row (no agenda or proceedings), whatever it holds."""
    row = connection.execute(select(meetings).where(meetings.c.id == meeting_id)).mappings().first()
    return with_stage(dict(row)) if row else None


def open_actions_of_meeting(connection: Connection, meeting_id: UUID) -> list[dict[str, Any]]:
    query = (
        select(actions).where(actions.c.meeting_id == meeting_id, actions.c.status == "open").order_by(actions.c.number)
    )
    return _rows(connection, query)


def meetings_of_body(
    connection: Connection, body_id: UUID, *, before: date | None = None, after: date | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """A body's meetings (not cancelled), newest first; ``before``/``after`` bound the date."""
    conditions = [meetings.c.body_id == body_id, meetings.c.status == "scheduled"]
    if before is not None:
        conditions.append(meetings.c.meeting_date < before)
    if after is not None:
        conditions.append(meetings.c.meeting_date > after)
    order = (meetings.c.meeting_date.desc(), meetings.c.start_time.desc(), meetings.c.id.desc())
    query = select(meetings).where(and_(*conditions)).order_by(*order).limit(limit)
    return [with_stage(row) for row in _rows(connection, query)]


def all_meetings_of_body(connection: Connection, body_id: UUID, *, today: date) -> list[dict[str, Any]]:
    """Every meeting of a body with its deadline flags as of ``today``."""
    page = calendar(connection, body_id=body_id, page=1, per_page=500)
    for row in page.items:
        row.update(deadline_flags(row, today))
    return page.items
