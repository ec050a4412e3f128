"""How a read model follows the event log, using eventsourcing's own projection support.

A read model is an eventsourcing ``Projection`` whose view is a tracking recorder
(``ReadModelView``): the rows a batch of events produces and the tracking
position after it are written in ONE database transaction. After a crash at any
point the transaction is either wholly there or wholly absent, so processing
resumes from the recorded position with no gap and no duplicate.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import Connection, Table, delete, inspect
from sqlalchemy.exc import SAWarning

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
        """Writes the rows for ``events`` and the last tracking position in one transaction."""
        if not events:
            return
        with self.transaction(commit=True) as session:
            connection = session.connection()
            for event, tracking in events:
                handle(connection, event, tracking.notification_id)
            if before_commit is not None:
                before_commit()  # tests inject a crash here, between the rows and the commit
            self._insert_tracking(session, events[-1][1])


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
        self.process_batch([(domain_event, tracking)])

    def process_batch(self, events: Sequence[tuple[DomainEventProtocol[Any], Tracking]]) -> None:
        self.view.record(events, self.handle, self.before_commit)
