"""/api/v1/audit, /api/v1/reminders, /api/v1/calendar.ics."""

from __future__ import annotations

import importlib
from datetime import date
from uuid import UUID

import pytest

from application.authority import Role
from domain.actor import Actor
from tests.api.conftest import ApiClient, assert_problem


def test_the_audit_log_is_filtered_and_needs_a_token(api_both: ApiClient) -> None:
    api = api_both
    carers = api.establish("Carers Forum")
    board = api.establish("Carers Partnership Group", "partnership_board")
    ended = api.post(
        f"/api/v1/bodies/{board['id']}/changes/end",
        who="admin",
        if_match=1,
        json={"reason": "replaced by the conference", "effective_date": "2013-09-01"},
    )
    assert ended.status_code == 200, ended.get_json()
    assert_problem(api.get("/api/v1/audit"), 401)
    everything = api.get("/api/v1/audit", who="auditor").get_json()
    assert [e["change"] for e in everything["items"]] == ["ended", "established", "established"]  # newest first
    ended = everything["items"][0]
    assert (ended["actor"], ended["actor_role"], ended["reason"]) == (
        "admin",
        "administrator",
        "replaced by the conference",
    )
    assert ended["changes"] == {"status": {"after": "ended"}}
    assert [
        e["subject_name"] for e in api.get(f"/api/v1/audit?body={carers['id']}", who="auditor").get_json()["items"]
    ] == ["Carers Forum"]
    assert api.get("/api/v1/audit?type=ended", who="auditor").get_json()["total"] == 1
    assert api.get("/api/v1/audit?actor=admin", who="auditor").get_json()["total"] == 1
    assert api.get("/api/v1/audit?from=2013-08-01&to=2013-09-30", who="auditor").get_json()["total"] == 1
    assert_problem(api.get("/api/v1/audit?from=last-week", who="auditor"), 422, "from")


def test_reminders_are_the_callers_own(api: ApiClient) -> None:
    assert_problem(api.get("/api/v1/reminders"), 401)
    mine = api.get("/api/v1/reminders", who="lead-1")
    assert mine.status_code == 200, mine.get_json()
    assert mine.get_json()["user_id"] == "lead-1"
    assert isinstance(mine.get_json()["items"], list)


def test_reminders_list_what_the_scan_raised_for_the_caller(api: ApiClient) -> None:
    from application.reminders.commands import ReminderCommands

    project = api.commission()
    api.post(f"/api/v1/projects/{project['id']}/brief-agreement", who="director", if_match=1, json={})
    due = api.get(f"/api/v1/projects/{project['id']}", who="lead-1").get_json()["next_report_due"]
    services = api.services
    ReminderCommands(services.hub, services.read_models, services.users).scan(today=date.fromisoformat(due))
    services.refresh()
    mine = api.get("/api/v1/reminders", who="lead-1").get_json()["items"]
    assert [r["subject_name"] for r in mine] == ["Carers Strategy"]
    assert mine[0]["due_date"] == due and mine[0]["status"] == "pending"
    assert api.get("/api/v1/reminders", who="lead-2").get_json()["items"] == []


def test_reading_ones_reminders_raises_todays_and_a_report_settles_them(api_both: ApiClient) -> None:
    """Issue 16: GET /api/v1/reminders runs the scan for the caller first; a progress report settles it."""
    api = api_both
    project = api.commission()
    api.post(f"/api/v1/projects/{project['id']}/brief-agreement", who="director", if_match=1, json={})
    due = date.fromisoformat(api.get(f"/api/v1/projects/{project['id']}", who="lead-1").get_json()["next_report_due"])
    api.clock.now = api.clock.now.replace(year=due.year, month=due.month, day=due.day, hour=9)
    mine = api.get("/api/v1/reminders", who="lead-1").get_json()["items"]  # no scheduler has run
    assert [(r["rule"], r["status"], r["met_by"]) for r in mine] == [("progress_due", "pending", None)]
    assert api.get("/api/v1/reminders", who="lead-2").get_json()["items"] == []
    api.services.hub.submit_progress_report(
        Actor("lead-1", Role.PROJECT_LEAD.value, "Lee Lead"),
        project_id=UUID(project["id"]),
        period_start=due.replace(day=1),
        period_end=due,
        milestones_achieved="Survey out",
        issues_and_concerns="None",
        rag="green",
        percent_complete=25,
    )
    api.services.refresh()
    assert api.get("/api/v1/reminders", who="lead-1").get_json()["items"] == []
    done = api.get("/api/v1/reminders?include_done=true", who="lead-1").get_json()["items"]
    assert [(r["status"], r["met_by"]) for r in done] == [("done", "progress report submitted")]


def _raise_a_reminder(api: ApiClient) -> dict:
    from application.reminders.commands import ReminderCommands

    project = api.commission()
    api.post(f"/api/v1/projects/{project['id']}/brief-agreement", who="director", if_match=1, json={})
    due = api.get(f"/api/v1/projects/{project['id']}", who="lead-1").get_json()["next_report_due"]
    services = api.services
    ReminderCommands(services.hub, services.read_models, services.users).scan(today=date.fromisoformat(due))
    services.refresh()
    (reminder,) = api.get("/api/v1/reminders", who="lead-1").get_json()["items"]
    return reminder


def test_a_reminder_is_marked_done_by_a_post(api: ApiClient) -> None:
    reminder = _raise_a_reminder(api)
    url = f"/api/v1/reminders/{reminder['reminder_id']}/done"
    assert_problem(api.post(url, json={}), 401)
    assert_problem(api.post(url, who="lead-1", json={"on": "soon"}), 422, "on")
    # No If-Match: marking done names no version; an empty body is an empty object.
    done = api.post(url, who="lead-1")
    assert done.status_code == 200, done.get_json()
    outcome = done.get_json()
    assert (outcome["command"], outcome["id"], outcome["created"]) == (
        "mark_reminder_done",
        reminder["reminder_id"],
        False,
    )
    assert done.headers["ETag"] == f'"{outcome["version"]}"' and outcome["version"] > reminder["version"]
    assert outcome["record"]["status"] == "done"
    assert "already marked done" in assert_problem(api.post(url, who="lead-1", json={}), 422)["detail"]
    assert api.get("/api/v1/reminders", who="lead-1").get_json()["items"] == []


def test_only_the_person_reminded_marks_it_done(api: ApiClient) -> None:
    reminder = _raise_a_reminder(api)
    url = f"/api/v1/reminders/{reminder['reminder_id']}/done"
    refused = assert_problem(api.post(url, who="lead-2", json={}), 403)
    assert "only the person a reminder is for" in refused["detail"]


def test_the_calendar_feed_is_public_icalendar(api: ApiClient) -> None:
    body = api.establish()
    scheduled = api.post(
        f"/api/v1/bodies/{body['id']}/meetings",
        who="officer",
        json={"meeting_date": "2026-03-30", "start_time": "14:00", "place": "Civic Centre"},
    )
    assert scheduled.status_code == 201, scheduled.get_json()
    feed = api.get("/api/v1/calendar.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR") and "Carers Forum" in text and "DTSTART" in text


def test_the_audit_log_counts_up_to_a_limit_and_then_says_more_than(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting every match of a million-row log is most of a page's cost: past COUNT_LIMIT the answer says
    "more than" (total_exact false) and the pages still run on while they come back full."""
    for name in ("Carers Forum", "Older People's Forum", "Young Carers Forum"):
        api.establish(name)
    monkeypatch.setattr(importlib.import_module("projections.queries.audit"), "COUNT_LIMIT", 2)
    first = api.get("/api/v1/audit?per_page=2", who="auditor").get_json()
    assert (first["total"], first["total_exact"], first["pages"], len(first["items"])) == (2, False, 1, 2)
    rest = api.get("/api/v1/audit?per_page=2&page=2", who="auditor").get_json()
    assert [e["subject_name"] for e in rest["items"]] == ["Carers Forum"]
    narrow = api.get("/api/v1/audit?body=" + first["items"][0]["subject_id"], who="auditor").get_json()
    assert (narrow["total"], narrow["total_exact"]) == (1, True)
