"""The partnership-hub command, run against a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR
from projections.runner import READ_MODELS
from web.app import ENVIRONMENT_VAR
from web.cli import cli


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv(DATABASE_URL_VAR, f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv(FILES_DIR_VAR, str(tmp_path / "files"))
    monkeypatch.setenv(ENVIRONMENT_VAR, "development")  # as `make run` runs the demo
    return CliRunner()


def test_demo_sets_up_imports_seeds_and_shows_history(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["demo", "--bodies", "5"])
    assert result.exit_code == 0, result.output
    assert "36 bodies established" in result.output
    assert "Demo: 5 bodies" in result.output
    assert "Replaced by Carers Strategy" in result.output

    again = runner.invoke(cli, ["demo", "--bodies", "5"])
    assert again.exit_code == 0, again.output
    assert "0 bodies established" in again.output
    assert "already present" in again.output


def test_history_of_an_unknown_body_says_so(runner: CliRunner) -> None:
    runner.invoke(cli, ["init"])
    result = runner.invoke(cli, ["history", "No Such Group"])
    assert result.exit_code != 0
    assert "no body named" in result.output


def test_import_of_a_missing_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import-bodies", "--file", str(tmp_path / "missing.json")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_projections_status_and_rebuild(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["import-bodies"]).exit_code == 0
    status = runner.invoke(cli, ["projections", "status"])
    assert status.exit_code == 0, status.output
    # 84 changes, and for each of the report's 25 recommendations its proposal and the decision on it (F4).
    assert "134 events in the log" in status.output
    assert re.search(r"directory +134 events behind", status.output)
    rebuilt = runner.invoke(cli, ["projections", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    names = ", ".join(cls.name for cls in READ_MODELS)
    assert f"Rebuilt {names} from 134 events" in rebuilt.output
    after = runner.invoke(cli, ["projections", "status"])
    assert "directory         0 events behind" in after.output


def test_projections_worker_runs_for_a_bounded_time(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["import-bodies"]).exit_code == 0
    result = runner.invoke(cli, ["projections", "run", "--seconds", "0.5"])
    assert result.exit_code == 0, result.output
    assert "'directory': 0" in result.output
