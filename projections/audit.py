"""The audit log: one row per governance change across all bodies and projects, and per change an
administrator makes to an account (never a password or a token's secret: the events hold none)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from domain.account import Account
from domain.annual_review import AnnualReview, review_title
from domain.body import Body
from domain.erasure import NAME_ERASED, Erasure
from domain.history import describe
from domain.project import Project
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.people import erase_names, note_people
from projections.sql import insert_row, update_where
from projections.tables import audit_log, audit_people, audit_subjects

# Project events that change its governance (progress reports are in the progress read model).
PROJECT_GOVERNANCE = (
    Project.Commissioned,
    Project.BriefChanged,
    Project.BriefAgreed,
    Project.TimeframeExtended,
    Project.Completed,
)
# A body's events on the log besides its governance changes: who joined and left (and in what role),
# elections, proposed changes with their decisions (F4), and the body's own quorum (AMB-Q).
BODY_RECORD = (
    Body.OfficersElected,
    Body.MemberJoined,
    Body.MemberLeft,
    Body.ChangeProposed,
    Body.ProposalDecided,
    Body.QuorumSet,
)


class AuditView(ReadModelView):
    read_tables = (audit_subjects, audit_log, audit_people)


class AuditProjection(ReadModel):
    name = "audit"
    version = 2  # membership, proposals and decisions, and brief changes on the log too
    view_class: ClassVar[type[ReadModelView]] = AuditView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Erasure.NameErased):  # rule P1: the person's name, wherever it stands
            erase_names(rows, audit_people, event.person_id, within=(audit_log.c.sentence, audit_log.c.changes))
        else:
            note_people(rows, audit_people, event)
        if isinstance(event, Body.Established):
            insert_row(rows, audit_subjects, {"id": event.originator_id, "name": event.name, "body_id": None})
        elif isinstance(event, Project.Commissioned):
            insert_row(rows, audit_subjects, {"id": event.originator_id, "name": event.title, "body_id": event.body_id})
        elif isinstance(event, AnnualReview.Opened):
            insert_row(
                rows, audit_subjects, {"id": event.originator_id, "name": review_title(event.year), "body_id": None}
            )
        elif isinstance(event, Account.Registered):
            insert_row(rows, audit_subjects, {"id": event.originator_id, "name": event.user_id, "body_id": None})
        elif isinstance(event, Body.Corrected) and event.field == "name":
            update_where(rows, audit_subjects, {"id": event.originator_id}, {"name": event.value})

        if isinstance(event, (Body.GovernanceEvent, *BODY_RECORD)):
            subject_type, body_id = "body", event.originator_id
        elif isinstance(event, PROJECT_GOVERNANCE):
            subject_type = "project"
            subject = rows.get(audit_subjects, id=event.originator_id)
            body_id = subject["body_id"] if subject else None
        elif isinstance(event, AnnualReview.Event):
            # The annual review of the arrangements (H1); a body's findings are filed under that body too.
            subject_type, body_id = "review", getattr(event, "body_id", None)
        elif isinstance(event, Account.Event):
            # Administrators' changes to accounts (domain/account.py): who did what to which account.
            subject_type, body_id = "account", None
        elif isinstance(event, Erasure.NameErased):
            # A person's name erased (rule P1): on the log as the person, never named.
            subject_type, body_id = "person", None
        else:
            return
        entry = describe(event)
        subject = rows.get(audit_subjects, id=event.originator_id)
        name = subject["name"] if subject else None
        insert_row(
            rows,
            audit_log,
            dict(
                notification_id=notification_id,
                subject_id=event.originator_id,
                subject_type=subject_type,
                subject_name=name or (NAME_ERASED if subject_type == "person" else ""),
                body_id=body_id,
                version=event.originator_version,
                change=entry.change,
                sentence=entry.sentence,
                changes=json.dumps(entry.changes, default=str, sort_keys=True),
                actor=event.actor,
                actor_role=event.actor_role,
                effective_date=entry.effective_date,
                recorded_at=naive_utc(event.timestamp),
                on_date=entry.effective_date or naive_utc(event.timestamp).date(),
                reason=entry.reason,
                decided_by=getattr(event, "decided_by", None),
                decision_ref=getattr(event, "decision_ref", None),
            ),
        )
