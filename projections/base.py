"""How a read model follows the event log, using eventsourcing's own projection support.

A read model is an eventsourcing ``Projection`` whose view is a tracking recorder
(``ReadModelView``): the rows a batch of events produces and the tracking
position after it are written in ONE database transaction. After a crash at any
point the transaction is either wholly there or wholly absent, so processing
resumes from the recorded position with no gap and no duplicate.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import Connection, Table, delete, inspect, text, update
from sqlalchemy.exc import IntegrityError as SQLAlchemyIntegrityError
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import Session

APPLICATION_NAME = "PartnershipHub"

# eventsourcing-sqlalchemy names every tracking record class alike, and SQLAlchemy
# warns each time another read model defines one; the tables themselves are distinct.
warnings.filterwarnings("ignore", message=".*NotificationTrackingRecord.*", category=SAWarning)


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


class ReadModelView(SQLAlchemyTrackingRecorder):
    """The tracking recorder that also owns a read model's tables."""

    # Not "tables": the library keeps its own list under that name.
    read_tables: ClassVar[Sequence[Table]] = ()

    def create_table(self) -> None:
        super().create_table()
        engine = self.datastore.engine
        assert engine is not None
        if self._schema_changed(engine):
            # Tables that no longer match the code (a column or a table added since they were built)
            # are dropped and the read model rebuilt from event one on its next catch-up.
            for table in reversed(self.read_tables):
                table.drop(engine, checkfirst=True)
            with self.transaction(commit=True) as session:
                session.execute(delete(self.tracking_table))
        for table in self.read_tables:
            table.create(engine, checkfirst=True)

    def _schema_changed(self, engine: Any) -> bool:
        inspector = inspect(engine)
        return any(
            not inspector.has_table(table.name)
            or {column["name"] for column in inspector.get_columns(table.name)} != set(table.columns.keys())
            or {index["name"] for index in inspector.get_indexes(table.name)} != {i.name for i in table.indexes}
            for table in self.read_tables
        )

    def drop(self) -> None:
        """Removes the rows and the tracking position, ready to rebuild from zero."""
        with self.transaction(commit=True) as session:
            for table in reversed(self.read_tables):
                session.execute(delete(table))
            session.execute(delete(self.tracking_table))

    def record(
        self,
        events: Sequence[tuple[DomainEventProtocol[Any], Tracking]],
        handle: Callable[[Connection, Any, int], None],
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        """Writes the rows for ``events`` and the last tracking position in one transaction.

        Several processes may project at once (each server catching up, the projections worker). The
        transaction first takes this read model's lock, then reads the position under it and skips what
        another process recorded meanwhile, so no event is applied twice and the position never moves
        back. Without the lock two transactions both read the old position and, under PostgreSQL's
        READ COMMITTED, both apply the events.
        """
        if not events:
            return
        application_name = events[-1][1].application_name
        with self.transaction(commit=True) as session:
            self._lock(session, application_name)
            position = self.max_tracking_id(application_name) or 0
            events = [item for item in events if item[1].notification_id > position]
            if not events:
                return
            connection = session.connection()
            for event, tracking in events:
                handle(connection, event, tracking.notification_id)
            if before_commit is not None:
                before_commit()  # tests inject a crash here, between the rows and the commit
            self._insert_tracking(session, events[-1][1])

    def _lock(self, session: Session, application_name: str) -> None:
        """Held until the transaction ends: PostgreSQL's advisory lock for this read model (it exists
        before the tracking row does); on SQLite a no-op write, which takes the database's write lock."""
        if session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(self.tracking_table.name.encode())
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        else:
            session.execute(
                update(self.tracking_table)
                .where(self.tracking_table.c.application_name == application_name)
                .values(notification_id=self.tracking_table.c.notification_id)
            )


class ReadModel(Projection[ReadModelView]):
    """A projection of the hub's events into SQL rows.

    Subclasses implement ``handle``; the library's ``ProjectionRunner`` calls
    ``process_event`` one event at a time, and our poller calls ``process_batch``.
    """

    view_class: ClassVar[type[ReadModelView]] = ReadModelView
    # Called inside the transaction, after the rows are written: a seam for crash tests.
    before_commit: Callable[[], None] | None = None

    def handle(self, connection: Connection, event: Any, notification_id: int) -> None:
        raise NotImplementedError

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        # The library's runner hands over events one by one from where it started; another process
        # may have recorded the first position of all at the same moment (there was no tracking row to
        # lock yet). Its transaction was refused and wrote nothing, so the runner moves on instead of
        # stopping for good.
        try:
            self.process_batch([(domain_event, tracking)])
        except (IntegrityError, SQLAlchemyIntegrityError):
            if not self.view.has_tracking_id(tracking.application_name, tracking.notification_id):
                raise

    def process_batch(self, events: Sequence[tuple[DomainEventProtocol[Any], Tracking]]) -> None:
        self.view.record(events, self.handle, self.before_commit)
