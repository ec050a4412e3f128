"""A store written by older code still reads: ``Project.BriefAgreed`` gained ``brief_version`` (class
version 2, domain/project.py) and version 1 events are upcast when read, while the stored bytes,
and so the hash chain, stay exactly as they were written.

``tests/fixtures/project-v1.sqlite3`` was written by the code before this change (and before the
chain: it is linked when first opened); ``make_v1_store.py`` beside it says how. The PostgreSQL test
moves that same old record there with export and import.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from application.hub import PartnershipHub
from application.record_file import export_record, files_dir_for, import_record
from application.settings import Settings
from domain.actor import Actor
from domain.history import describe
from domain.project import Brief, Project
from tests.support.postgres import PostgresServer

FIXTURE = Path(__file__).parent.parent / "fixtures" / "project-v1.sqlite3"
DIRECTOR = Actor("director", "executive_director", "Dee Director")
HOLDER = Actor("care-holder", "portfolio_holder_care_services", "Cllr Alan Care")


@pytest.fixture
def old_store(tmp_path: Path) -> Iterator[PartnershipHub]:
    copy = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, copy)
    hub = PartnershipHub(Settings.for_url(f"sqlite:///{copy}", files_dir=tmp_path / "files"))
    yield hub
    hub.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, old_store: PartnershipHub, tmp_path: Path) -> Iterator[PartnershipHub]:
    if request.param == "sqlite":
        yield old_store
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(f"evolution_{abs(hash(str(tmp_path))) % 10**9}")
    hub = PartnershipHub(Settings.for_url(url, files_dir=tmp_path / "pg-files"))
    exported = tmp_path / "old.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        export_record(old_store.recorder, old_store.files, out, files_dir_for(exported), lambda n: None)
    with exported.open(encoding="utf-8") as source:
        import_record(hub.recorder, hub.files, source, files_dir_for(exported), lambda n: None)
    yield hub
    hub.close()


def stored_state(hub: PartnershipHub, topic_end: str) -> tuple[UUID, dict[str, Any]]:
    table = hub.recorder.events_table
    with hub.recorder.datastore.engine.connect() as connection:
        row = connection.execute(select(table).where(table.c.topic.endswith(topic_end))).one()
    return row.originator_id, json.loads(bytes(row.state))


def test_an_old_brief_agreement_is_read_with_the_version_it_agreed(store: PartnershipHub) -> None:
    project_id, state = stored_state(store, "Project.BriefAgreed")
    assert "brief_version" not in state and "class_version" not in state  # written by the old code

    project = store.project(project_id)
    assert project.brief_agreed_version == 1  # the project as commissioned: version 1
    agreed = [e for e in store.events.get(project_id) if isinstance(e, Project.BriefAgreed)]
    assert [e.brief_version for e in agreed] == [1]
    entry = describe(agreed[0])
    assert entry.sentence.startswith("Brief agreed by the Executive Director")
    # The log was read, not rewritten: the chain over the stored bytes still verifies.
    verification = store.verify_record()
    assert verification.ok, verification.fault
    assert verification.count == 4


def test_new_agreements_are_written_as_version_2_beside_the_old_ones(store: PartnershipHub) -> None:
    brief = Brief(
        aims_and_objectives="Map the respite offer.",
        outcomes="A directory.",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        resources="Officer time",
        key_risks="None",
    )
    project_id = store.commission_project(HOLDER, title="Respite map", lead="officer-a", brief=brief)
    store.agree_brief(DIRECTOR, project_id, agreed_on=date(2026, 1, 6))
    table = store.recorder.events_table
    with store.recorder.datastore.engine.connect() as connection:
        row = connection.execute(
            select(table).where(table.c.originator_id == project_id, table.c.originator_version == 2)
        ).one()
    state = json.loads(bytes(row.state))
    assert (state["class_version"], state["brief_version"]) == (2, 1)
    assert store.project(project_id).brief_agreed_version == 1
    assert store.verify_record().ok
