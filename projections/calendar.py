"""The meeting calendar: every meeting with its body, status and the deadlines that hang off it,
its agenda and papers, what happened at it, its actions (the matters arising) and its minutes.

Everything here comes from the events alone, so a rebuild writes the same rows. Whether an item,
paper, decision, declaration or action is public is settled once, from the item's marking, when its
row is written (G1); the public queries only ever filter on that column and on publication.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import bindparam, delete, update

from domain.erasure import Erasure
from domain.meeting import Meeting
from domain.working_days import minutes_due, papers_due
from projections.base import ReadModel, ReadModelView, Rows
from projections.people import erase_names, note_people
from projections.sql import insert_row, update_where
from projections.tables import (
    actions,
    agenda_items,
    attendance,
    calendar_people,
    decisions,
    interests,
    meetings,
    minutes,
    papers,
)

# Statements built once; values are bound at execution (see projections/sql.py).
_CLEAR_ATTENDANCE = delete(attendance).where(attendance.c.meeting_id == bindparam("meeting_id"))
# The items and papers not yet out go out with the agenda.
_PUBLISH = tuple(
    update(table).where(table.c.meeting_id == bindparam("_meeting_id"), table.c.published.is_(False))
    for table in (agenda_items, papers)
)


class CalendarView(ReadModelView):
    read_tables = (meetings, agenda_items, papers, attendance, interests, decisions, actions, minutes, calendar_people)


def _item_is_public(rows: Rows, meeting_id: Any, item: int | None) -> bool:
    """Business not tied to an item is public; business on an item shares its marking."""
    if item is None:
        return True
    row = rows.get(agenda_items, meeting_id=meeting_id, number=item)
    return bool(row and row["public"])


class CalendarProjection(ReadModel):
    name = "calendar"
    view_class: ClassVar[type[ReadModelView]] = CalendarView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Erasure.NameErased):  # rule P1: the person's name, wherever it stands
            exact = (
                attendance.c.person,
                attendance.c.substitute_for,
                interests.c.person,
                meetings.c.lead_officer,
                meetings.c.minutes_cleared_by,
                agenda_items.c.presenter,
                actions.c.owner,
            )
            erase_names(rows, calendar_people, event.person_id, exact=exact)
            return
        if not isinstance(event, Meeting.Event):
            return
        note_people(rows, calendar_people, event)
        meeting_id = event.originator_id
        version = {"version": event.originator_version}
        values: dict[str, Any] = {}
        match event:
            case Meeting.Scheduled():
                insert_row(
                    rows,
                    meetings,
                    dict(
                        id=meeting_id,
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
                        # Events recorded before the meetings workflow lack these two.
                        body_kind=getattr(event, "body_kind", None),
                        lead_officer=getattr(event, "lead_officer", None),
                        agenda_published_late=False,
                        minutes_status="none",
                        minutes_published_late=False,
                        held=False,
                        additional_reason=getattr(event, "additional_reason", None),
                        recorded_afterwards=bool(getattr(event, "recorded_afterwards", False)),
                        **version,
                    ),
                )
                return
            case Meeting.Moved():
                first = rows.get(meetings, id=meeting_id)
                values = {
                    "moved_from": (first or {}).get("moved_from") or event.previous_date,
                    "meeting_date": event.new_date,
                    "start_time": event.new_start_time,
                    "place": event.new_place,
                    "papers_due": papers_due(event.new_date),
                    "minutes_due": minutes_due(event.new_date),
                }
            case Meeting.Cancelled():
                values = {"status": "cancelled"}
            case Meeting.Held():
                values = {"held": True}
            case Meeting.AgendaItemAdded():
                insert_row(
                    rows,
                    agenda_items,
                    dict(
                        meeting_id=meeting_id,
                        number=event.number,
                        title=event.title,
                        public=event.exemption_paragraph is None,
                        exemption_paragraph=event.exemption_paragraph,
                        exemption_reason=event.exemption_reason,
                        published=event.published_on is not None,
                        published_on=event.published_on,
                        published_late=event.late,
                        supplementary=event.published_on is not None,
                        purpose=getattr(event, "purpose", None) or "discussion",
                        presenter=getattr(event, "presenter", None),
                        starts_at=getattr(event, "starts_at", None),
                    ),
                )
            case Meeting.PaperAttached():
                insert_row(
                    rows,
                    papers,
                    dict(
                        meeting_id=meeting_id,
                        number=event.number,
                        item=event.item,
                        title=event.title,
                        file_sha256=event.file_sha256,
                        file_size=event.file_size,
                        file_content_type=event.file_content_type,
                        file_name=event.file_name,
                        accessible=event.accessible,
                        summary=event.summary,
                        public=_item_is_public(rows, meeting_id, event.item),
                        published=event.published_on is not None,
                        published_on=event.published_on,
                        published_late=event.late,
                    ),
                )
            case Meeting.AgendaPublished():
                going_out = {"published": True, "published_on": event.published_on, "published_late": event.late}
                for statement in _PUBLISH:
                    rows.execute(statement, {"_meeting_id": meeting_id, **going_out})
                values = {"agenda_published_on": event.published_on, "agenda_published_late": event.late}
            case Meeting.AttendanceRecorded():
                # A new record of attendance replaces the last one.
                rows.execute(_CLEAR_ATTENDANCE, {"meeting_id": meeting_id})
                lines = [{"person": p, "attendance": "present", "substitute_for": None} for p in event.present]
                for apology in event.apologies:
                    lines.append({"person": apology["person"], "attendance": "apologies", "substitute_for": None})
                    if apology["substitute"]:
                        lines.append(
                            {
                                "person": apology["substitute"],
                                "attendance": "substitute",
                                "substitute_for": apology["person"],
                            }
                        )
                for kind, names in (
                    ("absent", getattr(event, "absent", None)),
                    ("guest", getattr(event, "guests", None)),
                    ("officer", getattr(event, "officers", None)),
                ):
                    lines += [{"person": p, "attendance": kind, "substitute_for": None} for p in names or []]
                for n, line in enumerate(lines, start=1):
                    insert_row(rows, attendance, {"meeting_id": meeting_id, "line": n, **line})
                values = {"held": True, **{name: getattr(event, name, None) for name in Meeting.TURNOUT_FIELDS}}
            case Meeting.InterestDeclared():
                insert_row(
                    rows,
                    interests,
                    dict(
                        meeting_id=meeting_id,
                        number=event.number,
                        person=event.person,
                        item=event.item,
                        interest=event.interest,
                        public=_item_is_public(rows, meeting_id, event.item),
                    ),
                )
                values = {"held": True}
            case Meeting.DecisionRecorded():
                insert_row(
                    rows,
                    decisions,
                    dict(
                        meeting_id=meeting_id,
                        number=event.number,
                        item=event.item,
                        text=event.text,
                        public=_item_is_public(rows, meeting_id, event.item),
                    ),
                )
                values = {"held": True}
            case Meeting.ActionRecorded():
                meeting = rows.get(meetings, id=meeting_id)
                body_id = meeting["body_id"] if meeting else None
                insert_row(
                    rows,
                    actions,
                    dict(
                        meeting_id=meeting_id,
                        number=event.number,
                        body_id=body_id,
                        item=event.item,
                        public=_item_is_public(rows, meeting_id, event.item),
                        description=event.description,
                        owner=event.owner,
                        due=event.due,
                        status="open",
                    ),
                )
                values = {"held": True}
            case Meeting.ActionClosed():
                update_where(
                    rows,
                    actions,
                    {"meeting_id": meeting_id, "number": event.number},
                    {
                        "status": "closed",
                        "closed_on": event.closed_on,
                        "close_note": event.note,
                        "closed_at_meeting_id": event.at_meeting_id,
                    },
                )
            case Meeting.DraftMinutesRecorded():
                document = {
                    "file_sha256": event.file_sha256,
                    "file_size": event.file_size,
                    "file_content_type": event.file_content_type,
                    "file_name": event.file_name,
                    "drafted_on": event.drafted_on,
                }
                if event.replaces_draft:
                    update_where(rows, minutes, {"meeting_id": meeting_id}, document)
                else:
                    insert_row(rows, minutes, {"meeting_id": meeting_id, **document})
                values = {
                    "held": True,
                    "minutes_status": "draft",
                    "minutes_drafted_on": event.drafted_on,
                    "minutes_cleared_by": None,
                    "minutes_cleared_on": None,
                }
            case Meeting.MinutesCleared():
                values = {
                    "minutes_status": "cleared",
                    "minutes_cleared_by": event.cleared_by,
                    "minutes_cleared_on": event.cleared_on,
                }
            case Meeting.MinutesPublished():
                values = {
                    "minutes_status": "published",
                    "minutes_published_on": event.published_on,
                    "minutes_published_late": event.late,
                }
            case Meeting.PreviousMinutesApproved():
                values = {"held": True, "approved_minutes_of": event.previous_meeting_id}
            case Meeting.MinutesApproved():
                values = {
                    "minutes_status": "approved",
                    "minutes_approved_on": event.at_meeting_date,
                    "minutes_approved_at": event.at_meeting_id,
                }
        update_where(rows, meetings, {"id": meeting_id}, {**values, **version})
