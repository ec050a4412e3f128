"""A written question from a member of the public to a public meeting (rule C7, our reading AMB-C7).

Questions are sent in 4 working days ahead: received until 5pm (London time) on the fourth working day
counted back from the meeting, the meeting day itself not counted (rule I1), so a meeting on Tuesday
18 June 2013 takes questions until 5pm on Wednesday 12 June. Only a public meeting of a stakeholder
conference or a consultative group takes them. Each question is its own record, so the public asking
never conflicts with the officer's work on the meeting. The officer records the answer given at the
meeting; the question and answer are published with the minutes, the asker's name only if they agreed,
and their e-mail address never.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_text
from domain.errors import DomainError, InvalidInput
from domain.vocabulary import TWICE_YEARLY_KINDS, MeetingStatus
from domain.working_days import LONDON, add_working_days

QUESTION_WORKING_DAYS = 4
QUESTIONS_CLOSE_AT = time(17, 0)
EMAIL_LENGTH = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def questions_close(meeting_date: date) -> datetime:
    """Rule C7: 5pm, London time, on the 4th working day before the meeting (the meeting day not counted)."""
    day = add_working_days(meeting_date, -QUESTION_WORKING_DAYS)
    return datetime.combine(day, QUESTIONS_CLOSE_AT, tzinfo=LONDON)


def described_close(meeting_date: date) -> str:
    """The deadline as a person reads it: "5pm on Wednesday 12 June 2013"."""
    return f"5pm on {questions_close(meeting_date):%A %-d %B %Y}"


def takes_questions(body_kind: str | None, public: bool, status: str) -> str | None:
    """Why a meeting takes no questions from the public, or None when it does (rule C7)."""
    if status == MeetingStatus.CANCELLED.value:
        return "the meeting has been cancelled"
    if not public:
        return "the meeting is not open to the public"
    if body_kind not in {k.value for k in TWICE_YEARLY_KINDS}:
        return "only meetings of a stakeholder conference or a consultative group take questions from the public"
    return None


def _required_text(field: str, value: Any, what: str, *, long: bool = False, max_length: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, f"enter {what}", rule="C7")
    check_text(field, value, long=long, max_length=max_length)
    return value.strip()


class PublicQuestion(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Asked(Event, Aggregate.Created):
        meeting_id: UUID
        body_id: UUID
        body_name: str
        meeting_date: date
        name: str
        email: str
        question: str
        publish_name: bool

    def __init__(
        self,
        actor: str,
        actor_role: str,
        meeting_id: UUID,
        body_id: UUID,
        body_name: str,
        meeting_date: date,
        name: str,
        email: str,
        question: str,
        publish_name: bool,
    ) -> None:
        self.meeting_id = meeting_id
        self.body_id = body_id
        self.body_name = body_name
        self.meeting_date = meeting_date
        self.name = name
        self.email = email
        self.question = question
        self.publish_name = publish_name
        self.answer: str | None = None
        self.answered_by: str | None = None

    @classmethod
    def ask(
        cls,
        *,
        id: UUID,
        actor: Actor,
        at: datetime,
        meeting_id: UUID,
        body_id: UUID,
        body_name: str,
        body_kind: str | None,
        meeting_date: date,
        public: bool,
        status: str,
        name: str,
        email: str,
        question: str,
        publish_name: bool,
    ) -> PublicQuestion:
        """Rule C7: received until 5pm on the fourth working day before a public meeting of a conference or
        consultative group; refused after that with the deadline shown."""
        refused = takes_questions(body_kind, public, status)
        if refused is not None:
            raise DomainError(f"this meeting takes no questions from the public: {refused}", rule="C7")
        if at.tzinfo is None:
            raise ValueError("the moment a question arrives must carry its time zone")
        closes = questions_close(meeting_date)
        if at > closes:
            raise DomainError(
                f"questions to the {body_name} meeting on {meeting_date:%-d %B %Y} had to arrive by "
                f"{described_close(meeting_date)}",
                rule="C7",
            )
        name = _required_text("name", name, "your name")
        email = _required_text("email", email, "your e-mail address", max_length=EMAIL_LENGTH)
        if not _EMAIL.match(email):
            raise InvalidInput("email", "enter an e-mail address like name@example.com", rule="C7")
        question = _required_text("question", question, "your question", long=True)
        if not isinstance(publish_name, bool):
            raise InvalidInput("publish_name", "say whether your name may be published with the question", rule="C7")
        return cls._create(
            cls.Asked,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            meeting_id=meeting_id,
            body_id=body_id,
            body_name=body_name,
            meeting_date=meeting_date,
            name=name,
            email=email,
            question=question,
            publish_name=publish_name,
        )

    class Answered(Event):
        answer: str
        previous_answer: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.answer = self.answer
            aggregate.answered_by = self.actor

    def record_answer(self, *, actor: Actor, at: datetime, answer: str) -> None:
        """The answer given at the meeting (rule C7), recorded by the officer; it cannot precede the meeting."""
        if at.tzinfo is not None and at.astimezone(LONDON).date() < self.meeting_date:
            raise DomainError(
                f"the answer is the one given at the meeting on {self.meeting_date:%-d %B %Y}: record it from that day",
                rule="C7",
            )
        self.trigger_event(
            self.Answered,
            timestamp=at,
            **actor.event_fields(),
            answer=_required_text("answer", answer, "the answer given at the meeting", long=True),
            previous_answer=self.answer,
        )

    def published_as(self) -> dict[str, Any]:
        """What the minutes publish: the question, the answer and the name only with consent; never the e-mail."""
        return {
            "asked_by": self.name if self.publish_name else "A member of the public",
            "question": self.question,
            "answer": self.answer,
        }
