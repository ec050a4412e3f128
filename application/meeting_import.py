"""Bulk import of a council's past meetings (``partnership-hub import-meetings FILE``), through the commands.

The file is JSON: ``{"meetings": [ ... ]}``, each meeting::

    {"body": "Carers Forum",                    # the body's name (or its id), as in the directory
     "date": "2024-06-12", "start_time": "14:00", "place": "Civic Centre",
     "additional": false,                        # optional
     "agenda": [{"title": "Budget", "purpose": "decision", "presenter": "Jo Finance",
                 "exemption_paragraph": null}],  # optional; purpose: decision / discussion / information
     "attendance": {"present": ["Ann Carer"], "apologies": [{"person": "Bo User", "substitute": null}],
                    "absent": [], "guests": [], "officers": [], "quorum": null},   # optional
     "decisions": [{"item": 1, "text": "The budget was agreed."}],                 # optional
     "actions": [{"description": "...", "owner": "...", "due": "2024-07-01", "item": 1}]}   # optional

Each meeting is recorded afterwards (``record_past_meeting``): its events take effect on the meeting day
and no deadline is counted against it. Its id comes from the body, the date and the start time, so
importing the same file again leaves the meetings already there alone (idempotent). Each row goes
through the same commands, schemas and rules as the web UI and the API; a row that breaks a rule is
reported with its number and the reason, and the others go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from marshmallow import ValidationError

from application.commands import meetings as meeting_commands
from application.commands.dispatcher import Dispatcher
from application.errors import NotFound
from application.hub_base import body_id_for
from domain.actor import Actor
from domain.errors import DomainError

IMPORTER = Actor("importer", "administrator", "Meeting import")
PAST_MEETING_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/past-meeting")
MAX_MEETINGS = 50_000


@dataclass
class MeetingImportReport:
    recorded: int = 0
    already_there: int = 0
    refused: dict[int, str] = field(default_factory=dict)  # row number (from 1) -> why


def past_meeting_id(body_id: UUID, row: dict[str, Any]) -> UUID:
    return uuid5(PAST_MEETING_NAMESPACE, f"{body_id}/{row.get('date')}/{row.get('start_time')}")


def import_meetings(dispatcher: Dispatcher, path: Path) -> MeetingImportReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(f"{path.name} is not a JSON file of meetings: {error}") from None
    rows = data.get("meetings") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise DomainError(f'{path.name} must hold {{"meetings": [...]}}: see application/meeting_import.py')
    if len(rows) > MAX_MEETINGS:
        raise DomainError(f"{path.name} lists {len(rows)} meetings; import at most {MAX_MEETINGS} at a time")
    report = MeetingImportReport()
    for number, row in enumerate(rows, start=1):
        try:
            if _import_one(dispatcher, row):
                report.recorded += 1
            else:
                report.already_there += 1
        except ValidationError as error:
            report.refused[number] = f"{error.messages}"
        except (DomainError, NotFound, TypeError, ValueError) as error:
            report.refused[number] = str(error)
    return report


def _body_id(dispatcher: Dispatcher, name: Any) -> UUID:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("name the body")
    try:
        return UUID(name)
    except ValueError:
        body_id = body_id_for(name)
    if body_id not in dispatcher.hub.repository:
        raise ValueError(f"there is no body called {name!r}")
    return body_id


def _import_one(dispatcher: Dispatcher, row: Any) -> bool:
    """Records one past meeting and its business; False if it was already imported."""
    if not isinstance(row, dict):
        raise ValueError("each meeting is a JSON object")
    body_id = _body_id(dispatcher, row.get("body"))
    meeting_id = past_meeting_id(body_id, row)
    if meeting_id in dispatcher.hub.repository:
        return False
    run = dispatcher.run
    run(
        meeting_commands.RecordPastMeeting,
        IMPORTER,
        subject_id=body_id,
        data={
            "meeting_date": row.get("date"),
            "start_time": row.get("start_time"),
            "place": row.get("place"),
            "additional": bool(row.get("additional", False)),
            "meeting_id": str(meeting_id),
        },
    )

    def on_meeting(command: Any, data: dict[str, Any]) -> None:
        version = dispatcher.hub.meeting(meeting_id).version
        run(command, IMPORTER, subject_id=meeting_id, expected_version=version, data=data)

    for item in row.get("agenda") or []:
        on_meeting(meeting_commands.AddAgendaItem, {k: v for k, v in item.items() if v is not None})
    if row.get("agenda"):
        on_meeting(meeting_commands.PublishAgenda, {})
    attendance = row.get("attendance")
    if attendance:
        on_meeting(meeting_commands.RecordAttendance, {k: v for k, v in attendance.items() if v is not None})
    for decision in row.get("decisions") or []:
        on_meeting(meeting_commands.RecordDecision, decision)
    for action in row.get("actions") or []:
        on_meeting(meeting_commands.RecordAction, {k: v for k, v in action.items() if v is not None})
    return True
