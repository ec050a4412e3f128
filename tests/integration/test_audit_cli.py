"""``partnership-hub audit verify`` on a real SQLite file: exit 0 with the count and the head, exit 1
naming the first event tampered with, and a published head checked with --head."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from application.hub import PartnershipHub
from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR, Settings
from web.cli import cli


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv(DATABASE_URL_VAR, url)
    monkeypatch.setenv(FILES_DIR_VAR, str(tmp_path / "files"))
    return url


def test_verify_prints_the_count_and_head_then_names_an_edited_event(url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["import-bodies"]).exit_code == 0
    clean = runner.invoke(cli, ["audit", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "Record verified: 134 events, head 134:" in clean.output
    head = clean.output.split("head ")[1].split()[0]
    assert runner.invoke(cli, ["audit", "verify", "--head", head]).exit_code == 0

    hub = PartnershipHub(Settings.for_url(url))
    table = hub.recorder.events_table
    with hub.recorder.datastore.engine.begin() as connection:
        state = connection.execute(table.select().where(table.c.id == 12)).one().state
        connection.execute(
            update(table)
            .where(table.c.id == 12)
            .values(state=state.replace(b'"actor":"importer"', b'"actor":"director"'))
        )
    hub.close()
    tampered = runner.invoke(cli, ["audit", "verify"])
    assert tampered.exit_code == 1
    assert "the record does not verify: event 12" in tampered.output
    assert "was edited" in tampered.output


def test_a_malformed_head_is_refused_saying_how_to_write_it(url: str) -> None:
    result = CliRunner().invoke(cli, ["audit", "verify", "--head", "84"])
    assert result.exit_code == 2
    assert "give it as POSITION:HASH" in result.output
