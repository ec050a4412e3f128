"""Every command's form: GET shows it, POST hands it to the dispatcher like every other way in.

The flow of one POST: reshape the browser's fields (web.ui.fields) → the dispatcher (the role, then
the command's input schema, then its handler, with the version the user saw) → wait for the read
models to reach the saved event (so the next page shows it) → back to the record with a message.
A domain rule's refusal is shown next to the field it names; someone else's change in the meantime
(ConflictError) is shown as such, with a link to the latest version, and nothing is saved.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, session
from marshmallow import ValidationError
from werkzeug.datastructures import FileStorage

from application.authority import Duty, Role
from application.commands import Outcome
from application.commands.accounts import ChangePassword, RevokeApiToken
from application.commands.consultations import PublishOutcome
from application.commands.meetings import PlanAnnualCalendar
from application.commands.projects import CommissionProject
from application.errors import ConflictError, NotFound
from application.hub import CalendarPlan, IssuedToken, MembershipResult, Numbered, Publication
from application.people_commands import ErasureDone
from domain.errors import DomainError, InvalidInput, NotPermitted
from domain.project import leads
from projections import queries
from projections.queries import consultations as consultation_queries
from projections.queries import reviews as review_queries
from projections.questions import questions_for_officer
from web.account_view import account_row
from web.auth import current_user, logout_user, may
from web.saved import STILL_UPDATING, saved
from web.services import services
from web.ui.access import sign_in_redirect
from web.ui.fields import FieldError, FormContext, flatten_messages, form_values, sentence, to_input
from web.ui.forms import ALL_FORMS, PLURAL, FormSpec

bp = Blueprint("forms", __name__)


def _subject(spec: FormSpec, subject_id: UUID | None) -> dict[str, Any] | None:
    if not spec.subject:
        return None
    svc = services()
    if spec.subject == "account":
        row = account_row(subject_id)
        if row is None:
            abort(404, "There is no account with that id.")
        return row
    if spec.subject == "panel_member":
        person = svc.hub.panel.get(subject_id) if subject_id else None
        if person is None:
            abort(404, "There is no panel member with that id.")
        return {"id": person.panel_member_id, "name": person.name, "version": None}
    with svc.reading() as connection:
        if spec.subject == "consultation":
            row = consultation_queries.consultation(connection, subject_id)
        elif spec.subject == "body":
            row = queries.body(connection, subject_id, today=svc.today())
        elif spec.subject == "meeting":
            row = queries.meeting_row(connection, subject_id)
        elif spec.subject == "review":
            row = review_queries.review(connection, subject_id)
        else:
            row = queries.project(connection, subject_id, today=svc.today())
    if row is None:
        abort(404, f"There is no {spec.subject} with that id.")
    return row


def subject_url(kind: str, subject_id: Any) -> str:
    return f"/{PLURAL[kind]}/{subject_id}"


def _context(spec: FormSpec, subject: dict[str, Any] | None) -> FormContext:
    svc = services()
    ctx = FormContext(subject=subject)
    with svc.reading() as connection:
        if spec.subject == "body" and subject:
            ctx.extra["members"] = queries.body_members(connection, subject["id"], current_only=True)
            ctx.extra["proposals"] = queries.open_proposals(connection, subject["id"])
        if spec.subject == "review" and subject:
            ctx.extra["bodies"] = review_queries.reviewable_bodies(connection)
            ctx.extra["body_proposals"] = review_queries.body_proposals(
                connection, [b["body_id"] for b in subject["bodies"]]
            )
        if spec.subject == "meeting" and subject:
            ctx.extra["agenda"] = queries.agenda(connection, subject["id"], public_only=False)
            ctx.extra["open_actions"] = queries.open_actions_of_meeting(connection, subject["id"])
            ctx.extra["public_questions"] = questions_for_officer(connection, subject["id"])
            ctx.extra["roster"] = queries.members_as_at(connection, subject["body_id"], subject["meeting_date"])
            ctx.extra["matters_arising"] = queries.matters_arising(connection, subject["id"], public_only=False)
            ctx.extra["earlier_meetings"] = queries.meetings_of_body(
                connection, subject["body_id"], before=subject["meeting_date"]
            )
            ctx.extra["later_meetings"] = queries.meetings_of_body(
                connection, subject["body_id"], after=subject["meeting_date"]
            )[::-1]
    if spec.command is PublishOutcome.command:
        with svc.reading() as connection:
            ctx.extra["projects"] = queries.project_progress(connection, today=svc.today(), per_page=500).items
    if spec.command is CommissionProject.command:
        ctx.extra["leads"] = svc.users.all(Role.PROJECT_LEAD)
    if spec.command is RevokeApiToken.command and subject:
        ctx.extra["tokens"] = [t for t in svc.users.tokens(subject["user_id"]) if t["revoked_at"] is None]

    def find_body(name: str) -> UUID | None:
        with svc.reading() as connection:
            return queries.body_id_by_name(connection, name)

    def upload(storage: FileStorage) -> dict[str, Any]:
        user = current_user()
        assert user is not None
        try:
            ref = svc.hub.upload_file(user.actor, storage.read(), storage.filename or "")
        except InvalidInput as error:
            raise FieldError(_field_message(error)) from None
        return {"sha256": ref.sha256, "size": ref.size, "content_type": ref.content_type, "filename": ref.filename}

    ctx.find_body = find_body
    ctx.upload = upload
    return ctx


def _field_message(error: InvalidInput) -> str:
    message = error.message
    prefix = f"{error.field}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    text = sentence(message)
    return f"{text} (rule {error.rule})" if error.rule else text


def _check_allowed(spec: FormSpec, subject: dict[str, Any] | None) -> None:
    user = current_user()
    if not may(spec.command, user):
        abort(403, f"Your role does not allow you to {spec.title[0].lower() + spec.title[1:]}.")
    # A person changes their own password only (domain.account; the account refuses anyone else).
    if spec.subject == "account" and spec.command.duty is Duty.PERSONAL and subject is not None:
        assert user is not None
        if subject["user_id"] != user.user_id:
            abort(403, "You may change only your own password; an administrator resets others'.")
    # A lead reports on their own projects only (domain.project.leads; the project refuses anyone else).
    if spec.subject == "project" and spec.command.duty is Duty.REPORTING and subject is not None:
        assert user is not None
        if not leads(subject["lead"], user.actor):
            abort(403, "Only the project’s lead may report on it.")


def _render(
    spec: FormSpec,
    subject: dict[str, Any] | None,
    ctx: FormContext,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    expected_version: int | None,
    conflict: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    # A file stored by a failed submission is kept (in the signed session cookie) and shown as chosen.
    if spec.has_file:
        if ctx.uploaded:
            session[_pending_key()] = ctx.uploaded
        else:
            session.pop(_pending_key(), None)
    anchors = {f.name: f.anchor for f in spec.fields} | {"_form": "form-start"}
    options = {f.name: f.options(ctx) for f in spec.fields if f.options is not None}
    return (
        render_template(
            "form.html",
            spec=spec,
            subject=subject,
            subject_url=subject_url(spec.subject, subject["id"]) if subject else None,
            values=values,
            errors=errors,
            anchors=anchors,
            options=options,
            expected_version=expected_version,
            conflict=conflict,
            pending=ctx.uploaded,
        ),
        status,
    )


def _pending_key() -> str:
    return f"pending-upload:{request.path}"


def _run(spec: FormSpec, subject_id: UUID | None, data: dict[str, Any], expected_version: int | None) -> Outcome:
    user = current_user()
    assert user is not None
    return services().dispatcher.run(
        spec.command,
        user.actor,
        subject_id=subject_id if spec.subject else None,
        expected_version=expected_version if spec.command.versioned else None,
        data=data,
    )


def _after(spec: FormSpec, subject_id: UUID | None, outcome: Outcome) -> str:
    """Where the person goes next: the record the command created or changed."""
    if outcome.created and outcome.subject is not None:
        return subject_url(outcome.subject.value, outcome.subject_id)
    if not spec.subject:
        return "/dashboard"
    return subject_url(spec.subject, subject_id)


def form_view(spec: FormSpec, subject_id: UUID | None = None) -> Any:
    if current_user() is None:
        return sign_in_redirect()
    subject = _subject(spec, subject_id)
    _check_allowed(spec, subject)
    ctx = _context(spec, subject)
    current_version = subject["version"] if subject else None
    if request.method == "GET":
        values = dict(spec.defaults)
        if spec.prefill is not None and subject is not None:
            values.update(spec.prefill(subject))
        return _render(spec, subject, ctx, values=values, errors={}, expected_version=current_version)

    values = form_values(spec.fields, request.form)
    expected_version = _int_or_none(request.form.get("expected_version")) if spec.subject else None
    if spec.has_file:
        ctx.pending = dict(session.get(_pending_key()) or {})
    data, errors = to_input(spec.fields, request.form, request.files, ctx)
    # Planning the year shows what it would do first; only the preview's confirm button plans (C1).
    previewing = spec.command is PlanAnnualCalendar.command and request.form.get("confirmed") != "yes"
    if previewing:
        data = {**data, "preview": True}
    if errors:  # what could not be reshaped, and beside it everything else the schema finds to fix
        for name, message in flatten_messages(spec.command.input().validate(data)).items():
            errors.setdefault(name, message)
    else:
        try:
            outcome = _run(spec, subject_id, data, expected_version)
        except ValidationError as error:
            for name, message in flatten_messages(error.messages).items():
                errors.setdefault(name, message)
        except NotPermitted as error:
            abort(403, sentence(str(error)) + ".")
        except ConflictError:
            return _render(
                spec,
                subject,
                ctx,
                values=values,
                errors={},
                expected_version=current_version,
                conflict=True,
                status=409,
            )
        except InvalidInput as error:
            errors[_form_field(spec, error.field)] = _field_message(error)
        except (NotFound, DomainError) as error:
            errors["_schema"] = sentence(str(error))
        else:
            if spec.command is ChangePassword.command:  # every session ended, this one too: sign in again
                saved(outcome)
                logout_user()
                flash("Your password was changed and you were signed out everywhere. Sign in with it.", "success")
                return redirect("/sign-in")
            if previewing:
                kept = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirmed")]
                return render_template("meetings/plan_preview.html", spec=spec, plan=outcome.result, kept=kept)
            if isinstance(outcome.result, IssuedToken):  # shown on this page once, never in a redirect or cookie
                saved(outcome)
                return render_template("accounts/token.html", subject=subject, issued=outcome.result)
            session.pop(_pending_key(), None)
            # Saved: say so when the lists may not show it yet (late, or a read model has stopped).
            if not saved(outcome) or services().read_models.failures():
                flash(STILL_UPDATING, "important")
            flash(success_message(spec, subject, outcome), "success")
            for note in outcome_notes(outcome.result):
                flash(note, "important")
            return redirect(_after(spec, subject_id, outcome))
    if "_schema" in errors:  # not about one field: shown at the top of the form
        errors = {"_form": errors.pop("_schema"), **errors}
    return _render(spec, subject, ctx, values=values, errors=errors, expected_version=expected_version, status=400)


def _about(spec: FormSpec, subject: dict[str, Any] | None) -> str:
    """The record a command acted on, as a person names it."""
    if not subject:
        return ""
    if spec.subject == "meeting":
        return f"{subject['body_name']}, {subject['meeting_date']:%-d %B %Y}"
    return str(subject.get("name") or subject.get("title") or subject.get("user_id") or "")


def success_message(spec: FormSpec, subject: dict[str, Any] | None, outcome: Outcome) -> str:
    """What happened and to what: "Agenda for the Mental Health Consultative Group, 3 March 2027, published"."""
    about = _about(spec, subject)
    result = outcome.result
    if isinstance(result, ErasureDone):
        return f'Name erased (person {result.person_id}): the record reads "name erased" where it stood.'
    if isinstance(result, Publication):
        what = "Agenda and papers" if "agenda" in spec.command.name else "Minutes"
        when = f"published late: they were due by {result.due:%-d %B %Y}" if result.late else "published on time"
        return f"{what} for {about} {when}."
    if spec.command.name == "propose_change" and isinstance(result, Numbered):
        return f"Proposal {result.number} for {about} recorded; it awaits a decision."
    if spec.command.name == "decide_proposal" and isinstance(result, Numbered):
        return f"Decision on proposal {result.number} for {about} recorded."
    if spec.subject == "review" or (spec.command.creates is not None and spec.command.creates.value == "review"):
        return _REVIEW_MESSAGES[spec.command.name].format(about=about)
    if isinstance(result, Numbered):
        return f"{spec.title} for {about}: done, number {result.number}."
    return f"{spec.title} for {about}: done." if about else f"{spec.title}: done."


# What each command on the annual review (H1) did, in words ("about" is the review's title).
_REVIEW_MESSAGES = {
    "open_annual_review": "Annual review opened: record the findings for each body reviewed, and overall.",
    "record_review_findings": "Findings for the body recorded in the {about}.",
    "record_overall_findings": "Overall findings recorded in the {about}.",
    "link_review_proposal": "Proposal linked to the {about}.",
    "complete_annual_review": "{about} completed; its reminder is met.",
}


def outcome_notes(result: Any) -> list[str]:
    """What a command reports besides success, which the person must see: a warning is not a refusal."""
    if isinstance(result, MembershipResult) and result.warning:
        return [f"Saved, but note (rule B3): {result.warning}."]
    if isinstance(result, Publication) and result.late:
        return [f"Published late: the deadline was {result.due:%-d %B %Y}. The record notes it was late."]
    if isinstance(result, CalendarPlan):
        notes = [result.summary()]
        notes += [f"Not planned: {reason}." for reason in result.refused.values()]
        return notes
    return []


def _form_field(spec: FormSpec, field: str) -> str:
    names = {f.name for f in spec.fields}
    for candidate in (field, field.replace(".", "__"), f"brief__{field}"):
        if candidate in names:
            return candidate
    return "_schema"


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _endpoint(spec: FormSpec) -> Any:
    def view(subject_id: UUID | None = None) -> Any:
        return form_view(spec, subject_id)

    view.__name__ = spec.command.name
    return view


for _spec in ALL_FORMS:
    bp.add_url_rule(_spec.url_rule(), _spec.command.name, _endpoint(_spec), methods=["GET", "POST"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
