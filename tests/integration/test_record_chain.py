"""The record proves itself: every event is linked into a hash chain as it is written, and
``verify`` names the first event that was edited, removed, inserted or reordered.

Each tampering below is done the way someone with the database file or a SQL prompt would do it:
straight on the events table, behind the application's back. Every test runs on the SQLite file
and on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from application.chain import Anchor, chain_checks, event_chain
from application.hub import PartnershipHub
from application.settings import Settings
from domain.actor import Actor
from domain.body import Decision

OFFICER = Actor("officer-a", "partnership_officer")
DECISION = Decision(reason="Recommended by the PDS Committee", effective_date=date(2026, 4, 1))


def record_some_history(hub: PartnershipHub, bodies: int = 3) -> None:
    """Three bodies with two members each: 9 events, bodies' and members' interleaved."""
    ids = [
        hub.establish_body(OFFICER, name=f"Forum {n}", kind="consultative_group", decision=DECISION)
        for n in range(bodies)
    ]
    for person in ("Ann", "Bo"):
        for body_id in ids:
            hub.add_member(
                OFFICER,
                body_id,
                person=person,
                role="member",
                representation="carer",
                effective_date=date(2026, 4, 1),
            )


def events_table(hub: PartnershipHub) -> Any:
    return hub.recorder.events_table


def run(hub: PartnershipHub, *statements: Any) -> None:
    with hub.recorder.datastore.engine.begin() as connection:
        for statement in statements:
            connection.execute(statement)


def row(hub: PartnershipHub, position: int) -> Any:
    table = events_table(hub)
    with hub.recorder.datastore.engine.connect() as connection:
        return connection.execute(select(table).where(table.c.id == position)).one()


def head(hub: PartnershipHub) -> int:
    return hub.recorder.max_notification_id() or 0


def test_a_clean_record_verifies_with_its_count_and_head(hub: PartnershipHub) -> None:
    record_some_history(hub)
    verification = hub.verify_record()
    assert verification.ok, verification.fault
    assert verification.count == 9 == head(hub)
    assert verification.head_position == 9
    assert len(verification.head_hash) == 64
    # The same record gives the same head however often it is asked.
    assert hub.verify_record().head == verification.head


def test_an_edited_event_is_named(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    original = row(hub, 5)
    assert b"officer-a" in original.state
    forged = original.state.replace(b"officer-a", b"director-x").replace(b"PDS Committee", b"TAMPERED")
    run(hub, update(table).where(table.c.id == 5).values(state=forged))
    verification = hub.verify_record()
    assert not verification.ok
    assert verification.fault_position == 5
    assert f"event 5 ({original.originator_id} version {original.originator_version}) was edited" in verification.fault


def test_a_removed_event_in_the_middle_is_named(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    run(hub, delete(table).where(table.c.id == 4))
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 4)
    assert "event 4" in verification.fault and "was removed from the log" in verification.fault


def test_a_removed_event_and_its_link_in_the_middle_break_the_chain_at_the_next(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    run(hub, delete(table).where(table.c.id == 4), delete(event_chain).where(event_chain.c.position == 4))
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 5)
    assert "the chain breaks at event 5" in verification.fault
    assert "an event before 5 was removed" in verification.fault


def test_the_removed_last_event_is_named(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    run(hub, delete(table).where(table.c.id == 9))
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 9)
    assert "event 9" in verification.fault and "was removed" in verification.fault


def test_the_newest_events_removed_with_their_links_are_caught_by_a_published_head(hub: PartnershipHub) -> None:
    record_some_history(hub)
    published = hub.verify_record(keep=False)
    table = events_table(hub)
    run(hub, delete(table).where(table.c.id >= 8), delete(event_chain).where(event_chain.c.position >= 8))
    # Without the head the shortened record is consistent with itself...
    assert hub.verify_record(keep=False).ok
    # ...but it no longer reaches the head published before.
    verification = hub.verify_record((Anchor.parse(published.head),), keep=False)
    assert not verification.ok
    assert "the newest events were removed: the record ends at event 7, but a head was published at event 9" in (
        verification.fault
    )


def test_a_head_verify_kept_is_checked_again_by_every_later_run(hub: PartnershipHub) -> None:
    record_some_history(hub)
    assert hub.verify_record().ok  # keeps the head 9
    table = events_table(hub)
    run(hub, delete(table).where(table.c.id == 9), delete(event_chain).where(event_chain.c.position == 9))
    verification = hub.verify_record()
    assert not verification.ok
    assert "the record ends at event 8, but a head was published at event 9" in verification.fault


def test_a_rewritten_chain_no_longer_leads_to_the_published_head(hub: PartnershipHub) -> None:
    """Someone edits an event and recomputes every link after it: consistent, but not the record published."""
    record_some_history(hub)
    published = hub.verify_record(keep=False)
    table = events_table(hub)
    forged = row(hub, 3).state.replace(b"Forum", b"Furum")
    run(hub, update(table).where(table.c.id == 3).values(state=forged), delete(event_chain))
    hub.recorder._chain_existing_events()  # the forger re-links the whole log
    assert hub.verify_record(keep=False).ok
    verification = hub.verify_record((Anchor.parse(published.head),), keep=False)
    assert (verification.ok, verification.fault_position) == (False, 9)
    assert "no longer leads to the head published for it" in verification.fault


def test_an_event_inserted_after_the_head_is_named(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    last = row(hub, 9)
    run(
        hub,
        insert(table).values(
            id=10,
            originator_id=last.originator_id,
            originator_version=last.originator_version + 1,
            topic=last.topic,
            state=last.state,
        ),
    )
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 10)
    assert "event 10" in verification.fault and "was inserted: the chain has no link for it" in verification.fault


def test_an_event_inserted_in_the_middle_is_named(hub: PartnershipHub) -> None:
    """The forger moves the last event up one place and puts a new event where it was."""
    record_some_history(hub)
    table = events_table(hub)
    last = row(hub, 9)
    first = row(hub, 1)
    run(
        hub,
        update(table).where(table.c.id == 9).values(id=10),
        insert(table).values(
            id=9, originator_id=first.originator_id, originator_version=99, topic=first.topic, state=first.state
        ),
    )
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 9)
    assert f"event 9 ({first.originator_id} version 99) was inserted: the chain never had it" in verification.fault
    assert last.originator_version != 99


def test_two_events_swapped_are_named_as_reordered(hub: PartnershipHub) -> None:
    record_some_history(hub)
    table = events_table(hub)
    four, six = row(hub, 4), row(hub, 6)

    def content(r: Any) -> dict[str, Any]:
        return {
            "originator_id": r.originator_id,
            "originator_version": r.originator_version,
            "topic": r.topic,
            "state": r.state,
        }

    run(
        hub,
        update(table).where(table.c.id == 4).values(originator_version=-1),
        update(table).where(table.c.id == 6).values(**content(four)),
        update(table).where(table.c.id == 4).values(**content(six)),
    )
    verification = hub.verify_record()
    assert (verification.ok, verification.fault_position) == (False, 4)
    assert "event 4 was reordered" in verification.fault
    assert "which the chain has at event 6" in verification.fault


def test_many_writers_at_once_leave_a_chain_that_verifies(database_url: str, clock: Any, tmp_path: Any) -> None:
    """Separate hubs (each with its own connections) saving at the same moment: the chain is one
    unbroken line in the order the events were committed, with no fork and nothing missing."""
    writers = 6
    hubs = [PartnershipHub(Settings.for_url(database_url), clock=clock) for _ in range(writers)]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        start.wait()
        try:
            for k in range(8):
                hubs[n].establish_body(OFFICER, name=f"Group {n}-{k}", kind="consultative_group", decision=DECISION)
        except BaseException as error:  # examined below
            errors.append(error)

    verifications: list[Any] = []

    def verify_while_they_write() -> None:
        start.wait()
        while any(thread.is_alive() for thread in threads):
            verifications.append(hubs[0].verify_record(keep=False))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    checker = threading.Thread(target=verify_while_they_write)
    start = threading.Barrier(writers + 1)
    for thread in [*threads, checker]:
        thread.start()
    for thread in [*threads, checker]:
        thread.join(timeout=120)
    try:
        assert not errors, errors
        # A verify running while events are written checks what was committed when it began: never a false alarm.
        assert verifications and all(v.ok for v in verifications), [v.fault for v in verifications if not v.ok]
        verification = hubs[0].verify_record()
        assert verification.ok, verification.fault
        assert verification.count == writers * 8
        with hubs[0].recorder.datastore.engine.connect() as connection:
            links = connection.execute(select(func.count()).select_from(event_chain)).scalar()
        assert links == writers * 8
    finally:
        for one in hubs:
            one.close()


def test_a_store_written_before_the_chain_is_linked_once_when_opened(
    hub: PartnershipHub, database_url: str, clock: Any
) -> None:
    record_some_history(hub)
    run(hub, delete(event_chain), delete(chain_checks))  # as a store from before this version was
    reopened = PartnershipHub(Settings.for_url(database_url), clock=clock)
    try:
        verification = reopened.verify_record()
        assert verification.ok and verification.count == 9
        reopened.establish_body(OFFICER, name="After the upgrade", kind="consultative_group", decision=DECISION)
        assert reopened.verify_record().count == 10
    finally:
        reopened.close()


def test_a_published_head_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="give it as POSITION:HASH"):
        Anchor.parse("12:abc")
    assert Anchor.parse(f"12:{'a' * 64}") == Anchor(12, "a" * 64)
