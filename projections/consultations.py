"""Consultations of the virtual panel (rule A4): their stage, questions, responses and submitted answers.

Answers are counted only once submitted; a response saved to come back to shows only as "in progress".
No row holds a person's name or address: a panel member is their random id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from domain.consultation import Consultation, QuestionKind, Response, Stage
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.sql import insert_row, update_where
from projections.tables import consultation_answers, consultation_questions, consultation_responses, consultations


class ConsultationsView(ReadModelView):
    read_tables = (consultations, consultation_questions, consultation_responses, consultation_answers)


class ConsultationsProjection(ReadModel):
    name = "consultations"
    view_class: ClassVar[type[ReadModelView]] = ConsultationsView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Consultation.Event):
            self._consultation(rows, event)
        elif isinstance(event, Response.Event):
            self._response(rows, event)

    def _consultation(self, rows: Rows, event: Any) -> None:
        cid = event.originator_id
        values: dict[str, Any] = {}
        match event:
            case Consultation.Drafted():
                insert_row(
                    rows,
                    consultations,
                    dict(
                        id=cid,
                        title=event.title,
                        summary=event.summary,
                        concerns=event.concerns,
                        body_id=event.body_id,
                        audience=event.audience,
                        topic=event.topic,
                        opens_on=event.opens_on,
                        closes_on=event.closes_on,
                        anonymous_allowed=event.anonymous_allowed,
                        stage=Stage.DRAFT.value,
                        invited=0,
                        responses=0,
                        version=event.originator_version,
                    ),
                )
                return
            case Consultation.QuestionAdded():
                insert_row(
                    rows,
                    consultation_questions,
                    dict(
                        consultation_id=cid,
                        number=event.number,
                        text=event.text,
                        kind=event.kind,
                        options="\n".join(event.options),
                        required=event.required,
                    ),
                )
            case Consultation.QuestionRemoved():
                table = consultation_questions
                rows.execute(table.delete().where(table.c.consultation_id == cid, table.c.number == event.number))
            case Consultation.Published():
                values = {
                    "stage": Stage.PUBLISHED.value,
                    "invited": len(event.invited),
                    "published_at": naive_utc(event.timestamp),
                }
            case Consultation.Closed():
                values = {"stage": Stage.CLOSED.value, "closed_on": event.closed_on}
            case Consultation.OutcomePublished():
                values = {
                    "stage": Stage.OUTCOME_PUBLISHED.value,
                    "outcome": event.outcome,
                    "outcome_published_at": naive_utc(event.timestamp),
                    "linked_body_id": event.linked_body_id,
                    "linked_meeting_id": event.linked_meeting_id,
                    "linked_project_id": event.linked_project_id,
                }
        update_where(rows, consultations, {"id": cid}, {**values, "version": event.originator_version})

    def _response(self, rows: Rows, event: Any) -> None:
        rid = event.originator_id
        match event:
            case Response.Started():
                insert_row(
                    rows,
                    consultation_responses,
                    dict(
                        id=rid,
                        consultation_id=event.consultation_id,
                        panel_member_id=event.panel_member_id,
                        saved_at=naive_utc(event.timestamp),
                    ),
                )
            case Response.AnswersSaved():
                update_where(rows, consultation_responses, {"id": rid}, {"saved_at": naive_utc(event.timestamp)})
            case Response.Submitted():
                response = rows.get(consultation_responses, id=rid)
                assert response is not None
                cid = response["consultation_id"]
                at = naive_utc(event.timestamp)
                update_where(rows, consultation_responses, {"id": rid}, {"saved_at": at, "submitted_at": at})
                self._answers(rows, rid, cid, event.answers)
                consultation = rows.get(consultations, id=cid)
                if consultation is not None:
                    update_where(rows, consultations, {"id": cid}, {"responses": consultation["responses"] + 1})

    @staticmethod
    def _answers(rows: Rows, rid: Any, cid: Any, answers: dict[str, Any]) -> None:
        kinds = {
            q["number"]: q["kind"]
            for q in rows.execute(
                consultation_questions.select().where(consultation_questions.c.consultation_id == cid)
            ).mappings()
        }
        for key, value in answers.items():
            number = int(key)
            base = dict(response_id=rid, number=number, consultation_id=cid)
            if kinds.get(number) == QuestionKind.FREE_TEXT.value:
                insert_row(rows, consultation_answers, {**base, "position": 0, "choice": None, "text": value})
                continue
            chosen = value if isinstance(value, list) else [value]
            for position, choice in enumerate(chosen):
                insert_row(
                    rows, consultation_answers, {**base, "position": position, "choice": str(choice), "text": None}
                )
