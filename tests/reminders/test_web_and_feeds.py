"""The reminders pages and the iCalendar feeds through the Flask test client; every feed is read back
with vobject, a second iCalendar parser independent of the icalendar library that wrote it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
import vobject
from flask import Flask
from flask.testing import FlaskClient

from application.bootstrap import build
from application.settings import Settings
from domain.body import Decision
from domain.vocabulary import BodyKind
from projections.reminders import reminders_for_user
from tests.conftest import Clock
from tests.reminders.conftest import ESTABLISHED, OFFICER, add_people
from web import create_app

TODAY = date(2026, 3, 2)


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    services = build(Settings.for_url(url, files_dir=tmp_path / "files"), clock=clock)
    add_people(services.users)
    for user_id in ("officer", "officer2"):
        services.users.set_password(user_id, "a long enough password")
    hub = services.hub
    group = hub.establish_body(
        OFFICER,
        name="Feed Test Group",
        kind=BodyKind.CONSULTATIVE_GROUP,
        decision=Decision(reason="for the feed tests", effective_date=ESTABLISHED),
    )
    board = hub.establish_body(
        OFFICER,
        name="Closed Door Board",
        kind=BodyKind.PARTNERSHIP_BOARD,
        decision=Decision(reason="for the feed tests", effective_date=ESTABLISHED),
        open_to_public=False,
    )
    hub.schedule_meeting(OFFICER, group, meeting_date=date(2026, 3, 16), start_time=time(14), place="Civic Centre")
    cancelled = hub.schedule_meeting(OFFICER, group, meeting_date=date(2026, 9, 14), start_time=time(10), place="Hall")
    hub.cancel_meeting(OFFICER, cancelled, reason="no quorum")
    hub.schedule_meeting(OFFICER, board, meeting_date=date(2026, 3, 18), start_time=time(9, 30), place="Room 2")
    flask_app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "DEVELOPMENT": True},
        services=services,
    )
    from application.reminders.commands import ReminderCommands

    ReminderCommands(services.hub, services.read_models, services.users).scan(today=TODAY)
    flask_app.config["group_id"] = group
    flask_app.config["board_id"] = board
    yield flask_app
    services.close()


def _sign_in(client: FlaskClient, user_id: str = "officer") -> None:
    response = client.post("/sign-in", data={"user_id": user_id, "password": "a long enough password"})
    assert response.status_code == 302


def _parse(data: bytes) -> vobject.base.Component:
    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.name == "VCALENDAR"
    return calendar


def test_the_public_feeds_carry_public_meetings_only(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = _parse(response.data).vevent_list
    summaries = sorted(e.summary.value for e in events)
    assert summaries == ["Feed Test Group meeting", "Feed Test Group meeting"]
    assert "Closed Door Board" not in response.data.decode()
    by_status = {e.status.value: e for e in events}
    assert set(by_status) == {"CONFIRMED", "CANCELLED"}
    confirmed = by_status["CONFIRMED"]
    assert confirmed.location.value == "Civic Centre"
    # 2 pm in London: GMT in March, British Summer Time in September (10 am there is 09:00 UTC).
    assert confirmed.dtstart.value.isoformat() == "2026-03-16T14:00:00+00:00"
    assert by_status["CANCELLED"].dtstart.value.isoformat() == "2026-09-14T09:00:00+00:00"
    assert confirmed.dtend.value.isoformat() == "2026-03-16T16:00:00+00:00"
    assert "Agenda and papers due by 9 March 2026" in confirmed.description.value
    # The same meeting keeps its UID whichever feed carries it.
    body = client.get(f"/bodies/{app.config['group_id']}/calendar.ics")
    assert {e.uid.value for e in _parse(body.data).vevent_list} == {e.uid.value for e in events}
    # A body whose meetings are not public has an empty public feed; an unknown body is a 404.
    closed = client.get(f"/bodies/{app.config['board_id']}/calendar.ics")
    assert closed.status_code == 200 and not hasattr(_parse(closed.data), "vevent")
    assert client.get("/bodies/00000000-0000-0000-0000-000000000000/calendar.ics").status_code == 404


def test_the_officers_feed_has_every_meeting(app: Flask) -> None:
    from projections.ical_feeds import framework_feed

    with app.extensions["partnership_hub"].reading() as connection:
        data = framework_feed(connection, public_only=False)
    events = _parse(data).vevent_list
    assert len(events) == 3
    board = next(e for e in events if "Closed Door Board" in e.summary.value)
    assert "Not open to the public." in board.description.value
    assert board.dtstart.value.hour == 9 and board.dtstart.value.minute == 30


def test_the_reminders_page_lists_mine_and_marks_them_done(app: Flask) -> None:
    client = app.test_client()
    anonymous = client.get("/reminders")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/sign-in?next=")
    _sign_in(client)
    page = client.get("/reminders")
    assert page.status_code == 200
    text = page.data.decode()
    assert "govuk-table" in text and "Agenda and papers due" in text and "Feed Test Group meeting" in text
    forms = re.findall(r'action="(/reminders/[0-9a-f-]+/done)"', text)
    assert len(forms) == 3  # papers, election, annual review
    done = client.post(forms[0], data={"expected_version": "1"})
    assert done.status_code == 302
    after = client.get(done.location)
    assert "Marked done" in after.data.decode()
    assert len(re.findall(r'action="(/reminders/[0-9a-f-]+/done)"', after.data.decode())) == 2
    # Twice: refused with a clear message, not a crash.
    again = client.post(forms[0])
    assert again.status_code == 409 and "already marked done" in again.data.decode()
    # Someone else's reminder: forbidden.
    other = app.test_client()
    _sign_in(other, "officer2")
    theirs = re.findall(r'action="(/reminders/[0-9a-f-]+/done)"', other.get("/reminders").data.decode())
    assert client.post(theirs[0]).status_code == 403
    assert client.post("/reminders/00000000-0000-0000-0000-000000000000/done").status_code == 404


def test_preferences_are_saved_and_a_stale_form_is_refused(app: Flask) -> None:
    client = app.test_client()
    _sign_in(client)
    page = client.get("/reminders/preferences")
    version = re.search(r'name="expected_version" value="(\d+)"', page.data.decode())[1]
    bad = client.post("/reminders/preferences", data={"reminder_lead_days": "ninety", "expected_version": version})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.data.decode()
    saved = client.post(
        "/reminders/preferences",
        data={"reminder_lead_days": "10", "email_reminders": "yes", "expected_version": version},
    )
    assert saved.status_code == 302
    user = app.extensions["partnership_hub"].users.require("officer")
    assert (user.reminder_lead_days, user.email_reminders) == (10, True)
    # The same (now stale) version again: a conflict, shown clearly, nothing saved.
    stale = client.post("/reminders/preferences", data={"reminder_lead_days": "3", "expected_version": version})
    assert stale.status_code == 409
    assert "changed somewhere else" in stale.data.decode() and "govuk-error-summary" in stale.data.decode()
    assert app.extensions["partnership_hub"].users.require("officer").reminder_lead_days == 10
    off = client.post("/reminders/preferences", data={"reminder_lead_days": "3", "expected_version": user.version})
    assert off.status_code == 302
    assert app.extensions["partnership_hub"].users.require("officer").email_reminders is False


def test_the_personal_deadlines_feed_needs_its_key_not_a_cookie(app: Flask) -> None:
    client = app.test_client()
    _sign_in(client)
    made = client.post("/reminders/feed-key")
    feed_url = re.search(r'id="feed-url">([^<]+)<', made.data.decode())[1]
    path = feed_url.replace("http://localhost", "")
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    events = _parse(response.data).vevent_list
    assert len(events) == 3
    papers = next(e for e in events if e.summary.value.startswith("Agenda and papers due"))
    assert papers.dtstart.value == date(2026, 3, 9)
    # A new key replaces the old one, which stops working at once; a made-up key finds nothing.
    client.post("/reminders/feed-key")
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/reminders/feeds/nonsense.ics").status_code == 404


def test_a_reminder_emailed_after_the_page_was_opened_can_still_be_marked_done(app: Flask) -> None:
    """The e-mail going out (Claimed, Sent) moves the reminder's version on, but it is not a change anyone
    made to it: "Mark done" on a page opened before the e-mail went must work, not report a conflict."""
    from application.reminders.outbox import MailSender
    from application.reminders.smtp import SmtpSettings
    from tests.reminders.smtp_sink import SmtpSink

    client = app.test_client()
    _sign_in(client)
    page = client.get("/reminders").data.decode()
    action = re.findall(r'action="(/reminders/[0-9a-f-]+/done)"', page)[0]
    version = re.search(r'name="expected_version" value="(\d+)"', page)[1]
    services = app.extensions["partnership_hub"]
    smtp = SmtpSink().start()
    try:
        sender = MailSender(services.hub, services.read_models, services.users, SmtpSettings(port=smtp.port))
        assert sender.send_due().sent > 0
    finally:
        smtp.stop()
    done = client.post(action, data={"expected_version": version})
    assert done.status_code == 302, done.data.decode()
    assert "Marked done" in client.get(done.location).data.decode()
    # Marking it done twice is still refused, saying when it was done.
    again = client.post(action, data={"expected_version": version})
    assert again.status_code == 409 and "already marked done" in again.data.decode()


def test_the_deadlines_feed_shows_each_deadline_once(app: Flask) -> None:
    """Once the papers are overdue the person has the "due" and the "overdue" reminder of one deadline;
    their calendar should show that deadline once (as overdue), not twice on the same day."""
    from application.reminders.commands import ReminderCommands

    services = app.extensions["partnership_hub"]
    ReminderCommands(services.hub, services.read_models, services.users).scan(today=date(2026, 3, 10))
    client = app.test_client()
    _sign_in(client)
    with services.reading() as connection:
        rules = {i["rule"] for i in reminders_for_user(connection, "officer") if i["subject_type"] == "meeting"}
    assert rules == {"papers_due", "papers_overdue"}
    made = client.post("/reminders/feed-key")
    path = re.search(r'id="feed-url">([^<]+)<', made.data.decode())[1].replace("http://localhost", "")
    events = _parse(app.test_client().get(path).data).vevent_list
    papers = [e for e in events if "Feed Test Group meeting" in e.summary.value]
    assert [(e.summary.value.split(":")[0], e.dtstart.value) for e in papers] == [
        ("Agenda and papers overdue", date(2026, 3, 9))
    ]
