"""Snapshots: an aggregate's state every so many events, so loading a long-lived record stays flat.

Two pieces on top of the library's snapshotting:

- ``StateSnapshot`` stores the state so that it decodes to exactly the objects it was taken from. The
  library's JSON transcoder writes a ``StrEnum`` as a plain string, a tuple as a list and an int key as a
  string, so a body restored with it would have ``kind`` a ``str`` (``kind is BodyKind.X`` false) and a
  meeting's agenda keyed by ``"1"``. Here every enum, dataclass, tuple, set and dict is tagged with what
  it was; dates, times, datetimes and UUIDs go through the transcoder's own transcodings.
- ``SnapshottingRepository`` also takes a snapshot when a load has replayed more than the interval's
  worth of events: a store written before snapshots existed gets its first one on the first load,
  after which the library's every-N-events snapshots keep the tail short.

A snapshot is an optimisation: failing to write one (another process wrote the same one first, or the
database is briefly unavailable) is logged and never fails the load or the command.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from enum import Enum
from itertools import chain
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import EventStore, IntegrityError
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy.exc import IntegrityError as SQLAlchemyIntegrityError

logger = logging.getLogger(__name__)

# Marks a tagged value in the encoded state. Every dict in the state is tagged (a plain dict never
# appears in the encoding), so a record's own keys can never be mistaken for a tag.
TAG = "~"
# Only the domain's own types are rebuilt from a snapshot's topics.
DOMAIN_PACKAGE = "domain."


class StateSnapshot(Snapshot):
    """The library's ``Snapshot``, with the state encoded so that it round-trips exactly."""

    @classmethod
    def take(cls, aggregate: Any) -> StateSnapshot:
        taken = super().take(aggregate)
        return dataclasses.replace(taken, state={name: encode(value) for name, value in taken.state.items()})

    def mutate(self, _: None) -> Any:
        decoded = dataclasses.replace(self, state={name: decode(value) for name, value in self.state.items()})
        return Snapshot.mutate(decoded, None)


def encode(value: Any) -> Any:
    """``value`` as JSON-style values and the transcoder's own types, tagged with what it was."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if isinstance(value, Enum):
        return {TAG: "enum", "type": get_topic(kind), "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            TAG: "dataclass",
            "type": get_topic(kind),
            "fields": [[f.name, encode(getattr(value, f.name))] for f in dataclasses.fields(value)],
        }
    if kind is list:
        return [encode(item) for item in value]
    if kind in (tuple, set, frozenset):
        return {TAG: kind.__name__, "items": [encode(item) for item in value]}
    if kind is dict:
        return {TAG: "dict", "items": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (str, int, float, list, tuple, dict, set)):
        raise TypeError(f"cannot snapshot a {kind.__qualname__}: a subclass of a built-in would lose its type")
    return value  # date, time, datetime, UUID, Decimal: the transcoder has a transcoding for each


def decode(value: Any) -> Any:
    """The inverse of ``encode``."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = value[TAG]
    if tag == "enum":
        return _domain_type(value["type"])(value["value"])
    if tag == "dataclass":
        cls = _domain_type(value["type"])
        obj = object.__new__(cls)
        for name, field_value in value["fields"]:
            object.__setattr__(obj, name, decode(field_value))  # frozen dataclasses too
        return obj
    if tag == "dict":
        return {decode(k): decode(v) for k, v in value["items"]}
    containers: dict[str, Callable[[list[Any]], Any]] = {"tuple": tuple, "set": set, "frozenset": frozenset}
    return containers[tag]([decode(item) for item in value["items"]])


def _domain_type(topic: str) -> type:
    if not topic.startswith(DOMAIN_PACKAGE):
        raise ValueError(f"a snapshot names {topic!r}, which is not a type of the domain")
    return cast(type, resolve_topic(topic))


def put_snapshot(store: EventStore[UUID], aggregate: Aggregate) -> None:
    """Stores a snapshot of ``aggregate`` as it is now (no pending events); failures are only logged."""
    try:
        store.put([StateSnapshot.take(aggregate)])
    except (IntegrityError, SQLAlchemyIntegrityError):
        pass  # another process took the same snapshot first: it holds the same state
    except Exception:
        logger.exception("could not snapshot %s %s at version %s", type(aggregate).__name__, aggregate.id,
                         aggregate.version)  # fmt: skip


class SnapshottingRepository(Repository[UUID]):
    """The library's repository, which also snapshots an aggregate whose load replayed a long tail."""

    def __init__(self, *args: Any, intervals: Mapping[type, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervals = dict(intervals)

    def _reconstruct_aggregate(self, aggregate_id: UUID, version: int | None, projector_func: Any) -> Any:
        # The library's own reconstruction (the nearest snapshot at or below ``version``, then the events
        # after it up to ``version``), counting the events replayed.
        snapshots: list[Any] = []
        if self.snapshot_store is not None:
            snapshots = list(self.snapshot_store.get(originator_id=aggregate_id, desc=True, limit=1, lte=version))
        after = snapshots[0].originator_version if snapshots else None
        replayed = 0

        def counted(events: Any) -> Any:
            nonlocal replayed
            for event in events:
                replayed += 1
                yield event

        events = self.event_store.get(originator_id=aggregate_id, gt=after, lte=version)
        aggregate = projector_func(None, chain(snapshots, counted(events)))
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version!r} not found.")
        interval = self.intervals.get(type(aggregate))
        # More than one interval's worth: no every-N snapshot covers this stretch (a store older than
        # snapshots, or a version the periodic ones skipped), so keep what this load worked out.
        if self.snapshot_store is not None and interval is not None and replayed > interval:
            put_snapshot(self.snapshot_store, aggregate)
        return aggregate
