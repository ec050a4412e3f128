"""The application's shared machinery: persistence, loading and saving, and what a save reports.

Each command handler loads the aggregate (checking the version the caller saw,
when given), calls the domain method that enforces the rule, and saves; who may
run it is the dispatcher's check (application/commands), made before this runs.
Saving is optimistic: if another writer saved the same aggregate first, the
unique (id, version) key refuses the second write and the caller gets a
ConflictError that names the record; nothing is half-written.
The commands themselves live in body_commands, project_commands and
meeting_commands; hub.PartnershipHub puts them together.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProcessingEvent,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, IntegrityError, JSONTranscoder, Mapper, Recording
from eventsourcing.utils import get_topic

from application.chain import Anchor, Verification, head_statement, last_check, record_check, verify
from application.errors import ConflictError, DuplicateError, NotFound
from application.files import FileStore
from application.people import People, PeopleEventStore, PeopleMapper
from application.persistence import DateAsISO, SetAsList, TimeAsISO, TimelineRecorder, naive_utc
from application.settings import Settings
from application.snapshots import SnapshottingRepository, put_snapshot
from domain.account import Account
from domain.annual_review import AnnualReview
from domain.body import Body
from domain.consultation import Consultation, Response
from domain.erasure import Erasure
from domain.history import HistoryEntry, describe_record
from domain.meeting import Meeting
from domain.membership import ServiceUserShare
from domain.panel import PanelMember
from domain.project import Project
from domain.public_question import PublicQuestion
from domain.reminder import Reminder

R = TypeVar("R")
A = TypeVar("A", bound=Aggregate)

BODY_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/body")
MEETING_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/meeting")
SCAN_BATCH = 1000
# A snapshot every this many events of a body, meeting or project. A load costs one snapshot plus at
# most this many events: at 100 the tail replays in a few milliseconds, for one snapshot row written
# per hundred events. Reminders live for a handful of events and take none.
SNAPSHOT_INTERVAL = 100
logger = logging.getLogger(__name__)


def body_id_for(name: str) -> UUID:
    """Bodies are identified by name, so a body cannot be established twice."""
    return uuid5(BODY_NAMESPACE, " ".join(name.casefold().split()))


def calendar_meeting_id(body_id: UUID, year: int, n: int) -> UUID:
    """The n-th (1 or 2) programmed meeting of a body in a year: planning the calendar twice plans it once."""
    return uuid5(MEETING_NAMESPACE, f"{body_id}/{year}/{n}")


def store_env(database_url: str) -> dict[str, str]:
    """The eventsourcing environment of the event store at ``database_url`` (with the timeline index)."""
    return {"PERSISTENCE_MODULE": "application.persistence:HubFactory", "SQLALCHEMY_URL": database_url}


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


@dataclass(frozen=True)
class Saved:
    """One aggregate a command saved: its version after the command, and the log position of its last event."""

    aggregate_id: UUID
    version: int
    position: int | None


# What the commands running in this thread (or task) have saved, for the dispatcher to report: a
# context variable, so concurrent requests sharing one hub never see each other's saves.
_saves: ContextVar[list[Saved] | None] = ContextVar("partnership_hub_saves", default=None)


# Aggregates a command has already loaded and will save itself, in one save with whatever another
# handler adds to them (deciding a proposal runs the change's own handler on the same body).
_held: ContextVar[dict[UUID, Aggregate] | None] = ContextVar("partnership_hub_held", default=None)


@contextmanager
def holding(*aggregates: Aggregate) -> Iterator[None]:
    """Inside the block, ``_get`` answers these aggregates as they are and ``_save`` leaves them to the caller."""
    token = _held.set({**(_held.get() or {}), **{a.id: a for a in aggregates}})
    try:
        yield
    finally:
        _held.reset(token)


@contextmanager
def recording_saves() -> Iterator[list[Saved]]:
    """Collects every save made inside the block (the dispatcher wraps each command in one)."""
    saves: list[Saved] = []
    token = _saves.set(saves)
    try:
        yield saves
    finally:
        _saves.reset(token)


@dataclass(frozen=True)
class MembershipResult:
    """What a membership change reports: the share after it, and any warning (rule B3)."""

    version: int
    share: ServiceUserShare
    warning: str | None
    member_id: str  # the id of the member who joined or left


@dataclass(frozen=True)
class Numbered:
    """What a command adding a numbered entry to a meeting reports: the meeting's version and the number."""

    version: int
    number: int


@dataclass(frozen=True)
class Publication:
    """What publishing an agenda or minutes reports: late publication is allowed and recorded (C4, C5)."""

    version: int
    late: bool
    due: date


@dataclass(frozen=True)
class BodyPlan:
    """What planning the year does for one body (C1): the meetings it creates, the body's meetings
    already in the year (which it leaves alone), and, when it creates fewer than two, why."""

    body_id: UUID
    body_name: str
    create: tuple[date, ...]
    existing: tuple[date, ...]
    note: str = ""


@dataclass
class CalendarPlan:
    """The outcome of planning a year's calendar, body by body (C1); with ``preview``, what it would do.

    ``planned``: bodies given new meetings (their ids); ``already_planned``: bodies this planner had
    already planned for the year; ``left_alone``: bodies whose own meetings already fill the year, and
    why; ``refused``: bodies that could not be planned, and why; ``bodies``: each body's plan, in order.
    """

    year: int
    preview: bool = False
    planned: dict[UUID, tuple[UUID, ...]] = field(default_factory=dict)
    already_planned: dict[UUID, tuple[UUID, UUID]] = field(default_factory=dict)
    left_alone: dict[UUID, str] = field(default_factory=dict)
    refused: dict[UUID, str] = field(default_factory=dict)
    bodies: list[BodyPlan] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        """How many meetings it creates (or, in a preview, would create)."""
        return sum(len(b.create) for b in self.bodies)

    def summary(self) -> str:
        def bodies(n: int) -> str:
            return f"{n} body" if n == 1 else f"{n} bodies"

        verb = "Would create" if self.preview else "Created"
        meetings = "1 meeting" if self.meetings == 1 else f"{self.meetings} meetings"
        parts = [
            f"{verb} {meetings} for {bodies(len(self.planned))} in {self.year}",
            f"{bodies(len(self.already_planned))} already planned for {self.year}",
            f"{bodies(len(self.left_alone))} left alone because their meetings for {self.year} are already scheduled",
        ]
        if self.refused:
            parts.append(f"{len(self.refused)} not planned")
        return "; ".join(parts) + "."


class HubBase(Application[UUID]):
    """Persistence, clock, loading and optimistic saving, shared by every group of commands."""

    name = "PartnershipHub"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Body: SNAPSHOT_INTERVAL,
        Meeting: SNAPSHOT_INTERVAL,
        Project: SNAPSHOT_INTERVAL,
    }

    def __init__(
        self,
        settings: Settings | Mapping[str, str] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        env: dict[str, str] | None = None,
    ) -> None:
        if isinstance(settings, Mapping):
            # eventsourcing's ProjectionRunner constructs the application from an environment.
            env = {**dict(settings), **(env or {})}
            settings = Settings.for_url(env["SQLALCHEMY_URL"]) if "SQLALCHEMY_URL" in env else None
        self.settings = settings or Settings.from_env()
        self.clock = clock
        super().__init__({**store_env(self.settings.database_url), **(env or {})})
        self.recorder: TimelineRecorder
        # The people register beside the event store: the keys that open the names in the events.
        self.people = People(self.recorder.datastore.engine, self._now)
        self.people.create_table()
        assert isinstance(self.mapper, PeopleMapper)
        self.mapper.people = self.people
        self._erasures_seen = self.people.erased_count()
        self.files = FileStore(self.settings.files_dir)
        # Which bodies and meetings exist, for the few commands that look beyond one record.
        self._index_lock = threading.Lock()
        self._index_position = 0
        self._body_ids: list[UUID] = []
        self._meetings_by_body: dict[UUID, list[UUID]] = {}

    def construct_mapper(self) -> Mapper[UUID]:
        """The mapper that seals people's names in the events it stores (application/people.py)."""
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=PeopleMapper)

    def construct_event_store(self) -> EventStore[UUID]:
        """The library's event store, reading each record's events in one batch (application/people.py)."""
        assert isinstance(self.mapper, PeopleMapper)
        return PeopleEventStore(mapper=self.mapper, recorder=self.recorder)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(TimeAsISO())
        transcoder.register(SetAsList())

    # --------------------------------------------------------------- plumbing

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository with its aggregate cache of ``settings.aggregate_cache_size`` records
        (none at 0), which also snapshots a record whose load replayed a long tail (application/snapshots.py).

        The cache is safe with several processes because every load fast-forwards the cached aggregate
        with the events saved since, by anyone (so a stale write is still refused by the store), and
        hands out a deep copy (so a command that changes the aggregate and then fails leaves the cache
        as it was). Both are fixed on here, whatever the library's environment variables say.
        """
        return SnapshottingRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=self.settings.aggregate_cache_size or None,
            fastforward=True,
            fastforward_skipping=False,
            deepcopy_from_cache=True,
            intervals=self.snapshotting_intervals,
        )

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        """The library's every-N-events snapshot, stored as a ``StateSnapshot`` (exact types)."""
        assert self.snapshots is not None
        put_snapshot(self.snapshots, self.repository.get(aggregate_id, version=version, projector_func=projector_func))

    def close(self) -> None:
        """Also closes the event store's pooled connections (the library's factory leaves them open),
        so a process that set up the store before forking its workers hands them none."""
        super().close()
        engine = self.recorder.datastore.engine
        if engine is not None:
            engine.dispose()

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        # Runs after the events are committed: a snapshot that cannot be taken must not make a saved
        # command look failed. The next load replays a longer tail, and snapshots it.
        try:
            super()._take_snapshots(processing_event)
        except Exception:
            logger.exception("could not take the snapshots after saving %s", list(processing_event.aggregates))

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Hand the recorder the rows of the timestamp index for these events.
        processing_event.saved_kwargs["timeline"] = [
            {
                "originator_id": e.originator_id,
                "originator_version": e.originator_version,
                "recorded_at": naive_utc(e.timestamp),
            }
            for e in processing_event.events
        ]
        return super()._record(processing_event)

    def _now(self) -> datetime:
        return self.clock()

    def _save(self, *aggregates: Aggregate, **with_events: Any) -> int | None:
        """Saves atomically; a concurrent writer's version wins and this one raises. ``with_events`` goes
        to the recorder, in the same transaction (``table_changes``: statements on the accounts tables)."""
        held = _held.get()
        if held:
            aggregates = tuple(a for a in aggregates if a.id not in held)
            if not aggregates:
                return None
        created = {a.id for a in aggregates if a.version == len(a.pending_events)}
        try:
            recordings = self.save(*aggregates, **with_events)
        except IntegrityError:
            raise self._conflict(aggregates, created) from None
        saves = _saves.get()
        if saves is not None:
            positions: dict[UUID, int] = {}
            for recording in recordings:
                positions[recording.domain_event.originator_id] = recording.notification.id
            saves.extend(Saved(a.id, a.version, positions.get(a.id)) for a in aggregates)
        return recordings[-1].notification.id if recordings else None

    def _conflict(self, aggregates: tuple[Aggregate, ...], created: set[UUID]) -> Exception:
        for aggregate in aggregates:
            try:
                stored = self.repository.get(aggregate.id)
            except AggregateNotFoundError:
                continue
            if aggregate.id in created:
                what = _what(aggregate)
                return DuplicateError(
                    f"{'an' if what[0] in 'aeiou' else 'a'} {what} named '{_label(stored)}' already exists"
                )
            if stored.version >= aggregate.version:
                return ConflictError(_what(aggregate), _label(aggregate), aggregate.id, stored.version)
        first = aggregates[0]
        return ConflictError(_what(first), _label(first), first.id)

    def _get(self, cls: type[A], id: UUID, expected_version: int | None = None) -> A:
        held = _held.get()
        if held and id in held and isinstance(held[id], cls):
            return held[id]  # type: ignore[return-value]
        self._forget_erased_names()
        try:
            aggregate = self.repository.get(id)
        except AggregateNotFoundError:
            raise NotFound(_WHAT[cls], id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(_WHAT[cls], id)
        if expected_version is not None and aggregate.version != expected_version:
            raise ConflictError(_WHAT[cls], _label(aggregate), aggregate.id, aggregate.version)
        return aggregate

    def _forget_erased_names(self) -> None:
        """Empties the aggregate cache when anyone, in any process, has erased a person since this one
        last looked: cached records hold names in the clear, and a command must not copy an erased name
        into a new event. One small count per load; erasures are rare, so the cache is rarely emptied."""
        erased = self.people.erased_count()
        if erased != self._erasures_seen:
            self.drop_cached_records()
            self._erasures_seen = erased

    def drop_cached_records(self) -> None:
        cache = self.repository.cache
        if cache is None:
            return
        # The library's LRUCache.clear() resets its list but keeps its dict of entries: empty both.
        lock = getattr(cache, "lock", None) or threading.Lock()
        with lock:
            cache.cache.clear()
            if isinstance(cache, LRUCache):
                cache.clear()
                cache.full = False

    def body(self, body_id: UUID) -> Body:
        return self._get(Body, body_id)

    def project(self, project_id: UUID) -> Project:
        return self._get(Project, project_id)

    def meeting(self, meeting_id: UUID) -> Meeting:
        return self._get(Meeting, meeting_id)

    def _refresh_index(self) -> None:
        """Reads the bodies established and meetings scheduled since the index last looked.

        For commands that must see records beyond the one they change (the bodies in the calendar,
        the meetings of a body); pages read the read models instead. Records are never deleted and a
        meeting never changes body, so what was read stays true; reading the newer events first means
        a command sees every record committed before it ran, by any process (the event store gives
        out positions in commit order, so none is skipped).
        """
        body_topic = get_topic(Body.Established)
        topics = [body_topic, get_topic(Meeting.Scheduled)]
        with self._index_lock:
            while notifications := self.recorder.select_notifications(
                start=self._index_position + 1, limit=SCAN_BATCH, topics=topics
            ):
                for notification in notifications:
                    if notification.topic == body_topic:
                        self._body_ids.append(notification.originator_id)
                    else:
                        scheduled = self.mapper.to_domain_event(notification)
                        self._meetings_by_body.setdefault(scheduled.body_id, []).append(notification.originator_id)
                self._index_position = notifications[-1].id

    def find_body(self, name: str) -> Body | None:
        try:
            return self._get(Body, body_id_for(name))
        except NotFound:
            return None

    # ---------------------------------------------------------------- as at

    def as_at(self, aggregate_id: UUID, moment: datetime) -> Body | Project | Meeting | None:
        """The aggregate as the record stood at ``moment``; None if it did not exist yet."""
        version = self.recorder.version_at(aggregate_id, moment)
        if version is None:
            return None
        return self.repository.get(aggregate_id, version=version)

    # ----------------------------------------------------------- the chain

    def verify_record(
        self, anchors: tuple[Anchor, ...] = (), progress: Callable[[int], None] | None = None, *, keep: bool = True
    ) -> Verification:
        """Recomputes the record's hash chain from the first event (application/chain.py); a sound
        record's head is kept (``keep``), so later runs check the record still reaches it."""
        engine = self.recorder.datastore.engine
        verification = verify(engine, self.recorder.events_table, anchors=anchors, progress=progress)
        if keep:
            record_check(engine, verification, naive_utc(self._now()))
        return verification

    def chain_head(self) -> str | None:
        """The newest link's ``position:hash`` (None for an empty log): what a copy kept elsewhere holds."""
        with self.recorder.datastore.engine.connect() as connection:
            head = connection.execute(head_statement()).first()
        return None if head is None else f"{head.position}:{head.hash}"

    def last_verified(self) -> tuple[int, str, datetime] | None:
        """The newest head ``verify_record`` confirmed: (position, hash, when, naive UTC), or None."""
        with self.recorder.datastore.engine.connect() as connection:
            check = last_check(connection)
        return None if check is None else (check.position, check.hash, check.checked_at)

    def history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, oldest first, in plain English."""
        events = list(self.events.get(aggregate_id))
        if not events:
            raise NotFound("record", aggregate_id)
        return describe_record(events)


_WHAT: dict[type, str] = {
    Body: "body",
    Project: "project",
    Meeting: "meeting",
    Reminder: "reminder",
    Account: "account",
    AnnualReview: "annual review",
    PublicQuestion: "question from the public",
    Consultation: "consultation",
    Response: "response",
    PanelMember: "panel member",
    Erasure: "erasure",
}


def _what(aggregate: Aggregate) -> str:
    return _WHAT.get(type(aggregate), "record")


def _label(aggregate: Any) -> str:
    if isinstance(aggregate, Body):
        return aggregate.name
    if isinstance(aggregate, Project):
        return aggregate.title
    if isinstance(aggregate, Meeting):
        return f"{aggregate.body_name} on {aggregate.date:%d %B %Y}"
    if isinstance(aggregate, Reminder):
        return aggregate.title
    if isinstance(aggregate, Account):
        return aggregate.user_id
    if isinstance(aggregate, (AnnualReview, Consultation)):
        return aggregate.title
    return str(aggregate.id)
