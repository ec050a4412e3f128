"""One policy for what the public sees of a meeting of a body not open to the public: nothing at all.

The public pages, the API without a token and the calendar feeds all read it from the same query
(projections/queries/calendar.py); an officer still sees the meeting everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask

from application.authority import Role
from application.bootstrap import Services, build
from application.commands.bodies import EstablishBody
from application.commands.meetings import ScheduleMeeting
from application.settings import Settings, sqlite_url
from domain.actor import Actor
from domain.body import Decision
from tests.conftest import Clock
from web import create_app

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def two_meetings(tmp_path: Path) -> Iterator[tuple[Flask, Services, UUID, UUID]]:
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    services = build(settings, clock=Clock(TODAY))
    ids = []
    for name, open_to_public in (("Carers Forum", True), ("Provider Board", False)):
        body = services.dispatcher.execute(
            EstablishBody,
            OFFICER,
            name=name,
            kind="consultative_group" if open_to_public else "partnership_board",
            open_to_public=open_to_public,
            decision=Decision(reason="for the test"),
        ).subject_id
        meeting = services.dispatcher.execute(
            ScheduleMeeting, OFFICER, subject_id=body, meeting_date=date(2026, 5, 12), start_time=time(14), place="Hall"
        ).subject_id
        ids.append(meeting)
    services.refresh()
    services.users.create("officer", name="Priya Officer", email="priya@council.test", role=Role.PARTNERSHIP_OFFICER)
    app = create_app({"TESTING": True, "DEVELOPMENT": True}, services=services)
    yield app, services, ids[0], ids[1]
    services.close()


def test_the_public_sees_nothing_of_a_meeting_it_may_not_attend(
    two_meetings: tuple[Flask, Services, UUID, UUID],
) -> None:
    app, services, open_meeting, closed_meeting = two_meetings
    client = app.test_client()
    # The web pages.
    listing = client.get("/public/meetings").get_data(as_text=True)
    assert "Carers Forum" in listing and "Provider Board" not in listing
    assert client.get(f"/public/meetings/{open_meeting}").status_code == 200
    assert client.get(f"/public/meetings/{closed_meeting}").status_code == 404
    # The API without a token.
    calendar = client.get("/api/v1/meetings").get_json()
    assert [m["id"] for m in calendar["items"]] == [str(open_meeting)]
    assert client.get(f"/api/v1/meetings/{closed_meeting}").status_code == 404
    # The feeds.
    feed = client.get("/calendar.ics").get_data(as_text=True)
    assert "Carers Forum" in feed and "Provider Board" not in feed
    # An officer with a token sees both.
    token = services.users.issue_token("officer", "test")
    signed_in = client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert {m["id"] for m in signed_in["items"]} == {str(open_meeting), str(closed_meeting)}
