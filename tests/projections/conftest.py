"""The app over a real store (SQLite file or PostgreSQL) with its read models' worker running, as served."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application import bootstrap
from application.bootstrap import Services
from application.settings import Settings
from web.app import create_app

OFFICER = "officer"
MEMBER = {"person": "Ann", "role": "member", "representation": "carer", "effective_date": "2026-03-02"}


@dataclass
class Served:
    app: Flask
    services: Services
    token: str
    url: str
    files: Path

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def head(self) -> int:
        return self.services.hub.recorder.max_notification_id() or 0


def serve(url: str, files: Path, *, wait: float = 10.0) -> Served:
    """The app as `partnership-hub serve` builds it (its worker thread on), over the store at ``url``.

    The write's deadline is long here: these tests are about what the answers say, not how fast."""
    settings = replace(Settings.for_url(url, files_dir=files), read_model_wait=wait)
    services = bootstrap.build(settings)
    if services.users.get(OFFICER) is None:
        services.users.create(OFFICER, name="Olive Officer", email="o@example.gov.uk", role="partnership_officer")
    token = services.users.issue_token(OFFICER, "tests")
    app = create_app({"TESTING": True, "DEVELOPMENT": True, "SECRET_KEY": "tests"}, services=services)
    return Served(app, services, token, url, files)


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    running = serve(database_url, tmp_path / "files")
    yield running
    running.services.close()
