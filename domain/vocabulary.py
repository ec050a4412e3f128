"""The closed vocabularies of the framework: kinds, roles, representations, RAG."""

from __future__ import annotations

from enum import StrEnum


class BodyKind(StrEnum):
    PARTNERSHIP_BOARD = "partnership_board"
    SUBGROUP = "subgroup"
    SUPPORT_GROUP = "support_group"
    ANNUAL_CONFERENCE = "annual_conference"
    SERVICE_USER_ENGAGEMENT_BODY = "service_user_engagement_body"
    PROVIDER_ENGAGEMENT_BODY = "provider_engagement_body"
    PROVIDER_FORUM = "provider_forum"
    STAKEHOLDER_CONFERENCE = "stakeholder_conference"
    CONSULTATIVE_GROUP = "consultative_group"
    TASK_AND_FINISH_GROUP = "task_and_finish_group"
    VIRTUAL_PANEL = "virtual_panel"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[BodyKind, str] = {
    BodyKind.PARTNERSHIP_BOARD: "partnership board",
    BodyKind.SUBGROUP: "subgroup",
    BodyKind.SUPPORT_GROUP: "support group",
    BodyKind.ANNUAL_CONFERENCE: "annual conference",
    BodyKind.SERVICE_USER_ENGAGEMENT_BODY: "service user engagement body",
    BodyKind.PROVIDER_ENGAGEMENT_BODY: "provider engagement body",
    BodyKind.PROVIDER_FORUM: "provider forum",
    BodyKind.STAKEHOLDER_CONFERENCE: "stakeholder conference",
    BodyKind.CONSULTATIVE_GROUP: "service user consultative group",
    BodyKind.TASK_AND_FINISH_GROUP: "time-limited task-and-finish project group",
    BodyKind.VIRTUAL_PANEL: "virtual service user panel",
}

# Kinds that meet twice a year in the annual partnership calendar (rule C1).
TWICE_YEARLY_KINDS = frozenset({BodyKind.STAKEHOLDER_CONFERENCE, BodyKind.CONSULTATIVE_GROUP})


class BodyStatus(StrEnum):
    ACTIVE = "active"
    TIME_LIMITED = "time_limited"
    ENDED = "ended"
    REPLACED = "replaced"
    MERGED = "merged"
    # A time-limited group closed with its completion report (D5).
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-")


# Statuses after which a body accepts only corrections.
CLOSED_STATUSES = frozenset({BodyStatus.ENDED, BodyStatus.REPLACED, BodyStatus.MERGED, BodyStatus.COMPLETED})


class MemberRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    OFFICER = "officer"
    AGENCY_REPRESENTATIVE = "agency_representative"
    CO_OPTED = "co_opted"


class Representation(StrEnum):
    SERVICE_USER = "service_user"
    FUTURE_SERVICE_USER = "future_service_user"
    USER_GROUP_REPRESENTATIVE = "user_group_representative"
    CARER = "carer"
    FORMER_CARER = "former_carer"
    COMMUNITY = "community"
    RELEVANT_PARTNER_AGENCY = "relevant_partner_agency"
    VOLUNTARY_SECTOR = "voluntary_sector"
    PRIVATE_SECTOR = "private_sector"


# Rule B3: who counts towards a consultative group's 70% service-user share.
SERVICE_USER_SIDE = frozenset(
    {
        Representation.SERVICE_USER,
        Representation.FUTURE_SERVICE_USER,
        Representation.USER_GROUP_REPRESENTATIVE,
        Representation.CARER,
        Representation.FORMER_CARER,
        Representation.COMMUNITY,
    }
)
MIN_SERVICE_USER_SHARE = 0.7


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Commissioner(StrEnum):
    """Rule D1: the only people who may commission a task-and-finish project."""

    PORTFOLIO_HOLDER_CARE_SERVICES = "Portfolio Holder for Care Services"
    PORTFOLIO_HOLDER_EDUCATION = "Portfolio Holder for Education"
    EXECUTIVE_DIRECTOR = "Executive Director for Education, Care and Health Services"


EXECUTIVE_DIRECTOR = Commissioner.EXECUTIVE_DIRECTOR.value


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class MeetingStage(StrEnum):
    """Where a meeting is in its life (rules C4, C5, C7), as every page, feed and the API say it.

    scheduled (or moved) -> agenda published -> held -> draft minutes -> minutes cleared -> minutes
    published -> minutes approved; or cancelled. domain.meeting.meeting_stage works it out.
    """

    SCHEDULED = "scheduled"
    MOVED = "moved"
    AGENDA_PUBLISHED = "agenda_published"
    HELD = "held"
    DRAFT_MINUTES = "draft_minutes"
    MINUTES_CLEARED = "minutes_cleared"
    MINUTES_PUBLISHED = "minutes_published"
    MINUTES_APPROVED = "minutes_approved"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def public(self) -> MeetingStage:
        """What the public is told: minutes still in draft are not public news, the meeting was held."""
        return MeetingStage.HELD if self in (MeetingStage.DRAFT_MINUTES, MeetingStage.MINUTES_CLEARED) else self

    @property
    def before_meeting(self) -> bool:
        return self in (MeetingStage.SCHEDULED, MeetingStage.MOVED, MeetingStage.AGENDA_PUBLISHED)


STAGE_LABELS: dict[MeetingStage, str] = {
    MeetingStage.SCHEDULED: "Scheduled",
    MeetingStage.MOVED: "Moved to a new date",
    MeetingStage.AGENDA_PUBLISHED: "Agenda published",
    MeetingStage.HELD: "Held",
    MeetingStage.DRAFT_MINUTES: "Held, minutes in draft",
    MeetingStage.MINUTES_CLEARED: "Held, minutes cleared by the chair",
    MeetingStage.MINUTES_PUBLISHED: "Held, minutes published",
    MeetingStage.MINUTES_APPROVED: "Held, minutes approved",
    MeetingStage.CANCELLED: "Cancelled",
}


class AgendaPurpose(StrEnum):
    """Why an item is on the agenda (rule C7): for the meeting to decide, to discuss, or to note."""

    DECISION = "decision"
    DISCUSSION = "discussion"
    INFORMATION = "information"

    @property
    def label(self) -> str:
        return f"For {self.value}"


class MinutesStatus(StrEnum):
    """Rule C5: drafted, cleared by the chair, published, then approved at the body's next meeting."""

    NONE = "none"
    DRAFT = "draft"
    CLEARED = "cleared"
    PUBLISHED = "published"
    APPROVED = "approved"


# Rule G1 (catalogue G2, G3): an exempt (Part 2) item names the paragraph of Schedule 12A to the
# Local Government Act 1972 (as amended in 2006) under which the press and public are excluded.
EXEMPT_INFORMATION: dict[int, str] = {
    1: "information relating to any individual",
    2: "information which is likely to reveal the identity of an individual",
    3: "information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information)",
    4: "information relating to consultations or negotiations on a labour relations matter "
    "between the authority and its employees or office holders",
    5: "information in respect of which a claim to legal professional privilege could be maintained",
    6: "information which reveals that the authority proposes to give a notice imposing requirements "
    "on a person, or to make an order or direction, under any enactment",
    7: "information relating to the prevention, investigation or prosecution of crime",
}
