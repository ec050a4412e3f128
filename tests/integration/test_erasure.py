"""Erasing a person's name (rule P1), on SQLite and PostgreSQL: the log keeps only ciphertext; once the
key is destroyed the history, every read model (and a rebuild of them, row for row), the audit CSV and
an export read "name erased"; the chain still verifies; governance facts survive; a second erasure,
an unknown person and a non-administrator are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from marshmallow import ValidationError
from sqlalchemy import func, select, text

from application.authority import PUBLIC_ACTOR
from application.bootstrap import Services, build
from application.commands.people import ErasePerson
from application.errors import NotAuthorised
from application.importer import import_framework
from application.people import keys_path_for, person_keys
from application.people_commands import AlreadyErased
from application.record_file import export_record, files_dir_for
from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR, Settings, sqlite_url
from demo.seed import seed_demo
from domain.actor import Actor
from domain.body import Decision
from domain.erasure import NAME_ERASED
from domain.errors import InvalidInput
from domain.meeting import Apology
from projections.tables import attendance, audit_log, interests
from tests.conftest import Clock
from tests.support.tables import dump
from web.cli import cli

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Actor("admin", "administrator")


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=Clock(TODAY))
    import_framework(built.dispatcher)
    seed_demo(built.dispatcher, bodies=3, seed=2026, today=TODAY.date())
    built.refresh()
    yield built
    built.close()


def _rows(services: Services, sql: str, **params: Any) -> list[Any]:
    with services.read_models.engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def _select(services: Services, query: Any, meeting_id: Any) -> list[Any]:
    table = attendance if "rm_attendance" in str(query) else interests
    with services.read_models.engine.connect() as connection:
        return list(connection.execute(query.where(table.c.meeting_id == meeting_id).order_by(*table.primary_key)))


def _a_member_who_attended(services: Services) -> tuple[str, Any]:
    """A person who is a member of a body and was present at one of its meetings, and the body."""
    found = _rows(
        services,
        "SELECT m.person, m.body_id FROM rm_members m JOIN rm_meetings g ON g.body_id = m.body_id "
        "JOIN rm_attendance a ON a.meeting_id = g.id AND a.person = m.person ORDER BY m.person",
    )
    assert found, "the demo has members who attended their body's meetings"
    return found[0].person, found[0].body_id


def _everything(services: Services, tmp_path: Path, name: str) -> str:
    """Every place a name could show: the read models, each body's history, the audit CSV's rows, an export."""
    services.refresh()
    tables = json.dumps(dump(services.read_models.engine), default=str)
    history = json.dumps(
        [e.sentence for b in _rows(services, "SELECT id FROM rm_bodies") for e in services.hub.history(b.id)]
    )
    path = tmp_path / f"export-{len(list(tmp_path.iterdir()))}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_record(services.hub.recorder, services.files, out, files_dir_for(path), lambda n: None)
    return tables + history + path.read_text(encoding="utf-8")


def test_an_erased_name_reads_name_erased_everywhere_and_a_rebuild_agrees(services: Services, tmp_path: Path) -> None:
    name, body_id = _a_member_who_attended(services)
    # Before: the log never held the name in the clear (only ciphertext and a person id).
    with services.hub.recorder.datastore.engine.connect() as connection:
        states = [bytes(s) for s in connection.execute(select(services.hub.recorder.events_table.c.state)).scalars()]
    assert not any(name.encode() in s for s in states)
    assert name in json.dumps(dump(services.read_models.engine), default=str)
    members_before = _rows(services, "SELECT count(*) AS n FROM rm_members")[0].n
    turnout_before = _rows(services, "SELECT id, voting_present, quorum FROM rm_meetings ORDER BY id")
    attendance_before = _rows(services, "SELECT count(*) AS n FROM rm_attendance")[0].n

    outcome = services.dispatcher.run(ErasePerson, ADMIN, data={"person": name.upper(), "reason": "Request 12/2026"})
    assert outcome.position is not None

    seen = _everything(services, tmp_path, name)
    assert name not in seen
    assert NAME_ERASED in seen
    member = _rows(
        services, "SELECT person FROM rm_members WHERE body_id = :b AND person = :p", b=body_id, p=NAME_ERASED
    )
    assert member
    assert _rows(services, "SELECT count(*) AS n FROM rm_attendance WHERE person = :p", p=NAME_ERASED)[0].n >= 1
    # Governance facts survive: the seats, the turnout, the lines of attendance.
    assert _rows(services, "SELECT count(*) AS n FROM rm_members")[0].n == members_before
    assert _rows(services, "SELECT id, voting_present, quorum FROM rm_meetings ORDER BY id") == turnout_before
    assert _rows(services, "SELECT count(*) AS n FROM rm_attendance")[0].n == attendance_before
    # The erasure is on the audit log, naming no one.
    logged = _rows(
        services, "SELECT subject_type, subject_name, actor, reason FROM rm_audit_log WHERE change = 'name_erased'"
    )
    assert [tuple(r) for r in logged] == [("person", NAME_ERASED, "admin", "Request 12/2026")]
    # The key and the name are gone from the register; the record still verifies.
    with services.hub.recorder.datastore.engine.connect() as connection:
        row = connection.execute(select(person_keys).where(person_keys.c.person_id == outcome.result.person_id)).one()
    assert (row.key, row.name_key, row.display_name) == (None, None, None) and row.erased_at is not None
    assert services.hub.verify_record().ok

    # A rebuild from the events gives the very same rows.
    live = dump(services.read_models.engine)
    services.read_models.rebuild()
    assert dump(services.read_models.engine) == live


def test_erasing_twice_an_unknown_person_or_without_the_role_is_refused(services: Services) -> None:
    name, _body_id = _a_member_who_attended(services)
    with pytest.raises(NotAuthorised):
        services.dispatcher.run(
            ErasePerson, Actor("officer", "partnership_officer"), data={"person": name, "reason": "x"}
        )
    with pytest.raises(InvalidInput, match="no one of that name or id is in the people register"):
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": "Nobody Atall", "reason": "Request 1"})
    with pytest.raises(ValidationError) as refused:
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": name, "reason": "   "})
    assert "reason" in refused.value.messages
    done = services.dispatcher.run(ErasePerson, ADMIN, data={"person": name, "reason": "Request 2"}).result
    with pytest.raises(AlreadyErased, match="was erased on 2 March 2026: there is nothing left to erase"):
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": str(done.person_id), "reason": "Request 3"})
    # By name the person is no longer known at all (the register forgot the name with the key).
    with pytest.raises(InvalidInput):
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": name, "reason": "Request 4"})
    assert services.hub.verify_record().ok


def test_the_same_name_written_after_an_erasure_is_a_new_person(services: Services) -> None:
    name, body_id = _a_member_who_attended(services)
    services.dispatcher.run(ErasePerson, ADMIN, data={"person": name, "reason": "Request 5"})
    officer = Actor("officer", "partnership_officer")
    body = services.hub.body(body_id)
    services.hub.add_member(
        officer,
        body_id,
        person=name,
        role="member",
        representation="service_user",
        effective_date=TODAY.date(),
        expected_version=body.version,
    )
    services.refresh()
    people = {r.person for r in _rows(services, "SELECT person FROM rm_members WHERE body_id = :b", b=body_id)}
    assert {name, NAME_ERASED} <= people


def test_the_command_line_erases_and_an_export_carries_the_keys_but_not_the_erased_one(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, _body_id = _a_member_who_attended(services)
    runner = CliRunner()
    monkeypatch.setenv(DATABASE_URL_VAR, services.settings.database_url)
    monkeypatch.setenv(FILES_DIR_VAR, str(services.settings.files_dir))
    erased = runner.invoke(cli, ["people", "erase", name, "--reason", "Request 7"])
    assert erased.exit_code == 0, erased.output
    assert 'the record now reads "name erased"' in erased.output
    again = runner.invoke(cli, ["people", "erase", name, "--reason", "Request 8"])
    assert again.exit_code != 0 and "no one of that name or id" in again.output
    services.refresh()
    source_tables = dump(services.read_models.engine)

    backup = tmp_path / "backup.jsonl"
    exported = runner.invoke(cli, ["export", str(backup)])
    assert exported.exit_code == 0, exported.output
    keys = keys_path_for(backup)
    assert keys.stat().st_mode & 0o077 == 0  # the keys file is its owner's alone
    kept = [json.loads(line) for line in keys.read_text(encoding="utf-8").splitlines()[1:]]
    with services.hub.recorder.datastore.engine.connect() as connection:
        erased_id = connection.execute(select(person_keys.c.person_id).where(person_keys.c.key.is_(None))).scalar()
        live = connection.execute(select(func.count()).where(person_keys.c.key.is_not(None))).scalar()
    assert len(kept) == live and str(erased_id) not in {k["person"] for k in kept}
    assert name not in backup.read_text(encoding="utf-8") + keys.read_text(encoding="utf-8")

    # Restored elsewhere with its keys: the same read models, the erased name still erased, and it verifies.
    monkeypatch.setenv(DATABASE_URL_VAR, sqlite_url(tmp_path / "restored.sqlite3"))
    monkeypatch.setenv(FILES_DIR_VAR, str(tmp_path / "restored-files"))
    restored = runner.invoke(cli, ["import", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert f"Imported the keys to {live} people's names" in restored.output
    back = build(Settings.for_url(sqlite_url(tmp_path / "restored.sqlite3"), files_dir=tmp_path / "restored-files"))
    try:
        back.refresh()
        assert dump(back.read_models.engine) == source_tables
        assert back.hub.verify_record().ok
    finally:
        back.close()


def test_apologies_substitutes_and_declarations_are_erased_line_by_line(services: Services) -> None:
    officer = Actor("officer", "partnership_officer")
    hub = services.hub
    body_id = hub.establish_body(
        officer, name="Erasure Test Group", kind="consultative_group", decision=Decision(reason="A test")
    )
    for person in ("Jane Smith", "Raj Patel"):
        hub.add_member(
            officer,
            body_id,
            person=person,
            role="member",
            representation="service_user",
            effective_date=date(2026, 1, 5),
            expected_version=hub.body(body_id).version,
        )
    meeting_id = hub.record_past_meeting(
        officer, body_id, meeting_date=date(2026, 2, 2), start_time=time(10), place="Civic Centre"
    )
    hub.record_attendance(
        officer, meeting_id, present=["Jane Smith"], apologies=[Apology("Raj Patel", "Lee Wong")], guests=["Ann Guest"]
    )
    hub.declare_interest(officer, meeting_id, person="Jane Smith", interest="A carer of a service user")
    services.refresh()
    lines_before = _select(services, select(attendance.c.line, attendance.c.attendance), meeting_id)

    for person in ("Lee Wong", "Raj Patel", "Jane Smith"):
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": person, "reason": "Request 9"})
    services.refresh()
    columns = (attendance.c.line, attendance.c.person, attendance.c.attendance, attendance.c.substitute_for)
    lines = _select(services, select(*columns), meeting_id)
    assert [(r.line, r.attendance) for r in lines] == [tuple(r) for r in lines_before]
    assert {(r.person, r.substitute_for) for r in lines if r.attendance != "guest"} == {
        (NAME_ERASED, None),
        (NAME_ERASED, NAME_ERASED),
    }
    assert [r.person for r in lines if r.attendance == "guest"] == ["Ann Guest"]  # not erased: not asked
    declared = _select(services, select(interests.c.person, interests.c.interest), meeting_id)
    assert [tuple(r) for r in declared] == [(NAME_ERASED, "A carer of a service user")]
    meeting = hub.meeting(meeting_id)
    assert meeting.present == [NAME_ERASED] and meeting.guests == ["Ann Guest"]
    live = dump(services.read_models.engine)
    services.read_models.rebuild()
    assert dump(services.read_models.engine) == live
    assert hub.verify_record().ok


def test_a_question_from_the_public_seals_its_asker_and_erasing_them_reaches_the_questions(
    services: Services, tmp_path: Path
) -> None:
    """Rule C7's asker is a person too: their name and their address are sealed in the event, and each
    can be erased (the address is a person of its own in the register)."""
    hub = services.hub
    body_id = hub.establish_body(
        Actor("officer", "partnership_officer"),
        name="Erasure Consultative Group",
        kind="consultative_group",
        decision=Decision("New framework", date(2026, 1, 5)),
    )
    meeting_id = hub.schedule_meeting(
        Actor("officer", "partnership_officer"),
        body_id,
        meeting_date=date(2026, 4, 21),
        start_time=time(14),
        place="Civic Centre",
    )
    hub.ask_public_question(
        PUBLIC_ACTOR,
        meeting_id,
        name="Morwenna Tregothnan",
        email="morwenna@example.org",
        question="Will the group meet in the evenings?",
        publish_name=True,
    )
    services.refresh()
    with hub.recorder.datastore.engine.connect() as connection:
        states = [bytes(s) for s in connection.execute(select(hub.recorder.events_table.c.state)).scalars()]
    assert not any(b"Morwenna" in s or b"morwenna@" in s for s in states)
    assert _rows(services, "SELECT name FROM rm_public_questions")[0].name == "Morwenna Tregothnan"
    # The address is in no read model, not even the tables that say whose a name is.
    assert "morwenna@" not in json.dumps(dump(services.read_models.engine), default=str)

    for who in ("Morwenna Tregothnan", "morwenna@example.org"):
        services.dispatcher.run(ErasePerson, ADMIN, data={"person": who, "reason": "Request 14/2026"})
    seen = _everything(services, tmp_path, "Morwenna")
    assert "Morwenna" not in seen and "morwenna@" not in seen
    assert _rows(services, "SELECT name FROM rm_public_questions")[0].name == NAME_ERASED
    asked = hub.repository.get(_rows(services, "SELECT id FROM rm_public_questions")[0].id)
    assert (asked.name, asked.email) == (NAME_ERASED, NAME_ERASED)
    assert hub.verify_record().ok
    live = dump(services.read_models.engine)
    services.read_models.rebuild()
    assert dump(services.read_models.engine) == live


def test_erasing_a_short_name_changes_it_only_where_it_stands_as_a_word(services: Services) -> None:
    """Erasing "Ann" replaces "Ann" in the audit log's sentences, never the "Ann" inside "Annual" or
    "Annette", and a rebuild agrees with the live rows."""
    officer = Actor("officer", "partnership_officer")
    body_id = services.hub.establish_body(
        officer,
        name="Annual Planning Forum",
        kind="consultative_group",
        purpose="Annette's forum for the annual plan",
        decision=Decision("New framework", date(2026, 1, 5)),
    )
    for person in ("Ann", "Annette Lowe"):
        services.hub.add_member(
            officer,
            body_id,
            person=person,
            role="member",
            representation="carer",
            effective_date=TODAY.date(),
            expected_version=services.hub.body(body_id).version,
        )
    services.refresh()
    services.dispatcher.run(ErasePerson, ADMIN, data={"person": "Ann", "reason": "Request 21/2026"})
    services.refresh()
    with services.read_models.engine.connect() as connection:
        logged = connection.execute(
            select(audit_log.c.sentence, audit_log.c.subject_name).where(audit_log.c.body_id == body_id)
        ).all()
    joined = " | ".join(r.sentence for r in logged)
    assert "Annette Lowe joined" in joined and f"{NAME_ERASED} joined" in joined, joined
    assert "Ann joined" not in joined
    names = {r.subject_name for r in logged}
    assert names == {"Annual Planning Forum"}
    live = dump(services.read_models.engine)
    services.read_models.rebuild()
    assert dump(services.read_models.engine) == live
