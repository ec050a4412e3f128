"""The meeting calendar: every meeting with its body, status and the deadlines that hang off it."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Connection, insert, update

from domain.meeting import Meeting
from domain.working_days import minutes_due, papers_due
from projections.base import ReadModel, ReadModelView
from projections.tables import meetings


class CalendarView(ReadModelView):
    read_tables = (meetings,)


class CalendarProjection(ReadModel):
    name = "calendar"
    view_class: ClassVar[type[ReadModelView]] = CalendarView

    def handle(self, connection: Connection, event: Any, notification_id: int) -> None:
        if not isinstance(event, Meeting.Event):
            return
        version = {"version": event.originator_version}
        match event:
            case Meeting.Scheduled():
                connection.execute(
                    insert(meetings).values(
                        id=event.originator_id,
                        body_id=event.body_id,
                        body_name=event.body_name,
                        meeting_date=event.meeting_date,
                        start_time=event.start_time,
                        place=event.place,
                        status="scheduled",
                        public=event.public,
                        additional=event.additional,
                        papers_due=papers_due(event.meeting_date),
                        minutes_due=minutes_due(event.meeting_date),
                        **version,
                    )
                )
                return
            case Meeting.Moved():
                values: dict[str, Any] = {
                    "meeting_date": event.new_date,
                    "start_time": event.new_start_time,
                    "place": event.new_place,
                    "papers_due": papers_due(event.new_date),
                    "minutes_due": minutes_due(event.new_date),
                }
            case Meeting.Cancelled():
                values = {"status": "cancelled"}
            case _:
                values = {}
        connection.execute(update(meetings).where(meetings.c.id == event.originator_id).values(**values, **version))
