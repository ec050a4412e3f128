"""Export and import: the whole record out to one file and back, SQLite -> PostgreSQL -> SQLite, with
byte-identical exports and identical read models; refusals leave the store empty."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from application.bootstrap import Services, build
from application.chain import digest_of, link_hash
from application.importer import import_framework
from application.people import keys_path_for
from application.persistence import event_timeline
from application.record_file import RecordFileError, export_record, files_dir_for, import_record
from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR, Settings, sqlite_url
from demo.seed import seed_demo
from domain.actor import Actor
from domain.body import Decision
from tests.conftest import Clock
from tests.support.postgres import PostgresServer
from tests.support.tables import dump
from web.cli import cli

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OFFICER = Actor("officer-a", "partnership_officer")
_names = itertools.count()


def services_at(url: str, files: Path) -> Services:
    return build(Settings.for_url(url, files_dir=files), clock=Clock(TODAY))


def export_bytes(services: Services, path: Path) -> bytes:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        export_record(services.hub.recorder, services.files, out, files_dir_for(path), lambda n: None)
    keys_path_for(path).unlink(missing_ok=True)
    services.hub.people.write_keys(keys_path_for(path))  # the keys to people's names travel beside it
    return path.read_bytes()


def import_file(services: Services, path: Path) -> Any:
    with path.open(encoding="utf-8") as source:
        done = import_record(services.hub.recorder, services.files, source, files_dir_for(path), lambda n: None)
    if keys_path_for(path).exists():
        services.hub.people.read_keys(keys_path_for(path))
    return done


def read_models(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    services.refresh()
    return dump(services.read_models.engine)


@pytest.fixture
def source(tmp_path: Path) -> Any:
    services = services_at(sqlite_url(tmp_path / "a.sqlite3"), tmp_path / "files-a")
    import_framework(services.dispatcher)
    seed_demo(services.dispatcher, bodies=3, seed=2026, today=TODAY.date())
    services.files.put(b"Minutes of the first meeting.\n", "minutes.txt")
    yield services
    services.close()


@pytest.mark.postgres
def test_sqlite_to_postgresql_to_sqlite_gives_the_same_export_and_read_models(
    source: Services, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    first = export_bytes(source, tmp_path / "a.jsonl")
    header = json.loads(first.splitlines()[0])
    assert header["events"] == source.hub.recorder.max_notification_id() > 100
    assert header["files"] > 1  # the demo's papers and minutes, and ours
    assert header["head"] == source.hub.chain_head()

    postgres = services_at(postgres_server.create_database(f"record_{next(_names)}"), tmp_path / "files-b")
    back = services_at(sqlite_url(tmp_path / "c.sqlite3"), tmp_path / "files-c")
    try:
        assert import_file(postgres, tmp_path / "a.jsonl").events == header["events"]
        second = export_bytes(postgres, tmp_path / "b.jsonl")
        import_file(back, tmp_path / "b.jsonl")
        third = export_bytes(back, tmp_path / "c.jsonl")
        assert first == second == third
        # Every event carries the time it was recorded, and the import rebuilt the timeline index from it
        # (the "as at" pages read it).
        assert all(json.loads(line)["recorded_at"] for line in first.splitlines()[1 : header["events"] + 1])
        for store in (postgres, back):
            with store.hub.recorder.datastore.engine.connect() as connection:
                timeline = connection.execute(select(func.count()).select_from(event_timeline)).scalar()
            assert timeline == header["events"]
        assert postgres.hub.verify_record().ok and back.hub.verify_record().ok
        expected = read_models(source)
        assert read_models(postgres) == expected
        assert read_models(back) == expected
        ours = hashlib.sha256(b"Minutes of the first meeting.\n").hexdigest()
        assert (tmp_path / "files-c" / ours[:2] / ours).read_bytes() == b"Minutes of the first meeting.\n"
        # The imported store goes on: new events follow the imported positions, and the chain holds.
        body = postgres.hub.establish_body(
            OFFICER, name="After the move", kind="consultative_group", decision=Decision(reason="Moved")
        )
        assert body is not None
        verification = postgres.hub.verify_record()
        assert verification.ok and verification.head_position == header["events"] + 1
    finally:
        postgres.close()
        back.close()


def test_import_refuses_a_store_that_has_events(source: Services, tmp_path: Path) -> None:
    export_bytes(source, tmp_path / "a.jsonl")
    with pytest.raises(RecordFileError, match="this store already has events: import only into an empty store"):
        import_file(source, tmp_path / "a.jsonl")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda lines: _edit(lines, 40, '"actor":"importer"', '"actor":"director"'),
            "line 41: event 40's chain does not verify",
        ),
        (lambda lines: lines[:40] + lines[41:], "line 41: event 41's chain does not verify"),
        (lambda lines: lines[:-30], "it was cut short or changed; nothing was imported"),
        (lambda lines: [*lines[:10], "{not json\n", *lines[10:]], "line 11 is not JSON"),
    ],
    ids=["edited", "removed", "cut short", "garbled"],
)
def test_a_file_that_does_not_verify_is_refused_and_nothing_is_imported(
    source: Services, tmp_path: Path, damage: Any, message: str
) -> None:
    exported = export_bytes(source, tmp_path / "a.jsonl").decode().splitlines(keepends=True)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("".join(damage(exported)), encoding="utf-8")
    files_dir_for(damaged).symlink_to(files_dir_for(tmp_path / "a.jsonl"))
    target = services_at(sqlite_url(tmp_path / "t.sqlite3"), tmp_path / "files-t")
    try:
        with pytest.raises(RecordFileError, match=message):
            import_file(target, damaged)
        assert target.hub.recorder.max_notification_id() is None
        assert target.hub.chain_head() is None
    finally:
        target.close()


def _edit(lines: list[str], position: int, old: str, new: str) -> list[str]:
    event = json.loads(lines[position])
    assert old in event["state"]
    event["state"] = event["state"].replace(old, new)
    return [*lines[:position], json.dumps(event) + "\n", *lines[position + 1 :]]


def test_export_and_import_at_the_command_line(
    source: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv(DATABASE_URL_VAR, source.settings.database_url)
    monkeypatch.setenv(FILES_DIR_VAR, str(source.settings.files_dir))
    backup = tmp_path / "backup.jsonl"
    exported = runner.invoke(cli, ["export", str(backup)])
    assert exported.exit_code == 0, exported.output
    assert "uploaded files to" in exported.output and "(head " in exported.output
    again = runner.invoke(cli, ["export", str(backup)])
    assert again.exit_code == 1 and "already exists" in again.output

    monkeypatch.setenv(DATABASE_URL_VAR, sqlite_url(tmp_path / "restored.sqlite3"))
    monkeypatch.setenv(FILES_DIR_VAR, str(tmp_path / "restored-files"))
    restored = runner.invoke(cli, ["import", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert "the chain verifies" in restored.output
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    twice = runner.invoke(cli, ["import", str(backup)])
    assert twice.exit_code == 1 and "import only into an empty store" in twice.output
    not_an_export = tmp_path / "other.jsonl"
    not_an_export.write_text('{"hello": 1}\n')
    refused = runner.invoke(cli, ["import", str(not_an_export)])
    assert refused.exit_code == 1 and "not a Partnership Hub export's header" in refused.output


def test_a_carefully_forged_file_repeating_an_event_is_refused(source: Services, tmp_path: Path) -> None:
    """The forger appends a copy of an event and recomputes its link and the header: the chain verifies,
    but a record cannot have the same version twice."""
    lines = export_bytes(source, tmp_path / "a.jsonl").decode().splitlines(keepends=True)
    header = json.loads(lines[0])
    events = lines[1 : header["events"] + 1]
    copy = json.loads(events[5])
    last = json.loads(events[-1])
    copy["position"] = last["position"] + 1
    copy["hash"] = link_hash(last["hash"], copy["position"], digest_of(_Stored(copy)))
    header.update(events=header["events"] + 1, head=f"{copy['position']}:{copy['hash']}")
    forged = tmp_path / "forged.jsonl"
    forged.write_text(
        "".join([json.dumps(header) + "\n", *events, json.dumps(copy) + "\n", *lines[header["events"] :]]),
        encoding="utf-8",
    )
    files_dir_for(forged).symlink_to(files_dir_for(tmp_path / "a.jsonl"))
    target = services_at(sqlite_url(tmp_path / "t.sqlite3"), tmp_path / "files-t")
    try:
        with pytest.raises(RecordFileError, match="the same record and version twice"):
            import_file(target, forged)
        assert target.hub.recorder.max_notification_id() is None
    finally:
        target.close()


class _Stored:
    def __init__(self, line: dict[str, Any]) -> None:
        self.originator_id = UUID(line["originator_id"])
        self.originator_version = line["originator_version"]
        self.topic = line["topic"]
        self.state = line["state"].encode()


@pytest.mark.postgres
def test_on_postgresql_a_damaged_file_leaves_the_store_empty_and_a_full_one_is_refused(
    source: Services, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    lines = export_bytes(source, tmp_path / "a.jsonl").decode().splitlines(keepends=True)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("".join([*lines[:150], *lines[151:]]), encoding="utf-8")  # event 150 removed
    files_dir_for(damaged).symlink_to(files_dir_for(tmp_path / "a.jsonl"))
    target = services_at(postgres_server.create_database(f"record_{next(_names)}"), tmp_path / "files-pg")
    try:
        with pytest.raises(RecordFileError, match="line 151: event 151's chain does not verify"):
            import_file(target, damaged)
        # Nothing half-loaded: no events, no links, and the whole file still goes in afterwards.
        assert target.hub.recorder.max_notification_id() is None
        assert target.hub.chain_head() is None
        assert import_file(target, tmp_path / "a.jsonl").head == json.loads(lines[0])["head"]
        with pytest.raises(RecordFileError, match="import only into an empty store"):
            import_file(target, tmp_path / "a.jsonl")
        assert target.hub.verify_record().ok
    finally:
        target.close()
