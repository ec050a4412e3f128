"""What the API returns: marshmallow schemas over read-model rows (they also document the responses).

Every field that a row may lack or hold as null is ``allow_none`` and not required, so the OpenAPI
document says exactly what a response can hold (schemathesis checks every response against it).
Dates and times are ISO 8601 (times of record in UTC, with the offset); money is whole pence.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from domain.vocabulary import BodyKind, BodyStatus, MeetingStage


class UtcDateTime(fields.DateTime):
    """The read models keep UTC times without an offset; the API always states it."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def _str(description: str = "", **kw: Any) -> fields.String:
    return fields.String(allow_none=True, metadata={"description": description} if description else {}, **kw)


def _int(description: str = "") -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={"description": description} if description else {})


def _date(description: str = "") -> fields.Date:
    return fields.Date(allow_none=True, metadata={"description": description} if description else {})


def _bool() -> fields.Boolean:
    return fields.Boolean(allow_none=True)


class Out(Schema):
    class Meta:
        unknown = RAISE


class MemberOut(Out):
    member_id = fields.String(required=True)
    person = fields.String(required=True)
    position = _str()
    role = _str("chair, vice_chair, member, officer, agency_representative or co_opted")
    representation = _str()
    votes = _bool()
    joined_on = _date()
    left_on = _date("null while a current member")
    left_reason = _str()


class BodyOut(Out):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True, metadata={"description": "send it back in If-Match to change the body"})
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in BodyKind]))
    kind_label = _str("the kind in words")
    previous_kind = _str("the kind it was before it was transformed")
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in BodyStatus]))
    status_label = _str("the status in words")
    status_effective = _date()
    until = _date("end date of a time-limited body")
    task = _str()
    successor_id = fields.UUID(allow_none=True)
    successor_name = _str()
    purpose = _str()
    parent_id = fields.UUID(allow_none=True)
    parent_name = _str()
    accountability = _str("its reporting lines, separated by '; '")
    terms_of_reference = _str()
    terms_of_reference_version = _int()
    annual_funding_pence = _int("annual funding in whole pence; null when none")
    council_funding_until = _date()
    self_funding_option_until = _date()
    provider_forum_under = _str()
    statutory_function = _str("the statutory function it holds, since when and on whose decision (rule A11)")
    contract_end = _date()
    break_clause_months = _int()
    meets_per_year = _int()
    quorum = _int("the body's own quorum of voting members (AMB-Q); null: a third of them, at least 3")
    open_to_public = _bool()
    established_on = _date()
    chair = _str()
    member_count = _int()
    user_side_count = _int("members counting towards the 70% service-user share (rule B3)")
    share_base = _int("members the share is counted over (everyone but council officers)")
    service_user_share = fields.Float(allow_none=True, metadata={"description": "a ratio from 0 to 1, not money"})
    last_election_on = _date()
    next_meeting = _date()
    last_meeting = _date()
    updated_at = UtcDateTime(allow_none=True)
    as_at = UtcDateTime(allow_none=True, metadata={"description": "present when the body is shown as it stood then"})
    members = fields.List(
        fields.Nested(MemberOut),
        metadata={"description": "present only for a signed-in caller: members are people, not public record"},
    )


class PageOut(Out):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(
        required=True,
        metadata={"description": "how many match; when total_exact is false, more than this many (counting stopped)"},
    )
    total_exact = fields.Boolean(
        required=True,
        metadata={
            "description": "false when more than total match: the audit log stops counting at 10,000, and then "
            "pages counts only those (read on while a page comes back full)"
        },
    )
    pages = fields.Integer(required=True)


class BodyPageOut(PageOut):
    items = fields.List(fields.Nested(BodyOut), required=True)


class HistoryEntryOut(Out):
    version = fields.Integer(required=True)
    change = fields.String(required=True, metadata={"description": "the event, e.g. funding_changed"})
    sentence = fields.String(required=True)
    actor = fields.String(required=True, metadata={"description": "the user who recorded it"})
    recorded_at = UtcDateTime(required=True)
    effective_date = _date()
    reason = _str()
    governance = fields.Boolean(required=True)
    changes = fields.Dict(keys=fields.String(), metadata={"description": "what changed, field by field"})


class HistoryOut(Out):
    id = fields.UUID(required=True)
    public_only = fields.Boolean(
        required=True, metadata={"description": "true when membership events were left out (anonymous caller)"}
    )
    entries = fields.List(fields.Nested(HistoryEntryOut), required=True)


class MembershipChangeOut(Out):
    member_id = fields.String(required=True)
    warning = _str("rule B3: a warning, never a block, when the service-user share falls below 70%")
    body = fields.Nested(BodyOut, required=True)


# ------------------------------------------------------------------ projects


class ProgressReportOut(Out):
    version = fields.Integer(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    rag = fields.String(required=True, validate=validate.OneOf(["green", "amber", "red"]))
    percent_complete = fields.Integer(required=True)
    milestones_achieved = fields.String(required=True)
    issues_and_concerns = fields.String(required=True)
    submitted_by = fields.String(required=True)
    submitted_at = UtcDateTime(required=True)


class ProjectOut(Out):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    commissioned_by = fields.String(required=True)
    lead = fields.String(required=True, metadata={"description": "the user id of the project lead"})
    body_id = fields.UUID(allow_none=True)
    brief_status = fields.String(required=True)
    brief_agreed_on = _date()
    aims_and_objectives = _str("the brief (rule D2)")
    outcomes = _str()
    resources = _str()
    key_risks = _str()
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    reporting_every_months = fields.Integer(required=True)
    latest_rag = _str()
    percent_complete = _int()
    report_count = fields.Integer(required=True)
    next_report_due = _date()
    days_overdue = fields.Integer(required=True)
    completed_on = _date()
    outcomes_achieved = _str()
    reports = fields.List(fields.Nested(ProgressReportOut), metadata={"description": "the progress series"})


class ProjectPageOut(PageOut):
    items = fields.List(fields.Nested(ProjectOut), required=True)


# ------------------------------------------------------------------ meetings


class PaperOut(Out):
    meeting_id = fields.UUID()
    number = fields.Integer(required=True)
    item = fields.Integer(required=True)
    title = fields.String(required=True)
    file_sha256 = fields.String()
    file_size = fields.Integer()
    file_content_type = fields.String()
    file_name = fields.String()
    accessible = _bool()
    summary = _str()
    public = _bool()
    published = _bool()
    published_on = _date()
    published_late = _bool()


class AgendaItemOut(Out):
    meeting_id = fields.UUID()
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    public = _bool()
    exemption_paragraph = _int("Schedule 12A paragraph of an exempt (Part 2) item")
    exemption_reason = _str()
    published = _bool()
    published_on = _date()
    published_late = _bool()
    supplementary = _bool()
    purpose = _str("decision, discussion or information")
    presenter = _str()
    starts_at = fields.Time(allow_none=True)
    papers = fields.List(fields.Nested(PaperOut))


class AttendanceOut(Out):
    meeting_id = fields.UUID()
    line = fields.Integer()
    person = fields.String()
    attendance = fields.String()
    substitute_for = _str()


class InterestOut(Out):
    meeting_id = fields.UUID()
    number = fields.Integer()
    person = fields.String()
    item = _int()
    interest = fields.String()
    public = _bool()


class DecisionOut(Out):
    meeting_id = fields.UUID()
    number = fields.Integer()
    item = fields.Integer()
    text = fields.String()
    public = _bool()


class ActionOut(Out):
    meeting_id = fields.UUID()
    number = fields.Integer()
    body_id = fields.UUID()
    item = _int()
    public = _bool()
    description = fields.String()
    owner = fields.String()
    due = fields.Date()
    status = fields.String()
    closed_on = _date()
    close_note = _str()
    closed_at_meeting_id = fields.UUID(allow_none=True)
    set_on = _date("the date of the meeting that set it")


class MinutesDocumentOut(Out):
    meeting_id = fields.UUID()
    file_sha256 = fields.String()
    file_size = fields.Integer()
    file_content_type = fields.String()
    file_name = fields.String()
    drafted_on = _date()


class MeetingOut(Out):
    """A meeting; the public see the columns listed in projections.queries.PUBLIC_MEETING_COLUMNS only."""

    id = fields.UUID(required=True)
    version = fields.Integer(metadata={"description": "present for a signed-in caller"})
    body_id = fields.UUID(required=True)
    body_name = fields.String(required=True)
    body_kind = _str()
    meeting_date = fields.Date(required=True)
    start_time = fields.Time(required=True)
    place = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["scheduled", "cancelled"]))
    public = _bool()
    additional = _bool()
    lead_officer = _str()
    papers_due = _date("rule C4: agenda and papers out by this day")
    minutes_due = _date("rule C5: draft minutes out by this day")
    agenda_published_on = _date()
    agenda_published_late = _bool()
    minutes_status = _str("none, draft, cleared, published or approved")
    minutes_drafted_on = _date()
    minutes_cleared_by = _str()
    minutes_cleared_on = _date()
    minutes_published_on = _date()
    minutes_published_late = _bool()
    minutes_approved_on = _date()
    minutes_approved_at = fields.UUID(allow_none=True)
    approved_minutes_of = fields.UUID(allow_none=True)
    held = _bool()
    stage = fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in MeetingStage]),
        metadata={
            "description": "where the meeting is in its life; the public are told 'held' while minutes are in draft"
        },
    )
    stage_label = fields.String(required=True, metadata={"description": "the stage in plain English"})
    moved_from = _date("the date the meeting was first set for, when it has been moved")
    additional_reason = _str("rule C2: why an additional meeting was called")
    recorded_afterwards = _bool()
    voting_present = _int("rule B4: voting members present (a substitute takes their member's place)")
    voting_members = _int("voting members of the body on the meeting day")
    quorum = _int("the quorum the meeting was measured against (C7)")
    quorate = _bool()
    user_side_present = _int("rule B3: service users, carers and community members present")
    counted_present = _int("members present other than council officers (guests and officers never count)")
    user_side_percent = _int("rule B3: the service-user share of those present, as a whole percentage")
    papers_overdue = _bool()
    minutes_overdue = _bool()
    agenda = fields.List(fields.Nested(AgendaItemOut))
    matters_arising = fields.List(fields.Nested(ActionOut))
    attendance = fields.List(fields.Nested(AttendanceOut))
    interests = fields.List(fields.Nested(InterestOut))
    decisions = fields.List(fields.Nested(DecisionOut))
    actions = fields.List(fields.Nested(ActionOut))
    minutes = fields.Nested(MinutesDocumentOut, allow_none=True)


class MeetingPageOut(PageOut):
    items = fields.List(fields.Nested(MeetingOut), required=True)


class FileOut(Out):
    """A stored file as the file store describes it: send it as ``file`` when attaching a paper or minutes."""

    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
    filename = fields.String(required=True)


class NumberedOut(Out):
    number = fields.Integer(required=True, metadata={"description": "the number of the item, paper, etc. added"})
    meeting = fields.Nested(MeetingOut, required=True)


class PublicationOut(Out):
    late = fields.Boolean(required=True)
    due = fields.Date(required=True)
    meeting = fields.Nested(MeetingOut, required=True)


# ------------------------------------------------------------- audit, reminders


class AuditEntryOut(Out):
    notification_id = fields.Integer(required=True, metadata={"description": "its position in the event log"})
    subject_id = fields.UUID(required=True)
    subject_type = fields.String(required=True)
    subject_name = fields.String(required=True)
    body_id = fields.UUID(allow_none=True)
    version = fields.Integer(required=True)
    change = fields.String(required=True)
    sentence = fields.String(required=True)
    changes = fields.Dict(keys=fields.String())
    actor = fields.String(required=True)
    actor_role = fields.String(required=True)
    effective_date = _date()
    recorded_at = UtcDateTime(required=True)
    reason = _str()
    decided_by = _str()
    decision_ref = _str()


class AuditPageOut(PageOut):
    items = fields.List(fields.Nested(AuditEntryOut), required=True)


class ReminderOut(Out):
    reminder_id = fields.String(required=True)
    rule = _str("the rule the reminder is for, e.g. C4")
    rule_label = _str()
    title = _str()
    subject_type = _str()
    subject_id = _str()
    subject_name = _str()
    due_date = _date()
    raised_on = _date()
    status = _str("pending, done, or moved (its meeting moved: the new date's reminder replaces it)")
    done_on = _date()
    met_by = _str(
        "what met the deadline (agenda published, minutes published, progress report submitted), or "
        "where the meeting moved to; null when the person marked it done"
    )
    emailed = _bool()
    email_state = _str()
    version = _int()


class RemindersOut(Out):
    user_id = fields.String(required=True)
    items = fields.List(fields.Nested(ReminderOut), required=True)


class TokenOut(Out):
    token_id = fields.String(required=True)
    label = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    last_used_at = UtcDateTime(allow_none=True, metadata={"description": "to the minute; null if never used"})
    revoked_at = UtcDateTime(allow_none=True)


class AccountOut(Out):
    """An account as an administrator sees it: never a password hash or a token's secret."""

    id = fields.UUID(required=True, metadata={"description": "the account's id (its pages and commands use it)"})
    user_id = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "the person's name and user name"})
    person = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    active = fields.Boolean(required=True)
    created_by = _str("demo, command line, or the administrator who created it")
    version = _int("always null: account commands take no version")
    sessions = fields.Integer(required=True, metadata={"description": "browsers signed in now"})
    locked_until = UtcDateTime(allow_none=True, metadata={"description": "sign-in refused until then"})
    tokens = fields.List(fields.Nested(TokenOut), required=True)


class AccountListOut(Out):
    items = fields.List(fields.Nested(AccountOut), required=True)
