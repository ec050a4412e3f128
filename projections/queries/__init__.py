"""Every read of the read models for pages, the API, exports and reminder scans, one module per read model.

``directory`` (bodies and members), ``calendar`` (meetings and their documents), ``progress`` (projects),
``audit`` (the governance log) and ``dashboard`` (the officer's lists, across read models). Page code asks
these and only renders; nothing in web/ writes SQL of its own. Names are re-exported here so a caller can
write ``queries.body(...)`` without knowing which read model holds it.
"""

from __future__ import annotations

from projections.queries.audit import audit, audit_actors, audit_after, audit_bodies, audit_changes
from projections.queries.calendar import (
    PUBLIC_ACTION_COLUMNS,
    PUBLIC_ITEM_COLUMNS,
    PUBLIC_MEETING_COLUMNS,
    PUBLIC_PAPER_COLUMNS,
    agenda,
    all_meetings_of_body,
    behind_cadence,
    behind_cadence_count,
    calendar,
    deadline_flags,
    matters_arising,
    meeting_detail,
    meeting_row,
    meetings_of_body,
    meetings_query,
    open_actions,
    open_actions_of_meeting,
    public_calendar,
    with_stage,
)
from projections.queries.common import Page
from projections.queries.dashboard import decided_proposals, open_proposals
from projections.queries.directory import (
    DIRECTORY_FILTERS,
    DIRECTORY_SORTS,
    body,
    body_id_by_name,
    body_members,
    directory,
    directory_as_at,
    members_as_at,
    state_on,
    status_label,
)
from projections.queries.progress import days_overdue, progress_series, project, project_progress

__all__ = [
    "DIRECTORY_FILTERS",
    "DIRECTORY_SORTS",
    "PUBLIC_ACTION_COLUMNS",
    "PUBLIC_ITEM_COLUMNS",
    "PUBLIC_MEETING_COLUMNS",
    "PUBLIC_PAPER_COLUMNS",
    "Page",
    "agenda",
    "all_meetings_of_body",
    "audit",
    "audit_actors",
    "audit_after",
    "audit_bodies",
    "audit_changes",
    "behind_cadence",
    "behind_cadence_count",
    "body",
    "body_id_by_name",
    "body_members",
    "calendar",
    "days_overdue",
    "deadline_flags",
    "decided_proposals",
    "directory",
    "directory_as_at",
    "matters_arising",
    "meeting_detail",
    "meeting_row",
    "meetings_of_body",
    "meetings_query",
    "members_as_at",
    "open_actions",
    "open_actions_of_meeting",
    "open_proposals",
    "progress_series",
    "project",
    "project_progress",
    "public_calendar",
    "state_on",
    "status_label",
    "with_stage",
]
