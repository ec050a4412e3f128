"""The people register and the sealing of names in the record, so that a person's name can be erased
without changing an event (crypto-shredding; UK GDPR's right to erasure).

There is no person id in the domain: events name people in free text (a member, the officers elected,
those at a meeting, who declared an interest), and the domain keeps seeing plain names. Here, beside
the event store, ``person_keys`` holds one row per person: an id, the name's normalised form (used
only to find the person again when their name is written next), and a key of their own (Fernet:
AES-128-CBC with HMAC-SHA256). A person is found, or created, by the normalised name the first time
an event naming them is stored.

``PeopleMapper`` is the event store's mapper: before an event is encoded, each field its class names
in ``PERSONAL`` is replaced by ``{"person": ID, "sealed": TOKEN}``, the name encrypted with that
person's key; reading the event back opens it again. The log therefore holds ciphertext and a person
id, and the hash chain covers those stored bytes. Erasing a person (``erase_statements``) destroys the
key and the normalised name in the same transaction as the ``Erasure`` event; from then on every read
of those fields gives ``NAME_ERASED``: the history, a replayed aggregate, a rebuilt read model and an
export alike. The event is unchanged, so ``audit verify`` still passes.

Each decoded event also carries which person each name belongs to (``domain.erasure.people_in``), so
the read models can replace a name when the erasure event reaches them, and agree with a rebuild.
Keys are looked up for every read (never cached across reads): a web worker in another process sees
an erasure at its next read.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken
from eventsourcing.persistence import EventStore, Mapper, StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Executable,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from application.persistence import naive_utc
from application.side_tables import create_side_tables
from domain.body import Body
from domain.erasure import NAME_ERASED, PEOPLE_ATTRIBUTE
from domain.meeting import Meeting
from domain.public_question import PublicQuestion

people_metadata = MetaData()

person_keys = Table(
    "person_keys",
    people_metadata,
    Column("person_id", Uuid, primary_key=True),
    # The name as first written, then casefolded with its spaces collapsed: how the person is found
    # when an event names them again. Both are emptied by an erasure, with the key.
    Column("name_key", String(300), unique=True),
    Column("display_name", String(300)),
    Column("key", String(64)),  # Fernet key (url-safe base64); NULL once erased
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("erased_at", DateTime(timezone=False)),
)

# The fields of each event that name a person: "field" (a name), "field[]" (a list of names) or
# "field[].key" (a list of objects, each naming a person under key).
PERSONAL: dict[type, tuple[str, ...]] = {
    Body.MemberJoined: ("person",),
    Body.MemberLeft: ("person",),
    Body.OfficersElected: ("chair_name", "vice_chair_name"),
    Meeting.AttendanceRecorded: (
        "present[]",
        "absent[]",
        "guests[]",
        "officers[]",
        "apologies[].person",
        "apologies[].substitute",
    ),
    Meeting.InterestDeclared: ("person",),
    Meeting.Scheduled: ("lead_officer",),
    Meeting.AgendaItemAdded: ("presenter",),
    Meeting.ActionRecorded: ("owner",),
    Meeting.MinutesCleared: ("cleared_by",),
    # A question from the public (C7): the asker's name, and their address as a person of its own.
    PublicQuestion.Asked: ("name", "email"),
}
# Sealed, but never shown by a read model: no read model is told whose they are (so none keeps them).
NOT_SHOWN: dict[type, tuple[str, ...]] = {PublicQuestion.Asked: ("email",)}
PERSONAL_TOPICS: dict[str, tuple[str, ...]] = {get_topic(cls): paths for cls, paths in PERSONAL.items()}

KEYS_FORMAT = "partnership-hub-keys"
SEALED = "sealed"
PERSON = "person"


def keys_path_for(path: Path) -> Path:
    """Where the keys to people's names go beside an export FILE: FILE.keys."""
    return path.with_name(path.name + ".keys")


def name_key(name: str) -> str:
    """How a name is matched: casefolded, spaces collapsed ("Jane  SMITH" and "jane smith" are one person)."""
    return " ".join(name.casefold().split())


def _is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {PERSON, SEALED}


def _walk(state: dict[str, Any], path: str, change: Callable[[Any], Any]) -> None:
    """Applies ``change`` to every value at ``path`` in an event's state, in place."""
    field, is_list, rest = path.partition("[]")
    if field not in state or state[field] is None:
        return
    if not is_list:
        state[field] = change(state[field])
        return
    items = state[field]
    if not isinstance(items, list):
        return
    key = rest.lstrip(".")
    if not key:
        state[field] = [change(v) for v in items]
        return
    for item in items:
        if isinstance(item, dict) and key in item and item[key] is not None:
            item[key] = change(item[key])


@dataclass(frozen=True)
class Person:
    person_id: UUID
    display_name: str | None
    erased_at: datetime | None
    created_at: datetime


class People:
    """The people register: finds or creates a person by name, and hands out their keys."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create_table(self) -> None:
        create_side_tables(people_metadata, self.engine)

    def _now(self) -> datetime:
        return naive_utc(self.clock())

    def key_for(self, name: str) -> tuple[UUID, bytes]:
        """The person with this name (created with a new key if there is none, or only an erased one)."""
        key = name_key(name)
        query = select(person_keys.c.person_id, person_keys.c.key).where(person_keys.c.name_key == key)
        for _attempt in range(3):
            with self.engine.connect() as connection:
                row = connection.execute(query).first()
                if row is not None:
                    return row.person_id, row.key.encode()
                new_key = Fernet.generate_key()
                try:
                    person_id = uuid.uuid4()
                    connection.execute(
                        insert(person_keys).values(
                            person_id=person_id,
                            name_key=key,
                            display_name=" ".join(name.split())[:300],
                            key=new_key.decode(),
                            created_at=self._now(),
                        )
                    )
                    connection.commit()
                    return person_id, new_key
                except IntegrityError:
                    connection.rollback()  # another writer created them first: read theirs
        raise RuntimeError(f"could not find or create the person named in an event ({len(name)} characters)")

    def keys_of(self, person_ids: Sequence[UUID]) -> dict[UUID, bytes]:
        """The keys of these people that still exist (an erased person has none)."""
        if not person_ids:
            return {}
        query = select(person_keys.c.person_id, person_keys.c.key).where(
            person_keys.c.person_id.in_(sorted(set(person_ids))), person_keys.c.key.is_not(None)
        )
        with self.engine.connect() as connection:
            return {row.person_id: row.key.encode() for row in connection.execute(query)}

    def find(self, who: str) -> Person | None:
        """A person by their id or by their name (as the register matches names)."""
        try:
            condition = person_keys.c.person_id == UUID(who.strip())
        except ValueError:
            condition = person_keys.c.name_key == name_key(who)
        query = select(
            person_keys.c.person_id, person_keys.c.display_name, person_keys.c.erased_at, person_keys.c.created_at
        ).where(condition)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else Person(row.person_id, row.display_name, row.erased_at, row.created_at)

    def erased_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).where(person_keys.c.erased_at.is_not(None))).scalar() or 0

    def write_keys(self, path: Path) -> int:
        """Writes every key not destroyed to ``path`` (JSON Lines, readable by its owner only), oldest
        person first: the keys file that travels beside an export. An erased person's key is not in it."""
        query = (
            select(person_keys)
            .where(person_keys.c.key.is_not(None))
            .order_by(person_keys.c.created_at, person_keys.c.person_id)
        )
        count = 0
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out, self.engine.connect() as connection:
            out.write(json.dumps({"format": KEYS_FORMAT, "version": 1}) + "\n")
            for row in connection.execute(query):
                entry = {
                    "person": str(row.person_id),
                    "key": row.key,
                    "name_key": row.name_key,
                    "name": row.display_name,
                    "created_at": row.created_at.isoformat(),
                }
                out.write(json.dumps(entry, sort_keys=True) + "\n")
                count += 1
        return count

    def read_keys(self, path: Path) -> int:
        """Loads a keys file written by ``write_keys`` into this register, all or nothing."""
        with path.open(encoding="utf-8") as source, self.engine.begin() as connection:
            header = json.loads(source.readline() or "{}")
            if header.get("format") != KEYS_FORMAT:
                raise ValueError(f"{path} is not a keys file of Partnership Hub (its first line says what it is)")
            count = 0
            for number, line in enumerate(source, start=2):
                try:
                    row = json.loads(line)
                    Fernet(row["key"].encode())  # refuses a malformed key
                    values = {
                        "person_id": UUID(row["person"]),
                        "key": row["key"],
                        "name_key": row.get("name_key"),
                        "display_name": row.get("name"),
                        "created_at": datetime.fromisoformat(row["created_at"]),
                    }
                except (ValueError, KeyError, TypeError, AttributeError) as error:
                    raise ValueError(f"line {number} of {path} is not a person's key: {error}") from None
                try:
                    connection.execute(insert(person_keys).values(values))
                except IntegrityError:
                    raise ValueError(
                        f"line {number} of {path}: this store's people register already holds that person; "
                        "import keys only into a new store, with its export"
                    ) from None
                count += 1
        return count


def erase_statements(person_id: UUID, at: datetime, snapshots_table: Table | None) -> list[Executable]:
    """The statements that erase a person, run in the transaction that records the ``Erasure`` event:
    the key and the name are destroyed; the snapshots, which hold names in the clear, are dropped
    (each record is snapshotted again when it is next loaded)."""
    statements: list[Executable] = [
        update(person_keys)
        .where(person_keys.c.person_id == person_id, person_keys.c.key.is_not(None))
        .values(key=None, name_key=None, display_name=None, erased_at=naive_utc(at))
    ]
    if snapshots_table is not None:
        statements.append(delete(snapshots_table))
    return statements


class PeopleMapper(Mapper[UUID]):
    """The event store's mapper, sealing the names each event class declares personal (``PERSONAL``)."""

    people: People | None = None  # set by the application once its store exists

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        paths = PERSONAL.get(type(domain_event))
        if not paths or self.people is None:
            return super().to_stored_event(domain_event)
        people = self.people
        keys: dict[str, tuple[UUID, Fernet]] = {}

        def seal(value: Any) -> Any:
            if not isinstance(value, str) or not value.strip() or value == NAME_ERASED:
                return value
            found = keys.get(name_key(value))
            if found is None:
                person_id, key = people.key_for(value)
                found = keys[name_key(value)] = (person_id, Fernet(key))
            return {PERSON: str(found[0]), SEALED: found[1].encrypt(value.encode()).decode()}

        state = {k: v for k, v in vars(domain_event).items() if k != PEOPLE_ATTRIBUTE}
        for path in paths:
            field = path.partition("[")[0]
            if isinstance(state.get(field), list):  # copies: the event itself keeps its plain names
                state[field] = [dict(v) if isinstance(v, dict) else v for v in state[field]]
        for path in paths:
            _walk(state, path, seal)
        sealed = type(domain_event).__new__(type(domain_event))
        object.__setattr__(sealed, "__dict__", state)
        return super().to_stored_event(sealed)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return self.to_domain_events([stored_event])[0]

    def to_domain_events(self, stored_events: Sequence[StoredEvent]) -> list[Any]:
        """Decodes a batch of events, with ONE look-up of the keys of every person they name (the read
        models' runner and the history read whole batches)."""
        events = [super(PeopleMapper, self).to_domain_event(stored) for stored in stored_events]
        opening: list[tuple[Any, tuple[str, ...]]] = []
        person_ids: set[str] = set()

        def collect(value: Any) -> Any:
            if _is_sealed(value):
                person_ids.add(value[PERSON])
            return value

        for stored, event in zip(stored_events, events, strict=True):
            paths = PERSONAL_TOPICS.get(stored.topic)
            if paths is None:
                continue
            for path in paths:
                _walk(vars(event), path, collect)
            opening.append((event, paths))
        if not opening:
            return events
        found = self.people.keys_of([UUID(p) for p in person_ids]) if self.people is not None and person_ids else {}
        ciphers = {str(person_id): Fernet(key) for person_id, key in found.items()}
        for event, paths in opening:
            seen: dict[str, UUID] = {}

            def open_(value: Any, seen: dict[str, UUID] = seen, *, shown: bool = True) -> Any:
                if not _is_sealed(value):
                    return value
                cipher = ciphers.get(value[PERSON])
                if cipher is None:
                    return NAME_ERASED
                try:
                    name = cipher.decrypt(value[SEALED].encode()).decode()
                except InvalidToken:
                    return NAME_ERASED
                if shown:  # the read models learn whose a shown name is, never an address
                    seen[name] = UUID(value[PERSON])
                return name

            hidden = NOT_SHOWN.get(type(event), ())
            for path in paths:
                _walk(vars(event), path, open_ if path not in hidden else partial(open_, shown=False))
            if seen:
                object.__setattr__(event, PEOPLE_ATTRIBUTE, seen)
        return events


class PeopleEventStore(EventStore[UUID]):
    """The event store, reading a record's events as one batch: one look-up of the keys to the names in
    them, not one per event (a body's load replays its members joining)."""

    mapper: PeopleMapper

    def get(
        self,
        originator_id: UUID,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[Any]:
        stored = self.recorder.select_events(originator_id=originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        return iter(self.mapper.to_domain_events(list(stored)))
