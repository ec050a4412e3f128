"""The scheduler verifies the record once a day: a sound record keeps its head (the audit page's
"Record verified to event N"), a broken one is logged as an error naming the event."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import update

from application.commands import Dispatcher
from application.importer import import_framework
from application.reminders.scheduler import ReminderRuntime
from application.reminders.smtp import SmtpSettings
from application.settings import Settings, sqlite_url


def test_the_verify_job_keeps_the_head_or_logs_the_fault(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    runtime = ReminderRuntime.create(settings, SmtpSettings(host="127.0.0.1", port=1))
    try:
        import_framework(Dispatcher(runtime.hub))
        assert runtime.hub.last_verified() is None
        with caplog.at_level(logging.INFO, logger="application.reminders.scheduler"):
            assert runtime.verify().ok
        position, head, _when = runtime.hub.last_verified()
        assert position == 134
        assert f"record verified: 134 events, head {position}:{head}" in caplog.text

        table = runtime.hub.recorder.events_table
        with runtime.hub.recorder.datastore.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == 7).values(topic="domain.body:Body.Ended"))
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="application.reminders.scheduler"):
            assert not runtime.verify().ok
        assert "the record does not verify: event 7" in caplog.text
    finally:
        runtime.close()
