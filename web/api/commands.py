"""Every command as one API operation, generated from its definition (application/commands).

Each is a POST of a JSON object (the command's input schema, which the OpenAPI document shows) to the
path below, whose ``{id}`` is the record the command acts on; a change to an existing record sends the
version it was made against in If-Match. Checked in this order: the token (401), the role (403),
If-Match (428 missing, 400 malformed), the input (422, field by field), then the framework's rule
(422) or someone else's change in the meantime (409). Nothing is saved unless all pass.

The answer is the command's outcome: the record's version after this command's own event (also the
ETag, so it is the write's own version whoever writes next), the event's position in the log
(``position``, and the ``Hub-Log-Position`` header), what the command reports (an item's number, a
late publication, the 70% share warning, a new member's id), Location for a created record, and the
record as the lists show it once they have caught up with this event. If they cannot catch up, the
answer still says the change was saved, with ``record`` null and ``Hub-Read-Models: updating``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from application.authority import PUBLIC_ACTOR, Duty
from application.commands import (
    Command,
    Outcome,
    Subject,
    accounts,
    bodies,
    consultations,
    meetings,
    people,
    projects,
    questions,
    reminders,
    reviews,
)
from application.hub import CalendarPlan, IssuedToken, MembershipResult, Numbered, Publication
from application.people_commands import ErasureDone
from projections.reminders import user_reminder
from web.api import problems
from web.api.access import IDEMPOTENCY_KEY_PARAMETER, IF_MATCH_PARAMETER, api_user, expected_version, require_user
from web.api.accounts import account_or_404
from web.api.bodies import body_row
from web.api.consultations import ConsultationOut, consultation_row
from web.api.idempotency import idempotent, refuses_idempotency_key
from web.api.json_input import json_object
from web.api.meetings import meeting_row
from web.api.projects import project_row
from web.api.reviews import ReviewOut, review_row
from web.api.schemas import AccountOut, BodyOut, MeetingOut, Out, ProjectOut, ReminderOut, _bool, _date, _int, _str
from web.saved import STILL_UPDATING, saved
from web.services import services

log = logging.getLogger(__name__)

blp = Blueprint("api_commands", __name__, url_prefix="/api/v1", description="Commands: every change to the record")
problems.register(blp)


@dataclass(frozen=True)
class Operation:
    path: str  # under /api/v1; "{id}" is the record the command acts on
    status: int = 200  # 201 where the command creates or adds something
    # Whether a create keeps its answer for an Idempotency-Key; not one whose answer holds a secret shown
    # once (a new API token), which would then be kept in the clear.
    idempotent: bool = True
    # Open to anyone, without a token (a question from the public, C7); with a token, the caller acts as themselves.
    public: bool = False


# Where each command is posted. Every command has one (tests/api/test_operations.py checks).
OPERATIONS: dict[type[Schema], Operation] = {
    bodies.EstablishBody: Operation("/bodies", 201),
    bodies.AdoptTermsOfReference: Operation("/bodies/{id}/changes/terms-of-reference"),
    bodies.ChangeFunding: Operation("/bodies/{id}/changes/funding"),
    bodies.ExtendContract: Operation("/bodies/{id}/changes/extend-contract"),
    bodies.TransformBody: Operation("/bodies/{id}/changes/transform"),
    bodies.ReplaceBody: Operation("/bodies/{id}/changes/replace"),
    bodies.MergeBody: Operation("/bodies/{id}/changes/merge"),
    bodies.GiveSelfFundingOption: Operation("/bodies/{id}/changes/self-funding-option"),
    bodies.TransferToProviderForum: Operation("/bodies/{id}/changes/transfer-to-provider-forum"),
    bodies.MaintainBody: Operation("/bodies/{id}/changes/maintain"),
    bodies.EndBody: Operation("/bodies/{id}/changes/end"),
    bodies.CorrectBody: Operation("/bodies/{id}/changes/correct"),
    bodies.ExtendTimeLimit: Operation("/bodies/{id}/changes/extend-end-date"),
    bodies.CloseTimeLimitedGroup: Operation("/bodies/{id}/changes/close-with-completion-report"),
    bodies.AssignStatutoryFunction: Operation("/bodies/{id}/changes/statutory-function"),
    bodies.ProposeChange: Operation("/bodies/{id}/proposals", 201),
    bodies.DecideProposal: Operation("/bodies/{id}/proposals/decisions"),
    bodies.AddMember: Operation("/bodies/{id}/members", 201),
    bodies.RemoveMember: Operation("/bodies/{id}/members/removals"),
    bodies.RecordElection: Operation("/bodies/{id}/elections", 201),
    bodies.SetQuorum: Operation("/bodies/{id}/quorum"),
    meetings.ScheduleMeeting: Operation("/bodies/{id}/meetings", 201),
    meetings.RecordPastMeeting: Operation("/bodies/{id}/past-meetings", 201),
    meetings.PlanAnnualCalendar: Operation("/calendar/plans"),
    meetings.MoveMeeting: Operation("/meetings/{id}/move"),
    meetings.CancelMeeting: Operation("/meetings/{id}/cancellation"),
    meetings.AddAgendaItem: Operation("/meetings/{id}/agenda-items", 201),
    meetings.AttachPaper: Operation("/meetings/{id}/papers", 201),
    meetings.PublishAgenda: Operation("/meetings/{id}/agenda/publication"),
    meetings.RecordMeetingHeld: Operation("/meetings/{id}/held"),
    meetings.RecordAttendance: Operation("/meetings/{id}/attendance"),
    meetings.DeclareInterest: Operation("/meetings/{id}/interests", 201),
    meetings.RecordDecision: Operation("/meetings/{id}/decisions", 201),
    meetings.RecordAction: Operation("/meetings/{id}/actions", 201),
    meetings.CloseAction: Operation("/meetings/{id}/actions/closure"),
    meetings.CloseMatterArising: Operation("/meetings/{id}/matters-arising/closure"),
    meetings.RecordDraftMinutes: Operation("/meetings/{id}/minutes", 201),
    meetings.ClearMinutes: Operation("/meetings/{id}/minutes/clearance"),
    meetings.PublishMinutes: Operation("/meetings/{id}/minutes/publication"),
    meetings.ApprovePreviousMinutes: Operation("/meetings/{id}/minutes/approval"),
    projects.CommissionProject: Operation("/projects", 201),
    projects.AgreeBrief: Operation("/projects/{id}/brief-agreement"),
    projects.ChangeBrief: Operation("/projects/{id}/brief"),
    projects.SubmitProgressReport: Operation("/projects/{id}/progress-reports", 201),
    projects.SubmitCompletionReport: Operation("/projects/{id}/completion-report", 201),
    projects.ExtendProjectTimeframe: Operation("/projects/{id}/timeframe-extension"),
    reminders.MarkReminderDone: Operation("/reminders/{id}/done"),
    accounts.CreateAccount: Operation("/accounts", 201),
    accounts.ChangeRole: Operation("/accounts/{id}/role"),
    accounts.DeactivateAccount: Operation("/accounts/{id}/deactivation"),
    accounts.ReactivateAccount: Operation("/accounts/{id}/reactivation"),
    accounts.ResetPassword: Operation("/accounts/{id}/password-reset"),
    accounts.ChangePassword: Operation("/accounts/{id}/password"),
    accounts.UnlockAccount: Operation("/accounts/{id}/unlock"),
    accounts.SignOutEverywhere: Operation("/accounts/{id}/sign-out-everywhere"),
    accounts.IssueApiToken: Operation("/accounts/{id}/tokens", 201, idempotent=False),
    accounts.RevokeApiToken: Operation("/accounts/{id}/tokens/revocation"),
    reviews.OpenAnnualReview: Operation("/reviews", 201),
    reviews.RecordReviewFindings: Operation("/reviews/{id}/findings", 201),
    reviews.RecordOverallFindings: Operation("/reviews/{id}/overall-findings"),
    reviews.LinkReviewProposal: Operation("/reviews/{id}/proposals", 201),
    reviews.CompleteAnnualReview: Operation("/reviews/{id}/completion"),
    questions.AskPublicQuestion: Operation("/meetings/{id}/questions", 201, idempotent=False, public=True),
    questions.AnswerPublicQuestion: Operation("/meetings/{id}/questions/answers"),
    consultations.AddPanelMember: Operation("/panel-members", 201),
    consultations.RemovePanelMember: Operation("/panel-members/{id}/leaving"),
    consultations.DraftConsultation: Operation("/consultations", 201),
    consultations.AddQuestion: Operation("/consultations/{id}/questions", 201),
    consultations.RemoveQuestion: Operation("/consultations/{id}/questions/removal"),
    consultations.PublishConsultation: Operation("/consultations/{id}/publication"),
    consultations.PublishOutcome: Operation("/consultations/{id}/outcome"),
    people.ErasePerson: Operation("/people/erasures", 201, idempotent=False),
}


# ------------------------------------------------------------------- the answer


class BodyPlanOut(Out):
    """Rule C1: what planning the year does (or, in a preview, would do) for one body."""

    body_id = fields.UUID(required=True)
    body_name = fields.String(required=True)
    create = fields.List(fields.Date(), metadata={"description": "the meetings it creates"})
    existing = fields.List(fields.Date(), metadata={"description": "the body's meetings already in the year"})
    note = _str("why it creates fewer than two, if it does")


class OutcomeOut(Out):
    """What every command answers; ``record`` is typed by what the command acts on."""

    command = fields.String(required=True, metadata={"description": "the command's name (its operationId)"})
    id = fields.UUID(allow_none=True, metadata={"description": "the record it acted on, or created"})
    version = _int("the record's version after this command's own event (also the ETag)")
    position = _int("the position in the event log of the last event this command saved")
    created = fields.Boolean(required=True)
    detail = _str("said when the lists have not yet caught up with the saved change")
    number = _int("the number of the agenda item, paper, declaration, decision or action added")
    late = _bool()
    due = _date("the deadline a publication was measured against (C4, C5)")
    member_id = _str("the id of the member who joined or left")
    warning = _str("rule B3: a warning, never a block, when the service-user share falls below 70%")
    year = _int()
    planned = fields.List(fields.UUID(), metadata={"description": "the bodies whose two meetings were planned"})
    already_planned = fields.List(fields.UUID(), metadata={"description": "bodies already planned for the year"})
    refused = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "bodies not planned, and why"}
    )
    preview = fields.Boolean(metadata={"description": "true: nothing was saved; this is what planning would do"})
    left_alone = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "bodies whose meetings for the year are already scheduled, and why left alone"},
    )
    meetings = _int("how many meetings the plan creates (or would create)")
    summary = _str("the plan in one sentence")
    bodies = fields.List(fields.Nested(BodyPlanOut), metadata={"description": "each body's plan"})
    token = _str("a new API token, in this answer only: it is kept only as a hash and cannot be shown again")
    token_id = _str("a new API token's id, to tell it apart and to revoke it")
    label = _str("what a new API token is for")
    erasure_id = fields.UUID(allow_none=True, metadata={"description": "rule P1: the erasure's event in the record"})
    person_id = fields.UUID(allow_none=True, metadata={"description": "rule P1: the person whose name was erased"})


def _outcome_schema(name: str, record: type[Schema] | None) -> type[Schema]:
    attrs: dict[str, Any] = {"__doc__": f"What a command on a {name.lower()} answers."}
    if record is not None:
        attrs["record"] = fields.Nested(record, allow_none=True, metadata={"description": "as the lists show it"})
    return type(f"{name}Outcome", (OutcomeOut,), attrs)


# Each kind of record: its output schema, how it is read, and the read model that holds it (accounts are
# tables beside the event store, held by no read model).
RECORDS: dict[Subject | None, tuple[type[Schema], Callable[[UUID], dict[str, Any]], str | None] | None] = {
    Subject.BODY: (BodyOut, lambda id: body_row(id, members=True), "directory"),
    Subject.MEETING: (MeetingOut, meeting_row, "calendar"),
    Subject.PROJECT: (ProjectOut, project_row, "progress"),
    Subject.REMINDER: (ReminderOut, lambda id: _reminder_row(id), "reminders"),
    Subject.ACCOUNT: (AccountOut, lambda id: account_or_404(id), None),
    Subject.REVIEW: (ReviewOut, review_row, "reviews"),
    # A question is not public record until it is published with the minutes: the answer holds only its id.
    Subject.QUESTION: None,
    Subject.CONSULTATION: (ConsultationOut, consultation_row, "consultations"),
    # A panel member's name and address are never echoed back: the answer is the new id only.
    Subject.PANEL_MEMBER: None,
    None: None,
}
OUTCOME_SCHEMAS: dict[Subject | None, type[Schema]] = {
    subject: _outcome_schema(subject.value.capitalize() if subject else "Calendar", spec[0] if spec else None)
    for subject, spec in RECORDS.items()
}


def _reminder_row(reminder_id: UUID) -> dict[str, Any]:
    with services().reading() as connection:
        row = user_reminder(connection, reminder_id)
    if row is None:
        raise LookupError(f"reminder {reminder_id} is not in the read model")
    return row


def _result_fields(result: Any) -> dict[str, Any]:
    """What a command reports besides its version, as plain fields of the answer."""
    if isinstance(result, Numbered):
        return {"number": result.number}
    if isinstance(result, Publication):
        return {"late": result.late, "due": result.due}
    if isinstance(result, MembershipResult):
        return {"member_id": result.member_id, "warning": result.warning}
    if isinstance(result, IssuedToken):
        return {"token": result.token, "token_id": result.token_id, "label": result.label}
    if isinstance(result, ErasureDone):
        return {"erasure_id": result.erasure_id, "person_id": result.person_id}
    if isinstance(result, CalendarPlan):
        return {
            "year": result.year,
            "planned": list(result.planned),
            "already_planned": list(result.already_planned),
            "refused": {str(body_id): reason for body_id, reason in result.refused.items()},
            "preview": result.preview,
            "left_alone": {str(body_id): reason for body_id, reason in result.left_alone.items()},
            "meetings": result.meetings,
            "summary": result.summary(),
            "bodies": [
                {
                    "body_id": b.body_id,
                    "body_name": b.body_name,
                    "create": list(b.create),
                    "existing": list(b.existing),
                    "note": b.note or None,
                }
                for b in result.bodies
            ],
        }
    return {}


def answer(outcome: Outcome, status: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    body: dict[str, Any] = {
        "command": outcome.command.name,
        "id": outcome.subject_id,
        "version": outcome.version,
        "position": outcome.position,
        "created": outcome.created,
        **_result_fields(outcome.result),
    }
    headers: dict[str, str] = {}
    if outcome.version is not None:
        headers["ETag"] = f'"{outcome.version}"'
    if outcome.position is not None:
        headers["Hub-Log-Position"] = str(outcome.position)
    if outcome.created and outcome.subject not in (None, Subject.QUESTION) and outcome.subject_id is not None:
        headers["Location"] = _location(outcome.subject, outcome.subject_id)
    record = RECORDS[outcome.subject if outcome.subject_id is not None else None]
    caught_up = saved(outcome)
    if record is not None:
        _schema, read, read_model = record
        if read_model in services().read_models.failures():
            # The read model that holds this record has stopped on an event: what it holds is not this write.
            body["record"], body["detail"] = None, STILL_UPDATING
            headers["Hub-Read-Models"] = "behind"
        else:
            body["record"] = _record(outcome, read) if caught_up else None
            if body["record"] is None:
                body["detail"] = STILL_UPDATING
                headers["Hub-Read-Models"] = "updating"
    return body, status, headers


def _record(outcome: Outcome, read: Callable[[UUID], dict[str, Any]]) -> dict[str, Any] | None:
    """The record as the lists show it; None (logged) if it cannot be read: the change is saved all the same."""
    assert outcome.subject_id is not None
    try:
        return read(outcome.subject_id)
    except Exception:
        log.exception("%s saved %s %s, which could not be read back", outcome.command.name, outcome.subject,
                      outcome.subject_id)  # fmt: skip
        return None


def _location(subject: Subject, subject_id: UUID) -> str:
    endpoints = {
        Subject.BODY: ("api_bodies.body", "body_id"),
        Subject.MEETING: ("api_meetings.meeting", "meeting_id"),
        Subject.PROJECT: ("api_projects.project", "project_id"),
        Subject.ACCOUNT: ("api_accounts.account", "account_id"),
        Subject.REVIEW: ("api_reviews.review", "review_id"),
        Subject.CONSULTATION: ("api_consultations.consultation", "consultation_id"),
    }
    if subject not in endpoints:
        return f"/panel-members/{subject_id}"  # a panel member: read on the officers' pages only
    endpoint, name = endpoints[subject]
    return url_for(endpoint, **{name: subject_id})


# ------------------------------------------------------------------ the operations


def _view(command: Command, status: int, public: bool = False) -> Callable[..., Any]:
    def view(**ids: UUID) -> Any:
        subject_id = next(iter(ids.values()), None)  # the one id in the path: the record acted on
        actor = PUBLIC_ACTOR if public and api_user() is None else require_user().actor
        dispatcher = services().dispatcher
        dispatcher.authorise(actor, command)  # the role before anything the caller sent is read
        version = expected_version() if command.versioned else None
        outcome = dispatcher.run(command, actor, subject_id=subject_id, expected_version=version, data=json_object())
        return answer(outcome, status)

    view.__name__ = command.name
    view.__doc__ = command.summary
    return view


def _tag(command: Command) -> str:
    subject = command.about or command.creates
    if subject is not None:
        return subject.plural
    return "people" if command.duty is Duty.ADMINISTRATION else "calendar"


def _register(schema: type[Schema], operation: Operation) -> None:
    command: Command = schema.command  # type: ignore[attr-defined]
    if command.about is not None:
        rule = operation.path.replace("{id}", f"<uuid:{command.about.value}_id>")
    else:
        rule = operation.path
    parameters: list[Any] = [IF_MATCH_PARAMETER] if command.versioned else []
    if operation.status == 201 and operation.idempotent:
        parameters.append(IDEMPOTENCY_KEY_PARAMETER)
    doc = {
        "operationId": command.name,
        "summary": command.title,
        "description": command.summary,
        "tags": [_tag(command)],
        "security": [{}, {"bearerAuth": []}] if operation.public else [{"bearerAuth": []}],
        "parameters": parameters,
        # An empty body is an empty object, so a command with nothing required may be sent without one.
        "requestBody": {
            "required": any(f.required for f in schema().fields.values()),
            "content": {"application/json": {"schema": schema}},
        },
    }
    view = blp.doc(**doc)(blp.response(operation.status, OUTCOME_SCHEMAS[command.creates or command.about])(
        _view(command, operation.status, operation.public)))  # fmt: skip
    keeps = idempotent if operation.idempotent else refuses_idempotency_key
    blp.route(rule, methods=["POST"], endpoint=command.name)(keeps(view))


for _schema, _operation in OPERATIONS.items():
    _register(_schema, _operation)
