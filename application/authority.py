"""Who may run which command: one table, walked through completely by the tests."""

from __future__ import annotations

from enum import StrEnum

from application.errors import NotAuthorised
from domain.actor import Actor
from domain.vocabulary import Commissioner


class Role(StrEnum):
    PARTNERSHIP_OFFICER = "partnership_officer"
    PORTFOLIO_HOLDER_CARE_SERVICES = "portfolio_holder_care_services"
    PORTFOLIO_HOLDER_EDUCATION = "portfolio_holder_education"
    EXECUTIVE_DIRECTOR = "executive_director"
    PROJECT_LEAD = "project_lead"
    AUDITOR = "auditor"
    # Runs the importer and corrections of imported records; not a commissioner.
    ADMINISTRATOR = "administrator"


# The person each commissioning role stands for (rule D1).
COMMISSIONER_FOR_ROLE: dict[Role, Commissioner] = {
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: Commissioner.PORTFOLIO_HOLDER_CARE_SERVICES,
    Role.PORTFOLIO_HOLDER_EDUCATION: Commissioner.PORTFOLIO_HOLDER_EDUCATION,
    Role.EXECUTIVE_DIRECTOR: Commissioner.EXECUTIVE_DIRECTOR,
}

_GOVERNANCE = {
    "establish_body",
    "adopt_terms_of_reference",
    "change_funding",
    "extend_contract",
    "transform_body",
    "replace_body",
    "merge_body",
    "give_self_funding_option",
    "transfer_to_provider_forum",
    "maintain_body",
    "end_body",
    "correct_body",
}
_MEMBERSHIP = {"add_member", "remove_member", "record_election"}
# Everything about one meeting: scheduling (C1, C2), its agenda and papers (C4, G1), what happened at
# it (C7, C8) and its minutes (C5).
_MEETINGS = {
    "schedule_meeting",
    "move_meeting",
    "cancel_meeting",
    "add_agenda_item",
    "attach_paper",
    "publish_agenda",
    "record_attendance",
    "declare_interest",
    "record_decision",
    "record_action",
    "close_action",
    "record_draft_minutes",
    "clear_minutes",
    "publish_minutes",
    "approve_previous_minutes",
}
# The year's programme for the whole framework (C1), set by the partnership team with the chairs.
_CALENDAR = {"plan_annual_calendar"}
_COMMISSIONING = {"commission_project", "extend_project_timeframe"}
_REPORTING = {"submit_progress_report", "submit_completion_report"}

AUTHORITY: dict[Role, frozenset[str]] = {
    # Officers (and administrators, who also run the importer) keep the whole record, meetings
    # included: they service every body's meetings, recording what chairs and members did.
    Role.PARTNERSHIP_OFFICER: frozenset(_GOVERNANCE | _MEMBERSHIP | _MEETINGS | _CALENDAR),
    Role.ADMINISTRATOR: frozenset(_GOVERNANCE | _MEMBERSHIP | _MEETINGS | _CALENDAR),
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: frozenset(_COMMISSIONING),
    Role.PORTFOLIO_HOLDER_EDUCATION: frozenset(_COMMISSIONING),
    # The Executive Director commissions, agrees briefs (D3) and, as chair of the conferences (B2),
    # runs their meetings: calls additional ones (C2), settles the agenda and clears the minutes (C5).
    # The application lets them clear only a conference's minutes; other bodies' chairs clear their
    # own. The framework-wide calendar stays with the partnership team.
    Role.EXECUTIVE_DIRECTOR: frozenset(_COMMISSIONING | _MEETINGS | {"agree_brief"}),
    # Leads report on their own projects only; the application checks whose project it is.
    Role.PROJECT_LEAD: frozenset(_REPORTING),
    Role.AUDITOR: frozenset(),
}

ALL_COMMANDS: frozenset[str] = frozenset().union(*AUTHORITY.values())


def check(actor: Actor, command: str) -> Role:
    try:
        role = Role(actor.role)
    except ValueError:
        raise NotAuthorised(f"{actor.role!r} is not a role of Partnership Hub") from None
    if command not in AUTHORITY[role]:
        raise NotAuthorised(f"a {role.value.replace('_', ' ')} may not {command.replace('_', ' ')}")
    return role
