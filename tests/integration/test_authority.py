"""Who may run which command: each command's duty and application.authority.AUTHORITY, walked completely
through the one dispatcher.

For every command in application.commands.COMMANDS and every Role, the dispatcher runs the command
with that role's Actor on real records (a body, a project whose lead is the actor, a meeting, a
reminder for the actor), so that the only thing that can stop an allowed call is the rule of the
command itself, and the only thing that stops a forbidden one is the table. A forbidden call raises
NotAuthorised and writes nothing to the event store.

To stay fast on both SQLite and PostgreSQL there is one hub per command; each role is a subtest,
reported as its own (role, command) result. The table itself is also pinned pair by pair, each
pair its own test id, against the rules it comes from (D1, D3, D4, F4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any
from uuid import UUID

import pytest

from application import authority
from application.authority import AUTHORITY, COMMISSIONER_FOR_ROLE, Duty, Role
from application.commands import COMMANDS, Dispatcher
from application.errors import NotAuthorised
from application.hub import PartnershipHub
from application.panel_people import PanelPeople
from application.users import Users
from domain.actor import Actor
from domain.body import Decision
from domain.documents import FileRef
from domain.errors import NotPermitted
from domain.project import Brief
from domain.reminder import Due, Reminder, Rule
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, MemberRole, Representation

SETUP_OFFICER = Actor("setup-officer", Role.PARTNERSHIP_OFFICER.value)
SETUP_ED = Actor("setup-ed", Role.EXECUTIVE_DIRECTOR.value)
DECISION = Decision(
    reason="Recommended by the Care Services PDS Committee",
    effective_date=date(2026, 4, 1),
    decided_by="Portfolio Holder for Care Services",
)
BRIEF = Brief(
    aims_and_objectives="Refresh the carers strategy",
    outcomes="A strategy agreed by the Portfolio Holder",
    start_date=date(2026, 4, 1),
    end_date=date(2027, 3, 31),
    resources="Officer time",
    key_risks="Low response from carers",
)
MEETING_DAY = date(2026, 6, 1)

Call = Callable[[], Any]


def _do(hub: PartnershipHub, command: str, actor: Actor, subject_id: UUID | None = None, **values: Any) -> Any:
    """Runs a command through the one dispatcher, as every way in does; returns what its handler reported."""
    return Dispatcher(hub).execute(command, actor, subject_id=subject_id, **values).result


def last_event_id(hub: PartnershipHub) -> int:
    """The position of the newest event in the store (0 when it is empty)."""
    return hub.recorder.max_notification_id() or 0


def actor_for(role: Role) -> Actor:
    return Actor(f"{role.value}-user", role.value, f"A {role.value.replace('_', ' ')}")


# ------------------------------------------------------------------ real records


def new_body(hub: PartnershipHub, name: str, kind: BodyKind = BodyKind.CONSULTATIVE_GROUP, **kw: Any) -> UUID:
    return hub.establish_body(SETUP_OFFICER, name=name, kind=kind, decision=DECISION, **kw)


def new_member(hub: PartnershipHub, body_id: UUID, member_id: str, person: str) -> None:
    hub.add_member(
        SETUP_OFFICER,
        body_id,
        person=person,
        role=MemberRole.MEMBER.value,
        representation=Representation.SERVICE_USER.value,
        effective_date=date(2026, 4, 1),
        member_id=member_id,
    )


def new_project(hub: PartnershipHub, tag: str, lead: str, *, agreed: bool) -> UUID:
    project_id = hub.commission_project(SETUP_ED, title=f"Carers Strategy {tag}", lead=lead, brief=BRIEF)
    if agreed:
        hub.agree_brief(SETUP_ED, project_id, agreed_on=date(2026, 4, 2))
    return project_id


def new_meeting(hub: PartnershipHub, tag: str) -> UUID:
    body_id = new_body(hub, f"Forum {tag}")
    return hub.schedule_meeting(SETUP_OFFICER, body_id, meeting_date=MEETING_DAY, start_time=time(14), place="Hall")


# For each command: build what it needs (as someone allowed to), and return the call as ``actor``.
# Every call would succeed if the actor were allowed to make it.


def _establish_body(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    return lambda: _do(hub, "establish_body", actor, name=f"New Body {tag}", kind="virtual_panel", decision=DECISION)


def _on_body(method: str, **kwargs: Any) -> Callable[[PartnershipHub, Actor, str], Call]:
    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        body_id = new_body(hub, f"Forum {tag}", annual_funding_pence=100, contract_end=date(2027, 3, 31))
        return lambda: _do(hub, method, actor, body_id, **kwargs)

    return prepare


def _with_other_body(method: str, key: str) -> Callable[[PartnershipHub, Actor, str], Call]:
    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        body_id = new_body(hub, f"Forum {tag}")
        other_id = new_body(hub, f"Conference {tag}", BodyKind.STAKEHOLDER_CONFERENCE)
        return lambda: _do(hub, method, actor, body_id, decision=DECISION, **{key: other_id})

    return prepare


def _remove_member(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    new_member(hub, body_id, "m1", "Ann Carer")
    return lambda: _do(
        hub, "remove_member", actor, body_id, member_id="m1", effective_date=date(2026, 5, 1), reason="Left"
    )


def _record_election(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    new_member(hub, body_id, "m1", "Ann Carer")
    new_member(hub, body_id, "m2", "Sam User")
    return lambda: _do(
        hub, "record_election", actor, body_id, chair_id="m1", vice_chair_id="m2", election_date=date(2026, 5, 1)
    )


def _commission_project(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    return lambda: _do(hub, "commission_project", actor, title=f"Mobility Review {tag}", lead="someone", brief=BRIEF)


def _agree_brief(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    project_id = new_project(hub, tag, actor.user_id, agreed=False)
    return lambda: _do(hub, "agree_brief", actor, project_id)


def _extend_project_timeframe(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    project_id = new_project(hub, tag, actor.user_id, agreed=True)
    return lambda: _do(
        hub, "extend_project_timeframe", actor, project_id, new_end_date=date(2027, 9, 30), reason="Overran"
    )


def _change_brief(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    project_id = new_project(hub, tag, actor.user_id, agreed=True)
    return lambda: _do(
        hub, "change_brief", actor, project_id, brief=replace(BRIEF, key_risks="Carers too busy"), reason="New risk"
    )


def _submit_progress_report(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # The actor leads this project, so only the role can stop the report.
    project_id = new_project(hub, tag, actor.user_id, agreed=True)
    return lambda: _do(
        hub,
        "submit_progress_report",
        actor,
        project_id,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 4, 30),
        milestones_achieved="Survey sent",
        issues_and_concerns="None",
        rag="green",
        percent_complete=30,
    )


def _submit_completion_report(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    project_id = new_project(hub, tag, actor.user_id, agreed=True)
    return lambda: _do(hub, "submit_completion_report", actor, project_id, outcomes_achieved="Strategy agreed")


def _record_past_meeting(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    return lambda: _do(
        hub, "record_past_meeting", actor, body_id, meeting_date=date(2024, 6, 12), start_time=time(14), place="Hall"
    )


def _schedule_meeting(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    return lambda: _do(
        hub, "schedule_meeting", actor, body_id, meeting_date=MEETING_DAY, start_time=time(14), place="Hall"
    )


def _move_meeting(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    return lambda: _do(
        hub,
        "move_meeting",
        actor,
        meeting_id,
        new_date=date(2026, 6, 8),
        new_start_time=time(14),
        new_place="Hall",
        reason="Clash",
    )


def _cancel_meeting(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    return lambda: _do(hub, "cancel_meeting", actor, meeting_id, reason="Chair unwell")


def _plan_annual_calendar(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    return lambda: _do(hub, "plan_annual_calendar", actor, year=2027, place="Hall", body_id=body_id)


def held_meeting(hub: PartnershipHub, tag: str, kind: BodyKind = BodyKind.CONSULTATIVE_GROUP) -> UUID:
    """A meeting taking place today, with one agenda item, so what happens at it can be recorded."""
    body_id = new_body(hub, f"Forum {tag}", kind)
    if kind is BodyKind.STAKEHOLDER_CONFERENCE:
        hub.add_member(
            SETUP_OFFICER,
            body_id,
            person=EXECUTIVE_DIRECTOR,
            position=EXECUTIVE_DIRECTOR,
            role=MemberRole.CHAIR.value,
            representation=Representation.RELEVANT_PARTNER_AGENCY.value,
            effective_date=date(2026, 1, 1),
        )
    today = hub.clock().date()
    meeting_id = hub.schedule_meeting(SETUP_OFFICER, body_id, meeting_date=today, start_time=time(14), place="Hall")
    hub.add_agenda_item(SETUP_OFFICER, meeting_id, title="Budget")
    return meeting_id


def upload(hub: PartnershipHub, text: str = "Minutes") -> FileRef:
    return hub.upload_file(SETUP_OFFICER, text.encode(), "document.txt")


def _on_held_meeting(method: str, **kwargs: Any) -> Callable[[PartnershipHub, Actor, str], Call]:
    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        meeting_id = held_meeting(hub, tag)
        return lambda: _do(hub, method, actor, meeting_id, **kwargs)

    return prepare


def _add_agenda_item(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    return lambda: _do(hub, "add_agenda_item", actor, meeting_id, title="Carers' strategy")


def _attach_paper(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    hub.add_agenda_item(SETUP_OFFICER, meeting_id, title="Budget")
    file = upload(hub, f"Budget paper {tag}")
    return lambda: _do(
        hub, "attach_paper", actor, meeting_id, item=1, title="Budget", file=file, summary="What we spend"
    )


def _publish_agenda(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    hub.add_agenda_item(SETUP_OFFICER, meeting_id, title="Budget")
    return lambda: _do(hub, "publish_agenda", actor, meeting_id)


def _close_action(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = held_meeting(hub, tag)
    hub.record_action(SETUP_OFFICER, meeting_id, description="Write", owner="Ann", due=date(2026, 6, 1))
    return lambda: _do(hub, "close_action", actor, meeting_id, number=1, note="Sent")


def _record_draft_minutes(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = held_meeting(hub, tag)
    file = upload(hub, f"Minutes {tag}")
    return lambda: _do(hub, "record_draft_minutes", actor, meeting_id, file=file)


def _clear_minutes(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # A conference: the Executive Director clears its minutes as its chair (B2, C5).
    meeting_id = held_meeting(hub, tag, BodyKind.STAKEHOLDER_CONFERENCE)
    hub.record_draft_minutes(SETUP_OFFICER, meeting_id, file=upload(hub, f"Minutes {tag}"))
    return lambda: _do(hub, "clear_minutes", actor, meeting_id)


def _publish_minutes(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = held_meeting(hub, tag)
    hub.record_draft_minutes(SETUP_OFFICER, meeting_id, file=upload(hub, f"Minutes {tag}"))
    hub.clear_minutes(SETUP_OFFICER, meeting_id, chair="Ann Carer")
    return lambda: _do(hub, "publish_minutes", actor, meeting_id)


def _approve_previous_minutes(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    previous = held_meeting(hub, tag)
    body_id = hub.meeting(previous).body_id
    # The body's next ordinary meeting, about six months on (rule C1).
    next_day = hub.clock().date() + timedelta(days=180)
    following = hub.schedule_meeting(SETUP_OFFICER, body_id, meeting_date=next_day, start_time=time(14), place="Hall")
    hub.record_draft_minutes(SETUP_OFFICER, previous, file=upload(hub, f"Minutes {tag}"))
    hub.clear_minutes(SETUP_OFFICER, previous, chair="Ann Carer")
    hub.publish_minutes(SETUP_OFFICER, previous)
    hub.clock.advance(days=180)  # type: ignore[attr-defined]  # the tests' Clock: the next meeting's day
    return lambda: _do(hub, "approve_previous_minutes", actor, following, previous_meeting_id=previous)


def _close_matter_arising(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    earlier = held_meeting(hub, tag)
    number = hub.record_action(
        SETUP_OFFICER, earlier, description="Book a room", owner="Ann", due=hub.clock().date()
    ).number
    body_id = hub.meeting(earlier).body_id
    next_day = hub.clock().date() + timedelta(days=180)
    following = hub.schedule_meeting(SETUP_OFFICER, body_id, meeting_date=next_day, start_time=time(14), place="Hall")
    hub.clock.advance(days=180)  # type: ignore[attr-defined]
    return lambda: _do(
        hub, "close_matter_arising", actor, following, from_meeting_id=earlier, number=number, note="Room booked"
    )


def _mark_reminder_done(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # A reminder for this very actor: only the table can stop them marking it done.
    due = Due(Rule.ANNUAL_REVIEW, "framework", f"review-{tag}", "The arrangements", date(2027, 3, 31), actor.user_id,
              "Review the arrangements (rule H1).")  # fmt: skip
    hub.save(Reminder.raise_(due, actor=SETUP_OFFICER, at=hub.clock(), raised_on=date(2026, 3, 2), email_to=None))
    return lambda: _do(hub, "mark_reminder_done", actor, due.id)


def _accounts(hub: PartnershipHub) -> Users:
    """The accounts tables in the hub's own database, as the composition root wires them."""
    if getattr(hub, "users", None) is None:
        hub.users = Users(hub.settings.database_url)
    return hub.users


def _target(hub: PartnershipHub, tag: str, *, active: bool = True) -> UUID:
    """An account for an administrator's command to act on (a project lead, not an administrator)."""
    users = _accounts(hub)
    user = users.create(f"acct-{tag}", name="Pat Person", email="pat@example.gov.uk", role=Role.PROJECT_LEAD)
    if not active:
        users.deactivate(user.user_id)
    return user.account_id


def _on_account(command: str, *, active: bool = True, **values: Any) -> Callable[[PartnershipHub, Actor, str], Call]:
    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        account = _target(hub, tag, active=active)
        return lambda: _do(hub, command, actor, account, **values)

    return prepare


def _create_account(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    _accounts(hub)
    return lambda: _do(
        hub, "create_account", actor, user_id=f"new-{tag}", name="Nia New", email="nia@example.gov.uk",
        role=Role.AUDITOR, password="a long enough password",
    )  # fmt: skip


def _change_password(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # The actor's own account: only the table can stop them changing its password.
    users = _accounts(hub)
    users.create(actor.user_id, name=actor.name, email="me@example.gov.uk", role=actor.role, password="my old password")
    account = users.require(actor.user_id).account_id
    return lambda: _do(
        hub, "change_password", actor, account, current_password="my old password", new_password="my new password"
    )


def _revoke_api_token(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    account = _target(hub, tag)
    token = _accounts(hub).issue_token(f"acct-{tag}", "script")
    return lambda: _do(hub, "revoke_api_token", actor, account, token_id=token.split("_")[1])


def _erase_person(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # Someone named in the record (rule P1): a member of a body of their own.
    body_id = new_body(hub, f"Forum of people {tag}")
    person = f"Person {tag}"
    _do(hub, "add_member", SETUP_OFFICER, body_id, person=person, role="member", representation="service_user",
        effective_date=date(2026, 1, 5), expected_version=hub.body(body_id).version)  # fmt: skip
    return lambda: _do(hub, "erase_person", actor, person=person, reason="Erasure request")


def _on_time_limited(method: str, **kwargs: Any) -> Callable[[PartnershipHub, Actor, str], Call]:
    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        body_id = new_body(hub, f"Project group {tag}", BodyKind.TASK_AND_FINISH_GROUP, until=date(2030, 3, 31))
        return lambda: _do(hub, method, actor, body_id, decision=DECISION, **kwargs)

    return prepare


def _decide_proposal(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    body_id = new_body(hub, f"Forum {tag}")
    _do(hub, "propose_change", SETUP_OFFICER, body_id, change="end_body", reason="No longer needed", details={},
        effective_date=date(2026, 9, 1))  # fmt: skip
    return lambda: _do(hub, "decide_proposal", actor, body_id, number=1, outcome="approved",
                       decided_by="Portfolio Holder for Care Services", decision_ref="CS26/001")  # fmt: skip


# The annual review (H1): one a financial year, so each role's call works on a year of its own.
_REVIEW_YEARS = {role.value: 2030 + n for n, role in enumerate(Role)}


def _on_review(method: str, stage: int, **kwargs: Any) -> Callable[[PartnershipHub, Actor, str], Call]:
    """A review opened (stage 0), with a body reviewed and a proposal made on it (1), and overall findings (2)."""

    def prepare(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
        review_id = _do(hub, "open_annual_review", SETUP_OFFICER, year=_REVIEW_YEARS[tag])
        body_id = new_body(hub, f"Reviewed forum {tag}")
        if stage >= 1:
            _do(hub, "record_review_findings", SETUP_OFFICER, review_id, body_id=body_id, findings="Keep it")
            _do(hub, "propose_change", SETUP_OFFICER, body_id, change="end_body", reason="Overlaps", details={},
                effective_date=date(2026, 9, 1))  # fmt: skip
        if stage >= 2:
            _do(hub, "record_overall_findings", SETUP_OFFICER, review_id, findings="It works")
        values = (
            {"body_id": body_id, **kwargs} if method in ("record_review_findings", "link_review_proposal") else kwargs
        )
        return lambda: _do(hub, method, actor, review_id, **values)

    return prepare


QUESTION = {"name": "Sam Resident", "email": "sam@example.com", "question": "When does it reopen?"}


def _ask_public_question(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    meeting_id = new_meeting(hub, tag)
    return lambda: _do(hub, "ask_public_question", actor, meeting_id, **QUESTION)


def _answer_public_question(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    # A question asked before its deadline, answered on the meeting day (C7).
    body_id = new_body(hub, f"Forum {tag}")
    day = hub.clock().date() + timedelta(days=14)
    meeting_id = hub.schedule_meeting(SETUP_OFFICER, body_id, meeting_date=day, start_time=time(14), place="Hall")
    question_id = _do(hub, "ask_public_question", SETUP_OFFICER, meeting_id, **QUESTION)
    hub.clock.advance(days=14)  # type: ignore[attr-defined]
    return lambda: _do(hub, "answer_public_question", actor, meeting_id, question_id=question_id, answer="In May")


def _open_review(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    return lambda: _do(hub, "open_annual_review", actor, year=_REVIEW_YEARS[tag])


def _panel(hub: PartnershipHub) -> None:
    """The panel's people in the hub's own database, as the composition root wires them."""
    if getattr(hub, "panel", None) is None:
        hub.panel = PanelPeople(hub.settings.database_url)


def _panel_member(hub: PartnershipHub, tag: str) -> UUID:
    _panel(hub)
    return hub.add_panel_member(
        SETUP_OFFICER, name="Pat Panel", email=f"panel-{tag}@example.org", consent_on=date(2026, 3, 1)
    )


def _add_panel_member(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    _panel(hub)
    return lambda: _do(hub, "add_panel_member", actor, name="Sam Panel", email=f"new-{tag}@example.org",
                       consent_on=date(2026, 3, 1))  # fmt: skip


def _remove_panel_member(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    member = _panel_member(hub, tag)
    return lambda: _do(hub, "remove_panel_member", actor, member)


def _consultation(hub: PartnershipHub, tag: str, *, questions: int = 0, closes_on: date | None = None) -> UUID:
    _panel(hub)
    today = hub.clock().date()
    consultation_id = hub.draft_consultation(
        SETUP_OFFICER, title=f"Consultation {tag}", summary="What do you think?", concerns="Day services",
        opens_on=today, closes_on=closes_on or date(2026, 12, 31),
    )  # fmt: skip
    for _ in range(questions):
        hub.add_question(SETUP_OFFICER, consultation_id, question="How good is it?", kind="scale")
    return consultation_id


def _draft_consultation(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    _panel(hub)
    return lambda: _do(hub, "draft_consultation", actor, title=f"New {tag}", summary="Views wanted",
                       concerns="Day services", opens_on=date(2026, 4, 1), closes_on=date(2026, 5, 1))  # fmt: skip


def _add_question(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    consultation_id = _consultation(hub, tag)
    return lambda: _do(hub, "add_question", actor, consultation_id, question="Which days?", kind="free_text")


def _remove_question(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    consultation_id = _consultation(hub, tag, questions=1)
    return lambda: _do(hub, "remove_question", actor, consultation_id, number=1)


def _publish_consultation(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    _panel_member(hub, f"publish-{tag}")
    consultation_id = _consultation(hub, tag, questions=1)
    return lambda: _do(hub, "publish_consultation", actor, consultation_id)


def _publish_outcome(hub: PartnershipHub, actor: Actor, tag: str) -> Call:
    _panel_member(hub, f"outcome-{tag}")
    consultation_id = _consultation(hub, tag, questions=1, closes_on=hub.clock().date())
    hub.publish_consultation(SETUP_OFFICER, consultation_id)
    hub.clock.advance(days=1)  # type: ignore[attr-defined]  # the tests' Clock: the day after it closes
    assert hub.close_due(SETUP_OFFICER, [consultation_id]) == [consultation_id]
    return lambda: _do(hub, "publish_outcome", actor, consultation_id, outcome="We changed the opening hours")


PREPARE: dict[str, Callable[[PartnershipHub, Actor, str], Call]] = {
    "ask_public_question": _ask_public_question,
    "answer_public_question": _answer_public_question,
    "open_annual_review": _open_review,
    "record_review_findings": _on_review("record_review_findings", 0, findings="Meets rarely"),
    "record_overall_findings": _on_review("record_overall_findings", 0, findings="It works"),
    "link_review_proposal": _on_review("link_review_proposal", 1, number=1),
    "complete_annual_review": _on_review("complete_annual_review", 2),
    "add_panel_member": _add_panel_member,
    "remove_panel_member": _remove_panel_member,
    "draft_consultation": _draft_consultation,
    "add_question": _add_question,
    "remove_question": _remove_question,
    "publish_consultation": _publish_consultation,
    "publish_outcome": _publish_outcome,
    "propose_change": _on_body(
        "propose_change", change="end_body", reason="No longer needed", details={}, effective_date=date(2026, 9, 1)
    ),
    "decide_proposal": _decide_proposal,
    "extend_time_limit": _on_time_limited("extend_time_limit", until=date(2031, 3, 31)),
    "close_time_limited_group": _on_time_limited("close_time_limited_group", completion_report="Strategy written"),
    "create_account": _create_account,
    "change_password": _change_password,
    "change_role": _on_account("change_role", role=Role.AUDITOR),
    "deactivate_account": _on_account("deactivate_account"),
    "reactivate_account": _on_account("reactivate_account", active=False),
    "reset_password": _on_account("reset_password", password="another long password"),
    "unlock_account": _on_account("unlock_account"),
    "sign_out_everywhere": _on_account("sign_out_everywhere"),
    "issue_api_token": _on_account("issue_api_token", label="a script"),
    "revoke_api_token": _revoke_api_token,
    "erase_person": _erase_person,
    "establish_body": _establish_body,
    "adopt_terms_of_reference": _on_body("adopt_terms_of_reference", text="ToR", decision=DECISION),
    "change_funding": _on_body("change_funding", annual_funding_pence=200, decision=DECISION),
    "extend_contract": _on_body("extend_contract", until=date(2028, 3, 31), decision=DECISION),
    "transform_body": _on_body(
        "transform_body", into="task_and_finish_group", until=date(2027, 3, 31), decision=DECISION
    ),
    "replace_body": _with_other_body("replace_body", "successor_id"),
    "merge_body": _with_other_body("merge_body", "target_id"),
    "give_self_funding_option": _on_body(
        "give_self_funding_option", council_funding_until=date(2027, 3, 31), decision=DECISION
    ),
    "transfer_to_provider_forum": _on_body("transfer_to_provider_forum", under="Providers", decision=DECISION),
    "maintain_body": _on_body("maintain_body", decision=DECISION),
    "end_body": _on_body("end_body", decision=DECISION),
    "assign_statutory_function": _on_body(
        "assign_statutory_function",
        function="Children's Trust Board",
        legal_basis="Children Act 2004, section 12A",
        decision=Decision(DECISION.reason, DECISION.effective_date, DECISION.decided_by, decision_ref="EX26/001"),
    ),
    "correct_body": _on_body("correct_body", corrects_version=1, field="purpose", value="Fixed", decision=DECISION),
    "add_member": _on_body(
        "add_member",
        person="New Person",
        role="member",
        representation="carer",
        effective_date=date(2026, 4, 1),
    ),
    "remove_member": _remove_member,
    "record_election": _record_election,
    "set_quorum": _on_body("set_quorum", quorum=2, reason="Agreed at the annual meeting"),
    "commission_project": _commission_project,
    "agree_brief": _agree_brief,
    "extend_project_timeframe": _extend_project_timeframe,
    "change_brief": _change_brief,
    "submit_progress_report": _submit_progress_report,
    "submit_completion_report": _submit_completion_report,
    "schedule_meeting": _schedule_meeting,
    "record_past_meeting": _record_past_meeting,
    "move_meeting": _move_meeting,
    "cancel_meeting": _cancel_meeting,
    "plan_annual_calendar": _plan_annual_calendar,
    "add_agenda_item": _add_agenda_item,
    "attach_paper": _attach_paper,
    "publish_agenda": _publish_agenda,
    "record_meeting_held": _on_held_meeting("record_meeting_held"),
    "record_attendance": _on_held_meeting("record_attendance", present=["Ann Carer"], apologies=["Sam User"]),
    "declare_interest": _on_held_meeting("declare_interest", person="Ann Carer", interest="Carer", item=1),
    "record_decision": _on_held_meeting("record_decision", item=1, text="Agreed"),
    "record_action": _on_held_meeting("record_action", description="Write", owner="Ann", due=date(2026, 6, 1)),
    "close_action": _close_action,
    "record_draft_minutes": _record_draft_minutes,
    "clear_minutes": _clear_minutes,
    "publish_minutes": _publish_minutes,
    "approve_previous_minutes": _approve_previous_minutes,
    "close_matter_arising": _close_matter_arising,
    "mark_reminder_done": _mark_reminder_done,
}


# --------------------------------------------------------------- the table's shape


def test_every_command_names_a_duty_some_role_carries() -> None:
    assert COMMANDS, "application.commands.COMMANDS is empty"
    carried = set().union(*AUTHORITY.values())
    assert sorted(c.name for c in COMMANDS.values() if c.duty not in carried) == [], "commands nobody may run"


def test_every_duty_in_the_table_is_some_commands() -> None:
    used = {c.duty for c in COMMANDS.values()}
    assert sorted(set(Duty) - used) == [], "a duty with no command"


def test_every_command_has_its_schema_and_handler() -> None:
    for name, command in COMMANDS.items():
        assert command.input.command is command, name  # type: ignore[attr-defined]
        assert command.handler.__name__ == name, f"{name} is handled by {command.handler.__qualname__}"


def test_every_role_has_an_entry_in_the_table() -> None:
    assert set(AUTHORITY) == set(Role)


def test_every_command_has_a_walk_in_this_file() -> None:
    # A new command must be added to PREPARE, and so to the walk below.
    assert set(PREPARE) == set(COMMANDS)


def test_every_commissioning_role_stands_for_a_commissioner() -> None:
    commissioning = {role for role, duties in AUTHORITY.items() if Duty.COMMISSIONING in duties}
    assert commissioning == set(COMMISSIONER_FOR_ROLE)


# The table as the rules settle it: D1 (only the Portfolio Holders and the Executive Director
# commission), D3 (only the Executive Director agrees a brief), D4/D5 (leads report), C2 (the
# Executive Director, as conference chair, runs its meetings), F4 (officers record governance); the
# framework's annual calendar (C1) is the partnership team's.
GOVERNANCE = {
    "establish_body",
    "adopt_terms_of_reference",
    "change_funding",
    "extend_contract",
    "transform_body",
    "replace_body",
    "merge_body",
    "give_self_funding_option",
    "transfer_to_provider_forum",
    "maintain_body",
    "end_body",
    "correct_body",
    "propose_change",
    "extend_time_limit",
    "close_time_limited_group",
    "assign_statutory_function",
    # The annual review of the arrangements (H1), kept by the partnership team.
    "open_annual_review",
    "record_review_findings",
    "record_overall_findings",
    "link_review_proposal",
    "complete_annual_review",
}
MEMBERSHIP = {"add_member", "remove_member", "record_election", "set_quorum"}
MEETINGS = {
    "schedule_meeting",
    "record_past_meeting",
    "move_meeting",
    "cancel_meeting",
    "add_agenda_item",
    "attach_paper",
    "publish_agenda",
    "record_meeting_held",
    "record_attendance",
    "declare_interest",
    "record_decision",
    "record_action",
    "close_action",
    "record_draft_minutes",
    "clear_minutes",
    "publish_minutes",
    "approve_previous_minutes",
    "close_matter_arising",
    "answer_public_question",
}
CALENDAR = {"plan_annual_calendar"}
COMMISSIONING = {"commission_project", "extend_project_timeframe", "change_brief"}
# Deciding a proposed governance change (F4): the Portfolio Holders and the Executive Director.
DECISIONS = {"decide_proposal"}
# People's accounts: the administrator's alone.
ADMINISTRATION = {
    "create_account",
    "change_role",
    "deactivate_account",
    "reactivate_account",
    "reset_password",
    "unlock_account",
    "sign_out_everywhere",
    "issue_api_token",
    "revoke_api_token",
    "erase_person",  # a person's name from the record (rule P1)
}
# The virtual panel and its consultations (A4): the partnership team's.
CONSULTATIONS = {
    "add_panel_member",
    "remove_panel_member",
    "draft_consultation",
    "add_question",
    "remove_question",
    "publish_consultation",
    "publish_outcome",
}
EXPECTED: dict[Role, set[str]] = {
    Role.PARTNERSHIP_OFFICER: GOVERNANCE | MEMBERSHIP | MEETINGS | CALENDAR | CONSULTATIONS,
    Role.ADMINISTRATOR: GOVERNANCE | MEMBERSHIP | MEETINGS | CALENDAR | ADMINISTRATION | CONSULTATIONS,
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: COMMISSIONING | DECISIONS,
    Role.PORTFOLIO_HOLDER_EDUCATION: COMMISSIONING | DECISIONS,
    Role.EXECUTIVE_DIRECTOR: COMMISSIONING | MEETINGS | DECISIONS | {"agree_brief"},
    Role.PROJECT_LEAD: {"submit_progress_report", "submit_completion_report"},
    Role.AUDITOR: set(),
}
# Everyone may mark their own reminders done (the reminder checks it is theirs) and change their own
# password (the account checks it is theirs); and, as the public may, put a question to a public meeting (C7).
for _role in EXPECTED:
    EXPECTED[_role] = EXPECTED[_role] | {"mark_reminder_done", "change_password", "ask_public_question"}
PAIRS = [pytest.param(role, name, id=f"{role.value}-{name}") for role in Role for name in sorted(COMMANDS)]


def refusal(role: Role, command: str) -> str:
    title = COMMANDS[command].title
    words = role.value.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words} may not {title[0].lower() + title[1:]}"


@pytest.mark.parametrize(("role", "command"), PAIRS)
def test_authority_check_for_each_role_and_command(role: Role, command: str) -> None:
    actor = actor_for(role)
    assert authority.may(role, COMMANDS[command].duty) is (command in EXPECTED[role])
    if command in EXPECTED[role]:
        assert Dispatcher.command(command) is COMMANDS[command]
        assert authority.check(actor, COMMANDS[command].duty, "x") is role
    else:
        with pytest.raises(NotAuthorised) as refused:
            authority.check(
                actor, COMMANDS[command].duty, COMMANDS[command].title[0].lower() + COMMANDS[command].title[1:]
            )
        assert str(refused.value) == refusal(role, command)


# ------------------------------------------------------------- the walk, on the hub


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_role_calling_the_real_command(hub: PartnershipHub, command: str, subtests: Any) -> None:
    for role in Role:
        with subtests.test(role=role.value, command=command):
            actor = actor_for(role)
            call = PREPARE[command](hub, actor, role.value)
            before = last_event_id(hub)
            if command in EXPECTED[role]:
                try:
                    result = call()
                except NotAuthorised as error:
                    pytest.fail(f"{role.value} is allowed to {command} but was refused: {error}")
                assert last_event_id(hub) > before, "an allowed command recorded nothing"
                _check_allowed_result(hub, role, command, result)
            else:
                with pytest.raises(NotAuthorised) as err:
                    call()
                assert str(err.value) == refusal(role, command)
                assert last_event_id(hub) == before, "a refused command recorded events"


def _check_allowed_result(hub: PartnershipHub, role: Role, command: str, result: Any) -> None:
    if command == "commission_project":
        # Rule D1: the project records which of the three commissioners commissioned it.
        assert hub.project(result).commissioned_by == COMMISSIONER_FOR_ROLE[role].value


# ----------------------------------------------------------- beyond the table


def test_the_executive_director_agrees_a_brief_in_their_own_name(hub: PartnershipHub) -> None:
    ed = actor_for(Role.EXECUTIVE_DIRECTOR)
    project_id = new_project(hub, "ed", "lead", agreed=False)
    _do(hub, "agree_brief", ed, project_id, agreed_on=date(2026, 4, 3))
    project = hub.project(project_id)
    assert (project.brief_agreed_by, project.brief_agreed_on) == (EXECUTIVE_DIRECTOR, date(2026, 4, 3))


@pytest.mark.parametrize("command", ["submit_progress_report", "submit_completion_report"])
def test_a_project_lead_cannot_report_on_someone_elses_project(hub: PartnershipHub, command: str) -> None:
    project_id = new_project(hub, "theirs", "another-lead", agreed=True)
    intruder = actor_for(Role.PROJECT_LEAD)
    before = last_event_id(hub)
    kwargs: dict[str, Any] = (
        {
            "period_start": date(2026, 2, 1),
            "period_end": date(2026, 4, 30),
            "milestones_achieved": "Survey sent",
            "issues_and_concerns": "None",
            "rag": "green",
            "percent_complete": 30,
        }
        if command == "submit_progress_report"
        else {"outcomes_achieved": "Strategy agreed"}
    )
    doing = "report on it" if command == "submit_progress_report" else "report its completion"
    with pytest.raises(NotPermitted, match=f"only the lead of 'Carers Strategy theirs' may {doing}"):
        _do(hub, command, intruder, project_id, **kwargs)
    assert last_event_id(hub) == before
    project = hub.project(project_id)
    assert (project.reports, project.is_complete) == ([], False)
    # The real lead may.
    _do(hub, command, Actor("another-lead", Role.PROJECT_LEAD.value), project_id, **kwargs)
    assert hub.project(project_id).version == 3


def test_a_role_the_hub_does_not_know_is_refused(hub: PartnershipHub) -> None:
    before = last_event_id(hub)
    with pytest.raises(NotAuthorised, match="'mayor' is not a role of Partnership Hub"):
        _do(
            hub,
            "establish_body",
            Actor("boris", "mayor"),
            name="Mayor's Forum",
            kind="virtual_panel",
            decision=DECISION,
        )
    assert last_event_id(hub) == before
    assert hub.find_body("Mayor's Forum") is None


def test_a_command_without_an_actor_is_refused(hub: PartnershipHub) -> None:
    before = last_event_id(hub)
    with pytest.raises(NotAuthorised, match="every command names its actor"):
        _do(hub, "establish_body", "partnership_officer", name="Anon Forum", kind="virtual_panel", decision=DECISION)  # type: ignore[arg-type]
    assert last_event_id(hub) == before


def test_refusal_comes_before_any_other_check(hub: PartnershipHub) -> None:
    # An auditor asking to end a body that does not exist learns only that they may not.
    with pytest.raises(NotAuthorised, match="an auditor may not end the body"):
        _do(hub, "end_body", actor_for(Role.AUDITOR), UUID(int=0), decision=DECISION)


def test_refusal_comes_before_the_input_is_read(hub: PartnershipHub) -> None:
    # The same through ``run``, with input that would not load: the role is checked first.
    with pytest.raises(NotAuthorised, match="an auditor may not end the body"):
        Dispatcher(hub).run("end_body", actor_for(Role.AUDITOR), subject_id=UUID(int=0), data={"nonsense": 1})


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_public_without_an_account_may_only_put_a_question(command: str) -> None:
    """Rule C7: a member of the public acts in no role of the table; the PUBLIC duty is all they carry."""
    from application.authority import PUBLIC_ACTOR, PUBLIC_ROLE

    duty = COMMANDS[command].duty
    assert authority.may(PUBLIC_ROLE, duty) is (command == "ask_public_question")
    if command == "ask_public_question":
        assert authority.check(PUBLIC_ACTOR, duty, "ask") is None
    else:
        with pytest.raises(NotAuthorised, match="a member of the public may not x: sign in first"):
            authority.check(PUBLIC_ACTOR, duty, "x")
