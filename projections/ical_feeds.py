"""iCalendar (RFC 5545) feeds, built with the ``icalendar`` library from the read models.

- ``framework_feed``: every meeting of the framework; ``body_feed``: one body's meetings. With
  ``public_only`` (the default, and what the unauthenticated addresses serve) a feed holds only meetings
  open to the public (C3), built from the public columns of a meeting (``queries.calendar.meetings_query``),
  so nothing exempt or unpublished can reach it: no agenda item, paper or proceedings appear at all.
- ``deadlines_feed``: one person's pending reminders as all-day events on their due dates.

Each meeting keeps its UID (the meeting id) for life, so a calendar app that subscribed moves or
cancels its copy (STATUS:CANCELLED) rather than adding another. Meetings are set in London time and
written in UTC ("Z" times): every calendar program reads those the same way, whereas the VTIMEZONE the
library derives from the tz database (a long RDATE list) was misread by vobject, a month out at the
change to summer time; calendar programs show UTC times in the reader's own zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import Connection, select

from projections.queries.calendar import meetings_query, with_stage
from projections.reminders import deadlines_for_user
from projections.tables import bodies

LONDON = ZoneInfo("Europe/London")
UID_DOMAIN = "partnership-hub"
# Meetings record a start time only; calendars need an end, so a meeting is shown as two hours long.
MEETING_LENGTH = timedelta(hours=2)
PRODID = "-//Partnership Hub//Partnership framework calendar//EN"


def _calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/London")
    return calendar


def _finish(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def _meeting_event(row: dict[str, Any], stamp: datetime, *, public_only: bool) -> Event:
    local_start = datetime.combine(row["meeting_date"], row["start_time"], tzinfo=LONDON)
    start = local_start.astimezone(UTC)
    kind = "additional meeting" if row["additional"] else "meeting"
    event = Event()
    event.add("uid", f"meeting-{row['id']}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"{row['body_name']} {kind}")
    event.add("location", row["place"])
    cancelled = row["status"] == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    lines = [f"{row['body_name']}: {kind} on {row['meeting_date']:%A %-d %B %Y} at {local_start:%H:%M}."]
    lines.append(f"{with_stage(dict(row), public_only=public_only)['stage_label']}.")
    if cancelled:
        lines.append("This meeting is cancelled.")
    elif row["agenda_published_on"] is not None:
        lines.append(f"Agenda and papers published on {row['agenda_published_on']:%-d %B %Y}.")
    else:
        lines.append(f"Agenda and papers due by {row['papers_due']:%-d %B %Y}.")
    if not public_only:
        event.add("sequence", row["version"])
        if not row["public"]:
            lines.append("Not open to the public.")
    event.add("description", " ".join(lines))
    return event


def _meeting_rows(connection: Connection, *, public_only: bool, body_id: UUID | None) -> Iterable[dict[str, Any]]:
    query = meetings_query(public_only=public_only, body_id=body_id)
    return (dict(r) for r in connection.execute(query).mappings())


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(tz=UTC)).astimezone(UTC)


def framework_feed(connection: Connection, *, public_only: bool = True, now: datetime | None = None) -> bytes:
    """Every meeting in the framework; with ``public_only``, only those open to the public."""
    calendar = _calendar(
        "Partnership framework meetings",
        "Meetings of the partnership framework's conferences, consultative groups and other bodies.",
    )
    stamp = _now(now)
    for row in _meeting_rows(connection, public_only=public_only, body_id=None):
        calendar.add_component(_meeting_event(row, stamp, public_only=public_only))
    return _finish(calendar)


def body_name(connection: Connection, body_id: UUID) -> str | None:
    return connection.scalar(select(bodies.c.name).where(bodies.c.id == body_id))


def body_feed(connection: Connection, body_id: UUID, *, public_only: bool = True, now: datetime | None = None) -> bytes:
    """One body's meetings; with ``public_only``, only those open to the public."""
    name = body_name(connection, body_id) or "Unknown body"
    calendar = _calendar(f"{name}: meetings", f"Meetings of {name}, from the partnership framework's calendar.")
    stamp = _now(now)
    for row in _meeting_rows(connection, public_only=public_only, body_id=body_id):
        calendar.add_component(_meeting_event(row, stamp, public_only=public_only))
    return _finish(calendar)


def deadlines_feed(connection: Connection, user_id: str, *, now: datetime | None = None) -> bytes:
    """One person's deadlines: each pending reminder as an all-day event on its due date."""
    calendar = _calendar("My partnership deadlines", "Deadlines from your Partnership Hub reminders.")
    stamp = _now(now)
    for item in deadlines_for_user(connection, user_id):
        event = Event()
        event.add("uid", f"reminder-{item['reminder_id']}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["due_date"])
        event.add("dtend", item["due_date"] + timedelta(days=1))
        event.add("summary", f"{item['rule_label']}: {item['subject_name']}")
        event.add("description", item["title"])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        event.add("sequence", item["version"])
        calendar.add_component(event)
    return _finish(calendar)
