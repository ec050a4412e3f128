"""The partnership-hub command, run against a real SQLite file."""

from __future__ import annotations

import json
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


def test_import_meetings_records_a_back_catalogue_once(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["import-bodies"]).exit_code == 0
    catalogue = {
        "meetings": [
            {
                "body": "Carers Forum",
                "date": "2014-06-12",
                "start_time": "14:00",
                "place": "Civic Centre",
                "agenda": [{"title": "Carers strategy", "purpose": "decision", "presenter": "Lead officer"}],
                "attendance": {"present": ["Ann Carer", "Bo User"], "guests": ["Jo Visitor"]},
                "decisions": [{"item": 1, "text": "The strategy was agreed."}],
                "actions": [{"description": "Publish the strategy", "owner": "Lead officer", "due": "2014-07-01"}],
            },
            {"body": "Carers Forum", "date": "2014-12-04", "start_time": "18:00", "place": "Library"},
            {"body": "No Such Group", "date": "2014-12-04", "start_time": "18:00", "place": "Library"},
            {"body": "Carers Forum", "date": "2099-12-04", "start_time": "18:00", "place": "Library"},
        ]
    }
    path = tmp_path / "meetings.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    first = runner.invoke(cli, ["import-meetings", str(path)])
    assert first.exit_code == 1, first.output  # two rows refused, each named
    assert "2 meetings recorded afterwards, 0 already there, 2 refused" in first.output
    assert "meeting 3: there is no body called 'No Such Group'" in first.output
    assert "meeting 4:" in first.output and "schedule the meeting instead" in first.output
    again = runner.invoke(cli, ["import-meetings", str(path)])
    assert "0 meetings recorded afterwards, 2 already there, 2 refused" in again.output
    events = re.search(r"Events: (\d+) -> (\d+)", again.output)
    assert events and events.group(1) == events.group(2)
