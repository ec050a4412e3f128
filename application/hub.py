"""PartnershipHub: the event-sourced application, one method per command.

The commands are grouped by what they change (body_commands, project_commands,
meeting_commands) on top of hub_base's shared machinery.
"""

from __future__ import annotations

from application.account_commands import AccountCommands, IssuedToken
from application.body_commands import BodyCommands
from application.consultation_commands import ConsultationCommands
from application.hub_base import (
    BODY_NAMESPACE,
    BodyPlan,
    CalendarPlan,
    MembershipResult,
    Numbered,
    Publication,
    body_id_for,
    calendar_meeting_id,
    utc_now,
)
from application.meeting_commands import MeetingCommands
from application.people_commands import PeopleCommands
from application.project_commands import ProjectCommands
from application.question_commands import QuestionCommands
from application.reminders.marking import ReminderMarking
from application.review_commands import ReviewCommands


class PartnershipHub(
    BodyCommands,
    ProjectCommands,
    MeetingCommands,
    ReminderMarking,
    AccountCommands,
    ReviewCommands,
    QuestionCommands,
    ConsultationCommands,
    PeopleCommands,
):
    name = "PartnershipHub"


__all__ = [
    "BODY_NAMESPACE",
    "BodyPlan",
    "CalendarPlan",
    "IssuedToken",
    "MembershipResult",
    "Numbered",
    "PartnershipHub",
    "Publication",
    "body_id_for",
    "calendar_meeting_id",
    "utc_now",
]
