"""Questions from the public to public meetings (rule C7), with the answers given at the meetings.

The asker's e-mail address stays in the event alone: no page or list shows it, so no read model holds it.
Their name and address are sealed in the event like every person's (application/people.py, rule P1): this
model keeps whose each name is, and replaces it with "name erased" when the person's erasure reaches it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, Connection, Date, DateTime, Index, Integer, String, Table, Text, Uuid, select

from domain.erasure import Erasure
from domain.public_question import PublicQuestion
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.people import erase_names, note_people, people_table
from projections.sql import insert_row, update_where
from projections.tables import meetings, metadata

PUBLISHED_MINUTES = ("published", "approved")

public_questions = Table(
    "rm_public_questions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("meeting_id", Uuid, nullable=False),
    Column("body_id", Uuid, nullable=False),
    Column("body_name", String(300), nullable=False),
    Column("meeting_date", Date, nullable=False),
    Column("name", String(200), nullable=False),
    Column("publish_name", Boolean, nullable=False),
    Column("question", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),  # naive UTC
    Column("answer", Text),
    Column("answered_by", String(100)),
    Column("version", Integer, nullable=False),
    Index("rm_public_questions_meeting", "meeting_id", "received_at"),
    Index("rm_public_questions_unanswered", "meeting_date", "answer"),
)

questions_people = people_table("questions", metadata)


class QuestionsView(ReadModelView):
    read_tables = (public_questions, questions_people)


class QuestionsProjection(ReadModel):
    name = "questions"
    view_class: ClassVar[type[ReadModelView]] = QuestionsView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        match event:
            case Erasure.NameErased():  # rule P1
                erase_names(rows, questions_people, event.person_id, exact=(public_questions.c.name,))
            case PublicQuestion.Asked():
                note_people(rows, questions_people, event)
                insert_row(
                    rows,
                    public_questions,
                    dict(
                        id=event.originator_id,
                        meeting_id=event.meeting_id,
                        body_id=event.body_id,
                        body_name=event.body_name,
                        meeting_date=event.meeting_date,
                        name=event.name,
                        publish_name=event.publish_name,
                        question=event.question,
                        received_at=naive_utc(event.timestamp),
                        version=event.originator_version,
                    ),
                )
            case PublicQuestion.Answered():
                update_where(
                    rows,
                    public_questions,
                    {"id": event.originator_id},
                    {"answer": event.answer, "answered_by": event.actor, "version": event.originator_version},
                )


def questions_for_officer(connection: Connection, meeting_id: Any) -> list[dict[str, Any]]:
    """A meeting's questions from the public, in the order they arrived, with the asker's name (C7)."""
    query = (
        select(public_questions)
        .where(public_questions.c.meeting_id == meeting_id)
        .order_by(public_questions.c.received_at, public_questions.c.id)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def published_questions(connection: Connection, meeting_id: Any) -> list[dict[str, Any]]:
    """What the public sees, once the minutes are published: each question and its answer, the asker's name
    only with their consent (C7); nothing before the minutes, and never an e-mail address."""
    published = select(meetings.c.id).where(
        meetings.c.id == meeting_id, meetings.c.public.is_(True), meetings.c.minutes_status.in_(PUBLISHED_MINUTES)
    )
    if connection.execute(published).first() is None:
        return []
    return [
        {
            "asked_by": q["name"] if q["publish_name"] else "A member of the public",
            "question": q["question"],
            "answer": q["answer"],
        }
        for q in questions_for_officer(connection, meeting_id)
    ]


def meeting_for_questions(connection: Connection, meeting_id: Any) -> dict[str, Any] | None:
    """What decides whether a meeting takes questions (C7): its body's kind, whether it is public, its status."""
    query = select(meetings.c.body_kind, meetings.c.public, meetings.c.status, meetings.c.meeting_date).where(
        meetings.c.id == meeting_id
    )
    row = connection.execute(query).mappings().first()
    return dict(row) if row else None
