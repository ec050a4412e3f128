"""The virtual panel (rule A4): its members, consultations, and the responses to them.

Officers' commands (adding a panel member, drafting, questions, publishing, the outcome) are reached
through the dispatcher like every other. A respondent has no account: their signed link
(application/panel_links.py) names them, and the web layer calls ``save_response`` or
``send_response`` with the panel member it names (or none, for an anonymous public response); the
scheduler closes consultations and sends the closing reminders (``close_due``, ``remind_closing``).

Mail to panel members is a ``Reminder`` addressed to ``panel:<id>``, saved with the event that calls for
it, and sent by the mail outbox, which looks their address up at the moment it sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from application.errors import ConflictError, DuplicateError, NotFound
from application.hub_base import HubBase, Numbered
from application.panel_people import PanelPeople, insert_person, update_person
from domain.actor import Actor
from domain.body import Body
from domain.consultation import Audience, Consultation, ConsultationError, QuestionKind, Response, response_id
from domain.meeting import Meeting
from domain.panel import JoinedBy, PanelError, PanelMember
from domain.project import Project
from domain.reminder import Due, Reminder, Rule, panel_address
from domain.working_days import council_day

# Who records what a respondent does through their link: the events name the panel member by id.
RESPONDENT_ROLE = "panel_member"
PUBLIC = Actor("public", "member_of_public", "A member of the public")
# The closing reminder goes this many days before a consultation's close date.
CLOSING_REMINDER_DAYS = 3


def respondent(panel_member_id: UUID | None) -> Actor:
    if panel_member_id is None:
        return PUBLIC
    return Actor(panel_address(panel_member_id), RESPONDENT_ROLE, "A member of the panel")


@dataclass(frozen=True)
class SavedAnswers:
    response_id: UUID
    submitted: bool


class ConsultationCommands(HubBase):
    # Set by the composition root (application/bootstrap.py): the panel's people, in this store's database.
    panel: PanelPeople

    def _today(self) -> date:
        return council_day(self._now())

    def _mail(self, rule: Rule, consultation: Consultation, panel_member_id: UUID, actor: Actor) -> Reminder:
        """A letter to one panel member about one consultation: one per rule, consultation and person."""
        today = self._today()
        due = Due(
            rule=rule,
            subject_type="consultation",
            subject_id=str(consultation.id),
            subject_name=consultation.title,
            due_date=consultation.closes_on,
            recipient=panel_address(panel_member_id),
            title=f"{rule.label}: {consultation.title}",
        )
        return Reminder.raise_(
            due, actor=actor, at=self._now(), raised_on=today, email_to=panel_address(panel_member_id)
        )

    # ------------------------------------------------------------------ the panel

    def add_panel_member(
        self,
        actor: Actor,
        *,
        name: str,
        email: str,
        consent_on: date,
        interests: list[str] | None = None,
        member_of: UUID | None = None,
    ) -> UUID:
        """An officer adds someone who has consented to be contacted (rule A4)."""
        return self._join(actor, JoinedBy.OFFICER, name, email, consent_on, interests or [], member_of)

    def sign_up_to_panel(
        self, *, name: str, email: str, interests: list[str] | None = None, member_of: UUID | None = None
    ) -> UUID:
        """Someone signs up themselves, consenting today; they are contacted once they confirm their address."""
        return self._join(PUBLIC, JoinedBy.SIGN_UP, name, email, self._today(), interests or [], member_of)

    def _join(
        self,
        actor: Actor,
        joined_by: JoinedBy,
        name: str,
        email: str,
        consent_on: date,
        interests: list[str],
        member_of: UUID | None,
    ) -> UUID:
        if any(p.left_on is None for p in self.panel.by_email(email)):
            raise DuplicateError(f"{email} is already on the panel")
        if member_of is not None:
            self._get_body(member_of)
        member = PanelMember.join(
            id=uuid4(), actor=actor, at=self._now(), joined_by=joined_by, consent_on=consent_on, today=self._today()
        )
        row = insert_person(
            member.id,
            name=name.strip(),
            email=email.strip(),
            interests=[i.strip() for i in interests if i.strip()],
            member_of=member_of,
            confirmed=member.confirmed,
            consent_on=member.consent_on,
            at=self._now(),
        )
        aggregates: list[Any] = [member]
        if joined_by is JoinedBy.SIGN_UP:
            aggregates.append(self._confirmation_letter(member))
        self._save(*aggregates, table_changes=[row])
        return member.id

    def _confirmation_letter(self, member: PanelMember) -> Reminder:
        today = self._today()
        due = Due(
            rule=Rule.PANEL_CONFIRMATION,
            subject_type="panel_member",
            subject_id=str(member.id),
            subject_name="the virtual service user panel",
            due_date=today,
            recipient=panel_address(member.id),
            title="Confirm your place on the virtual service user panel",
        )
        return Reminder.raise_(due, actor=PUBLIC, at=self._now(), raised_on=today, email_to=panel_address(member.id))

    def confirm_panel_member(self, panel_member_id: UUID) -> None:
        member = self._get(PanelMember, panel_member_id)
        member.confirm(actor=respondent(panel_member_id), at=self._now())
        self._save(member, table_changes=[update_person(panel_member_id, confirmed=True)])

    def remove_panel_member(self, actor: Actor, panel_member_id: UUID) -> None:
        """An officer records that someone left the panel (they asked by letter or telephone)."""
        self._leave(actor, panel_member_id, by_themselves=False)

    def leave_panel(self, panel_member_id: UUID) -> None:
        """Someone leaves through the link in any of the panel's e-mails."""
        self._leave(respondent(panel_member_id), panel_member_id, by_themselves=True)

    def _leave(self, actor: Actor, panel_member_id: UUID, *, by_themselves: bool) -> None:
        member = self._get(PanelMember, panel_member_id)
        today = self._today()
        member.leave(actor=actor, at=self._now(), on=today, by_themselves=by_themselves)
        self._save(member, table_changes=[update_person(panel_member_id, left_on=today)])

    def _get_body(self, body_id: UUID) -> Body:
        return self._get(Body, body_id)

    # ------------------------------------------------------------- consultations

    def draft_consultation(
        self,
        actor: Actor,
        *,
        title: str,
        summary: str,
        concerns: str,
        opens_on: date,
        closes_on: date,
        audience: Audience | str = Audience.WHOLE_PANEL,
        topic: str | None = None,
        body_id: UUID | None = None,
        anonymous_allowed: bool = False,
    ) -> UUID:
        if body_id is not None:
            self._get_body(body_id)
        consultation = Consultation.draft(
            id=uuid4(),
            actor=actor,
            at=self._now(),
            title=title,
            summary=summary,
            concerns=concerns,
            opens_on=opens_on,
            closes_on=closes_on,
            audience=audience,
            topic=topic,
            body_id=body_id,
            anonymous_allowed=anonymous_allowed,
        )
        self._save(consultation)
        return consultation.id

    def add_question(
        self,
        actor: Actor,
        consultation_id: UUID,
        *,
        question: str,
        kind: QuestionKind | str,
        options: list[str] | None = None,
        required: bool = False,
        expected_version: int | None = None,
    ) -> Numbered:
        consultation = self._get(Consultation, consultation_id, expected_version)
        number = consultation.add_question(
            actor=actor, at=self._now(), text=question, kind=kind, options=options, required=required
        )
        self._save(consultation)
        return Numbered(consultation.version, number)

    def remove_question(
        self, actor: Actor, consultation_id: UUID, *, number: int, expected_version: int | None = None
    ) -> int:
        consultation = self._get(Consultation, consultation_id, expected_version)
        consultation.remove_question(actor=actor, at=self._now(), number=number)
        self._save(consultation)
        return consultation.version

    def publish_consultation(self, actor: Actor, consultation_id: UUID, *, expected_version: int | None = None) -> int:
        """Publishes it to its audience, as the panel stands now, and invites each of them by e-mail (A4)."""
        consultation = self._get(Consultation, consultation_id, expected_version)
        audience = self.panel.audience(
            topic=consultation.topic if consultation.audience is Audience.INTERESTED else None,
            body_id=consultation.body_id if consultation.audience is Audience.BODY_MEMBERS else None,
        )
        invited = [p.panel_member_id for p in audience]
        consultation.publish(actor=actor, at=self._now(), today=self._today(), invited=invited)
        letters = [self._mail(Rule.CONSULTATION_INVITATION, consultation, i, actor) for i in consultation.invited]
        self._save(consultation, *letters)
        return consultation.version

    def publish_outcome(
        self,
        actor: Actor,
        consultation_id: UUID,
        *,
        outcome: str,
        linked_body_id: UUID | None = None,
        linked_meeting_id: UUID | None = None,
        linked_project_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> int:
        """ "You said, we did" (A4): published, and sent to everyone who responded through their link."""
        consultation = self._get(Consultation, consultation_id, expected_version)
        if linked_body_id is not None:
            self._get_body(linked_body_id)
        if linked_meeting_id is not None:
            self._get(Meeting, linked_meeting_id)
        if linked_project_id is not None:
            self._get(Project, linked_project_id)
        consultation.publish_outcome(
            actor=actor,
            at=self._now(),
            outcome=outcome,
            linked_body_id=linked_body_id,
            linked_meeting_id=linked_meeting_id,
            linked_project_id=linked_project_id,
        )
        letters = [
            self._mail(Rule.CONSULTATION_OUTCOME, consultation, member_id, actor)
            for member_id in sorted(consultation.invited, key=str)
            if self._responded(consultation.id, member_id)
        ]
        self._save(consultation, *letters)
        return consultation.version

    def _responded(self, consultation_id: UUID, panel_member_id: UUID) -> bool:
        try:
            response = self._get(Response, response_id(consultation_id, panel_member_id))
        except NotFound:
            return False
        return response.submitted

    def consultation(self, consultation_id: UUID) -> Consultation:
        return self._get(Consultation, consultation_id)

    # ---------------------------------------------------------------- responding

    def _check_respondent(self, consultation: Consultation, panel_member_id: UUID | None) -> None:
        consultation.check_accepts(self._today(), panel_member_id=panel_member_id)
        if panel_member_id is not None:
            member = self._get(PanelMember, panel_member_id)
            if member.left_on is not None:
                raise PanelError(
                    f"you left the panel on {member.left_on:%-d %B %Y}, so this link no longer works", rule="A4"
                )

    def response_of(self, consultation_id: UUID, panel_member_id: UUID) -> Response | None:
        try:
            return self._get(Response, response_id(consultation_id, panel_member_id))
        except NotFound:
            return None

    def check_link(self, consultation_id: UUID, panel_member_id: UUID | None) -> Consultation:
        """The consultation, if this person may respond to it now; otherwise the refusal that says why."""
        consultation = self._get(Consultation, consultation_id)
        self._check_respondent(consultation, panel_member_id)
        if panel_member_id is not None:
            response = self.response_of(consultation_id, panel_member_id)
            if response is not None:
                response.check_not_submitted()
        return consultation

    def save_response(
        self, consultation_id: UUID, panel_member_id: UUID | None, answers: dict[str, Any], *, submit: bool
    ) -> SavedAnswers:
        """Saves a respondent's answers to come back to (a panel member), or sends them, once (A4)."""
        consultation = self._get(Consultation, consultation_id)
        self._check_respondent(consultation, panel_member_id)
        if panel_member_id is None and not submit:
            raise ConsultationError("an anonymous response is sent in one go: it cannot be saved to come back to")
        kept = consultation.check_answers(answers, submitting=submit)
        actor = respondent(panel_member_id)
        if panel_member_id is None:
            rid = uuid4()
            response = None
        else:
            rid = response_id(consultation_id, panel_member_id)
            response = self.response_of(consultation_id, panel_member_id)
        if response is None:
            response = Response.start(
                consultation=consultation,
                panel_member_id=panel_member_id,
                id=rid,
                actor=actor,
                at=self._now(),
                answers={} if submit else kept,
            )
            if submit:
                response.submit(actor=actor, at=self._now(), answers=kept)
        elif submit:
            response.submit(actor=actor, at=self._now(), answers=kept)
        else:
            response.save_answers(actor=actor, at=self._now(), answers=kept)
        try:
            self._save(response)
        except (DuplicateError, ConflictError):
            raise ConsultationError(
                "your response was saved from another window at the same moment: try again"
            ) from None
        return SavedAnswers(response.id, response.submitted)

    # ----------------------------------------------------------------- the schedule

    def close_due(self, actor: Actor, consultation_ids: list[UUID]) -> list[UUID]:
        """Closes each open consultation whose close date has passed (the scheduler; idempotent)."""
        closed = []
        today = self._today()
        for consultation_id in consultation_ids:
            consultation = self._get(Consultation, consultation_id)
            if not (consultation.stage.value == "published" and today > consultation.closes_on):
                continue
            consultation.close(actor=actor, at=self._now(), today=today)
            try:
                self._save(consultation)
            except Exception:  # another scheduler closed it first
                continue
            closed.append(consultation_id)
        return closed

    def remind_closing(self, actor: Actor, consultation_ids: list[UUID]) -> int:
        """The reminder before closing, to each invited member who has not yet responded (once each)."""
        today = self._today()
        sent = 0
        for consultation_id in consultation_ids:
            consultation = self._get(Consultation, consultation_id)
            if not consultation.is_open_on(today):
                continue
            if today < consultation.closes_on - timedelta(days=CLOSING_REMINDER_DAYS):
                continue
            for member_id in sorted(consultation.invited, key=str):
                person = self.panel.get(member_id)
                if person is None or not person.active or self._responded(consultation_id, member_id):
                    continue
                try:
                    self.save(self._mail(Rule.CONSULTATION_CLOSING, consultation, member_id, actor))
                    sent += 1
                except IntegrityError:
                    pass  # already reminded
        return sent
