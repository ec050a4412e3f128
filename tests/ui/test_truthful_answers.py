"""Answers tell the truth: a change that was saved is never answered "nothing was saved".

Real app, real SQLite file, TESTING off (so the app's own error handling answers, as in production).
Failures are injected into the real parts at the point under test: a read model's handler (so the lists
do not reach the save), the store right after it saved, a page before anything was saved; and the lists'
worker is stopped, so a write's wait runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from application.bootstrap import Services, build
from application.settings import Settings, sqlite_url
from application.users import Users, ensure_demo_users
from tests.conftest import Clock
from tests.ui.conftest import csrf_token, signed_in
from web import create_app

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = {"name": "Carers Forum", "kind": "consultative_group", "reason": "set up for the test"}


@pytest.fixture
def production_app(tmp_path: Path) -> Iterator[tuple[Flask, Services]]:
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    services = build(settings, clock=Clock(TODAY))
    ensure_demo_users(Users(settings.database_url))
    app = create_app({"DEVELOPMENT": True, "TESTING": False}, services=services)
    yield app, services
    services.close()


def _events(services: Services) -> int:
    return services.hub.recorder.max_notification_id() or 0


def _token(services: Services, user_id: str = "officer") -> dict[str, str]:
    return {"Authorization": f"Bearer {services.users.issue_token(user_id, 'test')}"}


def _read_models_fail(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The directory's handler breaks: it stops on the next event, and writes are not waited for by it."""

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the directory cannot store this")

    monkeypatch.setattr(services.read_models.projections["directory"], "handle", broken)


def test_an_api_write_whose_lists_cannot_catch_up_is_answered_as_saved(
    production_app: tuple[Flask, Services], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app, services = production_app
    _read_models_fail(services, monkeypatch)
    with caplog.at_level(logging.WARNING):
        response = app.test_client().post("/api/v1/bodies", json=BODY, headers=_token(services))
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert (answer["version"], answer["created"], answer["record"]) == (1, True, None)
    # The directory, which holds bodies, has stopped on this very event: no stale record, "behind".
    assert response.headers["ETag"] == '"1"' and response.headers["Hub-Read-Models"] == "behind"
    assert "saved" in answer["detail"] and answer["position"] == _events(services)
    assert response.headers["Location"] == f"/api/v1/bodies/{answer['id']}"
    assert "read model directory failed on event" in caplog.text
    assert "the directory cannot store this" in caplog.text and "Traceback" in caplog.text


def test_a_form_whose_lists_cannot_catch_up_says_the_change_was_saved(
    production_app: tuple[Flask, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, services = production_app
    client = signed_in(app, "officer")
    token = csrf_token(client, "/bodies/new")
    _read_models_fail(services, monkeypatch)
    form = {"csrf_token": token, "name": "Carers Forum", "kind": "consultative_group", "reason": "for the test"}
    response = client.post("/bodies/new", data=form)
    assert response.status_code == 302 and _events(services) == 1
    monkeypatch.undo()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your change was saved" in page


def test_a_command_that_fails_after_saving_is_answered_as_saved(
    production_app: tuple[Flask, Services], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app, services = production_app
    hub = services.hub
    real_save = hub._save

    def save_then_fail(*aggregates: Any) -> Any:
        real_save(*aggregates)
        raise OSError("disk full after the commit")

    monkeypatch.setattr(hub, "_save", save_then_fail)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/api/v1/bodies", json=BODY, headers=_token(services))
    assert response.status_code == 500
    problem = response.get_json()
    assert problem["saved"] is True and problem["version"] == 1 and problem["position"] == _events(services) == 1
    assert "nothing was saved" not in problem["detail"] and "Your change was saved" in problem["detail"]
    assert problem["request_id"] == response.headers["X-Request-Id"] and problem["request_id"] in caplog.text
    assert "disk full after the commit" in caplog.text


def test_an_error_before_anything_is_saved_says_so_with_a_reference(
    production_app: tuple[Flask, Services], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app, services = production_app

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the event store went away")

    monkeypatch.setattr(services.hub, "_save", broken)
    with caplog.at_level(logging.ERROR):
        api = app.test_client().post("/api/v1/bodies", json=BODY, headers=_token(services))
    assert api.status_code == 500 and _events(services) == 0
    assert "nothing was saved" in api.get_json()["detail"] and api.get_json()["request_id"] in caplog.text
    assert "Traceback" in caplog.text and "the event store went away" in caplog.text

    client = signed_in(app, "officer")
    form = {"csrf_token": csrf_token(client, "/bodies/new"), "name": "A Forum", "kind": "subgroup", "reason": "r"}
    page = client.post("/bodies/new", data=form)
    assert page.status_code == 500
    html = page.get_data(as_text=True)
    assert "nothing was saved" in html and page.headers["X-Request-Id"] in html


def test_a_write_the_lists_do_not_reach_in_time_is_answered_as_saved_and_updating(tmp_path: Path) -> None:
    """No worker keeps the read models (FOLLOW_READ_MODELS off, and no `projections run`): the write waits
    its deadline, then answers with what it saved."""
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    services = build(replace(settings, read_model_wait=0.3), clock=Clock(TODAY))
    try:
        ensure_demo_users(Users(settings.database_url))
        app = create_app({"DEVELOPMENT": True, "FOLLOW_READ_MODELS": False}, services=services)
        response = app.test_client().post("/api/v1/bodies", json=BODY, headers=_token(services))
        assert response.status_code == 201 and response.headers["Hub-Read-Models"] == "updating"
        assert response.get_json()["record"] is None and _events(services) == 1
        client = signed_in(app, "officer")
        form = {"csrf_token": csrf_token(client, "/bodies/new"), "name": "A Forum", "kind": "subgroup", "reason": "r"}
        page = client.post("/bodies/new", data=form, follow_redirects=True).get_data(as_text=True)
        assert "Your change was saved. Some lists may take a moment to show it." in page
        assert set(services.read_models.lag().values()) == {2}  # nobody projected: not the request either
    finally:
        services.close()
