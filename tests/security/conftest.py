"""The app for the security tests: the real app factory over a real SQLite file (or PostgreSQL), with the
imported framework, a little demo data and one account per role; CSRF on, sessions and sign-in
throttling on their own clock, which a test may move (the record's "today" is the hub's clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.bootstrap import Services, build
from application.importer import import_framework
from application.settings import Settings, sqlite_url
from application.users import DEMO_PASSWORD_SUFFIX, ensure_demo_users
from demo.seed import seed_demo
from tests.conftest import Clock
from web import create_app

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Hub:
    app: Flask
    services: Services
    wall: Clock  # the sessions' and the sign-in throttle's clock

    def client(self, **kwargs: Any) -> FlaskClient:
        return self.app.test_client(**kwargs)

    def sign_in(self, user_id: str, password: str | None = None, client: FlaskClient | None = None) -> FlaskClient:
        client = client or self.client()
        response = sign_in(client, user_id, password or user_id + DEMO_PASSWORD_SUFFIX)
        assert response.status_code == 302, f"{user_id} could not sign in: {response.status_code}"
        return client

    def token(self, user_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.services.users.issue_token(user_id, 'tests')}"}

    def events(self) -> int:
        return self.services.hub.recorder.max_notification_id() or 0


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, user_id: str, password: str, **kwargs: Any) -> Any:
    return client.post(
        "/sign-in",
        data={"user_id": user_id, "password": password, "csrf_token": csrf_token(client)},
        **kwargs,
    )


def make_hub(url: str, files: Path, *, development: bool = True, seed: bool = True) -> Hub:
    services = build(Settings.for_url(url, files_dir=files), clock=Clock(TODAY))
    wall = Clock(datetime.now(tz=UTC))
    services.sessions.clock = wall
    services.throttle.clock = wall
    if seed:
        import_framework(services.dispatcher)
        seed_demo(services.dispatcher, bodies=3, seed=2026, today=TODAY.date())
    ensure_demo_users(services.users)
    config = {"DEVELOPMENT": development, "SECRET_KEY": "tests"}
    app = create_app(config, services=services)
    return Hub(app, services, wall)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    root = tmp_path_factory.mktemp("security")
    made = make_hub(sqlite_url(root / "hub.sqlite3"), root / "files")
    yield made
    made.services.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Hub]:
    """A hub of one's own, for tests that lock accounts or end sessions."""
    made = make_hub(sqlite_url(tmp_path / "hub.sqlite3"), tmp_path / "files", seed=False)
    yield made
    made.services.close()
