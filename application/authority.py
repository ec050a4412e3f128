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
_MEETINGS = {"schedule_meeting", "move_meeting", "cancel_meeting"}
_COMMISSIONING = {"commission_project", "extend_project_timeframe"}
_REPORTING = {"submit_progress_report", "submit_completion_report"}

AUTHORITY: dict[Role, frozenset[str]] = {
    Role.PARTNERSHIP_OFFICER: frozenset(_GOVERNANCE | _MEMBERSHIP | _MEETINGS),
    Role.ADMINISTRATOR: frozenset(_GOVERNANCE | _MEMBERSHIP | _MEETINGS),
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: frozenset(_COMMISSIONING),
    Role.PORTFOLIO_HOLDER_EDUCATION: frozenset(_COMMISSIONING),
    # The Executive Director commissions, agrees briefs (D3) and, as chair of
    # the conferences, calls additional meetings (C2).
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
