"""The meeting pages under the Flask client: a third ordinary meeting refused with the rule, the annual
planner's preview and confirmation, and a meeting's stage with only the actions that fit it offered."""

from __future__ import annotations

import io
import re
from datetime import date, time
from uuid import UUID

from flask import Flask

from application.authority import Role
from domain.actor import Actor
from domain.body import Decision
from tests.ui.conftest import TODAY, csrf_token, signed_in
from web.services import Services

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER, "Priya Officer")


def _services(app: Flask) -> Services:
    return app.extensions["partnership_hub"]


def _events(app: Flask) -> int:
    return _services(app).hub.recorder.max_notification_id() or 0


def _caught_up(app: Flask) -> None:
    """The read models have every event recorded so far (the commands above went straight to the hub)."""
    services = _services(app)
    assert services.read_models.wait_for(services.hub.recorder.max_notification_id() or 0, timeout=30) == []


def _new_body(app: Flask, name: str, kind: str) -> UUID:
    return _services(app).hub.establish_body(OFFICER, name=name, kind=kind, decision=Decision("New"))


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_a_third_ordinary_meeting_is_refused_naming_the_rule_and_the_dates(app: Flask) -> None:
    group = _new_body(app, "Cadence Test Group", "consultative_group")
    hub = _services(app).hub
    for day in (date(2029, 3, 1), date(2029, 9, 3)):
        hub.schedule_meeting(OFFICER, group, meeting_date=day, start_time=time(14), place="Hall")
    client = signed_in(app, "officer")
    _caught_up(app)
    path = f"/bodies/{group}/schedule-meeting"
    before = _events(app)
    fields = {
        "csrf_token": csrf_token(client, path),
        **_date_fields("meeting_date", date(2029, 6, 14)),
        "start_time": "14:00",
        "place": "Hall",
    }
    response = client.post(path, data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already has its 2 ordinary meetings in 2029 (1 March 2029 and 3 September 2029)" in html
    assert "(rule C1)" in html and 'href="#meeting_date' in html
    assert _events(app) == before
    # As an additional meeting it needs its reason (C2); with one it is scheduled.
    response = client.post(path, data={**fields, "additional": "yes", "lead_officer": "Jo Lead"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Say why the additional meeting is called" in html, re.findall(r"Error:</span>([^<]*)", html)
    response = client.post(
        path, data={**fields, "additional": "yes", "lead_officer": "Jo Lead", "additional_reason": "Urgent budget"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_planner_shows_a_preview_and_plans_only_when_confirmed(app: Flask) -> None:
    client = signed_in(app, "officer")
    path = "/calendar/plan"
    fields = {"csrf_token": csrf_token(client, path), "year": "2030", "place": "Civic Centre", "start_time": ""}
    before = _events(app)
    preview = client.post(path, data=fields)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert _events(app) == before, "the preview saved nothing"
    found = re.search(r"Would create (\d+) meetings for (\d+) bodies in 2030", html)
    assert found, html
    meetings, bodies = int(found.group(1)), int(found.group(2))
    assert meetings == 2 * bodies > 0
    assert 'id="plan-preview"' in html and "Cadence Test Group" in html
    assert f"Create {meetings} meetings" in html

    confirmed = client.post(path, data={**fields, "confirmed": "yes"})
    assert confirmed.status_code == 302
    assert _events(app) == before + meetings
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert f"Created {meetings} meetings for {bodies} bodies in 2030" in page

    again = client.post(path, data=fields).get_data(as_text=True)
    assert "Would create 0 meetings for 0 bodies in 2030" in again
    assert f"{bodies} bodies already planned for 2030" in again
    assert 'id="nothing-to-plan"' in again and "Create 0 meetings" not in again
    assert _events(app) == before + meetings


def test_a_held_meeting_shows_its_stage_and_no_longer_offers_the_agenda(app: Flask) -> None:
    board = _new_body(app, "Stage Test Board", "partnership_board")
    meeting = _services(app).hub.schedule_meeting(
        OFFICER, board, meeting_date=TODAY.date(), start_time=time(18), place="Hall"
    )
    client = signed_in(app, "officer")
    _caught_up(app)
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Scheduled" in page and "Add an agenda item" in page
    path = f"/meetings/{meeting}/record-meeting-held"
    assert f'href="{path}"' in page
    version = _services(app).hub.meeting(meeting).version
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "expected_version": str(version)})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert re.search(r"<dd[^>]*>\s*Held\s*</dd>", page), page
    assert "Add an agenda item" not in page and "Attach a paper" not in page
    assert f'href="{path}"' not in page and "Record attendance" in page
    public = client.get(f"/public/meetings/{meeting}").get_data(as_text=True)
    assert "Going ahead" not in public


def test_attendance_is_ticked_from_the_members_and_the_quorum_shown(app: Flask) -> None:
    hub = _services(app).hub
    group = _new_body(app, "Register Test Group", "consultative_group")
    for member_id, person, role, side in (
        ("ann", "Ann Carer", "member", "carer"),
        ("bo", "Bo User", "member", "service_user"),
        ("cy", "Cy Agency", "agency_representative", "relevant_partner_agency"),
        ("di", "Di Voice", "member", "community"),
    ):
        hub.add_member(
            OFFICER,
            group,
            member_id=member_id,
            person=person,
            role=role,
            representation=side,
            effective_date=date(2026, 1, 5),
        )
    meeting = hub.schedule_meeting(OFFICER, group, meeting_date=TODAY.date(), start_time=time(18), place="Hall")
    client = signed_in(app, "officer")
    _caught_up(app)
    path = f"/meetings/{meeting}/record-attendance"
    form = client.get(path).get_data(as_text=True)
    # The members on the day, in the order they joined then by name, each with three choices.
    assert form.index("Ann Carer") < form.index("Bo User") < form.index("Cy Agency") < form.index("Di Voice")
    assert form.count('type="radio"') == 12 and "Cy Agency, agency representative (does not vote)" in form
    version = hub.meeting(meeting).version
    fields = {
        "csrf_token": csrf_token(client, path),
        "expected_version": str(version),
        "attendance-0": "present",
        "attendance-1": "apologies",
        "substitute-1": "Bo's sister",
        "attendance-2": "present",
        "guests": "Jo Nobody",
        "officers": "Pat Clerk",
    }
    missing = client.post(path, data=fields)
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert "Say whether Di Voice was present, sent apologies or was absent" in html
    assert 'value="Bo&#39;s sister"' in html or 'value="Bo\'s sister"' in html  # what was ticked and typed is kept
    assert re.search(r'value="apologies"\s+checked', html) or 'value="apologies" checked' in html
    done = client.post(path, data={**fields, "attendance-3": "absent"})
    assert done.status_code == 302, done.get_data(as_text=True)
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    # Voting: Ann, Bo, Di (Cy speaks for an agency); present: Ann and Bo's substitute. Quorum: 3.
    turnout = page[page.index('id="turnout"') :]
    assert "2 of 3" in turnout and "Not quorate" in turnout
    assert "Jo Nobody: Guest (does not count)" in page and "Pat Clerk: Officer in attendance" in page
    assert "Di Voice: Absent" in page


def test_a_matter_arising_is_closed_at_the_next_meeting_and_shown_on_both(app: Flask) -> None:
    hub = _services(app).hub
    clock = _services(app).hub.clock
    board = _new_body(app, "Matters Test Board", "partnership_board")
    earlier = hub.schedule_meeting(OFFICER, board, meeting_date=TODAY.date(), start_time=time(10), place="Hall")
    hub.record_meeting_held(OFFICER, earlier)
    hub.record_action(OFFICER, earlier, description="Book the large room", owner="Ann", due=date(2026, 4, 1))
    later = hub.schedule_meeting(OFFICER, board, meeting_date=date(2026, 3, 9), start_time=time(10), place="Hall")
    client = signed_in(app, "officer")
    clock.advance(days=7)  # type: ignore[attr-defined]
    _caught_up(app)
    try:
        page = client.get(f"/meetings/{later}").get_data(as_text=True)
        path = f"/meetings/{later}/close-matter-arising"
        assert f'href="{path}"' in page and "Book the large room" in page
        form = client.get(path).get_data(as_text=True)
        assert f'value="{earlier}/1"' in form
        response = client.post(
            path,
            data={
                "csrf_token": csrf_token(client, path),
                "expected_version": str(hub.meeting(later).version),
                "from_meeting_id": f"{earlier}/1",
                "note": "Booked for the whole year",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        later_page = client.get(f"/meetings/{later}").get_data(as_text=True)
        assert "Book the large room (Ann, set 2 Mar 2026): closed at this meeting, Booked for the whole year" in (
            later_page
        )
        earlier_page = client.get(f"/meetings/{earlier}").get_data(as_text=True)
        assert "closed at the meeting of 9 Mar 2026: Booked for the whole year" in earlier_page
    finally:
        clock.advance(days=-7)  # type: ignore[attr-defined]


def test_an_uploaded_paper_survives_a_failed_submission(app: Flask) -> None:
    hub = _services(app).hub
    board = _new_body(app, "Upload Test Board", "partnership_board")
    meeting = hub.schedule_meeting(OFFICER, board, meeting_date=date(2026, 4, 20), start_time=time(10), place="Hall")
    hub.add_agenda_item(OFFICER, meeting, title="Budget")
    client = signed_in(app, "officer")
    _caught_up(app)
    path = f"/meetings/{meeting}/attach-paper"
    fields = {
        "csrf_token": csrf_token(client, path),
        "expected_version": str(hub.meeting(meeting).version),
        "item": "1",
        "title": "Budget report",
        "summary": "",  # forgotten: the form fails on it
    }
    first = client.post(
        path,
        data={**fields, "file": (io.BytesIO(b"The budget, in plain words.\n"), "budget.txt")},
        content_type="multipart/form-data",
    )
    html = first.get_data(as_text=True)
    assert first.status_code == 400 and "summary" in html.lower()
    assert "File chosen: budget.txt" in html
    second = client.post(path, data={**fields, "summary": "What the council will spend."})
    assert second.status_code == 302, second.get_data(as_text=True)
    (paper,) = hub.meeting(meeting).papers.values()
    assert (paper.file.filename, paper.title) == ("budget.txt", "Budget report")
    # A fresh form starts with no file chosen.
    assert "File chosen" not in client.get(path).get_data(as_text=True)


def test_approval_offers_only_the_previous_meeting_with_published_unapproved_minutes(app: Flask) -> None:
    services = _services(app)
    hub = services.hub
    board = _new_body(app, "Approval Test Board", "partnership_board")
    first = hub.schedule_meeting(OFFICER, board, meeting_date=TODAY.date(), start_time=time(9), place="Hall")
    second = hub.schedule_meeting(OFFICER, board, meeting_date=TODAY.date(), start_time=time(11), place="Hall")
    third = hub.schedule_meeting(OFFICER, board, meeting_date=date(2026, 3, 3), start_time=time(9), place="Hall")
    client = signed_in(app, "officer")
    _caught_up(app)
    # Neither earlier meeting has minutes out: nothing to approve, so nothing offered.
    assert "approve-previous-minutes" not in client.get(f"/meetings/{third}").get_data(as_text=True)
    ref = hub.upload_file(OFFICER, b"Minutes.\n", "minutes.txt")
    for meeting in (first, second):
        hub.record_draft_minutes(OFFICER, meeting, file=ref)
        hub.clear_minutes(OFFICER, meeting, chair="Ann Chair")
        hub.publish_minutes(OFFICER, meeting)
    hub.clock.advance(days=1)  # type: ignore[attr-defined]
    _caught_up(app)
    try:
        form = client.get(f"/meetings/{third}/approve-previous-minutes").get_data(as_text=True)
        assert f'value="{second}"' in form and f'value="{first}"' not in form
    finally:
        hub.clock.advance(days=-1)  # type: ignore[attr-defined]


def test_a_past_meeting_is_recorded_afterwards_and_no_deadline_is_counted(app: Flask) -> None:
    group = _new_body(app, "Back Catalogue Group", "consultative_group")
    client = signed_in(app, "officer")
    _caught_up(app)
    path = f"/bodies/{group}/record-past-meeting"
    before = _events(app)
    fields = {
        "csrf_token": csrf_token(client, path),
        **_date_fields("meeting_date", date(2027, 1, 1)),
        "start_time": "14:00",
        "place": "Old Town Hall",
    }
    future = client.post(path, data=fields)
    assert future.status_code == 400 and "schedule the meeting instead" in future.get_data(as_text=True)
    assert _events(app) == before
    response = client.post(path, data={**fields, **_date_fields("meeting_date", date(2024, 6, 12))})
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting_path = response.headers["Location"]
    page = client.get(meeting_path).get_data(as_text=True)
    assert 'id="recorded-afterwards"' in page and "no deadline is counted against it" in page
    assert "Overdue" not in page
    # Its agenda and papers can still be recorded, long after the day.
    assert f'href="{meeting_path}/add-agenda-item"' in page and f'href="{meeting_path}/record-attendance"' in page
    assert f'href="{meeting_path}/move-meeting"' not in page
