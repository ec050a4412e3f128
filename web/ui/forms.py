"""One form per command: the command's definition (application/commands) and how the form shows its fields.

What a form is about, its title and who may use it come from the command's one definition; this
module adds only the presentation: each field's label, hint and kind of control. A form's URL comes
from what its command acts on: ``/bodies/<id>/<slug>``, ``/meetings/<id>/<slug>``,
``/projects/<id>/<slug>``, or a fixed path for the commands that start something new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from application.authority import Role
from application.commands import (
    COMMANDS,
    Command,
    accounts,
    bodies,
    consultations,
    meetings,
    people,
    projects,
    questions,
    reviews,
)
from domain.consultation import Audience, QuestionKind
from domain.vocabulary import AgendaPurpose, BodyKind, MemberRole, Representation
from web.ui.fields import Field, FormContext, enum_options, fixed

PLURAL = {
    "body": "bodies",
    "meeting": "meetings",
    "project": "projects",
    "account": "accounts",
    "consultation": "consultations",
    "panel_member": "panel-members",
    "review": "reviews",
}


@dataclass(frozen=True)
class FormSpec:
    schema: type[Schema]  # the command's input schema, on which the command is defined
    fields: list[Field] = field(default_factory=list)
    button: str = "Save"
    intro: str = ""
    path: str = ""  # for a command that starts something new (it acts on no record yet)
    defaults: dict[str, str] = field(default_factory=dict)  # what a new form shows (HTML names)
    # What a new form shows taken from the record it changes (HTML names), e.g. the brief being changed.
    prefill: Callable[[dict[str, Any]], dict[str, str]] | None = None

    @property
    def command(self) -> Command:
        return self.schema.command  # type: ignore[attr-defined]

    @property
    def subject(self) -> str:
        """body, meeting, project, or "" for a command that starts something new."""
        return self.command.about.value if self.command.about else ""

    @property
    def title(self) -> str:
        return self.command.title

    @property
    def has_file(self) -> bool:
        return any(f.kind == "file" for f in self.fields)

    @property
    def slug(self) -> str:
        return self.command.slug

    def url_rule(self) -> str:
        if not self.subject:
            return self.path
        return f"/{PLURAL[self.subject]}/<uuid:subject_id>/{self.slug}"


def _members(ctx: FormContext) -> list[tuple[str, str]]:
    return [(m["member_id"], f"{m['person']} ({m['role'].replace('_', ' ')})") for m in ctx.extra.get("members", [])]


def _voting_members(ctx: FormContext) -> list[tuple[str, str]]:
    return [(m["member_id"], m["person"]) for m in ctx.extra.get("members", []) if m.get("votes")]


def _items(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(i["number"]), f"{i['number']}. {i['title']}") for i in ctx.extra.get("agenda", [])]


def _roster(ctx: FormContext) -> list[Any]:
    """Rule C7: the body's members as they stood on the meeting day, for the attendance register."""
    return list(ctx.extra.get("roster", []))


def _open_matters(ctx: FormContext) -> list[tuple[str, str]]:
    return [
        (f"{m['meeting_id']}/{m['number']}", f"{m['description']} (set {m['set_on']:%-d %B %Y}, {m['owner']})")
        for m in ctx.extra.get("matters_arising", [])
        if m["status"] == "open"
    ]


def _open_actions(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(a["number"]), f"{a['number']}. {a['description']}") for a in ctx.extra.get("open_actions", [])]


def _earlier_meetings(ctx: FormContext) -> list[tuple[str, str]]:
    """Rule C5: the one meeting whose minutes this meeting may approve: the body's previous meeting,
    when its minutes are published and not yet approved."""
    return [(str(m["id"]), f"{m['meeting_date']:%-d %B %Y}") for m in approvable(ctx.extra.get("earlier_meetings", []))]


def approvable(earlier: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of a body's earlier meetings (newest first, cancelled ones left out), the previous one, if its
    minutes are published and not yet approved (rule C5)."""
    return earlier[:1] if earlier and earlier[0]["minutes_status"] == "published" else []


def _later_meetings(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(m["id"]), f"{m['meeting_date']:%-d %B %Y}") for m in ctx.extra.get("later_meetings", [])]


def _open_proposals(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(p["number"]), f"{p['number']}. {p['title']}") for p in ctx.extra.get("proposals", [])]


def _changes(_ctx: FormContext) -> list[tuple[str, str]]:
    return [(c.value, COMMANDS[c.value].title) for c in bodies.ProposableChange]


def _leads(ctx: FormContext) -> list[tuple[str, str]]:
    return [(u.user_id, f"{u.name} ({u.user_id})") for u in ctx.extra.get("leads", [])]


KINDS = enum_options(BodyKind)
PARAGRAPHS = fixed(
    ("1", "1. Information relating to any individual"),
    ("2", "2. Information likely to reveal the identity of an individual"),
    ("3", "3. Financial or business affairs of any particular person"),
    ("4", "4. Labour relations"),
    ("5", "5. Legal professional privilege"),
    ("6", "6. Notices, orders or directions"),
    ("7", "7. Prevention, investigation or prosecution of crime"),
)

# The decision behind a governance change (rule F4): on every governance form.
DECISION = [
    Field("reason", "Reason for the change", "textarea", hint="Say why, as it will appear in the audit log"),
    Field("effective_date", "Date the change takes effect", "date", hint="Leave blank if it takes effect today"),
    Field("decided_by", "Who decided", hint="For example, Executive Director or Health and Wellbeing Board"),
    Field("decision_ref", "Decision reference (optional)"),
]

BODY_FORMS = [
    FormSpec(
        bodies.AdoptTermsOfReference,
        [Field("text", "Terms of reference", "textarea"), *DECISION],
    ),
    FormSpec(
        bodies.ChangeFunding,
        [
            Field(
                "annual_funding_pence",
                "Annual funding",
                "money",
                hint="In pounds. Leave blank when the council no longer funds the body",
                empty_is_null=True,
            ),
            Field("council_funding_until", "Last date of council funding (optional)", "date"),
            *DECISION,
        ],
    ),
    FormSpec(
        bodies.ExtendContract,
        [
            Field("until", "New end date of the contract", "date"),
            Field("break_clause_months", "Break clause notice in months (optional)", "int"),
            *DECISION,
        ],
    ),
    FormSpec(
        bodies.TransformBody,
        [
            Field("into", "Kind of body it becomes", "select", options=KINDS),
            Field("until", "Date the new body ends (optional)", "date"),
            Field("task", "Task it is given (optional)", "textarea"),
            *DECISION,
        ],
    ),
    FormSpec(
        bodies.ReplaceBody,
        [
            Field("successor_id", "Name of the body that replaces it", "body"),
            Field("task", "Task it is given (optional)", "textarea"),
            *DECISION,
        ],
    ),
    FormSpec(
        bodies.MergeBody,
        [Field("target_id", "Name of the body it merges into", "body"), *DECISION],
    ),
    FormSpec(
        bodies.GiveSelfFundingOption,
        [Field("council_funding_until", "Last date of council funding", "date"), *DECISION],
    ),
    FormSpec(
        bodies.TransferToProviderForum,
        [Field("under", "Provider forum it moves under"), *DECISION],
    ),
    FormSpec(bodies.MaintainBody, [Field("as", "What it is kept as (optional)"), *DECISION]),
    FormSpec(
        bodies.EndBody,
        [Field("remove_council_support", "Remove council support", "bool"), *DECISION],
        button="End the body",
        defaults={"remove_council_support": "yes"},
    ),
    FormSpec(
        bodies.ExtendTimeLimit,
        [Field("until", "New end date", "date"), *DECISION],
        button="Extend the end date",
    ),
    FormSpec(
        bodies.CloseTimeLimitedGroup,
        [
            Field("completion_report", "Completion report", "textarea", hint="What the group achieved (rule D5)"),
            *DECISION,
        ],
        button="Close the group",
    ),
    FormSpec(
        bodies.AssignStatutoryFunction,
        [
            Field("function", "Statutory function"),
            Field("legal_basis", "The law that gives it"),
            Field("reason", "Reason for the change", "textarea", hint="Say why, as it will appear in the audit log"),
            Field("effective_date", "Date the body holds it from", "date"),
            Field("decided_by", "Who decided", hint="For example, Council Executive"),
            Field("decision_ref", "Decision reference", hint="The report or minute number"),
        ],
        button="Record the statutory function",
        intro="A body holds a statutory function only once the decision giving it is recorded (rule A11). "
        "Usually this is proposed first and recorded by deciding the proposal.",
        defaults={"function": bodies.CHILDRENS_TRUST_BOARD, "legal_basis": bodies.CHILDREN_ACT_12A},
    ),
    FormSpec(
        bodies.ProposeChange,
        [
            Field("change", "Change proposed", "select", options=_changes),
            Field("reason", "Reason for the change", "textarea", hint="Say why, as the decision-maker will read it"),
            Field("effective_date", "Date it would take effect (optional)", "date"),
            Field("into", "Kind of body it becomes (transform only)", "select", options=KINDS),
            Field("until", "End date (transform, extend the contract or the end date)", "date"),
            Field("task", "Task it is given (transform or replace, optional)", "textarea"),
            Field("successor_id", "Name of the body that replaces it (replace only)", "body"),
            Field("target_id", "Name of the body it merges into (merge only)", "body"),
            Field("council_funding_until", "Last date of council funding (self-funding or funding)", "date"),
            Field("annual_funding_pence", "Annual funding (change funding only)", "money", hint="In pounds"),
            Field("under", "Provider forum it moves under (transfer only)"),
            Field("completion_report", "Completion report (close a time-limited group only)", "textarea"),
            Field(
                "function",
                "Statutory function (give a statutory function only)",
                hint=f"Leave blank for the {bodies.CHILDRENS_TRUST_BOARD} ({bodies.CHILDREN_ACT_12A})",
            ),
        ],
        button="Propose the change",
        intro="Nothing changes until someone with the authority decides (rule F4). Fill in only what the change needs.",
    ),
    FormSpec(
        bodies.DecideProposal,
        [
            Field("number", "Proposal", "select", options=_open_proposals, number=True),
            Field(
                "outcome",
                "Decision",
                "radios",
                options=fixed(
                    ("approved", "Approved"),
                    ("amended", "Approved with amendments"),
                    ("rejected", "Rejected"),
                    ("deferred", "Deferred"),
                ),
            ),
            Field("decided_by", "Who decided", hint="For example, Portfolio Holder for Care Services"),
            Field("decision_ref", "Decision reference", hint="The report or minute number, for example CS13010"),
            Field("decided_on", "Date of the decision (optional)", "date"),
            Field("effective_date", "Date the amended change takes effect (amended only, optional)", "date"),
            Field("note", "How it was amended, or why rejected or deferred", "textarea"),
        ],
        button="Record the decision",
        intro="Approved or amended, the change is made from its date; rejected, nothing changes (rule F4).",
    ),
    FormSpec(
        bodies.CorrectBody,
        [
            Field("corrects_version", "Version being corrected", "int", hint="The version number shown in the history"),
            Field("field", "Field being corrected", hint="For example, chair or annual_funding_pence"),
            Field("value", "Corrected value"),
            *DECISION,
        ],
    ),
    FormSpec(
        bodies.AddMember,
        [
            Field("person", "Name"),
            Field("position", "Position (optional)"),
            Field("role", "Role on the body", "select", options=enum_options(MemberRole)),
            Field("representation", "Whom they represent", "select", options=enum_options(Representation)),
            Field("effective_date", "Date they join", "date"),
        ],
    ),
    FormSpec(
        bodies.RemoveMember,
        [
            Field("member_id", "Member", "select", options=_members),
            Field("effective_date", "Date they leave", "date"),
            Field("reason", "Why they leave", "textarea"),
        ],
    ),
    FormSpec(
        bodies.RecordElection,
        [
            Field("chair_id", "Elected chair", "select", options=_voting_members),
            Field("vice_chair_id", "Elected vice-chair", "select", options=_voting_members),
            Field("election_date", "Date of the election", "date"),
        ],
    ),
    FormSpec(
        bodies.SetQuorum,
        [
            Field(
                "quorum",
                "Quorum",
                "int",
                hint="How many voting members a meeting needs present; from 1 to the voting members the body has now",
            ),
            Field("reason", "Why the quorum is set", "textarea"),
        ],
    ),
    FormSpec(
        meetings.ScheduleMeeting,
        [
            Field("meeting_date", "Meeting date", "date"),
            Field("start_time", "Start time", hint="24-hour clock, for example 14:00"),
            Field("place", "Place"),
            Field("additional", "This is an additional meeting (outside the two ordinary meetings)", "bool"),
            Field("lead_officer", "Lead officer who agreed the additional meeting (consultative groups)"),
            Field("additional_reason", "Why the additional meeting is called", "textarea"),
        ],
        button="Schedule meeting",
    ),
    FormSpec(
        meetings.RecordPastMeeting,
        [
            Field("meeting_date", "Date the meeting was held", "date"),
            Field("start_time", "Start time", hint="24-hour clock, for example 14:00"),
            Field("place", "Place"),
            Field("additional", "It was an additional meeting (outside the two ordinary meetings)", "bool"),
        ],
        button="Record the meeting",
        intro="For a meeting that has already happened: afterwards you can record its agenda, papers, "
        "attendance, decisions and minutes. Everything is marked as recorded afterwards, and no deadline "
        "is counted against it.",
    ),
]

NEW_FORMS = [
    FormSpec(
        bodies.EstablishBody,
        [
            Field("name", "Name"),
            Field("kind", "Kind of body", "select", options=KINDS),
            Field("purpose", "Purpose (optional)", "textarea"),
            Field("parent_id", "Name of the body it reports to (optional)", "body"),
            Field("accountability", "Accountable to (optional)", "lines", hint="One on each line"),
            Field("annual_funding_pence", "Annual funding (optional)", "money", hint="In pounds"),
            Field("contract_end", "Contract end date (optional)", "date"),
            Field("break_clause_months", "Break clause notice in months (optional)", "int"),
            Field("meets_per_year", "Meetings a year (optional)", "int"),
            Field("open_to_public", "Its meetings are open to the public", "bool"),
            Field("until", "Date the body ends (time-limited groups)", "date"),
            *DECISION,
        ],
        button="Establish body",
        path="/bodies/new",
    ),
    FormSpec(
        meetings.PlanAnnualCalendar,
        [
            Field("year", "Year", "int"),
            Field("place", "Place"),
            Field("start_time", "Start time (optional)", hint="24-hour clock, for example 14:00"),
        ],
        button="Plan the year",
        intro="Schedules each open conference and consultative group’s two ordinary meetings for the year.",
        path="/calendar/plan",
    ),
    FormSpec(
        projects.CommissionProject,
        [
            Field("title", "Project title"),
            Field("lead", "Project lead", "select", options=_leads),
            Field("body_id", "Name of the project group (optional)", "body"),
            Field("brief.aims_and_objectives", "Aims and objectives", "textarea"),
            Field("brief.outcomes", "Outcomes", "textarea"),
            Field("brief.start_date", "Start date", "date"),
            Field("brief.end_date", "End date", "date"),
            Field("brief.resources", "Resources", "textarea"),
            Field("brief.key_risks", "Key risks", "textarea"),
            Field(
                "brief.reporting_every_months", "Months between progress reports (optional)", "int", hint="Usually 3"
            ),
        ],
        button="Commission project",
        path="/projects/new",
    ),
]


def _current_brief(project: dict[str, Any]) -> dict[str, str]:
    """The brief as it stands, to change in place (GOV.UK date inputs by day, month and year)."""
    values = {f"brief__{k}": str(project.get(k) or "") for k in ("aims_and_objectives", "outcomes", "resources")}
    values["brief__key_risks"] = str(project.get("key_risks") or "")
    values["brief__reporting_every_months"] = str(project.get("reporting_every_months") or "")
    for key in ("start_date", "end_date"):
        day = project.get(key)
        if day is not None:
            values.update({f"brief__{key}-day": str(day.day), f"brief__{key}-month": str(day.month)})
            values[f"brief__{key}-year"] = str(day.year)
    return values


PROJECT_FORMS = [
    FormSpec(
        projects.ChangeBrief,
        [
            Field("brief.aims_and_objectives", "Aims and objectives", "textarea"),
            Field("brief.outcomes", "Outcomes", "textarea"),
            Field("brief.start_date", "Start date", "date"),
            Field("brief.end_date", "End date", "date"),
            Field("brief.resources", "Resources", "textarea"),
            Field("brief.key_risks", "Key risks", "textarea"),
            Field("brief.reporting_every_months", "Months between progress reports", "int"),
            Field("reason", "Why the brief is changing", "textarea"),
        ],
        button="Change the brief",
        intro="Once changed, the brief takes effect only when the Executive Director agrees it again (rule D3).",
        prefill=_current_brief,
    ),
    FormSpec(
        projects.AgreeBrief,
        [Field("agreed_on", "Date the brief was agreed", "date", hint="Leave blank for today")],
        button="Agree the brief",
    ),
    FormSpec(
        projects.SubmitProgressReport,
        [
            Field("period_start", "First day of the period", "date"),
            Field("period_end", "Last day of the period", "date"),
            Field("rag", "RAG status", "radios", options=fixed(("green", "Green"), ("amber", "Amber"), ("red", "Red"))),
            Field("percent_complete", "Percentage complete", "int", hint="A whole number from 0 to 100"),
            Field("milestones_achieved", "Milestones achieved", "textarea"),
            Field("issues_and_concerns", "Issues and concerns", "textarea", hint="Write ‘none’ if there are none"),
        ],
        button="Submit report",
    ),
    FormSpec(
        projects.SubmitCompletionReport,
        [
            Field("outcomes_achieved", "Outcomes achieved", "textarea"),
            Field("completed_on", "Completion date", "date", hint="Leave blank for today"),
        ],
        button="Submit completion report",
    ),
    FormSpec(
        projects.ExtendProjectTimeframe,
        [Field("new_end_date", "New end date", "date"), Field("reason", "Reason for the extension", "textarea")],
    ),
]


def _public_questions(ctx: FormContext) -> list[tuple[str, str]]:
    return [
        (str(q["id"]), f"{n}. {q['question'][:80]}{'…' if len(q['question']) > 80 else ''} ({q['name']})")
        for n, q in enumerate(ctx.extra.get("public_questions", []), start=1)
    ]


MEETING_FORMS = [
    FormSpec(
        questions.AnswerPublicQuestion,
        [
            Field("question_id", "Question", "select", options=_public_questions),
            Field("answer", "The answer given at the meeting", "textarea"),
        ],
        button="Record the answer",
        intro="The question and this answer are published with the minutes (rule C7); the asker's name only if "
        "they agreed, and their email address never.",
    ),
    FormSpec(
        meetings.MoveMeeting,
        [
            Field("new_date", "New date", "date"),
            Field("new_start_time", "New start time", hint="24-hour clock, for example 14:00"),
            Field("new_place", "New place"),
            Field("reason", "Why the meeting moves", "textarea"),
        ],
    ),
    FormSpec(
        meetings.CancelMeeting,
        [Field("reason", "Why the meeting is cancelled", "textarea")],
        button="Cancel the meeting",
    ),
    FormSpec(
        meetings.AddAgendaItem,
        [
            Field("title", "Title"),
            Field(
                "exemption_paragraph",
                "Exempt under Schedule 12A (leave as ‘Public item’ for public business)",
                "select",
                options=PARAGRAPHS,
                number=True,
                blank="Public item",
            ),
            Field(
                "purpose",
                "Purpose",
                "radios",
                options=enum_options(AgendaPurpose),
                hint="If you do not choose, the item is for discussion",
            ),
            Field("presenter", "Who presents it (optional)"),
            Field("starts_at", "Time (optional)", hint="24-hour clock, for example 14:30"),
        ],
        button="Add item",
    ),
    FormSpec(
        meetings.AttachPaper,
        [
            Field("item", "Agenda item", "select", options=_items, number=True),
            Field("title", "Title of the paper"),
            Field(
                "file", "The paper", "file", hint="PDF, Word (.docx), OpenDocument (.odt) or plain text, up to 20 MB"
            ),
            Field("summary", "Plain-English summary", "textarea"),
            Field("accessible", "The paper is in an accessible format", "bool"),
        ],
        button="Attach paper",
    ),
    FormSpec(
        meetings.PublishAgenda,
        button="Publish agenda and papers",
        intro="Publishes the agenda and its papers. Public items go on the public website; exempt items never do.",
    ),
    FormSpec(
        meetings.RecordMeetingHeld,
        button="Record that it was held",
        intro="Records that the meeting took place. Recording its attendance or any of its business does this too.",
    ),
    FormSpec(
        meetings.RecordAttendance,
        [
            Field(
                "present",
                "Members on the day of the meeting",
                "register",
                hint="For each member: present, sent apologies or absent. A substitute’s name goes beside the "
                "member they stood in for.",
                options=_roster,
            ),
            Field("guests", "Guests (optional)", "lines", hint="One name on each line. Guests never count."),
            Field(
                "officers",
                "Officers in attendance (optional)",
                "lines",
                hint="Council officers supporting the meeting, one on each line. They never count.",
            ),
            Field(
                "quorum",
                "Quorum (optional)",
                "int",
                hint="For this meeting only. Leave blank for the body's own quorum or, if it has none, a third "
                "of the voting members and at least 3",
            ),
        ],
        button="Record attendance",
    ),
    FormSpec(
        meetings.DeclareInterest,
        [
            Field("person", "Who declared it"),
            Field("interest", "The interest", "textarea"),
            Field("item", "Agenda item (optional)", "select", options=_items, number=True, blank="None"),
        ],
    ),
    FormSpec(
        meetings.RecordDecision,
        [
            Field("item", "Agenda item", "select", options=_items, number=True),
            Field("text", "The decision", "textarea"),
        ],
    ),
    FormSpec(
        meetings.RecordAction,
        [
            Field("description", "The action", "textarea"),
            Field("owner", "Who owns it"),
            Field("due", "Date it is due", "date"),
            Field("item", "Agenda item (optional)", "select", options=_items, number=True, blank="None"),
        ],
    ),
    FormSpec(
        meetings.CloseAction,
        [
            Field("number", "Action", "select", options=_open_actions, number=True),
            Field("note", "What was done", "textarea"),
            Field("closed_on", "Date it was closed", "date", hint="Leave blank for today"),
            Field(
                "at_meeting_id", "Closed at a later meeting (optional)", "select", options=_later_meetings, blank="None"
            ),
        ],
        button="Close action",
    ),
    FormSpec(
        meetings.CloseMatterArising,
        [
            Field("from_meeting_id", "Matter arising", "matter", options=_open_matters),
            Field("note", "What was reported done", "textarea"),
        ],
        button="Close matter arising",
        intro="Closes an action from an earlier meeting of the body, as reported at this meeting (rule C8).",
    ),
    FormSpec(
        meetings.RecordDraftMinutes,
        [
            Field("file", "The draft minutes", "file", hint="PDF, Word (.docx), OpenDocument (.odt) or plain text"),
            Field("drafted_on", "Date the minutes were drafted", "date", hint="Leave blank for today"),
        ],
        button="Upload draft minutes",
    ),
    FormSpec(
        meetings.ClearMinutes,
        [
            Field("chair", "Chair who cleared them", hint="Leave blank to use the chair on record"),
            Field("cleared_on", "Date the chair cleared them", "date", hint="Leave blank for today"),
        ],
        button="Record clearance",
    ),
    FormSpec(
        meetings.PublishMinutes,
        button="Publish minutes",
        intro="Publishes the cleared minutes. For a public meeting they appear on the public website.",
    ),
    FormSpec(
        meetings.ApprovePreviousMinutes,
        [
            Field("previous_meeting_id", "Previous meeting", "select", options=_earlier_meetings),
            Field("amendments", "Amendments (optional)", "textarea"),
        ],
        button="Record approval",
    ),
]

ROLES = fixed(*((r.value, r.value.replace("_", " ").capitalize()) for r in Role))


def _tokens(ctx: FormContext) -> list[tuple[str, str]]:
    return [(t["token_id"], f"{t['label']} ({t['token_id']})") for t in ctx.extra.get("tokens", [])]


# An administrator's account forms (duty ADMINISTRATION): /accounts/new and /accounts/<id>/<command>.
ACCOUNT_FORMS = [
    FormSpec(
        accounts.CreateAccount,
        [
            Field("user_id", "User name", hint="What they type to sign in: lower-case letters, digits, . - or _"),
            Field("name", "Full name"),
            Field("email", "Email address", "email"),
            Field("role", "Role", "radios", options=ROLES),
            Field("password", "Password", "password", hint="10 or more characters. Tell the person it yourself"),
        ],
        button="Create account",
        path="/accounts/new",
    ),
    FormSpec(accounts.ChangeRole, [Field("role", "New role", "radios", options=ROLES)], button="Change role"),
    FormSpec(
        accounts.DeactivateAccount,
        button="Deactivate account",
        intro="They will be signed out everywhere and cannot sign in or use their API tokens until reactivated.",
    ),
    FormSpec(accounts.ReactivateAccount, button="Reactivate account", intro="They will be able to sign in again."),
    FormSpec(
        accounts.ResetPassword,
        [Field("password", "New password", "password", hint="10 or more characters. Tell the person it yourself")],
        button="Reset password",
        intro="Every session of theirs ends, and any lock from wrong passwords is lifted.",
    ),
    FormSpec(
        accounts.ChangePassword,
        [
            Field("current_password", "Current password", "password"),
            Field("new_password", "New password", "password", hint="10 or more characters"),
        ],
        button="Change password",
        intro="You will be signed out everywhere, this browser included, and sign in again with the new password.",
    ),
    FormSpec(
        accounts.UnlockAccount,
        button="Unlock sign-in",
        intro="Lifts the lock that too many wrong passwords put on the account.",
    ),
    FormSpec(
        accounts.SignOutEverywhere,
        button="Sign out everywhere",
        intro="Ends every session of theirs on every browser. Their API tokens keep working until revoked.",
    ),
    FormSpec(
        accounts.IssueApiToken,
        [Field("label", "What the token is for", hint="For example, the name of the script that will use it")],
        button="Issue token",
        intro="The token is shown once, on the next page. Only a hash of it is kept.",
    ),
    FormSpec(
        accounts.RevokeApiToken,
        [Field("token_id", "Token", "select", options=_tokens)],
        button="Revoke token",
        intro="It stops working at once.",
    ),
]


def _reviewable_bodies(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(b["id"]), b["name"]) for b in ctx.extra.get("bodies", [])]


def _reviewed_bodies(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(b["body_id"]), b["body_name"]) for b in (ctx.subject or {}).get("bodies", [])]


def _reviewed_bodies_proposals(ctx: FormContext) -> list[tuple[str, str]]:
    return [
        (str(p["number"]), f"{p['body_name']}: {p['number']}. {p['title']} ({p['status']})")
        for p in ctx.extra.get("body_proposals", [])
    ]


def _findings_so_far(review: dict[str, Any]) -> dict[str, str]:
    return {"findings": review.get("overall_findings") or ""}


# The annual review of the arrangements (rule H1): /reviews/new and /reviews/<id>/<command>.
REVIEW_FORMS = [
    FormSpec(
        reviews.OpenAnnualReview,
        [
            Field(
                "year",
                "Year the financial year starts in",
                "int",
                hint="For example, 2027 for the 2027-28 financial year, whose review is due by 31 March 2027",
            )
        ],
        button="Open the review",
        intro="The arrangements are reviewed each year before the financial year begins on 1 April (rule H1).",
        path="/reviews/new",
    ),
    FormSpec(
        reviews.RecordReviewFindings,
        [
            Field("body_id", "Body reviewed", "select", options=_reviewable_bodies),
            Field("findings", "What the review found", "textarea", hint="Recording a body again replaces its findings"),
        ],
        button="Record findings",
    ),
    FormSpec(
        reviews.RecordOverallFindings,
        [Field("findings", "How well the arrangements are working", "textarea")],
        button="Record overall findings",
        prefill=_findings_so_far,
    ),
    FormSpec(
        reviews.LinkReviewProposal,
        [
            Field("body_id", "Body", "select", options=_reviewed_bodies),
            Field("number", "Proposal", "select", options=_reviewed_bodies_proposals, number=True),
        ],
        button="Link the proposal",
        intro="Propose the change on the body’s page first (Propose a change); it is then decided there (rule F4). "
        "Link it here so the review shows what it led to.",
    ),
    FormSpec(
        reviews.CompleteAnnualReview,
        [Field("completed_on", "Date the review was completed", "date", hint="Leave blank for today")],
        button="Complete the review",
        intro="Completing the review meets its annual-review reminder. After 31 March it is recorded as late.",
    ),
]


def _questions(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(q["number"]), f"{q['number']}. {q['text']}") for q in (ctx.subject or {}).get("questions", [])]


def _projects(ctx: FormContext) -> list[tuple[str, str]]:
    return [(str(p["id"]), p["title"]) for p in ctx.extra.get("projects", [])]


# The virtual panel and its consultations (rule A4).
PANEL_FORMS = [
    FormSpec(
        consultations.AddPanelMember,
        [
            Field("name", "Full name"),
            Field("email", "E-mail address", "email", hint="Their invitations and links go here, and nowhere else"),
            Field("consent_on", "Date they consented to be contacted", "date", hint="For example, 27 2 2026"),
            Field(
                "interests",
                "Interests (optional)",
                "lines",
                hint="Services, groups or topics they want to be asked about, one per line",
            ),
            Field("member_of", "Body they sit on (optional)", "body", hint="As it is named in the directory"),
        ],
        button="Add to the panel",
        path="/panel/add",
        intro="Add someone who has agreed to be contacted about consultations. They can leave at any time.",
    ),
    FormSpec(
        consultations.RemovePanelMember,
        button="Record that they left",
        intro="Nothing more is sent to them, including mail already waiting to go.",
    ),
    FormSpec(
        consultations.DraftConsultation,
        [
            Field("title", "Title"),
            Field(
                "summary",
                "Summary in plain English",
                "textarea",
                hint="What you are asking and why, without jargon or acronyms (rule C6)",
            ),
            Field("concerns", "Service or body it concerns", hint="For example, Adult day services"),
            Field("body_id", "Body it concerns (optional)", "body", hint="As it is named in the directory"),
            Field("audience", "Who is asked", "radios", options=enum_options(Audience)),
            Field(
                "topic",
                "Topic (for those interested in a topic)",
                hint="Panel members who named this interest are asked",
            ),
            Field("opens_on", "Open date", "date", hint="For example, 2 3 2026"),
            Field("closes_on", "Close date", "date", hint="Responses are taken until the end of this day"),
            Field("anonymous_allowed", "Also take anonymous responses from the public", "bool"),
        ],
        button="Save the draft",
        path="/consultations/new",
        defaults={"audience": "whole_panel"},
    ),
    FormSpec(
        consultations.AddQuestion,
        [
            Field("question", "Question", "textarea"),
            Field("kind", "Kind of question", "radios", options=enum_options(QuestionKind)),
            Field(
                "options",
                "Answers to choose from",
                "lines",
                hint="One per line, for choose one and choose any questions only",
            ),
            Field("required", "An answer is required", "bool"),
        ],
        button="Add the question",
    ),
    FormSpec(
        consultations.RemoveQuestion,
        [Field("number", "Question", "select", options=_questions, number=True)],
        button="Remove the question",
    ),
    FormSpec(
        consultations.PublishConsultation,
        button="Publish and send the invitations",
        intro="Each panel member in its audience is e-mailed their own link to respond. "
        "The questions cannot be changed once it is published.",
    ),
    FormSpec(
        consultations.PublishOutcome,
        [
            Field(
                "outcome",
                "What came of it (you said, we did)",
                "textarea",
                hint="It is e-mailed to everyone who responded and shown on the public page",
            ),
            Field("linked_body_id", "Body whose decision it fed (optional)", "body"),
            Field("linked_project_id", "Project it fed (optional)", "select", options=_projects, blank="None"),
        ],
        button="Publish the outcome",
    ),
]


# An administrator's erasure of a person's name (rule P1): /people/erase.
PEOPLE_FORMS = [
    FormSpec(
        people.ErasePerson,
        [
            Field(
                "person",
                "The person's name, or their person id",
                hint="As the record spells it; capitals and spaces do not matter",
            ),
            Field("reason", "Why the name is erased", hint="The request it answers. Do not name the person"),
        ],
        button="Erase name",
        intro=(
            "The key to this person's name is destroyed. From then on every page, export, download and feed "
            'shows "name erased" where the name stood. This cannot be undone. What happened stays: '
            "the seats held, who counted towards a quorum, the decisions made."
        ),
        path="/people/erase",
    ),
]

ALL_FORMS: list[FormSpec] = [
    *BODY_FORMS,
    *NEW_FORMS,
    *PROJECT_FORMS,
    *MEETING_FORMS,
    *ACCOUNT_FORMS,
    *REVIEW_FORMS,
    *PANEL_FORMS,
    *PEOPLE_FORMS,
]
# Each command's form, by the command's definition.
FORMS: dict[Command, FormSpec] = {spec.command: spec for spec in ALL_FORMS}
