"""What the public may read of the bodies, without signing in: the directory, a body's purpose, standing
and terms of reference, its membership counted by role and representation (never who), and its history
of governance changes with membership changes read without names (``domain.history.public_sentence``).

Meetings come from the calendar's public queries (``public_only=True``), so a body's meetings, agendas
and minutes follow the one policy for the public (projections/queries/calendar.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, asc, desc, func, or_, select

from domain.history import PERSONAL_CHANGES, public_sentence
from domain.vocabulary import BodyKind
from projections.queries.common import Page, _page, _rows
from projections.queries.deadlines import MINUTES_OUT
from projections.queries.directory import status_label
from projections.tables import audit_log, bodies, meetings, members

# What the public may know of a body: no funding, contract, chair's name or share of service users.
PUBLIC_BODY_COLUMNS = (
    bodies.c.id,
    bodies.c.name,
    bodies.c.kind,
    bodies.c.previous_kind,
    bodies.c.status,
    bodies.c.status_effective,
    bodies.c.until,
    bodies.c.task,
    bodies.c.successor_id,
    bodies.c.successor_name,
    bodies.c.purpose,
    bodies.c.parent_id,
    bodies.c.parent_name,
    bodies.c.accountability,
    bodies.c.terms_of_reference,
    bodies.c.terms_of_reference_version,
    bodies.c.statutory_function,
    bodies.c.completion_report,
    bodies.c.meets_per_year,
    bodies.c.open_to_public,
    bodies.c.established_on,
    bodies.c.member_count,
)


def _public(row: dict[str, Any], today: date) -> dict[str, Any]:
    item = dict(row)
    # The officers' label ends with what to do about a group past its end date; the public read the fact.
    item["status_label"] = status_label(item, today=today).split(": extend", 1)[0]
    try:
        item["kind_label"] = BodyKind(item["kind"]).label
    except ValueError:
        item["kind_label"] = item["kind"].replace("_", " ")
    return item


def public_directory(
    connection: Connection, *, today: date, q: str | None = None, page: int = 1, per_page: int = 50
) -> Page:
    """Every body in name order (their governance is public record), optionally those whose name has ``q``."""
    query = select(*PUBLIC_BODY_COLUMNS)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(bodies.c.name).like(f"%{escaped.lower()}%", escape="\\"))
    found = _page(connection, query.order_by(bodies.c.name, bodies.c.id), page, per_page)
    return Page([_public(r, today) for r in found.items], found.total, found.page, found.per_page)


def public_body(connection: Connection, body_id: UUID, *, today: date) -> dict[str, Any] | None:
    row = connection.execute(select(*PUBLIC_BODY_COLUMNS).where(bodies.c.id == body_id)).mappings().first()
    return None if row is None else _public(row, today)


def public_membership(connection: Connection, body_id: UUID) -> list[dict[str, Any]]:
    """The current members counted by role and representation (chair first), with how many vote: the
    shape of the body, not the people in it."""
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    rows = connection.execute(
        select(members.c.role, members.c.representation, members.c.votes).where(
            members.c.body_id == body_id, members.c.left_on.is_(None)
        )
    )
    for role, representation, votes in rows:
        entry = counts.setdefault(
            (role, representation),
            {
                "role": role,
                "representation": representation,
                "role_label": role.replace("_", "-").capitalize(),
                "representation_label": representation.replace("_", " ").capitalize(),
                "members": 0,
                "voting": 0,
            },
        )
        entry["members"] += 1
        entry["voting"] += 1 if votes else 0
    order = {"chair": 0, "vice_chair": 1}
    return sorted(counts.values(), key=lambda e: (order.get(e["role"], 2), e["role"], e["representation"]))


def public_history(
    connection: Connection, body_id: UUID, *, page: int = 1, per_page: int = 50, newest_first: bool = True
) -> Page:
    """The body's own changes (not its projects'), each sentence as the public reads it; a membership
    change or an election without names, and without the reason given (it may say who)."""
    matching = select(
        audit_log.c.notification_id,
        audit_log.c.change,
        audit_log.c.sentence,
        audit_log.c.changes,
        audit_log.c.effective_date,
        audit_log.c.recorded_at,
        audit_log.c.on_date,
        audit_log.c.reason,
        audit_log.c.decided_by,
        audit_log.c.decision_ref,
    ).where(audit_log.c.body_id == body_id, audit_log.c.subject_type == "body")
    order = desc(audit_log.c.notification_id) if newest_first else asc(audit_log.c.notification_id)
    found = _page(connection, matching.order_by(order), page, per_page)
    items = []
    for row in found.items:
        try:
            changes = json.loads(row.pop("changes") or "{}")
        except ValueError:
            changes = {}
        row["sentence"] = public_sentence(row["change"], row["sentence"], changes if isinstance(changes, dict) else {})
        if row["change"] in PERSONAL_CHANGES:
            row["reason"] = None
        items.append(row)
    return Page(items, found.total, found.page, found.per_page)


def published_since(connection: Connection, since: date) -> list[dict[str, Any]]:
    """Public meetings whose agenda or minutes were published on or after ``since``: what the followers of
    a body are told about (application/followers.py)."""
    query = select(
        meetings.c.id,
        meetings.c.body_id,
        meetings.c.body_name,
        meetings.c.meeting_date,
        meetings.c.start_time,
        meetings.c.place,
        meetings.c.agenda_published_on,
        meetings.c.minutes_published_on,
        meetings.c.minutes_status,
    ).where(
        meetings.c.public.is_(True),
        or_(meetings.c.agenda_published_on >= since, meetings.c.minutes_published_on >= since),
    )
    rows = _rows(connection, query.order_by(meetings.c.meeting_date, meetings.c.id))
    for row in rows:
        row["minutes_out"] = row["minutes_status"] in MINUTES_OUT and row["minutes_published_on"] is not None
    return rows
