"""The event store: eventsourcing-sqlalchemy, plus a timestamp index for "as at" reads.

The library finds an aggregate's past state by version number only. To answer
"what did the record say at 10:00 on 3 May?" we keep one row per event
(aggregate id, version, recorded at) in ``event_timeline``, written in the same
transaction as the events themselves so the two can never disagree. A save may bring other
statements for that transaction too (``table_changes``: an account change beside its audit event).
The same transaction writes each event's link in the record's hash chain (application/chain.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Column, DateTime, Index, Integer, MetaData, Table, Uuid, func, insert, select
from sqlalchemy.orm import Session

from application.chain import GENESIS, append_links, chain_metadata, event_chain, links_for

timeline_metadata = MetaData()

event_timeline = Table(
    "event_timeline",
    timeline_metadata,
    Column("originator_id", Uuid, primary_key=True),
    Column("originator_version", Integer, primary_key=True),
    # Stored as naive UTC so SQLite and PostgreSQL compare the same way.
    Column("recorded_at", DateTime(timezone=False), nullable=False),
    Index("event_timeline_by_time", "originator_id", "recorded_at"),
)


def naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


class TimelineRecorder(SQLAlchemyApplicationRecorder):
    """Application recorder that also writes the timestamp index."""

    def create_table(self) -> None:
        super().create_table()
        assert self.datastore.engine is not None
        timeline_metadata.create_all(self.datastore.engine, checkfirst=True)
        chain_metadata.create_all(self.datastore.engine, checkfirst=True)
        self._chain_existing_events()

    @property
    def events_table(self) -> Table:
        return self.events_record_cls.__table__

    def _insert_stored_events(self, session: Session, stored_events: Any, **kwargs: Any) -> Any:
        positions = super()._insert_stored_events(session, stored_events, **kwargs)
        # After the insert: the recorder has taken the log's write lock and the positions.
        append_links(session, positions, stored_events)
        return positions

    def _chain_existing_events(self) -> None:
        """A store written before the chain existed gets its links once, the first time it is opened
        (an empty chain beside existing events); from then on every event is linked as it is written."""
        with self.transaction(commit=True) as session:
            if session.execute(select(event_chain.c.position).limit(1)).first() is not None:
                return
            self._lock_table(session)  # PostgreSQL: no writer (or second opener) between the check and the links
            if session.execute(select(event_chain.c.position).limit(1)).first() is not None:
                return
            previous = None
            after = 0
            columns = self.events_table.c
            while rows := session.execute(
                select(columns.id, columns.originator_id, columns.originator_version, columns.topic, columns.state)
                .where(columns.id > after)
                .order_by(columns.id)
                .limit(2000)
            ).all():
                links = links_for(previous or GENESIS, [r.id for r in rows], rows)
                session.execute(insert(event_chain), links)
                previous, after = links[-1]["hash"], rows[-1].id

    def _insert_events(self, session: Session, stored_events: Any, **kwargs: Any) -> None:
        rows = kwargs.get("timeline") or []
        if rows:
            session.execute(insert(event_timeline), rows)
        # The accounts table's side of an administrator's change (application/account_commands.py):
        # written in this transaction, so the change and its audit event stand or fall together.
        for statement in kwargs.get("table_changes") or ():
            session.execute(statement)

    def version_at(self, originator_id: UUID, moment: datetime) -> int | None:
        """The last version of an aggregate recorded at or before ``moment``."""
        query = select(func.max(event_timeline.c.originator_version)).where(
            event_timeline.c.originator_id == originator_id,
            event_timeline.c.recorded_at <= naive_utc(moment),
        )
        with self.transaction(commit=False) as session:
            return session.execute(query).scalar()


class HubFactory(SQLAlchemyFactory):
    application_recorder_class = TimelineRecorder


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class TimeAsISO(Transcoding):
    type = time
    name = "time_iso"

    def encode(self, obj: time) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> time:
        return time.fromisoformat(data)


class SetAsList(Transcoding):
    type = set
    name = "set_list"

    def encode(self, obj: set[Any]) -> list[Any]:
        return sorted(obj)

    def decode(self, data: list[Any]) -> set[Any]:
        return set(data)
