"""Questions from the public to a public meeting (rule C7): asked without an account, answered by the officer."""

from __future__ import annotations

from uuid import UUID, uuid4

from application.authority import PUBLIC_ROLE
from application.errors import NotFound
from application.hub_base import HubBase
from domain.actor import Actor
from domain.errors import InvalidInput
from domain.meeting import Meeting
from domain.public_question import PublicQuestion


class QuestionCommands(HubBase):
    """Each question is its own record, so the public asking never conflicts with the officer's work on the meeting."""

    def ask_public_question(
        self, actor: Actor, meeting_id: UUID, *, name: str, email: str, question: str, publish_name: bool = False
    ) -> UUID:
        meeting = self._get(Meeting, meeting_id)
        if actor.role == PUBLIC_ROLE and not meeting.public:
            raise NotFound("meeting", meeting_id)  # the public never learns that a private meeting exists
        asked = PublicQuestion.ask(
            id=uuid4(),
            actor=actor,
            at=self._now(),
            meeting_id=meeting.id,
            body_id=meeting.body_id,
            body_name=meeting.body_name,
            body_kind=meeting.body_kind,
            meeting_date=meeting.date,
            public=meeting.public,
            status=meeting.status.value,
            name=name,
            email=email,
            question=question,
            publish_name=publish_name,
        )
        self._save(asked)
        return asked.id

    def answer_public_question(self, actor: Actor, meeting_id: UUID, *, question_id: UUID, answer: str) -> int:
        question = self._get(PublicQuestion, question_id)
        if question.meeting_id != meeting_id:
            raise InvalidInput("question_id", "that question was put to another meeting")
        question.record_answer(actor=actor, at=self._now(), answer=answer)
        self._save(question)
        return question.version
