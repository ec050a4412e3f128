"""The aggregate cache: each process keeps recent records in memory, and it is never stale or poisoned.

Two hubs on one store stand for two server processes, each with its own cache. A load always reads the
events saved since the cached version (by anyone), so a write from a stale read is still refused by the
store's unique (id, version) key; a load hands out a copy, so a command that changed the record and then
failed leaves the cache as it was. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError

from application.errors import ConflictError
from application.hub import PartnershipHub
from application.settings import Settings
from domain.actor import Actor
from domain.body import Body, Decision
from domain.errors import InvalidInput
from tests.conftest import Clock

OFFICER = Actor("officer", "partnership_officer")
DECISION = Decision(reason="Recommended by the PDS Committee", effective_date=date(2026, 4, 1))


@pytest.fixture
def two_processes(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[tuple[PartnershipHub, PartnershipHub]]:
    settings = Settings.for_url(database_url, files_dir=tmp_path / "files")
    first, second = PartnershipHub(settings, clock=clock), PartnershipHub(settings, clock=clock)
    yield first, second
    first.close()
    second.close()


def _establish(hub: PartnershipHub) -> UUID:
    return hub.establish_body(OFFICER, name="Carers Forum", kind="consultative_group", decision=DECISION)


def _join(hub: PartnershipHub, body_id: UUID, person: str, **kwargs: Any) -> Any:
    return hub.add_member(
        OFFICER,
        body_id,
        person=person,
        role="member",
        representation="carer",
        effective_date=date(2026, 4, 1),
        **kwargs,
    )


def test_the_cache_is_on_bounded_by_the_settings_and_can_be_turned_off(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    on = PartnershipHub(Settings.from_env({"PARTNERSHIP_HUB_DATABASE_URL": url}))
    sized = PartnershipHub(
        Settings.from_env({"PARTNERSHIP_HUB_DATABASE_URL": url, "PARTNERSHIP_HUB_AGGREGATE_CACHE_SIZE": "3"})
    )
    off = PartnershipHub(
        Settings.from_env({"PARTNERSHIP_HUB_DATABASE_URL": url, "PARTNERSHIP_HUB_AGGREGATE_CACHE_SIZE": "0"})
    )
    try:
        assert on.repository.cache is not None and on.repository.cache.maxsize == 1000  # type: ignore[attr-defined]
        assert sized.repository.cache is not None and sized.repository.cache.maxsize == 3  # type: ignore[attr-defined]
        assert off.repository.cache is None
        for hub in (on, sized):
            assert hub.repository.fastforward and hub.repository.deepcopy_from_cache
        with pytest.raises(ValueError, match="PARTNERSHIP_HUB_AGGREGATE_CACHE_SIZE"):
            Settings.from_env({"PARTNERSHIP_HUB_AGGREGATE_CACHE_SIZE": "-1"})
    finally:
        for hub in (on, sized, off):
            hub.close()


def test_a_cached_record_shows_what_another_process_saved_since(
    two_processes: tuple[PartnershipHub, PartnershipHub],
) -> None:
    first, second = two_processes
    body_id = _establish(first)
    assert first.body(body_id).version == 1  # now in the first process's cache
    _join(second, body_id, "Ann Carer")
    second.change_funding(OFFICER, body_id, annual_funding_pence=9_000, decision=DECISION)
    body = first.body(body_id)
    assert body.version == 3
    assert (body.annual_funding_pence, [m.person for m in body.current_members()]) == (9_000, ["Ann Carer"])
    # And a write on the first process builds on it.
    assert _join(first, body_id, "Sam User", expected_version=3).version == 4
    assert [m.person for m in second.body(body_id).current_members()] == ["Ann Carer", "Sam User"]


def test_a_write_from_a_stale_read_is_still_refused_and_leaves_the_cache_right(
    two_processes: tuple[PartnershipHub, PartnershipHub], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_processes
    body_id = _establish(first)
    first.body(body_id)
    load = first._get

    def load_then_the_other_process_saves(cls: type, id: UUID, expected_version: int | None = None) -> Any:
        body = load(cls, id, expected_version)
        _join(second, body_id, "Ann Carer")  # after the first process read, before it saves
        return body

    monkeypatch.setattr(first, "_get", load_then_the_other_process_saves)
    with pytest.raises(ConflictError) as refused:
        first.change_funding(OFFICER, body_id, annual_funding_pence=1, decision=DECISION)
    monkeypatch.undo()
    assert refused.value.current_version == 2
    body = first.body(body_id)
    assert (body.version, body.annual_funding_pence, [m.person for m in body.members.values()]) == (
        2,
        None,
        ["Ann Carer"],
    )
    assert [type(e).__name__ for e in first.events.get(body_id)] == ["Established", "MemberJoined"]


def test_a_change_made_on_a_loaded_record_and_never_saved_does_not_reach_the_cache(hub: PartnershipHub) -> None:
    body_id = _establish(hub)
    _join(hub, body_id, "Ann Carer")
    loaded: Body = hub.repository.get(body_id)
    loaded.add_member(
        actor=OFFICER, at=hub._now(), member_id="m2", person="Sam User", role="member", representation="carer",
        effective_date=date(2026, 4, 1),
    )  # fmt: skip
    with pytest.raises(InvalidInput):  # the command goes on to break a rule, and is abandoned
        loaded.add_member(
            actor=OFFICER, at=hub._now(), member_id="m2", person="Pat", role="member", representation="carer",
            effective_date=date(2026, 4, 1),
        )  # fmt: skip
    body = hub.body(body_id)
    assert (body.version, [m.person for m in body.members.values()]) == (2, ["Ann Carer"])
    assert body.pending_events == []


def test_a_command_whose_save_fails_leaves_the_cache_as_it_was(
    hub: PartnershipHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    body_id = _establish(hub)
    _join(hub, body_id, "Ann Carer")
    before = hub.recorder.max_notification_id()

    def database_goes_away(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the server closed the connection unexpectedly")

    # The fault is in the recorder, inside the transaction that writes the events: nothing is written.
    monkeypatch.setattr(hub.recorder, "_insert_events", database_goes_away)
    with pytest.raises(OperationalError):
        _join(hub, body_id, "Sam User")
    monkeypatch.undo()
    assert hub.recorder.max_notification_id() == before
    body = hub.body(body_id)
    assert (body.version, [m.person for m in body.members.values()]) == (2, ["Ann Carer"])
    assert _join(hub, body_id, "Sam User").version == 3
