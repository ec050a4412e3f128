"""The record's hash chain: every event is bound to the one before it, so an edit, a removal, an
insertion or a change of order shows.

Each event in the log has one link, written by the event store's recorder in the transaction that
inserts the event (application/persistence.py, ``TimelineRecorder``). A link holds:

- the event's position in the log and which record (originator id and version) it belongs to;
- ``digest``: SHA-256 of the event exactly as stored (its record's id, version, topic and state bytes);
- ``hash``: SHA-256 of the previous link's hash, this position and this digest.

The hash of the newest link (the head) therefore stands for the whole log up to it. Anyone holding
a copy of a head (printed by ``partnership-hub audit verify``, on the last line of the audit CSV, on
the audit page) can later ask whether the record still leads to it; that catches the loss of the
newest events too, which no chain can see from the inside.

The chain has no secret key: someone with write access to the database who rewrites every later
link after an edit produces a chain that is consistent with itself, but no longer leads to a head
published before the edit. That is why heads are published and why ``verify`` keeps the heads it
has seen (``chain_checks``) and checks them again each time.

This module is plain hashing and the verification walk; where links are written is persistence.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

# Before the first event there is nothing: the first link is bound to this.
GENESIS = "0" * 64
VERIFY_BATCH = 2000

chain_metadata = MetaData()

event_chain = Table(
    "event_chain",
    chain_metadata,
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False),
    Column("originator_id", Uuid, nullable=False),
    Column("originator_version", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("event_chain_by_record", "originator_id", "originator_version"),
)

# The heads ``audit verify`` has confirmed, with when: each later run checks the record still leads
# to every one of them, so the loss of the newest events is caught without anything kept elsewhere
# (as long as this table survives; a head kept outside the database does not depend on that).
chain_checks = Table(
    "chain_checks",
    chain_metadata,
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("checked_at", DateTime(timezone=False), nullable=False),
)


class StoredLike(Protocol):
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def digest_of(event: StoredLike) -> str:
    """SHA-256 of one stored event, field by field with lengths, so no two events share an encoding."""
    h = hashlib.sha256()
    topic = event.topic.encode()
    state = bytes(event.state)
    originator_id = event.originator_id
    h.update((originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))).bytes)
    h.update(int(event.originator_version).to_bytes(8, "big", signed=True))
    h.update(len(topic).to_bytes(4, "big"))
    h.update(topic)
    h.update(len(state).to_bytes(8, "big"))
    h.update(state)
    return h.hexdigest()


def link_hash(previous: str, position: int, digest: str) -> str:
    return hashlib.sha256(f"{previous}:{position}:{digest}".encode()).hexdigest()


def links_for(previous: str, positions: Sequence[int], events: Sequence[StoredLike]) -> list[dict[str, Any]]:
    """The chain rows for events just given ``positions``, after the link whose hash is ``previous``."""
    rows = []
    for position, event in zip(positions, events, strict=True):
        digest = digest_of(event)
        previous = link_hash(previous, position, digest)
        rows.append(
            {
                "position": position,
                "originator_id": event.originator_id,
                "originator_version": event.originator_version,
                "digest": digest,
                "hash": previous,
            }
        )
    return rows


def head_statement() -> Any:
    return select(event_chain.c.position, event_chain.c.hash).order_by(event_chain.c.position.desc()).limit(1)


def append_links(session: Any, positions: Sequence[int], events: Sequence[StoredLike]) -> None:
    """Writes the links of events just inserted, in the caller's transaction.

    The caller holds the log's write lock (PostgreSQL: the events table locked EXCLUSIVE by the
    recorder before it took the positions; SQLite: the database's single writer), so the head read
    here is the newest committed link and no other writer can link after it until this commits.
    """
    if not positions:
        return
    head = session.execute(head_statement()).first()
    if head is not None and head.position >= positions[0]:
        # Positions handed out of commit order would fork the chain: refuse the write rather than do that.
        raise RuntimeError(
            f"event {positions[0]} would be linked after event {head.position}: the log's positions are not in "
            "commit order, so the chain refuses to fork"
        )
    rows = links_for(head.hash if head is not None else GENESIS, positions, events)
    session.execute(insert(event_chain), rows)


# ------------------------------------------------------------------------------------------ verification


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: how many events, the head, and the first fault (None when sound)."""

    count: int
    head_position: int
    head_hash: str
    fault: str | None = None
    fault_position: int | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None

    @property
    def head(self) -> str:
        """The head as it is published: ``position:hash``."""
        return f"{self.head_position}:{self.head_hash}"


@dataclass(frozen=True)
class Anchor:
    """A head kept elsewhere: the record must still reach ``position`` with this ``hash``."""

    position: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        position, _, digest = text.strip().partition(":")
        if not position.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(
                f"{text!r} is not a published head: give it as POSITION:HASH, e.g. 1204:<64 hexadecimal digits>"
            )
        return cls(int(position), digest)


class Fault(Exception):
    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position


def _describe(event: Any) -> str:
    return f"{event.originator_id} version {event.originator_version}"


def walk(
    events: Iterator[Any],
    links: Iterator[Any],
    *,
    where_is_event: Callable[[UUID, int], int | None],
    where_is_link: Callable[[UUID, int], int | None],
    anchors: Sequence[Anchor] = (),
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, str]:
    """Recomputes the chain from the events, position by position, against the stored links.

    ``events`` and ``links`` are both ordered by position. Returns (count, head position, head hash)
    or raises ``Fault`` naming the first position that is wrong and what happened there. Each anchor
    (a head published earlier) must be met on the way, with the same hash.
    """
    expected_at = {anchor.position: anchor.hash for anchor in anchors}
    previous = GENESIS
    count = 0
    head_position = 0
    event = next(events, None)
    link = next(links, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event.id < link.position):
            raise Fault(event.id, f"event {event.id} ({_describe(event)}) was inserted: the chain has no link for it")
        if event is None or link.position < event.id:
            raise Fault(link.position, f"event {link.position} ({_describe(link)}) was removed from the log")
        position = event.id
        if event.originator_version != link.originator_version or str(event.originator_id) != str(link.originator_id):
            moved_to = where_is_event(link.originator_id, link.originator_version)
            linked_at = where_is_link(event.originator_id, event.originator_version)
            if moved_to is not None and linked_at is not None:
                raise Fault(
                    position,
                    f"event {position} was reordered: it holds {_describe(event)}, which the chain has at event "
                    f"{linked_at}; the chain's event {position} ({_describe(link)}) is now at {moved_to}",
                )
            if linked_at is None:
                raise Fault(position, f"event {position} ({_describe(event)}) was inserted: the chain never had it")
            raise Fault(position, f"event {position} ({_describe(link)}) was removed; another event took its place")
        digest = digest_of(event)
        if digest != link.digest:
            what = f"event {position} ({_describe(event)})"
            raise Fault(position, f"{what} was edited: its content is not what was recorded")
        expected = link_hash(previous, position, digest)
        if expected != link.hash:
            raise Fault(
                position,
                f"the chain breaks at event {position}: the events before it are not the ones it was linked to "
                f"(an event before {position} was removed with its link, or the link was edited)",
            )
        previous = expected
        if expected_at.get(position, previous) != previous:
            raise Fault(
                position,
                f"event {position} no longer leads to the head published for it: the record up to it was rewritten",
            )
        head_position = position
        count += 1
        if progress is not None and count % VERIFY_BATCH == 0:
            progress(VERIFY_BATCH)
        event = next(events, None)
        link = next(links, None)
    if progress is not None and count % VERIFY_BATCH:
        progress(count % VERIFY_BATCH)
    beyond = [anchor.position for anchor in anchors if anchor.position > head_position]
    if beyond:
        raise Fault(
            head_position + 1,
            f"the newest events were removed: the record ends at event {head_position}, but a head was published "
            f"at event {max(beyond)}",
        )
    return count, head_position, previous


def _batches(connection: Any, statement_after: Callable[[int], Any], key: str) -> Iterator[Any]:
    """Every row of a table in position order, read in batches (memory stays flat)."""
    after = 0
    while True:
        rows = connection.execute(statement_after(after)).all()
        yield from rows
        if len(rows) < VERIFY_BATCH:
            return
        after = getattr(rows[-1], key)


def verify(
    engine: Any,
    events: Table,
    *,
    anchors: Sequence[Anchor] = (),
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Walks the whole log and its chain, checking every anchor given and every head verified before."""
    ev, ln = events.c, event_chain.c

    with engine.connect() as connection:
        # Where this run stops, read from both tables in one statement (one snapshot): an event and its
        # link commit together, so events written while the walk runs all lie beyond it and are left for
        # the next run, instead of looking like an event without a link.
        newest = connection.execute(
            select(select(func.max(ev.id)).scalar_subquery(), select(func.max(ln.position)).scalar_subquery())
        ).one()
    stop = max(newest[0] or 0, newest[1] or 0)

    def events_after(after: int) -> Any:
        columns = (ev.id, ev.originator_id, ev.originator_version, ev.topic, ev.state)
        return select(*columns).where(ev.id > after, ev.id <= stop).order_by(ev.id).limit(VERIFY_BATCH)

    def links_after(after: int) -> Any:
        query = select(event_chain).where(ln.position > after, ln.position <= stop)
        return query.order_by(ln.position).limit(VERIFY_BATCH)

    with engine.connect() as lookups, engine.connect() as reading_events, engine.connect() as reading_links:

        def where_is_event(originator_id: UUID, version: int) -> int | None:
            query = select(ev.id).where(ev.originator_id == originator_id, ev.originator_version == version)
            return lookups.execute(query).scalar()

        def where_is_link(originator_id: UUID, version: int) -> int | None:
            query = select(ln.position).where(ln.originator_id == originator_id, ln.originator_version == version)
            return lookups.execute(query).scalar()

        known = [Anchor(row.position, row.hash) for row in lookups.execute(select(chain_checks))]
        try:
            count, position, head = walk(
                _batches(reading_events, events_after, "id"),
                _batches(reading_links, links_after, "position"),
                where_is_event=where_is_event,
                where_is_link=where_is_link,
                anchors=[*known, *anchors],
                progress=progress,
            )
        except Fault as fault:
            return Verification(0, 0, GENESIS, fault=str(fault), fault_position=fault.position)
    return Verification(count, position, head)


def record_check(engine: Any, verification: Verification, at: datetime) -> None:
    """Keeps a verified head, so later runs check the record still reaches it."""
    if not verification.ok or verification.head_position == 0:
        return
    try:
        with engine.begin() as connection:
            exists = connection.execute(
                select(chain_checks.c.position).where(chain_checks.c.position == verification.head_position)
            ).first()
            if exists is None:
                connection.execute(
                    insert(chain_checks).values(
                        position=verification.head_position, hash=verification.head_hash, checked_at=at
                    )
                )
    except IntegrityError:
        pass  # another verify (a second scheduler) kept the same head at the same moment


def last_check(connection: Any) -> Any:
    """The newest head ``verify`` confirmed (position, hash, checked_at), or None."""
    return connection.execute(select(chain_checks).order_by(chain_checks.c.position.desc()).limit(1)).first()
