"""Snapshots: a record loaded from its nearest snapshot plus the events after it is exactly the record a
full replay gives, now and "as at" any recorded moment, on SQLite and PostgreSQL.

The full replay comes from a second hub on the same store with snapshotting and the aggregate cache off,
so it folds every event from the first. States are compared attribute by attribute with their types
(tests/support/state.py): an enum restored as a string would compare equal with ``==``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.hub_base import SNAPSHOT_INTERVAL
from application.settings import Settings
from application.snapshots import StateSnapshot
from demo.seed import seed_demo
from domain.actor import Actor
from domain.body import Body, Decision
from domain.meeting import Meeting
from domain.project import Project
from tests.conftest import Clock
from tests.support.state import state_differences

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
ONE_MICROSECOND = timedelta(microseconds=1)
MEMBERSHIP_CHANGES = 1_000  # joins and leaves, with governance changes and elections among them
BULK_EVENTS = 900  # recorded in uneven batches, as an import would; the rest one command at a time
BATCH = 37


def _decision(n: int) -> Decision:
    return Decision(reason=f"change {n}", effective_date=date(2026, 4, 1), decided_by="Portfolio Holder")


class History:
    """A consultative group with a long record: members join and leave, funding and terms of reference
    change, elections are held. Each step is a domain method (``bulk``) or a hub command."""

    def __init__(self, hub: PartnershipHub) -> None:
        self.hub = hub
        self.body_id = hub.establish_body(
            OFFICER, name="Carers Forum", kind="consultative_group", decision=_decision(0)
        )
        self.current: list[str] = []
        self.steps = 0
        self.joined = 0

    def step(self, body: Body | None) -> None:
        """One change: on ``body`` in memory when given, else as a command through the hub."""
        n = self.steps = self.steps + 1
        hub, body_id = self.hub, self.body_id
        if n % 50 == 0 and len(self.current) >= 2:
            chair, vice = self.current[-1], self.current[-2]
            when = date(2026, 1, 1) + timedelta(days=n)
            if body:
                body.record_election(
                    actor=OFFICER, at=hub._now(), chair_id=chair, vice_chair_id=vice, election_date=when
                )
            else:
                hub.record_election(OFFICER, body_id, chair_id=chair, vice_chair_id=vice, election_date=when)
        elif n % 10 == 0:
            if body:
                body.change_funding(
                    actor=OFFICER, at=hub._now(), annual_funding_pence=n * 100, council_funding_until=None,
                    decision=_decision(n),
                )  # fmt: skip
            else:
                hub.adopt_terms_of_reference(OFFICER, body_id, text=f"Terms, edition {n}", decision=_decision(n))
        elif len(self.current) < 30 or n % 2:
            self.joined += 1
            member_id, person = f"m{self.joined}", f"Person {self.joined}"
            fields: dict[str, Any] = dict(
                person=person, role="member", representation="carer", effective_date=date(2026, 4, 1)
            )
            if body:
                body.add_member(actor=OFFICER, at=hub._now(), member_id=member_id, **fields)
            else:
                hub.add_member(OFFICER, body_id, member_id=member_id, **fields)
            self.current.append(member_id)
        else:
            member_id = self.current.pop(0)  # the longest-serving member leaves
            fields = dict(member_id=member_id, effective_date=date(2026, 5, 1), reason="moved away")
            if body:
                body.remove_member(actor=OFFICER, at=hub._now(), **fields)
            else:
                hub.remove_member(OFFICER, body_id, **fields)

    def record(self, membership_changes: int, bulk_events: int) -> None:
        body = self.hub.body(self.body_id)
        while body.version < bulk_events:
            self.step(body)
            if len(body.pending_events) >= BATCH:
                self.hub.save(body)
        self.hub.save(body)
        while self.joined + (self.joined - len(self.current)) < membership_changes:
            self.step(None)

    def moments(self) -> dict[int, datetime]:
        """When each version was recorded."""
        return {e.originator_version: e.timestamp for e in self.hub.events.get(self.body_id)}


@pytest.fixture
def replayer(hub: PartnershipHub, tmp_path: Path) -> Iterator[PartnershipHub]:
    """The same store read with no snapshots and no cache: every load folds every event from the first."""
    settings = Settings(hub.settings.database_url, hub.settings.read_model_url, tmp_path / "files", 0)
    plain = PartnershipHub(settings, env={"IS_SNAPSHOTTING_ENABLED": "n"})
    assert plain.snapshots is None and plain.repository.cache is None
    yield plain
    plain.close()


def _snapshot_versions(hub: PartnershipHub, aggregate_id: UUID) -> list[int]:
    assert hub.snapshots is not None
    return [s.originator_version for s in hub.snapshots.get(aggregate_id)]


def _reads_from(hub: PartnershipHub, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int | None, int | None]]:
    """Notes the (after, up to) versions of every read of a record's events."""
    reads: list[tuple[int | None, int | None]] = []
    get = hub.events.get

    def noting(originator_id: UUID, *, gt: int | None = None, lte: int | None = None, **kwargs: Any) -> Any:
        reads.append((gt, lte))
        return get(originator_id, gt=gt, lte=lte, **kwargs)

    monkeypatch.setattr(hub.events, "get", noting)
    return reads


def test_a_long_record_from_its_snapshots_equals_a_full_replay_now_and_as_at(
    hub: PartnershipHub, replayer: PartnershipHub, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(hub)
    history.record(MEMBERSHIP_CHANGES, BULK_EVENTS)
    body_id = history.body_id
    final = hub.body(body_id).version
    assert final > MEMBERSHIP_CHANGES + 100  # the governance changes and elections on top
    assert len(hub.body(body_id).members) > 400

    # A snapshot at every hundredth version, whether the event came in a batch or from a command.
    assert _snapshot_versions(hub, body_id) == list(range(SNAPSHOT_INTERVAL, final + 1, SNAPSHOT_INTERVAL))

    # Now: from the cache, from the last snapshot (a fresh hub), and by a full replay: the same.
    fresh = PartnershipHub(hub.settings, clock=clock)
    try:
        reads = _reads_from(fresh, monkeypatch)
        from_snapshot = fresh.body(body_id)
        assert reads == [((final // SNAPSHOT_INTERVAL) * SNAPSHOT_INTERVAL, None)]
    finally:
        fresh.close()
    replayed = replayer.body(body_id)
    assert replayed.version == final
    assert state_differences(from_snapshot, replayed) == []
    assert state_differences(hub.body(body_id), replayed) == []

    # As at: exactly at a snapshot's version, just before it and just after it, and between snapshots.
    moments = history.moments()
    reads = _reads_from(hub, monkeypatch)
    for version in (1, 99, 100, 101, 499, 500, 501, 777, 1000, final - 1, final):
        moment = moments[version]
        expected = replayer.as_at(body_id, moment)
        reads.clear()
        got = hub.as_at(body_id, moment)
        assert isinstance(got, Body) and isinstance(expected, Body)
        assert got.version == expected.version == version
        assert state_differences(got, expected) == [], version
        # It started from the nearest snapshot at or below the version, never from the first event.
        nearest = (version // SNAPSHOT_INTERVAL) * SNAPSHOT_INTERVAL or None
        assert reads == [(nearest, version)], (version, reads)
        if version > 1:
            before = hub.as_at(body_id, moment - ONE_MICROSECOND)
            assert before is not None and before.version == version - 1
            assert state_differences(before, replayer.as_at(body_id, moment - ONE_MICROSECOND)) == []


def test_a_store_written_before_snapshots_gets_one_on_its_first_load(
    hub: PartnershipHub, replayer: PartnershipHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The replayer has snapshots off, as the application had before this release.
    history = History(replayer)
    history.record(membership_changes=0, bulk_events=250)
    body_id = history.body_id
    version = replayer.body(body_id).version
    assert _snapshot_versions(hub, body_id) == []

    first = hub.body(body_id)  # replays every event, once, and keeps what it worked out
    assert _snapshot_versions(hub, body_id) == [version]
    assert state_differences(first, replayer.body(body_id)) == []

    fresh = PartnershipHub(hub.settings)  # as another process loads it: from that snapshot
    try:
        reads = _reads_from(fresh, monkeypatch)
        again = fresh.body(body_id)
    finally:
        fresh.close()
    assert reads == [(version, None)]
    assert state_differences(again, first) == []


def test_a_snapshot_that_cannot_be_written_never_fails_the_command(
    hub: PartnershipHub, replayer: PartnershipHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(hub)
    history.record(membership_changes=0, bulk_events=SNAPSHOT_INTERVAL - 1)
    body_id = history.body_id
    assert _snapshot_versions(hub, body_id) == []

    def unavailable(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database went away while writing the snapshot")

    assert hub.snapshots is not None
    monkeypatch.setattr(hub.snapshots, "put", unavailable)
    version = hub.change_funding(OFFICER, body_id, annual_funding_pence=7, decision=_decision(7))
    assert version == SNAPSHOT_INTERVAL  # saved, and answered as saved
    monkeypatch.undo()
    assert _snapshot_versions(hub, body_id) == []
    assert hub.body(body_id).annual_funding_pence == 7
    assert state_differences(hub.body(body_id), replayer.body(body_id)) == []


def test_every_kind_of_record_round_trips_through_a_stored_snapshot_exactly(
    hub: PartnershipHub, replayer: PartnershipHub
) -> None:
    """The demo's bodies, meetings (agenda keyed by number, papers, apologies, actions, minutes),
    and projects (brief, progress reports), each snapshotted, stored, read back and restored."""
    seed_demo(Dispatcher(hub), bodies=8, seed=7, today=date(2026, 3, 2))
    kinds: dict[type, int] = {}
    ids = {n.originator_id for n in hub.recorder.select_notifications(start=1, limit=100_000)}
    for aggregate_id in ids:
        original = replayer.repository.get(aggregate_id)
        stored = hub.mapper.to_stored_event(StateSnapshot.take(original))
        restored = hub.mapper.to_domain_event(stored).mutate(None)  # type: ignore[attr-defined]
        assert state_differences(restored, original) == [], type(original).__name__
        kinds[type(original)] = kinds.get(type(original), 0) + 1
    assert {Body, Meeting, Project} <= set(kinds), kinds
    meetings = [replayer.repository.get(i) for i in ids if isinstance(replayer.repository.get(i), Meeting)]
    assert any(m.agenda and m.papers and m.actions for m in meetings), "the demo should give a full meeting"
    # Reminders live for a handful of events: none is snapshotted.
    assert set(PartnershipHub.snapshotting_intervals) == {Body, Meeting, Project}
