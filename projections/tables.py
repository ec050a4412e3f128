"""The read models: plain SQL tables built from the event log, indexed for the pages that read them.

Nothing here depends on "today": values that do (next meeting, days overdue)
are worked out when a query runs, so a rebuilt table is identical, row for row,
to one kept current event by event.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    Uuid,
    and_,
    bindparam,
    literal,
)

from projections.people import people_table

metadata = MetaData()

# ---------------------------------------------------------------- directory

bodies = Table(
    "rm_bodies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("previous_kind", String(40)),  # set when the body was transformed
    Column("status", String(20), nullable=False),
    Column("status_effective", Date),
    Column("until", Date),
    Column("task", Text),
    Column("successor_id", Uuid),
    Column("successor_name", String(300)),
    Column("purpose", Text, nullable=False, default=""),
    Column("parent_id", Uuid),
    Column("parent_name", String(300)),
    Column("accountability", Text, nullable=False, default=""),
    Column("terms_of_reference", Text),
    Column("terms_of_reference_version", Integer, nullable=False, default=0),
    Column("annual_funding_pence", Integer),
    Column("council_funding_until", Date),
    Column("self_funding_option_until", Date),
    Column("provider_forum_under", String(300)),
    # The statutory functions it holds, in words: "Children's Trust Board (Children Act 2004, section 12A)
    # from 1 April 2014, decided by …, reference …" (rule A11); none for most bodies.
    Column("statutory_function", Text),
    Column("completion_report", Text),  # a time-limited group closed with its report (A5, D5)
    Column("open_proposals", Integer, nullable=False, default=0),  # proposed changes awaiting a decision
    Column("contract_end", Date),
    Column("break_clause_months", Integer),
    Column("meets_per_year", Integer),
    Column("quorum", Integer),  # the body's own quorum (AMB-Q); null: a third of the voting members, at least 3
    Column("open_to_public", Boolean, nullable=False),
    Column("established_on", Date),
    Column("chair", String(300)),
    Column("member_count", Integer, nullable=False, default=0),
    Column("user_side_count", Integer, nullable=False, default=0),
    Column("share_base", Integer, nullable=False, default=0),
    Column("service_user_share", Float),
    Column("last_election_on", Date),
    # When the next election of a consultative group falls due (B5: domain.deadlines.election_due_by).
    Column("election_due_by", Date),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # The directory: its default order, the name search (a scan of this narrow index, not of the rows)
    # and the kind and status filters in name order.
    Index("rm_bodies_by_name", "name", "id"),
    Index("rm_bodies_by_kind_status", "kind", "status", "name", "id"),
    Index("rm_bodies_until", "until"),  # groups reaching their end date
    Index("rm_bodies_contract_end", "contract_end"),  # break clauses (F2)
    Index("rm_bodies_parent", "parent_id"),
    # The directory's sortable columns, each then by name and id as the pages are ordered: a deep page
    # is found by walking index entries.
    Index("rm_bodies_by_funding", "annual_funding_pence", "name", "id"),
    Index("rm_bodies_by_members", "member_count", "name", "id"),
    Index("rm_bodies_by_share", "service_user_share", "name", "id"),
)

members = Table(
    "rm_members",
    metadata,
    Column("body_id", Uuid, primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("person", String(300), nullable=False),
    Column("position", String(300), nullable=False, default=""),
    Column("role", String(30), nullable=False),
    Column("representation", String(40), nullable=False),
    Column("votes", Boolean, nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date),
    Column("left_reason", Text),
    Index("rm_members_current", "body_id", "left_on"),
)

# One row per decided change of a body's standing: what it set ("sets", JSON of the fields below) and
# from when. "As at" a date folds every change in force by then in effective order (effective_from,
# then version), so a backdated change or a correction recorded later lands where it belongs.
body_states = Table(
    "rm_body_states",
    metadata,
    Column("body_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("effective_from", Date),  # None: in force from the start of the record
    Column("recorded_at", DateTime, nullable=False),
    Column("sets", Text, nullable=False),  # {"name": …, "kind": …, "status": …, "until": "2014-03-31", …}
    Index("rm_body_states_as_at", "body_id", "effective_from"),
)

# Proposed governance changes and their decisions (F4).
proposals = Table(
    "rm_proposals",
    metadata,
    Column("body_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("body_name", String(300), nullable=False),
    Column("change", String(64), nullable=False),
    Column("title", String(300), nullable=False),
    Column("details", Text, nullable=False),  # JSON: the change's own fields
    Column("reason", Text, nullable=False),
    Column("effective_date", Date),
    Column("proposed_by", String(300), nullable=False),
    Column("proposed_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False),  # pending, deferred, approved, amended, rejected
    Column("decided_by", String(300)),
    Column("decision_ref", String(60)),
    Column("decided_on", Date),
    Column("note", Text),
    Index("rm_proposals_open", "status"),
)

# ---------------------------------------------------------- meeting calendar

meetings = Table(
    "rm_meetings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("body_id", Uuid, nullable=False),
    Column("body_name", String(300), nullable=False),
    Column("meeting_date", Date, nullable=False),
    Column("start_time", Time, nullable=False),
    Column("place", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("public", Boolean, nullable=False),
    Column("additional", Boolean, nullable=False),
    Column("papers_due", Date, nullable=False),
    Column("minutes_due", Date, nullable=False),
    Column("body_kind", String(40)),
    Column("lead_officer", String(300)),  # who agreed an additional consultative group meeting (C2)
    # The agenda and papers (C4): when published, and whether after papers_due.
    Column("agenda_published_on", Date),
    Column("agenda_published_late", Boolean, nullable=False, default=False),
    # The minutes (C5): none / draft / cleared / published / approved.
    Column("minutes_status", String(20), nullable=False, default="none"),
    Column("minutes_drafted_on", Date),
    Column("minutes_cleared_by", String(300)),
    Column("minutes_cleared_on", Date),
    Column("minutes_published_on", Date),
    Column("minutes_published_late", Boolean, nullable=False, default=False),
    Column("minutes_approved_on", Date),
    Column("minutes_approved_at", Uuid),  # the following meeting that approved them
    Column("approved_minutes_of", Uuid),  # the previous meeting whose minutes this one approved
    Column("held", Boolean, nullable=False, default=False),  # recorded as held, or proceedings recorded
    Column("moved_from", Date),  # the date it was first set for, when it has been moved
    Column("additional_reason", Text),  # why an additional meeting was called (C2)
    # Recorded after it took place: no deadline is counted against it, and its pages say so.
    Column("recorded_afterwards", Boolean, nullable=False, default=False),
    # The turnout (C7, B3, B4), when attendance was taken against the membership on record.
    Column("voting_present", Integer),
    Column("voting_members", Integer),
    Column("quorum", Integer),
    Column("user_side_present", Integer),
    Column("counted_present", Integer),
    Column("version", Integer, nullable=False),
    Index("rm_meetings_by_date", "meeting_date"),
    Index("rm_meetings_by_body", "body_id", "meeting_date"),
    # A body's last and next meeting, and its last and next ordinary one (scheduled, not additional): one
    # index seek each for the directory, the cadence rule (C1) and the dashboard.
    Index("rm_meetings_ordinary", "body_id", "status", "additional", "meeting_date"),
)

# A meeting's agenda or draft minutes still to come (C4, C5). Two partial indexes hold just those
# meetings, by deadline, so the dashboard and the reminder scan read the few that are pending rather
# than every meeting ever held. projections/queries/deadlines.py filters with these same expressions,
# their values written into the SQL: that is how SQLite and PostgreSQL match a query to a partial index.
MINUTES_OUT = ("published", "approved")  # published, or published and then approved
_going_ahead = meetings.c.status == literal("scheduled", literal_execute=True)
AGENDA_PENDING = and_(_going_ahead, meetings.c.agenda_published_on.is_(None))
MINUTES_PENDING = and_(
    _going_ahead,
    meetings.c.minutes_status.not_in(bindparam("minutes_out", MINUTES_OUT, expanding=True, literal_execute=True)),
)
Index(
    "rm_meetings_agenda_pending",
    meetings.c.papers_due,
    sqlite_where=AGENDA_PENDING,
    postgresql_where=AGENDA_PENDING,
)
Index(
    "rm_meetings_minutes_pending",
    meetings.c.minutes_due,
    sqlite_where=MINUTES_PENDING,
    postgresql_where=MINUTES_PENDING,
)

# Exempt (Part 2) items and everything hanging off them carry public = false, and an item or paper
# is published only with the agenda: the public queries filter on those two columns (G1, C4).
agenda_items = Table(
    "rm_agenda_items",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("exemption_paragraph", Integer),
    Column("exemption_reason", Text),
    Column("published", Boolean, nullable=False),
    Column("published_on", Date),
    Column("published_late", Boolean, nullable=False),
    # Added after the agenda went out: sent out on its own day (C4).
    Column("supplementary", Boolean, nullable=False, default=False),
    Column("purpose", String(20), nullable=False, default="discussion"),  # decision / discussion / information
    Column("presenter", String(300)),
    Column("starts_at", Time),
)

papers = Table(
    "rm_papers",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("item", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_size", Integer, nullable=False),
    Column("file_content_type", String(100), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("accessible", Boolean, nullable=False),
    Column("summary", Text, nullable=False),
    Column("public", Boolean, nullable=False),  # the item's marking
    Column("published", Boolean, nullable=False),
    Column("published_on", Date),
    Column("published_late", Boolean, nullable=False),
)

attendance = Table(
    "rm_attendance",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("line", Integer, primary_key=True),  # the order recorded
    Column("person", String(300), nullable=False),
    Column("attendance", String(20), nullable=False),  # present / apologies / substitute
    Column("substitute_for", String(300)),
)

interests = Table(
    "rm_interests",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("person", String(300), nullable=False),
    Column("item", Integer),
    Column("interest", Text, nullable=False),
    Column("public", Boolean, nullable=False),
)

decisions = Table(
    "rm_decisions",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("item", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("public", Boolean, nullable=False),
)

# The matters-arising list (C8): actions stay on the meeting that set them until closed.
actions = Table(
    "rm_actions",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("body_id", Uuid, nullable=False),
    Column("item", Integer),
    Column("public", Boolean, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", String(300), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(10), nullable=False),  # open / closed
    Column("closed_on", Date),
    Column("close_note", Text),
    Column("closed_at_meeting_id", Uuid),
    Index("rm_actions_by_body", "body_id", "status"),
)

minutes = Table(
    "rm_minutes",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("file_sha256", String(64), nullable=False),
    Column("file_size", Integer, nullable=False),
    Column("file_content_type", String(100), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("drafted_on", Date, nullable=False),
)

# ---------------------------------------------------------- project progress

projects = Table(
    "rm_projects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("commissioned_by", String(200), nullable=False),
    Column("lead", String(100), nullable=False),
    Column("body_id", Uuid),
    Column("brief_status", String(30), nullable=False),  # awaiting agreement / agreed / completed
    Column("brief_agreed_on", Date),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("reporting_every_months", Integer, nullable=False),
    # The rest of the brief (D2), as commissioned.
    Column("aims_and_objectives", Text, nullable=False, default=""),
    Column("outcomes", Text, nullable=False, default=""),
    Column("resources", Text, nullable=False, default=""),
    Column("key_risks", Text, nullable=False, default=""),
    Column("latest_rag", String(10)),
    Column("percent_complete", Integer),
    Column("report_count", Integer, nullable=False, default=0),
    Column("next_report_due", Date),
    Column("completed_on", Date),
    Column("outcomes_achieved", Text),
    Column("version", Integer, nullable=False),
    Index("rm_projects_due", "next_report_due"),
    Index("rm_projects_end", "end_date"),  # projects reaching their end date
    Index("rm_projects_lead", "lead"),
)

progress_reports = Table(
    "rm_progress_reports",
    metadata,
    Column("project_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("rag", String(10), nullable=False),
    Column("percent_complete", Integer, nullable=False),
    Column("milestones_achieved", Text, nullable=False),
    Column("issues_and_concerns", Text, nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
)

# ------------------------------------------------------------------ audit log

audit_log = Table(
    "rm_audit_log",
    metadata,
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("subject_id", Uuid, nullable=False),
    Column("subject_type", String(20), nullable=False),  # body / project
    Column("subject_name", String(300), nullable=False),
    Column("body_id", Uuid),  # the body the change concerns (a project's group, if it has one)
    Column("version", Integer, nullable=False),
    Column("change", String(60), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("changes", Text, nullable=False),  # JSON: {field: {"before": ..., "after": ...}}
    Column("actor", String(100), nullable=False),
    Column("actor_role", String(60), nullable=False),
    Column("effective_date", Date),
    Column("recorded_at", DateTime, nullable=False),
    Column("reason", Text),
    Column("decided_by", String(200)),
    Column("decision_ref", String(60)),
    # The day the change took effect, or the day it was recorded when no effective date was given:
    # what the audit log's date filter reads (a column, so the filter can use an index).
    Column("on_date", Date, nullable=False),
    Index("rm_audit_body", "body_id", "notification_id"),
    Index("rm_audit_subject", "subject_id", "notification_id"),
    Index("rm_audit_change", "change", "notification_id"),
    Index("rm_audit_actor", "actor", "notification_id"),
    Index("rm_audit_on", "on_date", "notification_id"),
)

# The audit projection's own lookup of subjects' names and bodies.
audit_subjects = Table(
    "rm_audit_subjects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("body_id", Uuid),
)

# ------------------------------------------------------------ consultations (rule A4)
# No personal data: a panel member is their random id; names and addresses live beside the event store.

consultations = Table(
    "rm_consultations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
    Column("concerns", String(300), nullable=False),
    Column("body_id", Uuid),
    Column("audience", String(20), nullable=False),  # domain.consultation.Audience
    Column("topic", String(300)),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("anonymous_allowed", Boolean, nullable=False),
    Column("stage", String(20), nullable=False),  # domain.consultation.Stage
    Column("invited", Integer, nullable=False, default=0),
    Column("responses", Integer, nullable=False, default=0),  # submitted responses
    Column("published_at", DateTime),
    Column("closed_on", Date),
    Column("outcome", Text),
    Column("outcome_published_at", DateTime),
    Column("linked_body_id", Uuid),
    Column("linked_meeting_id", Uuid),
    Column("linked_project_id", Uuid),
    Column("version", Integer, nullable=False),
    Index("rm_consultations_stage", "stage", "closes_on"),
)

consultation_questions = Table(
    "rm_consultation_questions",
    metadata,
    Column("consultation_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("kind", String(20), nullable=False),  # domain.consultation.QuestionKind
    Column("options", Text, nullable=False),  # the answers to choose from, one per line
    Column("required", Boolean, nullable=False),
)

consultation_responses = Table(
    "rm_consultation_responses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("consultation_id", Uuid, nullable=False),
    Column("panel_member_id", Uuid),  # None: an anonymous public response
    Column("submitted_at", DateTime),  # None: saved to come back to
    Column("saved_at", DateTime, nullable=False),
    Index("rm_consultation_responses_of", "consultation_id", "submitted_at"),
)

# One row per submitted answer: a choice (single or multiple), a scale point, or a free text.
consultation_answers = Table(
    "rm_consultation_answers",
    metadata,
    Column("response_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),  # the n-th choice of a multiple-choice answer
    Column("consultation_id", Uuid, nullable=False),
    Column("choice", String(200)),  # the option chosen, or the scale point ("1" to "5")
    Column("text", Text),  # a free-text answer
    Index("rm_consultation_answers_of", "consultation_id", "number"),
)

# ------------------------------------------------------------------ whose names (rule P1)

# Each read model that shows people's names keeps whose they are, to replace them when the person's
# erasure reaches it (projections/people.py).
directory_people = people_table("directory", metadata)
calendar_people = people_table("calendar", metadata)
audit_people = people_table("audit", metadata)
