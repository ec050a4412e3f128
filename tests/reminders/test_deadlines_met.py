"""Issue 16, the officer's day: a reminder clears itself when its deadline is met, follows its meeting when the
meeting moves, and one person's scan raises exactly their share of a full scan. On SQLite and PostgreSQL,
through the hub's own commands, and the read model rebuilt from the log says the same."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select

from application.authority import Role
from application.reminders.rules import Recipients, plan
from domain.actor import Actor
from domain.body import Decision
from domain.project import Brief
from domain.reminder import Rule
from domain.working_days import minutes_due, papers_due
from projections.reminders import outbox, reminders, reminders_for_user
from tests.reminders.conftest import OFFICER, Env

TODAY = date(2026, 3, 2)
MEETING_DAY = date(2026, 3, 16)  # its papers are due on 9 March, within a five-working-day lead of 2 March
DIRECTOR = Actor("director", Role.EXECUTIVE_DIRECTOR.value, "Dana Director")
LEAD = Actor("lead-1", Role.PROJECT_LEAD.value, "Lee Lead")


def _mine(env: Env, user_id: str = "officer", *, include_done: bool = False) -> list[dict[str, Any]]:
    env.read_models.catch_up()
    with env.read_models.engine.connect() as connection:
        return reminders_for_user(connection, user_id, include_done=include_done)


def _about(items: list[dict[str, Any]], subject_id: Any) -> list[tuple[str, date, str, str | None]]:
    return sorted(
        (i["rule"], i["due_date"], i["status"], i["met_by"]) for i in items if i["subject_id"] == str(subject_id)
    )


def _table(env: Env) -> list[tuple[Any, ...]]:
    columns = (reminders.c.id, reminders.c.status, reminders.c.due_date, reminders.c.done_on, reminders.c.met_by)
    with env.read_models.engine.connect() as connection:
        return sorted(tuple(r) for r in connection.execute(select(*columns)))


def _agenda_ready(env: Env, meeting: Any) -> None:
    env.hub.add_agenda_item(OFFICER, meeting, title="Welcome and introductions")


def test_publishing_the_agenda_clears_its_reminders_and_their_unsent_email(env: Env) -> None:
    _, meeting = env.group_with_meeting("Agenda Group", MEETING_DAY)
    env.commands.scan(today=TODAY)
    due = papers_due(MEETING_DAY)
    assert _about(_mine(env), meeting) == [("papers_due", due, "pending", None)]
    with env.read_models.engine.connect() as connection:
        assert connection.execute(select(outbox.c.reminder_id)).all()  # e-mail waiting for the officers

    _agenda_ready(env, meeting)
    env.hub.publish_agenda(OFFICER, meeting)
    assert _about(_mine(env), meeting) == []  # gone from the open list
    assert _about(_mine(env, include_done=True), meeting) == [("papers_due", due, "done", "agenda published")]
    assert _about(_mine(env, "officer2", include_done=True), meeting) == [
        ("papers_due", due, "done", "agenda published")
    ]
    with env.read_models.engine.connect() as connection:
        ids = {r for (r,) in connection.execute(select(reminders.c.id).where(reminders.c.subject_id == str(meeting)))}
        assert not ids & {r for (r,) in connection.execute(select(outbox.c.reminder_id))}  # no e-mail for it now
    # A later scan does not raise it again, and a rebuild from the log agrees row for row.
    assert env.commands.scan(today=TODAY).raised == 0
    before = _table(env)
    env.read_models.rebuild(["reminders"])
    assert _table(env) == before


def test_an_overdue_reminder_clears_when_the_agenda_goes_out_late(env: Env) -> None:
    _, meeting = env.group_with_meeting("Late Agenda Group", date(2026, 3, 5))
    env.commands.scan(today=TODAY)  # papers were due on 26 February
    assert _about(_mine(env), meeting) == [("papers_overdue", date(2026, 2, 26), "pending", None)]
    _agenda_ready(env, meeting)
    env.hub.publish_agenda(OFFICER, meeting)
    assert _about(_mine(env), meeting) == []
    assert [i["met_by"] for i in _mine(env, include_done=True) if i["subject_id"] == str(meeting)] == [
        "agenda published"
    ]


def test_a_progress_report_clears_the_leads_reminder(env: Env) -> None:
    env.clock.now = env.clock.now.replace(year=2025, month=12, day=1)
    brief = Brief(
        aims_and_objectives="Refresh the carers strategy",
        outcomes="A strategy agreed",
        start_date=date(2025, 12, 1),
        end_date=date(2026, 11, 30),
        resources="Officer time",
        key_risks="Low response",
    )
    project = env.hub.commission_project(DIRECTOR, title="Carers Strategy", lead="lead-1", brief=brief)
    env.hub.agree_brief(DIRECTOR, project, agreed_on=date(2025, 12, 1))  # a report every 3 months: 1 March
    env.read_models.catch_up()
    env.commands.scan(today=TODAY)
    assert _about(_mine(env, "lead-1"), project) == [("progress_overdue", date(2026, 3, 1), "pending", None)]
    env.clock.now = env.clock.now.replace(year=2026, month=3, day=2)
    env.hub.submit_progress_report(
        LEAD,
        project,
        period_start=date(2025, 12, 1),
        period_end=date(2026, 2, 28),
        milestones_achieved="Survey out",
        issues_and_concerns="None",
        rag="green",
        percent_complete=25,
    )
    assert _about(_mine(env, "lead-1"), project) == []
    done = [i for i in _mine(env, "lead-1", include_done=True) if i["subject_id"] == str(project)]
    assert [(i["status"], i["met_by"], i["done_on"]) for i in done] == [
        ("done", "progress report submitted", date(2026, 3, 2))
    ]


def test_a_reminder_moves_with_its_meeting_and_back(env: Env) -> None:
    _, meeting = env.group_with_meeting("Moving Group", MEETING_DAY)
    env.commands.scan(today=TODAY)
    old_due = papers_due(MEETING_DAY)
    later = date(2026, 3, 30)
    env.hub.move_meeting(OFFICER, meeting, new_date=later, new_start_time=time(14), new_place="Hall", reason="room")
    assert _about(_mine(env), meeting) == []
    assert _about(_mine(env, include_done=True), meeting) == [
        ("papers_due", old_due, "moved", "meeting moved to 30 March 2026")
    ]
    # The new date's deadline is reminded when its lead time comes, as any deadline is.
    assert env.commands.scan(today=TODAY).raised == 0
    new_due = papers_due(later)
    env.commands.scan(today=date(2026, 3, 16))
    assert _about(_mine(env), meeting) == [("papers_due", new_due, "pending", None)]

    # Moved back: the first reminder is open again, and the one for 30 March's deadline is moved.
    env.hub.move_meeting(
        OFFICER, meeting, new_date=MEETING_DAY, new_start_time=time(14), new_place="Hall", reason="room back"
    )
    assert _about(_mine(env, include_done=True), meeting) == [
        ("papers_due", old_due, "pending", None),
        ("papers_due", new_due, "moved", "meeting moved to 16 March 2026"),
    ]
    before = _table(env)
    env.read_models.rebuild(["reminders"])
    assert _table(env) == before


def test_one_persons_scan_raises_their_share_of_the_full_scan_and_no_more(env: Env) -> None:
    env.group_with_meeting("Shared Group", MEETING_DAY)
    with env.read_models.engine.connect() as connection:
        everyone = plan(connection, today=TODAY, recipients=Recipients.from_users(env.users.all()))
        officer = env.users.get("officer")
        assert officer is not None
        theirs = plan(connection, today=TODAY, recipients=Recipients.from_users([officer]))
    assert {d.recipient for d in everyone} >= {"officer", "officer2"}
    assert sorted(theirs, key=lambda d: d.id) == sorted(
        (d for d in everyone if d.recipient == "officer"), key=lambda d: d.id
    )

    result = env.commands.scan(today=TODAY, person="officer")
    assert result.raised == len(theirs) > 0
    assert _mine(env, "officer2") == []  # nobody else's
    assert env.commands.scan(today=TODAY, person="officer").raised == 0  # idempotent
    assert env.commands.scan(today=TODAY, person="nobody").due == 0
    full = env.commands.scan(today=TODAY)
    assert (full.raised, full.already) == (len(everyone) - len(theirs), len(theirs))
    assert {i["rule"] for i in _mine(env)} >= {Rule.PAPERS_DUE.value}


def test_publishing_the_minutes_clears_their_reminder(env: Env) -> None:
    _, meeting = env.group_with_meeting("Minutes Group", MEETING_DAY)
    _agenda_ready(env, meeting)
    env.hub.publish_agenda(OFFICER, meeting)
    env.clock.now = env.clock.now.replace(month=3, day=17)
    env.hub.record_meeting_held(OFFICER, meeting)
    due = minutes_due(MEETING_DAY)
    env.read_models.catch_up()
    env.commands.scan(today=due)
    assert _about(_mine(env), meeting) == [("minutes_due", due, "pending", None)]
    file = env.hub.upload_file(OFFICER, b"Minutes of the meeting", "minutes.txt")
    env.hub.record_draft_minutes(OFFICER, meeting, file=file)
    env.hub.clear_minutes(OFFICER, meeting, chair="Ann Chair")
    env.hub.publish_minutes(OFFICER, meeting)
    assert _about(_mine(env), meeting) == []
    assert _about(_mine(env, include_done=True), meeting) == [("minutes_due", due, "done", "minutes published")]


def test_completing_the_annual_review_meets_its_reminder_and_a_later_scan_raises_none(env: Env) -> None:
    """Rule H1: the year's review, once completed, meets the reminder to do it, for every officer."""
    framework = "framework"
    env.commands.scan(today=TODAY)  # 2 March 2026: the review due by 31 March 2026 is reminded
    assert _about(_mine(env), framework) == [("annual_review", date(2026, 3, 31), "pending", None)]
    _complete_review(env)
    for officer in ("officer", "officer2"):
        assert _about(_mine(env, officer), framework) == []
        assert _about(_mine(env, officer, include_done=True), framework) == [
            ("annual_review", date(2026, 3, 31), "done", "annual review completed")
        ]
    assert env.commands.scan(today=TODAY).raised == 0
    before = _table(env)
    env.read_models.rebuild(["reminders"])
    assert _table(env) == before


def _complete_review(env: Env) -> None:
    body = env.hub.establish_body(
        OFFICER, name="Reviewed Forum", kind="partnership_board", decision=Decision("Set up", date(2013, 9, 1))
    )
    review = env.hub.open_annual_review(OFFICER, year=2026)
    env.hub.record_review_findings(OFFICER, review, body_id=body, findings="It works")
    env.hub.record_overall_findings(OFFICER, review, findings="The arrangements work")
    env.hub.complete_annual_review(OFFICER, review)


def test_a_review_completed_before_its_reminder_is_due_is_never_reminded(env: Env) -> None:
    _complete_review(env)
    env.read_models.catch_up()
    env.commands.scan(today=TODAY)
    assert _about(_mine(env, include_done=True), "framework") == []


def test_the_officers_are_told_when_questions_from_the_public_arrive(env: Env) -> None:
    """Rule C7: a question to a coming meeting raises one reminder per officer for that meeting, due on its day."""
    _, meeting = env.group_with_meeting("Questions Group", MEETING_DAY)
    public = Actor("public", "public")
    env.commands.scan(today=TODAY)
    assert [i for i in _mine(env) if i["rule"] == "questions_received"] == []
    for n in (1, 2):
        env.hub.ask_public_question(public, meeting, name="Sam", email="sam@example.com", question=f"Question {n}?")
    env.read_models.catch_up()
    env.commands.scan(today=TODAY)
    for officer in ("officer", "officer2"):
        assert _about(_mine(env, officer), meeting) == [
            ("papers_due", papers_due(MEETING_DAY), "pending", None),
            ("questions_received", MEETING_DAY, "pending", None),
        ]
    assert env.commands.scan(today=TODAY).raised == 0  # once a meeting, however many questions
