"""Reads of the consultations read model (rule A4): the lists, one consultation, and its results.

``results`` gives, question by question, the count and percentage of each choice among the submitted
responses that answered it; free-text answers come only with ``with_text`` (for the officer: the public
pages never show them). Nothing here holds a person's name or address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from domain.consultation import SCALE, QuestionKind, Stage
from projections.tables import consultation_answers, consultation_questions, consultation_responses, consultations

PUBLIC_STAGES = (Stage.PUBLISHED.value, Stage.CLOSED.value, Stage.OUTCOME_PUBLISHED.value)
# What the public pages may show of a consultation (never who was invited or who answered).
PUBLIC_COLUMNS = (
    "id",
    "title",
    "summary",
    "concerns",
    "body_id",
    "opens_on",
    "closes_on",
    "stage",
    "responses",
    "outcome",
    "outcome_published_at",
    "linked_body_id",
    "linked_meeting_id",
    "linked_project_id",
    "anonymous_allowed",
)


def consultation_list(connection: Connection, *, public_only: bool = False) -> list[dict[str, Any]]:
    query = select(consultations).order_by(consultations.c.closes_on.desc(), consultations.c.title)
    if public_only:
        query = query.where(consultations.c.stage.in_(PUBLIC_STAGES))
    rows = [dict(r) for r in connection.execute(query).mappings()]
    if public_only:
        rows = [{k: r[k] for k in PUBLIC_COLUMNS} for r in rows]
    return rows


def consultation(connection: Connection, consultation_id: UUID, *, public_only: bool = False) -> dict[str, Any] | None:
    row = connection.execute(select(consultations).where(consultations.c.id == consultation_id)).mappings().first()
    if row is None or (public_only and row["stage"] not in PUBLIC_STAGES):
        return None
    item = dict(row)
    if public_only:
        item = {k: item[k] for k in PUBLIC_COLUMNS}
    item["questions"] = questions(connection, consultation_id)
    if not public_only:
        item["in_progress"] = (
            connection.scalar(
                select(func.count()).where(
                    consultation_responses.c.consultation_id == consultation_id,
                    consultation_responses.c.submitted_at.is_(None),
                )
            )
            or 0
        )
    return item


def published_for_bodies_since(connection: Connection, since: datetime) -> list[dict[str, Any]]:
    """Consultations about a body published at or after ``since`` (naive UTC): what the body's followers
    are told of (application/followers.py)."""
    c = consultations.c
    query = (
        select(c.id, c.title, c.summary, c.body_id, c.closes_on, c.published_at)
        .where(c.body_id.is_not(None), c.published_at >= since, c.stage.in_(PUBLIC_STAGES))
        .order_by(c.published_at, c.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


def questions(connection: Connection, consultation_id: UUID) -> list[dict[str, Any]]:
    table = consultation_questions
    rows = connection.execute(
        select(table).where(table.c.consultation_id == consultation_id).order_by(table.c.number)
    ).mappings()
    return [{**dict(r), "options": [o for o in r["options"].split("\n") if o]} for r in rows]


def open_consultation_ids(connection: Connection) -> list[UUID]:
    """The consultations open for responses (the scheduler's closing job and closing reminder look at these)."""
    query = select(consultations.c.id).where(consultations.c.stage == Stage.PUBLISHED.value)
    return list(connection.scalars(query.order_by(consultations.c.closes_on, consultations.c.id)))


def results(connection: Connection, consultation_id: UUID, *, with_text: bool = False) -> list[dict[str, Any]]:
    """Each question with its figures: every choice's count and percentage of those who answered it."""
    answers = consultation_answers
    counts: dict[tuple[int, str], int] = {}
    for number, choice, n in connection.execute(
        select(answers.c.number, answers.c.choice, func.count())
        .where(answers.c.consultation_id == consultation_id, answers.c.choice.is_not(None))
        .group_by(answers.c.number, answers.c.choice)
    ):
        counts[(number, choice)] = n
    answered = dict(
        connection.execute(
            select(answers.c.number, func.count(func.distinct(answers.c.response_id)))
            .where(answers.c.consultation_id == consultation_id)
            .group_by(answers.c.number)
        ).all()
    )
    texts: dict[int, list[str]] = {}
    if with_text:
        for number, text in connection.execute(
            select(answers.c.number, answers.c.text)
            .where(answers.c.consultation_id == consultation_id, answers.c.text.is_not(None))
            .order_by(answers.c.number, answers.c.response_id)
        ):
            texts.setdefault(number, []).append(text)
    figures = []
    for question in questions(connection, consultation_id):
        number = question["number"]
        total = answered.get(number, 0)
        kind = QuestionKind(question["kind"])
        labels = [str(s) for s in SCALE] if kind is QuestionKind.SCALE else question["options"]
        choices = [
            {
                "choice": label,
                "count": counts.get((number, label), 0),
                "percent": round(100 * counts.get((number, label), 0) / total, 1) if total else 0.0,
            }
            for label in labels
        ]
        figures.append(
            {
                **question,
                "answered": total,
                "choices": choices if kind is not QuestionKind.FREE_TEXT else [],
                "texts": texts.get(number, []) if with_text else [],
            }
        )
    return figures


def submitted_answers(connection: Connection, consultation_id: UUID) -> list[dict[str, Any]]:
    """Every submitted response's answers, one row per response (for the officer's CSV): no names."""
    responses = consultation_responses
    rows = connection.execute(
        select(responses.c.id, responses.c.submitted_at, responses.c.panel_member_id)
        .where(responses.c.consultation_id == consultation_id, responses.c.submitted_at.is_not(None))
        .order_by(responses.c.submitted_at, responses.c.id)
    ).all()
    answers = consultation_answers
    by_response: dict[Any, dict[int, list[str]]] = {}
    for rid, number, choice, text in connection.execute(
        select(answers.c.response_id, answers.c.number, answers.c.choice, answers.c.text)
        .where(answers.c.consultation_id == consultation_id)
        .order_by(answers.c.response_id, answers.c.number, answers.c.position)
    ):
        by_response.setdefault(rid, {}).setdefault(number, []).append(text if text is not None else choice)
    return [
        {
            "response": index,
            "submitted_at": submitted_at,
            "anonymous": panel_member_id is None,
            "answers": by_response.get(rid, {}),
        }
        for index, (rid, submitted_at, panel_member_id) in enumerate(rows, start=1)
    ]
