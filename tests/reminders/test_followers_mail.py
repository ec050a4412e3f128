"""Following a body, by real e-mail through the scheduler's path (scan, then the mail outbox's sender, to a
real aiosmtpd server), on SQLite and PostgreSQL: subscribe -> confirmation e-mail -> confirm -> the agenda is
published -> a notice with a one-click unsubscribe (List-Unsubscribe, RFC 8058) -> unsubscribe deletes the
address, and nothing more is sent. Addresses are never in the event log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from application.followers import followers
from application.reminders.scheduler import ReminderRuntime
from application.reminders.smtp import SmtpSettings
from application.settings import Settings
from tests.conftest import Clock
from tests.reminders.smtp_sink import SmtpSink
from tests.support.public_body import OFFICER, build_public_body
from web import create_app

BASE = "http://hub.example"


@pytest.fixture
def runtime(database_url: str, clock: Clock, tmp_path: Path, smtp: SmtpSink) -> Iterator[ReminderRuntime]:
    settings = Settings.for_url(database_url, files_dir=tmp_path / "files")
    runtime = ReminderRuntime.create(
        settings, SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5.0, base_url=BASE), clock=clock
    )
    yield runtime
    runtime.close()


def _link(message: str, kind: str) -> str:
    found = re.search(rf"{re.escape(BASE)}(/public/follow/{kind}/\S+)", message)
    assert found, message
    return found.group(1)


def test_subscribe_confirm_notice_on_agenda_published_and_unsubscribe(
    runtime: ReminderRuntime, clock: Clock, smtp: SmtpSink
) -> None:
    services = runtime.services
    story = build_public_body(services.hub, clock)
    services.refresh()
    app = create_app({"TESTING": True, "DEVELOPMENT": True, "FOLLOW_READ_MODELS": False}, services=services)
    client = app.test_client()

    services.followers.subscribe(
        story.body_id, "Carers Forum", "jo@example.com", link=lambda t: f"{BASE}/public/follow/confirm/{t}"
    )
    runtime.send()
    assert len(smtp.received) == 1
    confirmation = smtp.received[0].message
    assert confirmation["To"] == "jo@example.com"
    assert confirmation["Subject"] == "Confirm that you want to follow Carers Forum"
    body = confirmation.get_content()
    assert "within 3 days" in body
    # Nothing is sent to an address not yet confirmed, even when the agenda is published.
    services.hub.publish_agenda(OFFICER, story.coming_meeting)
    runtime.scan()
    runtime.send()
    assert len(smtp.received) == 1

    # Confirmed: the next publication is told (the agenda published today counts, as the confirmation is today).
    confirm = _link(body, "confirm")
    page = client.get(confirm).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    assert client.post(confirm, data={"csrf_token": token.group(1)}).status_code == 200
    runtime.scan()
    runtime.send()
    assert len(smtp.received) == 2
    notice = smtp.received[1].message
    assert notice["Subject"].startswith("Agenda published: Carers Forum, ")
    assert f"{BASE}/public/meetings/{story.coming_meeting}" in notice.get_content()
    unsubscribe = _link(notice.get_content(), "unsubscribe")
    assert notice["List-Unsubscribe"] == f"<{BASE}{unsubscribe}>"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second scan queues nothing twice.
    runtime.scan()
    runtime.send()
    assert len(smtp.received) == 2

    # The address is in its own table and never in an event.
    with services.users.engine.connect() as connection:
        events = connection.execute(select(services.hub.recorder.events_table.c.state)).all()
    assert events and not any(b"jo@example.com" in bytes(row[0]) for row in events)

    # One click from the mail client (RFC 8058): a POST with no form token; the address is deleted.
    response = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with services.users.engine.connect() as connection:
        assert connection.execute(select(followers)).first() is None
    runtime.scan()
    runtime.send()
    assert len(smtp.received) == 2


def test_a_notice_waits_while_the_mail_server_is_down_and_goes_when_it_is_back(
    runtime: ReminderRuntime, clock: Clock, smtp: SmtpSink
) -> None:
    services = runtime.services
    story = build_public_body(services.hub, clock)
    follower = services.followers.subscribe(story.body_id, "Carers Forum", "sam@example.org", link=lambda t: t)
    services.followers.confirm(services.followers.confirmation_token(follower.follower_id))
    services.hub.publish_agenda(OFFICER, story.coming_meeting)
    services.refresh()
    smtp.stop()
    runtime.scan()
    report = runtime.send()
    assert report.server_down and not smtp.received
    smtp.start()
    clock.advance(minutes=5)
    runtime.send()
    subjects = sorted(str(r.message["Subject"]) for r in smtp.received)
    assert len(subjects) == 2 and subjects[0].startswith("Agenda published")  # and the confirmation


def test_minutes_published_are_told_and_a_body_closed_to_the_public_tells_nobody(
    runtime: ReminderRuntime, clock: Clock, smtp: SmtpSink
) -> None:
    services, hub = runtime.services, runtime.services.hub
    story = build_public_body(hub, clock)
    closed = build_public_body(hub, clock, name="Closed Board", open_to_public=False)
    for body, address in ((story.body_id, "sam@example.org"), (closed.body_id, "kim@example.org")):
        follower = services.followers.subscribe(body, "a body", address, link=lambda t: t)
        services.followers.confirm(services.followers.confirmation_token(follower.follower_id))
    for meeting in (story.coming_meeting, closed.coming_meeting):
        hub.publish_agenda(OFFICER, meeting)
    clock.advance(days=22)
    for meeting in (story.coming_meeting, closed.coming_meeting):
        hub.record_meeting_held(OFFICER, meeting)
        hub.record_draft_minutes(OFFICER, meeting, file=hub.upload_file(OFFICER, b"minutes", "minutes.txt"))
        hub.clear_minutes(OFFICER, meeting)
        hub.publish_minutes(OFFICER, meeting)
    runtime.scan()
    runtime.send()
    notices = sorted(
        (str(r.message["To"]), str(r.message["Subject"]))
        for r in smtp.received
        if not str(r.message["Subject"]).startswith("Confirm")
    )
    # The agenda is more than a week old by now: only the minutes are told, and only of the public body.
    assert [to for to, _ in notices] == ["sam@example.org"], notices
    assert notices[0][1].startswith("Minutes published: Carers Forum, ")


def test_a_consultation_about_a_body_is_told_to_its_followers_once(
    runtime: ReminderRuntime, clock: Clock, smtp: SmtpSink
) -> None:
    services, hub = runtime.services, runtime.services.hub
    story = build_public_body(hub, clock)
    follower = services.followers.subscribe(story.body_id, "Carers Forum", "lee@example.org", link=lambda t: t)
    services.followers.confirm(services.followers.confirmation_token(follower.follower_id))
    hub.add_panel_member(OFFICER, name="Pat Panel", email="pat@example.org", consent_on=clock().date())
    today = clock().date()
    consultation = hub.draft_consultation(
        OFFICER, title="Evening meetings", summary="Should the forum meet in the evening?", concerns="Carers",
        body_id=story.body_id, opens_on=today, closes_on=today + timedelta(days=21),
    )  # fmt: skip
    hub.add_question(OFFICER, consultation, question="Which suits you?", kind="free_text")
    hub.publish_consultation(OFFICER, consultation)
    services.refresh()
    for _ in range(2):  # a second scan queues nothing twice
        runtime.scan()
        runtime.send()
    told = [r.message for r in smtp.received if str(r.message["To"]) == "lee@example.org"]
    subjects = [str(m["Subject"]) for m in told]
    assert subjects.count("Consultation published: Evening meetings") == 1, subjects
    notice = next(m for m in told if m["Subject"] == "Consultation published: Evening meetings")
    assert f"{BASE}/public/consultations/{consultation}" in notice.get_content()
    assert notice["List-Unsubscribe"]
