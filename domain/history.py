"""Plain-English sentences for recorded events, for history pages and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from domain.account import Account
from domain.annual_review import AnnualReview, financial_year
from domain.body import Body
from domain.erasure import Erasure
from domain.meeting import Meeting
from domain.project import Project
from domain.vocabulary import BodyKind, MemberRole, Representation


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    change: str  # the event's name in snake case, e.g. "funding_changed"
    sentence: str
    actor: str
    recorded_at: datetime
    effective_date: date | None
    reason: str | None
    governance: bool
    changes: dict[str, Any] = field(default_factory=dict)


def _d(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "a date not stated"


def _money(pence: int | None) -> str:
    if pence is None:
        return "no funding"
    pounds, rem = divmod(pence, 100)
    return f"£{pounds:,}" + (f".{rem:02d}" if rem else "") + " a year"


def _kind(value: str) -> str:
    return BodyKind(value).label


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _member_role(value: str) -> str:
    return MemberRole(value).value.replace("_", "-")


def _representation(value: str) -> str:
    return Representation(value).value.replace("_", " ")


# How a corrected field is named in a sentence, and what its earlier value is called.
_FIELD_NAMES = {
    "name": "name",
    "purpose": "purpose",
    "accountability": "list of bodies it is accountable to",
    "annual_funding_pence": "annual funding",
    "contract_end": "contract end date",
    "break_clause_months": "break clause",
    "until": "end date",
    "task": "task",
    "status_effective": "date its status took effect",
    "council_funding_until": "last date of council funding",
}
_WORDING = {"name": "name", "purpose": "wording", "task": "wording", "accountability": "list"}


def _value(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "nothing"
    if field == "annual_funding_pence":
        return _money(value)
    if field == "break_clause_months":
        return f"{value} months"
    if isinstance(value, date):
        return _d(value)
    if isinstance(value, str) and field in ("contract_end", "until", "status_effective", "council_funding_until"):
        try:
            return _d(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return f"“{value}”"


def _body_sentence(e: Any) -> tuple[str, dict[str, Any]]:
    match e:
        case Body.Established():
            extra = f" until {_d(e.until)}" if e.until else ""
            return f"Established {e.name} as a {_kind(e.kind)}{extra}", {"name": e.name, "kind": e.kind}
        case Body.TermsOfReferenceAdopted():
            return f"Adopted terms of reference (version {e.version})", {"terms_of_reference_version": e.version}
        case Body.FundingChanged():
            until = f", council funding until {_d(e.council_funding_until)}" if e.council_funding_until else ""
            return (
                f"Funding changed from {_money(e.previous_pence)} to {_money(e.annual_funding_pence)}{until}",
                {"annual_funding_pence": {"before": e.previous_pence, "after": e.annual_funding_pence}},
            )
        case Body.ContractExtended():
            clause = f" with a {e.break_clause_months}-month break clause" if e.break_clause_months else ""
            return (
                f"Contract extended until {_d(e.until)}{clause}",
                {"contract_end": {"before": e.previous_end, "after": e.until}},
            )
        case Body.Transformed():
            until = f" until {_d(e.until)}" if e.until else ""
            task = f", to {e.task}" if e.task else ""
            return (
                f"Transformed from a {_kind(e.previous_kind)} into a {_kind(e.new_kind)}{until}{task}",
                {"kind": {"before": e.previous_kind, "after": e.new_kind}, "until": e.until},
            )
        case Body.Replaced():
            until = f" until {_d(e.until)}" if e.until else ""
            task = f", to {e.task}" if e.task else ""
            return (
                f"Replaced by {e.by_name}, a {_kind(e.by_kind)}{until}{task}",
                {"status": {"before": "active", "after": "replaced"}, "replaced_by": e.by_name},
            )
        case Body.MergedInto():
            return f"Merged into {e.target_name}", {"status": {"after": "merged"}, "merged_into": e.target_name}
        case Body.SelfFundingOptionGiven():
            return (
                f"Given the option of becoming self-funding, with council funding until {_d(e.council_funding_until)}",
                {"council_funding_until": e.council_funding_until},
            )
        case Body.TransferredToProviderForum():
            return (
                f"Transferred to provider-forum status under {e.under}",
                {"kind": {"before": e.previous_kind, "after": BodyKind.PROVIDER_FORUM.value}},
            )
        case Body.Maintained():
            return ("Maintained" + (f" as a {e.kind_as}" if e.kind_as else "")), {}
        case Body.StatutoryFunctionAssigned():
            return (
                f"Given the {e.function} function ({e.legal_basis}) from {_d(e.effective_date)}, "
                f"as decided by {e.decided_by}, reference {e.decision_ref}",
                {"statutory_function": e.function},
            )
        case Body.Ended():
            support = " and council support removed" if e.remove_council_support else ""
            return f"Ended{support}", {"status": {"after": "ended"}}
        case Body.Corrected():
            recorded = getattr(e, "corrects_recorded_on", None)
            earlier = (
                f"; the earlier {_WORDING.get(e.field, 'value')} had been recorded on {_d(recorded)}"
                if recorded
                else f"; the earlier {_WORDING.get(e.field, 'value')} had been recorded in change {e.corrects_version}"
            )
            return (
                f"The {_FIELD_NAMES.get(e.field, e.field.replace('_', ' '))} was corrected from "
                f"{_value(e.field, e.previous_value)} to {_value(e.field, e.value)}{earlier}",
                {e.field: {"before": e.previous_value, "after": e.value}},
            )
        case Body.TimeLimitExtended():
            return (
                f"End date extended from {_d(e.previous_until)} to {_d(e.until)}",
                {"until": {"before": e.previous_until, "after": e.until}},
            )
        case Body.ClosedWithCompletionReport():
            return (
                f"Closed with its completion report: {e.completion_report}",
                {"status": {"after": "completed"}},
            )
        case Body.ChangeProposed():
            when = f", to take effect on {_d(e.effective_date)}" if e.effective_date else ""
            return (
                f"Proposal {e.number}: {e.title[0].lower()}{e.title[1:]}{when}; awaiting a decision",
                {"proposal": e.number, "change": e.change, "details": dict(e.details)},
            )
        case Body.ProposalDecided():
            on = f" on {_d(e.decided_on)}" if e.decided_on else " (date of decision not stated)"
            effect = f", taking effect on {_d(e.effective_date)}" if e.outcome in ("approved", "amended") else ""
            note = f": {e.note}" if e.note else ""
            return (
                f"Proposal {e.number} {e.outcome} by {e.decided_by}{on}, reference {e.decision_ref}{effect}{note}",
                {"proposal": e.number, "outcome": e.outcome},
            )
        case Body.MemberJoined():
            return (
                f"{e.person} joined as {_member_role(e.role)} representing {_representation(e.representation)}"
                + ("" if e.votes else " (no vote)"),
                {"member_id": e.member_id, "role": e.role, "representation": e.representation},
            )
        case Body.MemberLeft():
            if not getattr(e, "person", ""):  # recorded before the event named who left
                return f"Member {e.member_id} left: {e.reason}", {"member_id": e.member_id}
            return (
                f"{e.person} left as {_member_role(e.role)} representing {_representation(e.representation)}: "
                f"{e.reason}",
                {"member_id": e.member_id, "role": e.role, "representation": e.representation},
            )
        case Body.OfficersElected():
            names = (
                f": {e.chair_name} as chair and {e.vice_chair_name} as vice-chair"
                if getattr(e, "chair_name", "")
                else ""
            )
            return (
                f"Chair and vice-chair elected on {_d(e.election_date)}{names}",
                {"chair": e.chair_id, "vice_chair": e.vice_chair_id, "election_date": e.election_date},
            )
        case Body.QuorumSet():
            before = f"from {e.previous} " if e.previous is not None else "from the usual third of the voting members "
            return (
                f"Quorum set {before}to {e.quorum} voting members",
                {"quorum": {"before": e.previous, "after": e.quorum}},
            )
    return type(e).__name__, {}


_BRIEF_PARTS = (
    ("aims_and_objectives", "aims and objectives"),
    ("outcomes", "outcomes"),
    ("start_date", "start date"),
    ("end_date", "end date"),
    ("resources", "resources"),
    ("key_risks", "key risks"),
    ("reporting_every_months", "reporting interval"),
)


def _project_sentence(e: Any) -> tuple[str, dict[str, Any]]:
    match e:
        case Project.Commissioned():
            return f"Commissioned '{e.title}' by the {e.commissioned_by}, led by {e.lead}", {"brief": e.brief}
        case Project.BriefAgreed():
            return f"Brief agreed by the {e.agreed_by} on {_d(e.agreed_on)}", {"brief_version": e.brief_version}
        case Project.BriefChanged():
            changed = [label for key, label in _BRIEF_PARTS if e.brief.get(key) != e.previous_brief.get(key)]
            again = " It needs agreeing again by the Executive Director." if e.was_agreed_on else ""
            return (
                f"Brief changed ({', '.join(changed) or 'no part'}): {e.reason.rstrip('.')}.{again}",
                {"brief": {"before": e.previous_brief, "after": e.brief}},
            )
        case Project.ProgressReported():
            return (
                f"Progress report for {_d(e.period_start)} to {_d(e.period_end)}: "
                f"{e.rag.upper()}, {e.percent_complete}% complete",
                {"rag": e.rag, "percent_complete": e.percent_complete},
            )
        case Project.TimeframeExtended():
            return (
                f"Timeframe extended from {_d(e.previous_end_date)} to {_d(e.new_end_date)}",
                {"end_date": {"before": e.previous_end_date, "after": e.new_end_date}},
            )
        case Project.Completed():
            return f"Completed on {_d(e.completed_on)}", {"outcomes_achieved": e.outcomes_achieved}
    return type(e).__name__, {}


def _review_sentence(e: Any) -> tuple[str, dict[str, Any]]:
    """The annual review of the arrangements (rule H1), in words."""
    match e:
        case AnnualReview.Opened():
            return (
                f"Annual review of the arrangements for {financial_year(e.year)} opened; "
                f"due by {_d(date(e.year, 3, 31))}",
                {"year": e.year},
            )
        case AnnualReview.BodyReviewed():
            if e.previous_findings:
                return (
                    f"The findings for {e.body_name} were changed from “{e.previous_findings}” to “{e.findings}”",
                    {"findings": {"before": e.previous_findings, "after": e.findings}, "body_id": e.body_id},
                )
            return f"{e.body_name} reviewed: {e.findings}", {"findings": e.findings, "body_id": e.body_id}
        case AnnualReview.OverallFindingsRecorded():
            if e.previous_findings:
                return (
                    f"The overall findings were changed from “{e.previous_findings}” to “{e.findings}”",
                    {"findings": {"before": e.previous_findings, "after": e.findings}},
                )
            return f"Overall findings recorded: {e.findings}", {"findings": e.findings}
        case AnnualReview.ProposalLinked():
            return (
                f"Proposal {e.number} for {e.body_name} ({e.title}) came from this review",
                {"body_id": e.body_id, "number": e.number},
            )
        case AnnualReview.Completed():
            when = f"late: it was due by {_d(e.due)}" if e.late else f"on time (due by {_d(e.due)})"
            return f"Annual review completed on {_d(e.completed_on)}, {when}", {"late": e.late}
    return type(e).__name__, {}


def _meeting_sentence(e: Any) -> tuple[str, dict[str, Any]]:
    match e:
        case Meeting.Scheduled():
            kind = "additional meeting" if e.additional else "meeting"
            why = f", called because: {e.additional_reason}" if getattr(e, "additional_reason", None) else ""
            if getattr(e, "recorded_afterwards", False):
                return (
                    f"{AFTERWARDS}the {kind} of {e.body_name} held on {_d(e.meeting_date)} at {e.place}",
                    {"recorded_afterwards": True},
                )
            return f"Scheduled {kind} of {e.body_name} on {_d(e.meeting_date)} at {e.place}{why}", {}
        case Meeting.Moved():
            return (
                f"Moved from {_d(e.previous_date)} to {_d(e.new_date)} at {e.new_place}",
                {"date": {"before": e.previous_date, "after": e.new_date}},
            )
        case Meeting.Cancelled():
            return "Cancelled", {"status": {"after": "cancelled"}}
        case Meeting.AgendaItemAdded():
            marking = (
                f" (exempt: paragraph {e.exemption_paragraph} of Schedule 12A, {e.exemption_reason})"
                if e.exemption_paragraph
                else ""
            )
            return f"Added agenda item {e.number}, '{e.title}'{marking}{_went_out(e)}", {"item": e.number}
        case Meeting.PaperAttached():
            accessible = "" if e.accessible else " (not yet in an accessible format)"
            return (
                f"Attached paper '{e.title}' ({e.file_name}) to agenda item {e.item}{accessible}{_went_out(e)}",
                {"paper": e.number, "file_sha256": e.file_sha256},
            )
        case Meeting.AgendaPublished():
            return (
                f"Published the agenda and papers{_lateness(e.late, e.papers_due)}",
                {"agenda": {"after": "published"}, "late": e.late},
            )
        case Meeting.Held():
            return "Recorded that the meeting was held", {"stage": {"after": "held"}}
        case Meeting.AttendanceRecorded():
            subs = sum(1 for a in e.apologies if a["substitute"])
            turnout = ""
            if getattr(e, "quorum", None) is not None:
                quorate = "quorate" if e.voting_present >= e.quorum else "not quorate"
                turnout = (
                    f"; {e.voting_present} of {e.voting_members} voting members present, quorum {e.quorum}: {quorate}"
                )
            return (
                f"Recorded attendance: {_count(len(e.present), 'person', 'people')} present, "
                f"{_count(len(e.apologies), 'apology', 'apologies')}, {_count(subs, 'substitute', 'substitutes')}"
                f"{turnout}",
                {},
            )
        case Meeting.InterestDeclared():
            on = f" in agenda item {e.item}" if e.item else ""
            return f"{e.person} declared an interest{on}: {e.interest}", {}
        case Meeting.DecisionRecorded():
            return f"Decision on agenda item {e.item}: {e.text}", {}
        case Meeting.ActionRecorded():
            return f"Action {e.number} for {e.owner}, due {_d(e.due)}: {e.description}", {"action": e.number}
        case Meeting.ActionClosed():
            at = f" at the meeting of {_d(e.at_meeting_date)}" if e.at_meeting_date else ""
            return (
                f"Closed action {e.number} on {_d(e.closed_on)}{at}: {e.note}",
                {"action": e.number, "status": {"after": "closed"}},
            )
        case Meeting.MatterArisingClosed():
            return (
                f"Closed matter arising {e.number} from the meeting of {_d(e.from_meeting_date)} "
                f"('{e.description}'): {e.note}",
                {"action": e.number},
            )
        case Meeting.DraftMinutesRecorded():
            verb = "Replaced the draft minutes with" if e.replaces_draft else "Recorded the draft minutes,"
            return f"{verb} {e.file_name}", {"minutes": {"after": "draft"}, "file_sha256": e.file_sha256}
        case Meeting.MinutesCleared():
            return f"Draft minutes cleared by the chair, {e.cleared_by}, on {_d(e.cleared_on)}", {
                "minutes": {"before": "draft", "after": "cleared"}
            }
        case Meeting.MinutesPublished():
            return (
                f"Published the draft minutes{_lateness(e.late, e.minutes_due)}",
                {"minutes": {"before": "cleared", "after": "published"}, "late": e.late},
            )
        case Meeting.PreviousMinutesApproved():
            return f"Approved the minutes of the meeting of {_d(e.previous_meeting_date)}{_amended(e)}", {}
        case Meeting.MinutesApproved():
            return (
                f"Minutes approved at the meeting of {_d(e.at_meeting_date)}{_amended(e)}",
                {"minutes": {"before": "published", "after": "approved"}},
            )
    return type(e).__name__, {}


def _role(value: str) -> str:
    return value.replace("_", " ")


def _account_sentence(e: Any) -> tuple[str, dict[str, Any]]:
    """What was done to an account; never a password, a hash or a token's secret (the events hold none)."""
    match e:
        case Account.Registered() if e.created_here:
            return f"Account {e.user_id} created with the role {_role(e.role)}", {"role": e.role}
        case Account.Registered():
            return f"Audit trail of account {e.user_id} ({_role(e.role)}) begun", {"role": e.role}
        case Account.RoleChanged():
            return (
                f"Role changed from {_role(e.previous_role)} to {_role(e.role)}; the person's sessions were ended",
                {"role": {"before": e.previous_role, "after": e.role}},
            )
        case Account.Deactivated():
            return "Account deactivated and its sessions ended", {"active": {"before": True, "after": False}}
        case Account.Reactivated():
            return "Account reactivated", {"active": {"before": False, "after": True}}
        case Account.PasswordReset():
            return "Password reset by an administrator; every session ended and any sign-in lock lifted", {}
        case Account.PasswordChanged():
            return "Password changed by its owner; every session of theirs ended", {}
        case Account.Unlocked():
            return "Sign-in unlocked after too many wrong passwords", {}
        case Account.SignedOutEverywhere():
            return "Signed out everywhere: every session ended", {}
        case Account.TokenIssued():
            return f"API token {e.token_id} issued for '{e.label}'", {"token_id": e.token_id}
        case Account.TokenRevoked():
            return f"API token {e.token_id} revoked", {"token_id": e.token_id}
    return type(e).__name__, {}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _lateness(late: bool, due: date) -> str:
    return f", late: they were due by {_d(due)}" if late else f", on time (due by {_d(due)})"


def _went_out(e: Any) -> str:
    """Something added to an agenda already published goes out at once (rule C4)."""
    if e.published_on is None:
        return ""
    return ", published at once" + (f", late: papers were due by {_d(e.papers_due)}" if e.late else "")


def _amended(e: Any) -> str:
    return f", with amendments: {e.amendments}" if e.amendments else " as a correct record"


def describe(event: Any) -> HistoryEntry:
    if isinstance(event, Body.Event):
        sentence, changes = _body_sentence(event)
    elif isinstance(event, Project.Event):
        sentence, changes = _project_sentence(event)
    elif isinstance(event, Meeting.Event):
        sentence, changes = _meeting_sentence(event)
    elif isinstance(event, Account.Event):
        sentence, changes = _account_sentence(event)
    elif isinstance(event, AnnualReview.Event):
        sentence, changes = _review_sentence(event)
    elif isinstance(event, Erasure.NameErased):
        sentence, changes = f"A person's name was erased (person {event.person_id}; rule P1)", {}
    else:
        sentence, changes = type(event).__name__, {}
    governance = isinstance(event, Body.GovernanceEvent)
    return HistoryEntry(
        version=event.originator_version,
        change=_snake(type(event).__name__),
        sentence=sentence,
        actor=event.actor,
        recorded_at=event.timestamp,
        effective_date=getattr(event, "effective_date", None),
        reason=getattr(event, "reason", None),
        governance=governance,
        changes=changes,
    )


# How every event of a meeting recorded after the fact begins (its scheduling event included).
AFTERWARDS = "Recorded afterwards: "


def describe_record(events: Iterable[Any]) -> list[HistoryEntry]:
    """Every event of one record, oldest first, in plain English. A meeting recorded afterwards (its first
    event says so) has every later event read as recorded afterwards too, with ``recorded_afterwards`` in
    its changes: the whole record of that meeting was written after the fact, not only its scheduling."""
    afterwards = False
    entries = []
    for event in events:
        entry = describe(event)
        if isinstance(event, Meeting.Scheduled):
            afterwards = bool(getattr(event, "recorded_afterwards", False))
        elif afterwards and isinstance(event, Meeting.Event):
            # A sentence that opens with a person's name keeps its capital; the others read on after the colon.
            sentence = entry.sentence
            # No deadline was known when the meeting happened: "on time" would be invented (C4, C5).
            if isinstance(event, Meeting.AgendaPublished):
                sentence = sentence.removesuffix(_lateness(event.late, event.papers_due))
            elif isinstance(event, Meeting.MinutesPublished):
                sentence = sentence.removesuffix(_lateness(event.late, event.minutes_due))
            if not isinstance(event, Meeting.InterestDeclared):
                sentence = sentence[:1].lower() + sentence[1:]
            entry = replace(
                entry,
                sentence=AFTERWARDS + sentence,
                changes={**entry.changes, "recorded_afterwards": True},
            )
        entries.append(entry)
    return entries


# The changes whose sentence names a person: the public reads them without the name (issue 16).
PERSONAL_CHANGES = frozenset({"member_joined", "member_left", "officers_elected"})


def public_sentence(change: str, sentence: str, changes: dict[str, Any]) -> str:
    """A history sentence as the public reads it: a membership change gives the role and representation
    without the person's name (nor why they left, which may say who they are), and an election says when
    it was held, not who was elected; a change of funding or contract, or a correction of one, says what
    changed without the amounts or terms. Every other sentence is the same for everyone."""
    role, representation = changes.get("role"), changes.get("representation")
    described = ""
    if role and representation:
        try:
            described = f" as {_member_role(role)} representing {_representation(representation)}"
        except ValueError:
            described = ""
    if change == "member_joined":
        return f"A member joined{described}" + (" (no vote)" if sentence.endswith(" (no vote)") else "")
    if change == "member_left":
        return f"A member left{described}"
    if change == "officers_elected":
        return sentence.split(": ", 1)[0]
    # Funding and contracts stay on the officers' pages (the public body page leaves them out too).
    if change == "funding_changed":
        return "Funding changed"
    if change == "contract_extended":
        return "Contract extended"
    if change == "corrected" and set(changes) & _PRIVATE_FIELDS:
        field = next(iter(set(changes) & _PRIVATE_FIELDS))
        return f"The {_FIELD_NAMES.get(field, field.replace('_', ' '))} was corrected"
    return sentence


# What the public's history leaves out of a correction (see ``public_sentence``).
_PRIVATE_FIELDS = {"annual_funding_pence", "contract_end", "break_clause_months"}
