"""Issue 16, the officer's day, through the Flask test client: opening /reminders raises the person's reminders
due today (the scheduler's scan, for them alone, at most once a minute), and a deadline met shows as done."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.bootstrap import Services, build
from application.settings import Settings
from domain.body import Decision
from domain.vocabulary import BodyKind
from projections.reminders import reminders_for_user
from tests.conftest import Clock
from tests.reminders.conftest import ESTABLISHED, OFFICER, add_people
from web import create_app
from web.feeds import SCAN_ON_OPEN_SECONDS


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    services = build(Settings.for_url(url, files_dir=tmp_path / "files"), clock=clock)
    add_people(services.users)
    services.users.set_password("officer", "a long enough password")
    group = services.hub.establish_body(
        OFFICER,
        name="Open Page Group",
        kind=BodyKind.CONSULTATIVE_GROUP,
        decision=Decision(reason="for the page tests", effective_date=ESTABLISHED),
    )
    flask_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DEVELOPMENT": True}, services=services)
    flask_app.config["group_id"] = group
    yield flask_app
    services.close()


def _services(app: Flask) -> Services:
    return app.extensions["partnership_hub"]


def _signed_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"user_id": "officer", "password": "a long enough password"})
    assert response.status_code == 302
    return client


def _pending(app: Flask, user_id: str) -> list[str]:
    services = _services(app)
    services.refresh()
    with services.reading() as connection:
        return [i["rule"] for i in reminders_for_user(connection, user_id)]


def test_opening_the_page_raises_todays_reminders_for_that_person_only(app: Flask, clock: Clock) -> None:
    services = _services(app)
    meeting = services.hub.schedule_meeting(
        OFFICER, app.config["group_id"], meeting_date=date(2026, 3, 16), start_time=time(14), place="Hall"
    )
    assert _pending(app, "officer") == []  # no scheduler has run
    client = _signed_in(app)
    page = client.get("/reminders").get_data(as_text=True)
    assert "Agenda and papers due" in page and "Open Page Group meeting on 16 March 2026" in page
    assert "papers_due" in _pending(app, "officer")
    assert _pending(app, "officer2") == []  # another officer's are theirs to open, or the scheduler's

    # Opened again straight away: the same list, nothing raised twice; a new deadline waits a minute.
    other = services.hub.establish_body(
        OFFICER,
        name="Second Group",
        kind=BodyKind.CONSULTATIVE_GROUP,
        decision=Decision(reason="for the page tests", effective_date=ESTABLISHED),
    )
    second = services.hub.schedule_meeting(
        OFFICER, other, meeting_date=date(2026, 3, 13), start_time=time(14), place="Hall"
    )
    services.refresh()
    assert "meeting on 13 March 2026" not in client.get("/reminders").get_data(as_text=True)
    clock.advance(seconds=SCAN_ON_OPEN_SECONDS + 1)
    assert "meeting on 13 March 2026" in client.get("/reminders").get_data(as_text=True)
    assert _pending(app, "officer").count("papers_due") == 2

    # The agenda goes out: the reminder leaves the open list and shows as done, with what met it.
    services.hub.add_agenda_item(OFFICER, meeting, title="Welcome")
    services.hub.publish_agenda(OFFICER, meeting)
    services.refresh()
    page = client.get("/reminders").get_data(as_text=True)
    assert "meeting on 16 March 2026" not in page and "meeting on 13 March 2026" in page
    everything = client.get("/reminders?show=all").get_data(as_text=True)
    assert "Done: agenda published" in everything
    assert second  # still open: its agenda is not out


def test_the_page_opens_for_someone_with_nothing_due(app: Flask) -> None:
    client = _signed_in(app)
    response = client.get("/reminders")
    assert response.status_code == 200
    assert _pending(app, "officer2") == []
