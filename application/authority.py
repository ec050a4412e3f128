"""Who may run which command: the roles, the duties each carries, and the check the dispatcher makes.

Every command names one duty in its definition (application/commands); this table says which roles
carry which duties. Walked through completely, role by command, by tests/integration/test_authority.py.
"""

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


class Duty(StrEnum):
    """A group of commands that the same people carry out."""

    # Establishing bodies and every governance change of App. 8 (F1, F4).
    GOVERNANCE = "governance"
    # Members joining and leaving, and elections (B3-B5).
    MEMBERSHIP = "membership"
    # Everything about one meeting: scheduling (C1, C2), its agenda and papers (C4, G1), what happened
    # at it (C7, C8) and its minutes (C5).
    MEETINGS = "meetings"
    # The year's programme for the whole framework (C1), set by the partnership team with the chairs.
    CALENDAR = "calendar"
    # Commissioning task-and-finish projects and extending them (D1).
    COMMISSIONING = "commissioning"
    # Deciding a proposed governance change: approving, amending, rejecting or deferring it (F4).
    DECISIONS = "decisions"
    # Agreeing a project's brief (D3).
    BRIEF_AGREEMENT = "brief_agreement"
    # A project lead's progress and completion reports (D4, D5); the domain checks whose project it is.
    REPORTING = "reporting"
    # What any signed-in person does with what is addressed to them (marking their reminders done).
    PERSONAL = "personal"
    # The virtual panel (A4): its members, consultations of it, and what came of them.
    CONSULTATIONS = "consultations"
    # People's accounts: creating them, their roles, passwords, sessions, sign-in locks and API tokens.
    ADMINISTRATION = "administration"
    # What anyone may do, with an account or without: a written question to a public meeting (C7).
    PUBLIC = "public"


# The role a member of the public acts in: no account, no role of the table, only the PUBLIC duty.
PUBLIC_ROLE = "public"
PUBLIC_ACTOR = Actor("public", PUBLIC_ROLE, "A member of the public")


# The person each commissioning role stands for (rule D1).
COMMISSIONER_FOR_ROLE: dict[Role, Commissioner] = {
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: Commissioner.PORTFOLIO_HOLDER_CARE_SERVICES,
    Role.PORTFOLIO_HOLDER_EDUCATION: Commissioner.PORTFOLIO_HOLDER_EDUCATION,
    Role.EXECUTIVE_DIRECTOR: Commissioner.EXECUTIVE_DIRECTOR,
}

_AUTHORITY: dict[Role, frozenset[Duty]] = {
    # Officers (and administrators, who also run the importer) keep the whole record, meetings
    # included: they service every body's meetings, recording what chairs and members did.
    Role.PARTNERSHIP_OFFICER: frozenset(
        {Duty.GOVERNANCE, Duty.MEMBERSHIP, Duty.MEETINGS, Duty.CALENDAR, Duty.PERSONAL, Duty.CONSULTATIONS}
    ),
    # Administrators also keep the accounts (the only role that does).
    Role.ADMINISTRATOR: frozenset(
        {
            Duty.GOVERNANCE,
            Duty.MEMBERSHIP,
            Duty.MEETINGS,
            Duty.CALENDAR,
            Duty.PERSONAL,
            Duty.ADMINISTRATION,
            Duty.CONSULTATIONS,
        }
    ),
    # The Portfolio Holders decide the framework's changes (F4) and commission projects (D1).
    Role.PORTFOLIO_HOLDER_CARE_SERVICES: frozenset({Duty.COMMISSIONING, Duty.DECISIONS, Duty.PERSONAL}),
    Role.PORTFOLIO_HOLDER_EDUCATION: frozenset({Duty.COMMISSIONING, Duty.DECISIONS, Duty.PERSONAL}),
    # The Executive Director commissions, agrees briefs (D3) and, as chair of the conferences (B2),
    # runs their meetings: calls additional ones (C2), settles the agenda and clears the minutes (C5).
    # The application lets them clear only a conference's minutes; other bodies' chairs clear their
    # own. The framework-wide calendar stays with the partnership team.
    Role.EXECUTIVE_DIRECTOR: frozenset(
        {Duty.COMMISSIONING, Duty.MEETINGS, Duty.BRIEF_AGREEMENT, Duty.DECISIONS, Duty.PERSONAL}
    ),
    Role.PROJECT_LEAD: frozenset({Duty.REPORTING, Duty.PERSONAL}),
    Role.AUDITOR: frozenset({Duty.PERSONAL}),
}
# Whatever the public may do, every role may do too.
AUTHORITY: dict[Role, frozenset[Duty]] = {role: duties | {Duty.PUBLIC} for role, duties in _AUTHORITY.items()}


def role_of(actor: Actor) -> Role:
    try:
        return Role(actor.role)
    except ValueError:
        raise NotAuthorised(f"{actor.role!r} is not a role of Partnership Hub") from None


def may(role: Role | str, duty: Duty) -> bool:
    """Whether a role carries a duty (what the pages offer; the dispatcher checks the same)."""
    if role == PUBLIC_ROLE:
        return duty is Duty.PUBLIC
    try:
        return duty in AUTHORITY[Role(role)]
    except ValueError:
        return False


def check(actor: Actor, duty: Duty, doing: str) -> Role | None:
    """Refuses an actor whose role does not carry ``duty``; ``doing`` names the command in the refusal.
    A member of the public (no account: ``PUBLIC_ROLE``) may do only what the PUBLIC duty covers."""
    if actor.role == PUBLIC_ROLE:
        if duty is Duty.PUBLIC:
            return None
        raise NotAuthorised(f"a member of the public may not {doing}: sign in first")
    role = role_of(actor)
    if duty not in AUTHORITY[role]:
        words = role.value.replace("_", " ")
        raise NotAuthorised(f"{'an' if words[0] in 'aeiou' else 'a'} {words} may not {doing}")
    return role
