"""The whole record in one file and back: ``partnership-hub export FILE`` and ``import FILE``.

The file is JSON Lines, one JSON object a line, written in a fixed order with sorted keys, so the
same record always gives the same bytes (SQLite or PostgreSQL):

1. the header: ``{"format": "partnership-hub-record", "version": 1, "events": N, "files": M, "head": "P:HASH"}``;
2. one line per event, oldest first: its position in the log, record id and version, topic, the
   stored state (the event's JSON, as text), when it was recorded, and its link's hash in the chain;
3. one line per uploaded file: ``{"file": {"sha256": ..., "size": ...}}``; the files themselves are
   copied beside the export, into ``FILE.files/`` laid out as the file store lays them out.

Import loads such a file into an empty store only, in ONE transaction: every event keeps its
position, every link is recomputed from the events and must equal the hash the file gives, and
the last must equal the header's head; a file that does not verify, or is cut short, leaves the
store as empty as it was. The uploaded files are checked against their SHA-256 before they are
copied into the store. Read models are not in the file: they are rebuilt from the events.

Snapshots are not exported (they are a cache of what the events say) and nor are the accounts
tables (credentials are not part of the record; the ``Account`` audit events are).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy import func, insert, select, text

from application.chain import GENESIS, digest_of, event_chain, head_statement, link_hash
from application.files import FileStore
from application.persistence import TimelineRecorder, event_timeline, naive_utc

FORMAT = "partnership-hub-record"
VERSION = 1
BATCH = 1000


class RecordFileError(Exception):
    """The file cannot be imported (or the store cannot take it): says which line and what to do."""


@dataclass(frozen=True)
class Transfer:
    events: int
    files: int
    head: str


def files_dir_for(path: Path) -> Path:
    """Where the uploaded files of an export go: a directory beside it."""
    return path.with_name(path.name + ".files")


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _stored_files(store: FileStore) -> Iterator[tuple[str, int]]:
    """Every file in the store (sha256, size), in hash order."""
    if not store.root.is_dir():
        return
    for folder in sorted(p for p in store.root.iterdir() if p.is_dir() and len(p.name) == 2):
        for path in sorted(folder.iterdir()):
            if path.is_file() and len(path.name) == 64 and path.name.startswith(folder.name):
                yield path.name, path.stat().st_size


def export_record(
    recorder: TimelineRecorder, files: FileStore, out: IO[str], files_out: Path, progress: Callable[[int], None]
) -> Transfer:
    """Writes the record up to its head as this starts (later writes are left for the next export)."""
    engine = recorder.datastore.engine
    ev = recorder.events_table.c
    with engine.connect() as connection:
        head = connection.execute(head_statement()).first()
        stop = head.position if head is not None else 0
        count = connection.execute(
            select(func.count()).select_from(recorder.events_table).where(ev.id <= stop)
        ).scalar()
    manifest = list(_stored_files(files))  # (hash, size) pairs: small beside the events
    head_text = f"{stop}:{head.hash}" if head is not None else f"0:{GENESIS}"
    out.write(_line({"format": FORMAT, "version": VERSION, "events": count, "files": len(manifest), "head": head_text}))
    statement = select(ev.id, ev.originator_id, ev.originator_version, ev.topic, ev.state, event_chain.c.hash).join(
        event_chain, event_chain.c.position == ev.id, isouter=True
    )
    after = 0
    with engine.connect() as connection:
        while rows := connection.execute(
            statement.where(ev.id > after, ev.id <= stop).order_by(ev.id).limit(BATCH)
        ).all():
            for row in rows:
                out.write(_line(_event_line(row)))
            after = rows[-1].id
            progress(len(rows))
    folders: set[Path] = set()
    for sha256, size in manifest:
        out.write(_line({"file": {"sha256": sha256, "size": size}}))
        _copy(files.path(sha256), files_out / sha256[:2] / sha256, folders)
    return Transfer(count, len(manifest), head_text)


def _copy(source: Path, target: Path, folders: set[Path]) -> None:
    """Copies an uploaded file unless it is already there (files are named by their content)."""
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    elif target.is_file():
        return
    shutil.copyfile(source, target)


def recorded_at(state: bytes) -> datetime | None:
    """When the event was recorded, as its own state says (naive UTC, as the timeline index keeps it);
    None for a state that is not the transcoder's JSON (compressed or encrypted)."""
    try:
        moment = json.loads(state)["timestamp"]
        return naive_utc(datetime.fromisoformat(moment["_data_"]))
    except (ValueError, KeyError, TypeError):
        return None


def _event_line(row: Any) -> dict[str, Any]:
    state = bytes(row.state)
    try:
        stored: dict[str, Any] = {"state": state.decode("utf-8")}
    except UnicodeDecodeError:  # a store with compression or encryption on: kept exactly, as hex
        stored = {"state_hex": state.hex()}
    moment = recorded_at(state)
    return {
        "position": row.id,
        "originator_id": str(row.originator_id),
        "originator_version": row.originator_version,
        "topic": row.topic,
        **stored,
        "recorded_at": moment.isoformat() if moment is not None else None,
        "hash": row.hash,
    }


@dataclass
class _Event:
    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
    recorded_at: datetime | None
    hash: str
    digest: str = ""


def _parse_event(number: int, obj: Any) -> _Event:
    try:
        state = obj["state"].encode("utf-8") if "state" in obj else bytes.fromhex(obj["state_hex"])
        recorded = obj.get("recorded_at")
        event = _Event(
            id=int(obj["position"]),
            originator_id=UUID(obj["originator_id"]),
            originator_version=int(obj["originator_version"]),
            topic=str(obj["topic"]),
            state=state,
            recorded_at=recorded_at(state),
            hash=str(obj["hash"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordFileError(f"line {number} is not an event of an export ({error!r}); the file is damaged") from None
    # The chain covers the state, not this line's copy of the time: the two must agree.
    if recorded != (event.recorded_at.isoformat() if event.recorded_at is not None else None):
        raise RecordFileError(
            f"line {number}: recorded_at is not the time the event itself records; the file was changed"
        )
    event.digest = digest_of(event)
    return event


def read_header(source: IO[str]) -> dict[str, Any]:
    first = source.readline()
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise RecordFileError("line 1 is not a Partnership Hub export's header: is this the file `export` wrote?")
    if header.get("version") != VERSION:
        raise RecordFileError(f"the file is format version {header.get('version')}; this version reads {VERSION}")
    return header


def import_record(
    recorder: TimelineRecorder,
    files: FileStore,
    source: IO[str],
    files_in: Path,
    progress: Callable[[int], None],
) -> Transfer:
    """Loads an export into this empty store, all or nothing (see the module's docstring)."""
    header = read_header(source)
    try:
        return _load(recorder, files, source, files_in, progress, header)
    except IntegrityError:
        # The chain verified, so the file was forged with care, or the store was not as empty as it looked.
        raise RecordFileError(
            "the file holds the same record and version twice, or the store already has some of it; "
            "nothing was imported"
        ) from None


def _load(
    recorder: TimelineRecorder,
    files: FileStore,
    source: IO[str],
    files_in: Path,
    progress: Callable[[int], None],
    header: dict[str, Any],
) -> Transfer:
    engine = recorder.datastore.engine
    table = recorder.events_table
    with recorder.transaction(commit=True) as session:
        recorder._lock_table(session)  # PostgreSQL: no writer can slip in while the log is loaded
        if (
            session.execute(select(table.c.id).limit(1)).first() is not None
            or session.execute(select(event_chain.c.position).limit(1)).first() is not None
        ):
            raise RecordFileError("this store already has events: import only into an empty store (a new database)")
        previous, count, last = GENESIS, 0, 0
        manifest: list[tuple[str, int]] = []
        batch: list[_Event] = []

        def flush() -> None:
            if not batch:
                return
            session.execute(
                insert(table),
                [
                    {
                        "id": e.id,
                        "originator_id": e.originator_id,
                        "originator_version": e.originator_version,
                        "topic": e.topic,
                        "state": e.state,
                    }
                    for e in batch
                ],
            )
            session.execute(
                insert(event_chain),
                [
                    {
                        "position": e.id,
                        "originator_id": e.originator_id,
                        "originator_version": e.originator_version,
                        "digest": e.digest,
                        "hash": e.hash,
                    }
                    for e in batch
                ],
            )
            timeline = [
                {
                    "originator_id": e.originator_id,
                    "originator_version": e.originator_version,
                    "recorded_at": e.recorded_at,
                }
                for e in batch
                if e.recorded_at is not None
            ]
            if timeline:
                session.execute(insert(event_timeline), timeline)
            progress(len(batch))
            batch.clear()

        for number, raw in enumerate(source, start=2):
            try:
                obj = json.loads(raw)
            except ValueError:
                raise RecordFileError(f"line {number} is not JSON; the file is damaged or cut short") from None
            if isinstance(obj, dict) and "file" in obj:
                manifest.append(_parse_file(number, obj["file"]))
                continue
            event = _parse_event(number, obj)
            if manifest or event.id <= last:
                raise RecordFileError(f"line {number}: event {event.id} is out of order; the file was changed")
            previous = link_hash(previous, event.id, event.digest)
            if previous != event.hash:
                raise RecordFileError(
                    f"line {number}: event {event.id}'s chain does not verify (it or an event before it was changed, "
                    "removed or inserted); nothing was imported"
                )
            last = event.id
            count += 1
            batch.append(event)
            if len(batch) >= BATCH:
                flush()
        flush()
        head = f"{last}:{previous}"
        if count != header.get("events") or head != header.get("head"):
            raise RecordFileError(
                f"the file holds {count} events ending at {head}, but its header promises {header.get('events')} "
                f"ending at {header.get('head')}: it was cut short or changed; nothing was imported"
            )
        if len(manifest) != header.get("files"):
            raise RecordFileError(
                f"the file lists {len(manifest)} uploaded files; its header promises {header.get('files')}"
            )
        _check_files(manifest, files_in)
        if engine.dialect.name == "postgresql" and last:
            # The positions came from the file: the log's sequence continues after the last of them.
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {last})"))
    folders: set[Path] = set()
    for sha256, _size in manifest:
        _copy(files_in / sha256[:2] / sha256, files.path(sha256), folders)
    return Transfer(count, len(manifest), head)


def _parse_file(number: int, obj: Any) -> tuple[str, int]:
    try:
        sha256, size = str(obj["sha256"]), int(obj["size"])
    except (KeyError, TypeError, ValueError):
        raise RecordFileError(f"line {number} is not an uploaded file's entry; the file is damaged") from None
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise RecordFileError(f"line {number}: {sha256!r} is not a SHA-256")
    return sha256, size


def _check_files(manifest: list[tuple[str, int]], files_in: Path) -> None:
    """Every listed file is beside the export, whole: before anything is committed."""
    for sha256, size in manifest:
        path = files_in / sha256[:2] / sha256
        if not path.is_file():
            raise RecordFileError(
                f"uploaded file {sha256} is missing from {files_in}: copy the export's .files folder too"
            )
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha256 or path.stat().st_size != size:
            raise RecordFileError(f"uploaded file {path} does not match its SHA-256: it was changed or damaged")
