"""The issue's hostile requests, sent as a user would send them: through the JSON API and the UI's forms.

Each is refused with a 4xx that names the field (or says what is wrong with the body), nothing is
saved, and the service keeps serving: the next ordinary write is answered with its record, a fresh app
over the same store starts and catches up, and `partnership-hub projections rebuild` rebuilds every read
model from the log. Before the fix, the first of these (a meeting in 9999) stopped every read model for
good and every later write answered 500 "nothing was saved" although it was saved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from application.authority import Role
from application.bootstrap import Services, build
from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR, Settings
from tests.conftest import Clock
from tests.ui.conftest import csrf_token
from web import create_app
from web.cli import cli

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = {"name": "Carers Forum", "kind": "consultative_group", "reason": "named in the framework"}


@dataclass
class Store:
    url: str
    files: Path
    services: Services
    app: Flask
    api: FlaskClient
    token: dict[str, str]

    def events(self) -> int:
        return self.services.hub.recorder.max_notification_id() or 0


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    files = tmp_path / "files"
    services = build(Settings.for_url(database_url, files_dir=files), clock=Clock(TODAY))
    services.users.create("officer", name="Olive Officer", email="olive@council.test", role=Role.PARTNERSHIP_OFFICER)
    app = create_app({"TESTING": True, "DEVELOPMENT": True}, services=services)
    token = {"Authorization": f"Bearer {services.users.issue_token('officer', 'test')}"}
    yield Store(database_url, files, services, app, app.test_client(), token)
    services.close()


def _post(store: Store, path: str, body: Any, *, if_match: int | None = None, raw: str | None = None) -> Any:
    headers = dict(store.token)
    if if_match is not None:
        headers["If-Match"] = f'"{if_match}"'
    if raw is not None:
        return store.api.post(path, data=raw, content_type="application/json", headers=headers)
    return store.api.post(path, json=body, headers=headers)


def _refused(response: Any, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    if field is not None:
        assert field in response.get_json()["errors"], response.get_json()


def test_the_issues_requests_through_the_api_are_refused_and_the_service_goes_on(store: Store) -> None:
    body = _post(store, "/api/v1/bodies", BODY).get_json()
    meeting = _post(
        store,
        f"/api/v1/bodies/{body['id']}/meetings",
        {"meeting_date": "2026-06-09", "start_time": "14:00", "place": "Civic Centre"},
    ).get_json()
    before = store.events()

    hostile: list[tuple[str, Any, int | None, str | None, int, str | None]] = [
        # (path, JSON, If-Match, raw body, status, field named)
        (f"/api/v1/bodies/{body['id']}/meetings", {"meeting_date": "9999-12-20", "start_time": "14:00",
         "place": "Hall"}, None, None, 422, "meeting_date"),
        (f"/api/v1/meetings/{meeting['id']}/move", {"new_date": "9999-12-31", "new_start_time": "14:00",
         "new_place": "Hall", "reason": "r"}, meeting["version"], None, 422, "new_date"),
        (f"/api/v1/bodies/{body['id']}/changes/funding", None, body["version"],
         '{"annual_funding_pence": 1e400, "reason": "r"}', 422, "annual_funding_pence"),
        ("/api/v1/bodies", {**BODY, "name": "Listy", "accountability": ["Board"] * 100_000}, None, None, 422,
         "accountability"),
        ("/api/v1/bodies", {**BODY, "name": "Old Group", "kind": "task_and_finish_group", "until": "0001-01-01"},
         None, None, 422, "until"),
        (f"/api/v1/meetings/{meeting['id']}/agenda-items", {"title": "Budget\u0000"}, meeting["version"], None, 422,
         "title"),
        (f"/api/v1/meetings/{meeting['id']}/agenda-items", None, meeting["version"], '{"title": "\\ud800"}', 400,
         None),
        (f"/api/v1/bodies/{body['id']}/members", None, body["version"], "[" * 5_000 + "]" * 5_000, 400, None),
        (f"/api/v1/bodies/{body['id']}/members", None, body["version"], "[" * 100_000 + "]" * 100_000, 400, None),
    ]  # fmt: skip
    for path, sent, if_match, raw, status, field in hostile:
        _refused(_post(store, path, sent, if_match=if_match, raw=raw), status, field)
    assert store.events() == before, "a refused request saved something"

    # The service goes on: an ordinary write is answered with its record, the lists caught up.
    added = _post(store, f"/api/v1/meetings/{meeting['id']}/agenda-items", {"title": "Budget"}, if_match=1)
    assert added.status_code == 201 and added.get_json()["record"]["agenda"][0]["title"] == "Budget"
    assert set(store.services.read_models.lag().values()) == {0}

    # A fresh server over the same store starts and reads; a rebuild from the log succeeds.
    again = build(Settings.for_url(store.url, files_dir=store.files), clock=Clock(TODAY))
    try:
        fresh = create_app({"TESTING": True}, services=again).test_client()
        assert [b["name"] for b in fresh.get("/api/v1/bodies").get_json()["items"]] == ["Carers Forum"]
    finally:
        again.close()
    rebuilt = CliRunner().invoke(
        cli, ["projections", "rebuild"], env={DATABASE_URL_VAR: store.url, FILES_DIR_VAR: str(store.files)}
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"from {store.events()} events" in rebuilt.output


def test_the_issues_requests_through_the_forms_are_refused_against_their_fields(store: Store) -> None:
    body = _post(store, "/api/v1/bodies", BODY).get_json()
    client = store.app.test_client()
    with client.session_transaction() as session:
        session["sid"] = store.services.sessions.start("officer")
    token = csrf_token(client, f"/bodies/{body['id']}/schedule-meeting")
    before = store.events()

    far = {"meeting_date-day": "20", "meeting_date-month": "12", "meeting_date-year": "9999"}
    page = client.post(
        f"/bodies/{body['id']}/schedule-meeting",
        data={"csrf_token": token, **far, "start_time": "14:00", "place": "Hall"},
    )
    assert page.status_code == 400 and 'href="#meeting_date-day"' in page.get_data(as_text=True)

    huge = client.post(
        f"/bodies/{body['id']}/change-funding",
        data={"csrf_token": token, "expected_version": "1", "annual_funding_pence": "9" * 5_000, "reason": "r"},
    )
    assert huge.status_code == 400 and 'href="#annual_funding_pence"' in huge.get_data(as_text=True)

    nul = client.post(
        f"/bodies/{body['id']}/schedule-meeting",
        data={"csrf_token": token, "meeting_date-day": "9", "meeting_date-month": "6", "meeting_date-year": "2026",
              "start_time": "14:00", "place": "Hall\u0000"},
    )  # fmt: skip
    assert nul.status_code == 400 and 'href="#place"' in nul.get_data(as_text=True)
    assert store.events() == before
    # What was typed is kept, so the person can mend it.
    assert 'value="9999"' in page.get_data(as_text=True)


def test_a_hostile_request_is_logged_nowhere_as_a_server_error(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    """Every refusal above is an answer, not an exception: nothing reaches the error log."""
    body = _post(store, "/api/v1/bodies", BODY).get_json()
    _post(store, f"/api/v1/bodies/{body['id']}/meetings", {"meeting_date": "9999-12-20", "start_time": "14:00",
          "place": "Hall"})  # fmt: skip
    _post(store, "/api/v1/bodies", None, raw=json.dumps({"x": 1}) + "]" * 3)
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
