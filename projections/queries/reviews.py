"""Reads of the annual reviews (rule H1): the list, one review with its bodies and the proposals it led to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, select

from projections.queries.deadlines import OPEN_STATUSES
from projections.reviews import annual_reviews, review_bodies, review_proposals
from projections.tables import bodies, proposals


def reviews(connection: Connection) -> list[dict[str, Any]]:
    """Every annual review, the latest financial year first (one a year: the list stays short)."""
    query = select(annual_reviews).order_by(annual_reviews.c.year.desc())
    return [dict(r) for r in connection.execute(query).mappings()]


def review(connection: Connection, review_id: UUID) -> dict[str, Any] | None:
    """One review with the bodies it reviewed (by name) and its proposals, each with its decision so far (F4)."""
    row = connection.execute(select(annual_reviews).where(annual_reviews.c.id == review_id)).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["bodies"] = [
        dict(r)
        for r in connection.execute(
            select(review_bodies.c.body_id, review_bodies.c.body_name, review_bodies.c.findings)
            .where(review_bodies.c.review_id == review_id)
            .order_by(review_bodies.c.body_name)
        ).mappings()
    ]
    linked = (
        select(
            review_proposals.c.body_id,
            review_proposals.c.body_name,
            review_proposals.c.number,
            review_proposals.c.title,
            proposals.c.status,
            proposals.c.decided_by,
            proposals.c.decision_ref,
            proposals.c.decided_on,
            proposals.c.effective_date,
        )
        .select_from(
            review_proposals.outerjoin(
                proposals,
                and_(
                    proposals.c.body_id == review_proposals.c.body_id, proposals.c.number == review_proposals.c.number
                ),
            )
        )
        .where(review_proposals.c.review_id == review_id)
        .order_by(review_proposals.c.body_name, review_proposals.c.number)
    )
    found["proposals"] = [dict(r) for r in connection.execute(linked).mappings()]
    return found


def reviewable_bodies(connection: Connection) -> list[dict[str, Any]]:
    """The bodies in being, by name: those a review looks at."""
    query = select(bodies.c.id, bodies.c.name).where(bodies.c.status.in_(OPEN_STATUSES)).order_by(bodies.c.name)
    return [dict(r) for r in connection.execute(query).mappings()]


def body_proposals(connection: Connection, body_ids: list[Any]) -> list[dict[str, Any]]:
    """The proposals of the given bodies, for linking them to a review."""
    if not body_ids:
        return []
    query = (
        select(proposals.c.body_id, proposals.c.body_name, proposals.c.number, proposals.c.title, proposals.c.status)
        .where(proposals.c.body_id.in_(body_ids))
        .order_by(proposals.c.body_name, proposals.c.number)
    )
    return [dict(r) for r in connection.execute(query).mappings()]
