"""A whole hub (the composition root) over a real SQLite file or PostgreSQL database, with a moving clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from application.bootstrap import Services, build
from application.settings import Settings
from domain.actor import Actor
from tests.conftest import Clock

OFFICER = Actor("officer", "partnership_officer", "Pat Officer")


@pytest.fixture
def panel_clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def services(database_url: str, panel_clock: Clock, tmp_path: Path) -> Iterator[Services]:
    built = build(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=panel_clock)
    yield built
    built.close()
