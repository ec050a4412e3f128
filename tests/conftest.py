"""Fixtures shared by every test: a real SQLite file or a real PostgreSQL server, and a clock."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from application.hub import PartnershipHub
from application.settings import Settings
from projections.runner import ReadModels
from tests.support.postgres import PostgresServer

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    # Fails (never skips) when PostgreSQL is missing: the error says what to install.
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{next(_db_counter)}")


class Clock:
    """The application's time source, moved by the test (the domain never reads a clock)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)  # every event gets a distinct, increasing time
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def hub(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[PartnershipHub]:
    app = PartnershipHub(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=clock)
    yield app
    app.close()


def read_models_of(hub: PartnershipHub) -> ReadModels:
    """The read models that follow ``hub``'s log, where its settings keep them (as the composition root builds them)."""
    return ReadModels(hub, hub.settings.read_model_url)
