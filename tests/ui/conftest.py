"""The app under Flask's test client, over a real SQLite file with the imported framework, a little
demo data and one account per role. CSRF stays on: forms are posted with the token the page gave."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.authority import Role
from application.bootstrap import build
from application.importer import import_framework
from application.settings import Settings, sqlite_url
from application.users import DEMO_PASSWORD_SUFFIX, Users, ensure_demo_users
from demo.seed import seed_demo
from domain.actor import Actor
from domain.project import Brief
from tests.conftest import Clock
from web import create_app

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root: Path = tmp_path_factory.mktemp("ui")
    settings = Settings.for_url(sqlite_url(root / "hub.sqlite3"), files_dir=root / "files")
    services = build(settings, clock=Clock(TODAY))
    import_framework(services.dispatcher)
    seed_demo(services.dispatcher, bodies=4, seed=2026, today=TODAY.date())
    ensure_demo_users(Users(settings.database_url))
    commissioner = Actor("care-holder", Role.PORTFOLIO_HOLDER_CARE_SERVICES, "Cllr Alan Care")
    for lead in ("demo-lead-1", "demo-lead-2"):
        brief = Brief(
            aims_and_objectives="Review the offer.",
            outcomes="A revised offer.",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 12, 31),
            resources="Officer time",
            key_risks="Low take-up",
        )
        services.hub.commission_project(commissioner, title=f"Project of {lead}", lead=lead, brief=brief)
    app = create_app({"DEVELOPMENT": True}, services=services)
    yield app
    services.close()


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def signed_in(app: Flask, user_id: str | None) -> FlaskClient:
    client = app.test_client()
    if user_id is not None:
        response = client.post(
            "/sign-in",
            data={"user_id": user_id, "password": user_id + DEMO_PASSWORD_SUFFIX, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302, f"{user_id} could not sign in"
    return client
