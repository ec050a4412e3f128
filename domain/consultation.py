"""A consultation of the virtual service user panel (rule A4): drafted, published, closed, and what came of it.

A consultation has a title, a plain-English summary, the service or body it concerns, an audience, the
dates it is open, and its questions. It moves one way: drafted -> published (the panel members it
invites are recorded by their random ids; their names and addresses live beside the event store) ->
closed (on its close date) -> outcome published ("you said, we did").

Each person's answers are a ``Response`` of their own, whose id comes from the consultation and the
panel member, so a person has one response however often they save; it is submitted once.
An anonymous public response (where the consultation allows them) has a random id and is submitted
in one go.

Pure domain: "today" and "now" come in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_date, check_text
from domain.errors import DomainError, InvalidInput

RESPONSE_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/consultation-response")
MAX_QUESTIONS = 50
MAX_OPTIONS = 20
SCALE = (1, 2, 3, 4, 5)
# A free-text answer: a few paragraphs at most.
ANSWER_LENGTH = 5000


class ConsultationError(DomainError):
    """The consultation cannot do this in its present stage; the message says what to do instead."""


class QuestionKind(StrEnum):
    FREE_TEXT = "free_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"

    @property
    def label(self) -> str:
        return {
            "free_text": "Free text",
            "single_choice": "Choose one",
            "multiple_choice": "Choose any",
            "scale": "A scale from 1 to 5",
        }[self.value]

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class Audience(StrEnum):
    WHOLE_PANEL = "whole_panel"
    INTERESTED = "interested"  # panel members interested in the consultation's topic
    BODY_MEMBERS = "body_members"  # panel members who sit on the body it concerns

    @property
    def label(self) -> str:
        return {
            "whole_panel": "The whole panel",
            "interested": "Panel members interested in a topic",
            "body_members": "Panel members who belong to the body it concerns",
        }[self.value]


class Stage(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    OUTCOME_PUBLISHED = "outcome_published"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "published": "Open for responses",
            "closed": "Closed",
            "outcome_published": "Outcome published",
        }[self.value]


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    kind: QuestionKind
    options: tuple[str, ...]
    required: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "kind": self.kind.value,
            "options": list(self.options),
            "required": self.required,
        }

    def check_answer(self, value: Any) -> Any:
        """The answer as the record keeps it (None: not answered); refuses one that does not fit the question."""
        field = f"q{self.number}"
        if value is None or value == "" or value == []:
            return None
        if self.kind is QuestionKind.FREE_TEXT:
            if not isinstance(value, str):
                raise InvalidInput(field, "write your answer as text")
            check_text(field, value, long=True, max_length=ANSWER_LENGTH)
            return value.strip() or None
        if self.kind is QuestionKind.SINGLE_CHOICE:
            if value not in self.options:
                raise InvalidInput(field, "choose one of the answers given")
            return value
        if self.kind is QuestionKind.MULTIPLE_CHOICE:
            chosen = [value] if isinstance(value, str) else value
            if not isinstance(chosen, list) or any(c not in self.options for c in chosen):
                raise InvalidInput(field, "choose from the answers given")
            return [o for o in self.options if o in chosen]  # in the question's order, each once
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or value not in SCALE:
            raise InvalidInput(field, "choose a number from 1 to 5")
        return value


def response_id(consultation_id: UUID, panel_member_id: UUID) -> UUID:
    """A panel member's one response to one consultation."""
    return uuid5(RESPONSE_NAMESPACE, f"{consultation_id}/{panel_member_id}")


def _date(field: str, value: Any) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(field, "give a date")
    check_date(field, value)
    return value


class Consultation(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Drafted(Event, Aggregate.Created):
        title: str
        summary: str
        concerns: str
        body_id: UUID | None
        audience: str
        topic: str | None
        opens_on: date
        closes_on: date
        anonymous_allowed: bool

    def __init__(
        self,
        actor: str,
        actor_role: str,
        title: str,
        summary: str,
        concerns: str,
        body_id: UUID | None,
        audience: str,
        topic: str | None,
        opens_on: date,
        closes_on: date,
        anonymous_allowed: bool,
    ) -> None:
        self.title = title
        self.summary = summary
        self.concerns = concerns
        self.body_id = body_id
        self.audience = Audience(audience)
        self.topic = topic
        self.opens_on = opens_on
        self.closes_on = closes_on
        self.anonymous_allowed = anonymous_allowed
        self.questions: dict[int, Question] = {}
        self.stage = Stage.DRAFT
        self.invited: set[UUID] = set()
        self.outcome: str | None = None

    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        actor: Actor,
        at: datetime,
        title: str,
        summary: str,
        concerns: str,
        opens_on: date,
        closes_on: date,
        audience: Audience | str = Audience.WHOLE_PANEL,
        topic: str | None = None,
        body_id: UUID | None = None,
        anonymous_allowed: bool = False,
    ) -> Consultation:
        """Rule A4: a consultation says what it asks about, of whom, and when it opens and closes."""
        for field, value in (("title", title), ("summary", summary), ("concerns", concerns)):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(field, f"enter the {field}", rule="A4")
        check_text("title", title)
        check_text("summary", summary, long=True)
        check_text("concerns", concerns)
        check_text("topic", topic)
        audience = Audience(audience)
        _check_dates(opens_on, closes_on)
        topic = (topic or "").strip() or None
        if audience is Audience.INTERESTED and topic is None:
            raise InvalidInput("topic", "name the topic whose interested panel members are asked", rule="A4")
        if audience is Audience.BODY_MEMBERS and body_id is None:
            raise InvalidInput("body_id", "name the body whose members are asked", rule="A4")
        return cls._create(
            cls.Drafted,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            title=title.strip(),
            summary=summary.strip(),
            concerns=concerns.strip(),
            body_id=body_id,
            audience=audience.value,
            topic=topic,
            opens_on=opens_on,
            closes_on=closes_on,
            anonymous_allowed=bool(anonymous_allowed),
        )

    # ----------------------------------------------------------------- questions

    def _check_draft(self, doing: str) -> None:
        if self.stage is not Stage.DRAFT:
            raise ConsultationError(
                f"the consultation is {self.stage.label.lower()}: only a draft's questions can be {doing}", rule="A4"
            )

    class QuestionAdded(Event):
        number: int
        text: str
        kind: str
        options: list[str]
        required: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.questions[self.number] = Question(
                self.number, self.text, QuestionKind(self.kind), tuple(self.options), self.required
            )

    def add_question(
        self,
        *,
        actor: Actor,
        at: datetime,
        text: str,
        kind: QuestionKind | str,
        options: Sequence[str] | None = None,
        required: bool = False,
    ) -> int:
        self._check_draft("changed")
        kind = QuestionKind(kind)
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("question", "enter the question")
        check_text("question", text, long=True, max_length=1000)
        if len(self.questions) >= MAX_QUESTIONS:
            raise InvalidInput("question", f"a consultation asks {MAX_QUESTIONS} questions at most")
        cleaned = [o.strip() for o in options or [] if o and o.strip()]
        for option in cleaned:
            check_text("options", option)
        if kind.has_options:
            if len(cleaned) < 2:
                raise InvalidInput("options", "give at least two answers to choose from, one per line")
            if len(cleaned) > MAX_OPTIONS:
                raise InvalidInput("options", f"give {MAX_OPTIONS} answers to choose from at most")
            if len({o.casefold() for o in cleaned}) != len(cleaned):
                raise InvalidInput("options", "each answer to choose from must be different")
        elif cleaned:
            raise InvalidInput("options", f"a {kind.label.lower()} question has no answers to choose from")
        number = max(self.questions, default=0) + 1
        self.trigger_event(
            self.QuestionAdded,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            text=text.strip(),
            kind=kind.value,
            options=cleaned,
            required=bool(required),
        )
        return number

    class QuestionRemoved(Event):
        number: int

        def apply(self, aggregate: Any) -> None:
            aggregate.questions.pop(self.number, None)

    def remove_question(self, *, actor: Actor, at: datetime, number: int) -> None:
        self._check_draft("changed")
        if number not in self.questions:
            raise InvalidInput("number", f"there is no question {number}")
        self.trigger_event(self.QuestionRemoved, timestamp=at, **actor.event_fields(), number=number)

    # ------------------------------------------------------------------- stages

    class Published(Event):
        invited: list[UUID]

        def apply(self, aggregate: Any) -> None:
            aggregate.stage = Stage.PUBLISHED
            aggregate.invited = set(self.invited)

    def publish(self, *, actor: Actor, at: datetime, today: date, invited: Sequence[UUID]) -> None:
        """Rule A4: a consultation is published with its questions, before it closes, to its audience."""
        if self.stage is not Stage.DRAFT:
            raise ConsultationError(f"the consultation is already {self.stage.label.lower()}", rule="A4")
        if not self.questions:
            raise ConsultationError("add at least one question before publishing the consultation", rule="A4")
        if self.closes_on < today:
            raise InvalidInput(
                "closes_on", f"the close date, {self.closes_on:%-d %B %Y}, has passed: draft it again", rule="A4"
            )
        if not invited and not self.anonymous_allowed:
            raise ConsultationError(
                "nobody on the panel is in this consultation's audience: add panel members or choose another audience",
                rule="A4",
            )
        self.trigger_event(self.Published, timestamp=at, **actor.event_fields(), invited=sorted(set(invited), key=str))

    def is_open_on(self, today: date) -> bool:
        return self.stage is Stage.PUBLISHED and self.opens_on <= today <= self.closes_on

    def check_accepts(self, today: date, *, panel_member_id: UUID | None) -> None:
        """Whether a response may be saved today, from this panel member (None: an anonymous member of the public)."""
        if self.stage is Stage.DRAFT:
            raise ConsultationError("this consultation has not been published", rule="A4")
        if self.stage is not Stage.PUBLISHED or today > self.closes_on:
            raise ConsultationError(
                f"this consultation closed on {self.closes_on:%-d %B %Y}: responses are no longer taken", rule="A4"
            )
        if today < self.opens_on:
            raise ConsultationError(f"this consultation opens on {self.opens_on:%-d %B %Y}", rule="A4")
        if panel_member_id is None:
            if not self.anonymous_allowed:
                raise ConsultationError("this consultation takes responses from invited panel members only", rule="A4")
        elif panel_member_id not in self.invited:
            raise ConsultationError("this link is not for this consultation's audience", rule="A4")

    def check_answers(self, answers: Mapping[str, Any], *, submitting: bool) -> dict[str, Any]:
        """The answers as the record keeps them, by question number; on submitting, every required one."""
        if not isinstance(answers, Mapping):
            raise InvalidInput("answers", "send the answers by question number")
        unknown = [k for k in answers if not (str(k).isdigit() and int(k) in self.questions)]
        if unknown:
            raise InvalidInput("answers", f"there is no question {unknown[0]}")
        kept: dict[str, Any] = {}
        for number, question in sorted(self.questions.items()):
            value = question.check_answer(answers.get(str(number)))
            if value is None:
                if submitting and question.required:
                    raise InvalidInput(f"q{number}", f"answer question {number}: it is required")
                continue
            kept[str(number)] = value
        if submitting and not kept:
            raise InvalidInput("answers", "answer at least one question before sending your response")
        return kept

    class Closed(Event):
        closed_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.stage = Stage.CLOSED

    def close(self, *, actor: Actor, at: datetime, today: date) -> None:
        """Closed at the end of its close date (the scheduler does this the day after)."""
        if self.stage is not Stage.PUBLISHED:
            raise ConsultationError(f"only an open consultation can close; this one is {self.stage.label.lower()}")
        if today <= self.closes_on:
            raise ConsultationError(f"the consultation is open until the end of {self.closes_on:%-d %B %Y}", rule="A4")
        self.trigger_event(self.Closed, timestamp=at, **actor.event_fields(), closed_on=today)

    class OutcomePublished(Event):
        outcome: str
        linked_body_id: UUID | None
        linked_meeting_id: UUID | None
        linked_project_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.stage = Stage.OUTCOME_PUBLISHED
            aggregate.outcome = self.outcome

    def publish_outcome(
        self,
        *,
        actor: Actor,
        at: datetime,
        outcome: str,
        linked_body_id: UUID | None = None,
        linked_meeting_id: UUID | None = None,
        linked_project_id: UUID | None = None,
    ) -> None:
        """Rule A4, "you said, we did": after it closes, the summary of what came of it, published once."""
        if self.stage is Stage.OUTCOME_PUBLISHED:
            raise ConsultationError("the outcome is already published", rule="A4")
        if self.stage is not Stage.CLOSED:
            raise ConsultationError(
                f"publish the outcome once the consultation has closed (it closes on {self.closes_on:%-d %B %Y})",
                rule="A4",
            )
        if not isinstance(outcome, str) or not outcome.strip():
            raise InvalidInput("outcome", "say what came of the consultation", rule="A4")
        check_text("outcome", outcome, long=True)
        self.trigger_event(
            self.OutcomePublished,
            timestamp=at,
            **actor.event_fields(),
            outcome=outcome.strip(),
            linked_body_id=linked_body_id,
            linked_meeting_id=linked_meeting_id,
            linked_project_id=linked_project_id,
        )


def _check_dates(opens_on: Any, closes_on: Any) -> None:
    _date("opens_on", opens_on)
    _date("closes_on", closes_on)
    if closes_on < opens_on:
        raise InvalidInput("closes_on", "the close date must be on or after the open date", rule="A4")


class Response(Aggregate):
    """One person's answers to one consultation: saved as often as they like, submitted once."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Started(Event, Aggregate.Created):
        consultation_id: UUID
        panel_member_id: UUID | None
        answers: dict[str, Any]

    def __init__(
        self,
        actor: str,
        actor_role: str,
        consultation_id: UUID,
        panel_member_id: UUID | None,
        answers: dict[str, Any],
    ) -> None:
        self.consultation_id = consultation_id
        self.panel_member_id = panel_member_id
        self.answers = dict(answers)
        self.submitted_at: datetime | None = None

    @classmethod
    def start(
        cls,
        *,
        consultation: Consultation,
        panel_member_id: UUID | None,
        id: UUID,
        actor: Actor,
        at: datetime,
        answers: dict[str, Any],
    ) -> Response:
        return cls._create(
            cls.Started,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            consultation_id=consultation.id,
            panel_member_id=panel_member_id,
            answers=answers,
        )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def check_not_submitted(self) -> None:
        if self.submitted_at is not None:
            raise ConsultationError(
                f"you have already responded to this consultation (on {self.submitted_at:%-d %B %Y}): "
                "each person answers once",
                rule="A4",
            )

    class AnswersSaved(Event):
        answers: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.answers = dict(self.answers)

    def save_answers(self, *, actor: Actor, at: datetime, answers: dict[str, Any]) -> None:
        self.check_not_submitted()
        self.trigger_event(self.AnswersSaved, timestamp=at, **actor.event_fields(), answers=answers)

    class Submitted(Event):
        answers: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.answers = dict(self.answers)
            aggregate.submitted_at = self.timestamp

    def submit(self, *, actor: Actor, at: datetime, answers: dict[str, Any]) -> None:
        self.check_not_submitted()
        self.trigger_event(self.Submitted, timestamp=at, **actor.event_fields(), answers=answers)
