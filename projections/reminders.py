"""Reminders as people see them in the app, and the mail outbox: the reminders whose e-mail is not yet sent.

Both tables come from the reminder events alone (no "today" in them), so a rebuild writes the same
rows. The outbox is only a list of work for the sender; whether a message may go is decided on the
aggregate itself (application/reminders/outbox.py), never on this table, which may lag the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    and_,
    bindparam,
    func,
    select,
    update,
)

from domain.annual_review import AnnualReview
from domain.meeting import Meeting
from domain.project import Project
from domain.reminder import Due, DueKey, EmailState, Reminder, Rule
from domain.working_days import minutes_due, papers_due
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.sql import insert_row, update_where
from projections.tables import metadata

reminders = Table(
    "rm_reminders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("rule", String(40), nullable=False),
    Column("subject_type", String(20), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("subject_name", String(300), nullable=False),
    Column("title", Text, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("raised_on", Date, nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # pending / done / moved
    Column("done_on", Date),
    # What met the deadline when the hub saw it met (agenda published...); None when the person marked it done.
    Column("met_by", String(200)),
    Column("email_state", String(20), nullable=False),  # domain.reminder.EmailState
    Column("sent_at", DateTime),
    Column("attempts", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Index("rm_reminders_for_user", "recipient", "status", "due_date"),
    Index("rm_reminders_by_due", "due_date"),
    Index("rm_reminders_by_subject", "subject_id", "status"),
)

outbox = Table(
    "rm_mail_outbox",
    metadata,
    Column("reminder_id", Uuid, primary_key=True),
    Column("recipient", String(64), nullable=False),
    Column("email_to", String(320), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("retry_at", DateTime),  # naive UTC; None: send as soon as possible
    Column("claimed_until", DateTime),
    Column("last_error", Text),
    Column("raised_at", DateTime, nullable=False),
    Index("rm_mail_outbox_ready", "retry_at"),
)


class RemindersView(ReadModelView):
    read_tables = (reminders, outbox)


class RemindersProjection(ReadModel):
    name = "reminders"
    view_class: ClassVar[type[ReadModelView]] = RemindersView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Meeting.Event | Project.Event | AnnualReview.Completed):
            _deadline_events(rows, event)
            return
        if not isinstance(event, Reminder.Event):
            return
        rid = event.originator_id
        values: dict[str, Any] = {}
        match event:
            case Reminder.Raised():
                insert_row(
                    rows,
                    reminders,
                    dict(
                        id=rid,
                        rule=event.rule,
                        subject_type=event.subject_type,
                        subject_id=event.subject_id,
                        subject_name=event.subject_name,
                        title=event.title,
                        due_date=event.due_date,
                        raised_on=event.raised_on,
                        recipient=event.recipient,
                        status="pending",
                        email_state=(EmailState.WAITING if event.email_to else EmailState.NOT_WANTED).value,
                        attempts=0,
                        version=event.originator_version,
                    ),
                )
                if event.email_to:
                    insert_row(
                        rows,
                        outbox,
                        dict(
                            reminder_id=rid,
                            recipient=event.recipient,
                            email_to=event.email_to,
                            attempts=0,
                            raised_at=naive_utc(event.timestamp),
                        ),
                    )
                return
            case Reminder.Claimed():
                values = {"email_state": EmailState.CLAIMED.value}
                update_where(rows, outbox, {"reminder_id": rid}, {"claimed_until": naive_utc(event.until)})
            case Reminder.SendFailed():
                attempts = _attempts(rows, rid) + 1
                values = {"email_state": EmailState.WAITING.value, "attempts": attempts}
                update_where(
                    rows,
                    outbox,
                    {"reminder_id": rid},
                    {
                        "attempts": attempts,
                        "retry_at": naive_utc(event.retry_at),
                        "claimed_until": None,
                        "last_error": event.error,
                    },
                )
            case Reminder.Sent():
                attempts = _attempts(rows, rid) + 1
                values = {
                    "email_state": EmailState.SENT.value,
                    "sent_at": naive_utc(event.timestamp),
                    "attempts": attempts,
                }
                rows.execute(outbox.delete().where(outbox.c.reminder_id == rid))
            case Reminder.EmailWithdrawn():
                values = {"email_state": EmailState.WITHDRAWN.value}
                rows.execute(outbox.delete().where(outbox.c.reminder_id == rid))
            case Reminder.MarkedDone():
                row = rows.get(reminders, id=rid)
                if row is None or row["status"] == "pending":  # met by the hub, or moved: it keeps saying so
                    values = {"status": "done", "done_on": event.done_on}
        update_where(rows, reminders, {"id": rid}, {**values, "version": event.originator_version})


# ------------------------------------------------------------------ deadlines met, meetings moved
# A reminder is about a deadline; the events that meet or move that deadline settle its reminders here,
# from the log alone, so a rebuild agrees. A met reminder leaves the open list as "done" with what met it
# (``met_by``); a reminder whose meeting moved becomes "moved", and the scan raises the reminder for the
# new date's deadline when its lead time comes (a new identity: rule, subject, due date, person). Moving
# the meeting back brings the old one back. Their unsent e-mail leaves the outbox.

PAPERS_RULES = (Rule.PAPERS_DUE.value, Rule.PAPERS_OVERDUE.value)
MINUTES_RULES = (Rule.MINUTES_DUE.value, Rule.MINUTES_OVERDUE.value)
PROGRESS_RULES = (Rule.PROGRESS_DUE.value, Rule.PROGRESS_OVERDUE.value)
# The annual review's reminder is about the framework as a whole (application/reminders/rules.py).
FRAMEWORK_SUBJECT_ID = "framework"


def _settle(
    rows: Rows,
    subject_id: str,
    rules: tuple[str, ...],
    *,
    status: str,
    met_by: str,
    on: Any,
    keep_due: Any = None,
    only_due: Any = None,
) -> None:
    """Pending reminders of ``subject_id`` under ``rules`` (except those due on ``keep_due``; only those due on
    ``only_due``, when given) become ``status``."""
    chosen = and_(
        reminders.c.subject_id == subject_id,
        reminders.c.status == "pending",
        reminders.c.rule.in_(rules),
    )
    if keep_due is not None:
        chosen = and_(chosen, reminders.c.due_date != keep_due)
    if only_due is not None:
        chosen = and_(chosen, reminders.c.due_date == only_due)
    rows.execute(outbox.delete().where(outbox.c.reminder_id.in_(select(reminders.c.id).where(chosen))))
    waiting = reminders.c.email_state == EmailState.WAITING.value
    rows.execute(update(reminders).where(chosen, waiting).values(email_state=EmailState.WITHDRAWN.value))
    rows.execute(update(reminders).where(chosen).values(status=status, done_on=on, met_by=met_by[:200]))


def _deadline_events(rows: Rows, event: Any) -> None:
    subject_id = str(event.originator_id)
    match event:
        case Meeting.AgendaPublished():
            _settle(rows, subject_id, PAPERS_RULES, status="done", met_by="agenda published", on=event.published_on)
        case Meeting.MinutesPublished():
            _settle(rows, subject_id, MINUTES_RULES, status="done", met_by="minutes published", on=event.published_on)
        case Project.ProgressReported():
            _settle(
                rows,
                subject_id,
                PROGRESS_RULES,
                status="done",
                met_by="progress report submitted",
                on=event.timestamp.date(),
            )
        case AnnualReview.Completed():
            # Rule H1: completing the year's review meets its reminder (the one due on the same 31 March).
            _settle(
                rows,
                FRAMEWORK_SUBJECT_ID,
                (Rule.ANNUAL_REVIEW.value,),
                status="done",
                met_by="annual review completed",
                on=event.completed_on,
                only_due=event.due,
            )
        case Meeting.Moved():
            moved_to = f"meeting moved to {event.new_date:%-d %B %Y}"
            on = event.timestamp.date()
            for rules, due in (
                (PAPERS_RULES, papers_due(event.new_date)),
                (MINUTES_RULES, minutes_due(event.new_date)),
            ):
                _settle(rows, subject_id, rules, status="moved", met_by=moved_to, on=on, keep_due=due)
                # Moved back: the reminders for this very deadline are open again.
                rows.execute(
                    update(reminders)
                    .where(
                        reminders.c.subject_id == subject_id,
                        reminders.c.status == "moved",
                        reminders.c.rule.in_(rules),
                        reminders.c.due_date == due,
                    )
                    .values(status="pending", done_on=None, met_by=None)
                )


def _attempts(rows: Rows, reminder_id: UUID) -> int:
    row = rows.get(reminders, id=reminder_id)
    return (row["attempts"] if row else 0) or 0


# ------------------------------------------------------------------ queries

_USER_COLUMNS = (
    reminders.c.id,
    reminders.c.rule,
    reminders.c.title,
    reminders.c.subject_type,
    reminders.c.subject_id,
    reminders.c.subject_name,
    reminders.c.due_date,
    reminders.c.raised_on,
    reminders.c.status,
    reminders.c.done_on,
    reminders.c.met_by,
    reminders.c.email_state,
    reminders.c.sent_at,
    reminders.c.version,
)


def _as_user_dict(row: Any) -> dict[str, Any]:
    item = dict(row)
    item["reminder_id"] = str(item.pop("id"))
    item["rule_label"] = Rule(item["rule"]).label
    item["emailed"] = item["email_state"] == EmailState.SENT.value
    return item


def reminders_for_user(connection: Connection, user_id: str, *, include_done: bool = False) -> list[dict[str, Any]]:
    """One person's reminders, soonest due first: pending only unless ``include_done``.

    Each has reminder_id (str), rule, rule_label, title, subject_type, subject_id, subject_name, due_date,
    raised_on, status (pending / done), done_on, emailed (the mail server accepted it), email_state, version.
    """
    query = select(*_USER_COLUMNS).where(reminders.c.recipient == user_id)
    if not include_done:
        query = query.where(reminders.c.status == "pending")
    query = query.order_by(reminders.c.status.desc(), reminders.c.due_date, reminders.c.title, reminders.c.id)
    return [_as_user_dict(r) for r in connection.execute(query).mappings()]


def reminder(connection: Connection, reminder_id: UUID) -> dict[str, Any] | None:
    row = connection.execute(select(reminders).where(reminders.c.id == reminder_id)).mappings().first()
    return dict(row) if row else None


def user_reminder(connection: Connection, reminder_id: UUID) -> dict[str, Any] | None:
    """One reminder in the shape ``reminders_for_user`` gives each."""
    row = connection.execute(select(*_USER_COLUMNS).where(reminders.c.id == reminder_id)).mappings().first()
    return _as_user_dict(row) if row else None


def pending(connection: Connection, *, recipient: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Reminders not yet marked done, soonest due first (``reminders list`` on the command line)."""
    query = select(reminders).where(reminders.c.status == "pending")
    if recipient:
        query = query.where(reminders.c.recipient == recipient)
    query = query.order_by(reminders.c.due_date, reminders.c.recipient, reminders.c.title).limit(limit)
    return [dict(r) for r in connection.execute(query).mappings()]


_RAISED = select(reminders.c.rule, reminders.c.subject_id, reminders.c.due_date, reminders.c.recipient).where(
    reminders.c.due_date.between(bindparam("first", type_=Date), bindparam("last", type_=Date))
)


def raised_among(connection: Connection, dues: Sequence[Due]) -> set[DueKey]:
    """The keys (``Due.key``) of those of ``dues`` the read model already holds, so the scan skips them without
    touching the store: one range read on the due-date index, rather than working out and looking up each id."""
    if not dues:
        return set()
    wanted = {d.key for d in dues}
    first, last = min(d.due_date for d in dues), max(d.due_date for d in dues)
    return {key for key in map(tuple, connection.execute(_RAISED, {"first": first, "last": last})) if key in wanted}


def outbox_ready(connection: Connection, *, now: datetime, limit: int = 100) -> list[dict[str, Any]]:
    """Messages waiting to go, oldest first: not waiting out a back-off, and not held by a live claim."""
    moment = naive_utc(now)
    query = (
        select(outbox)
        .where(
            (outbox.c.retry_at.is_(None)) | (outbox.c.retry_at <= moment),
            (outbox.c.claimed_until.is_(None)) | (outbox.c.claimed_until <= moment),
        )
        .order_by(outbox.c.raised_at, outbox.c.reminder_id)
        .limit(limit)
    )
    return [dict(r) for r in connection.execute(query).mappings()]


def outbox_size(connection: Connection) -> int:
    return connection.scalar(select(func.count()).select_from(outbox)) or 0


# A deadline's "due" and "overdue" reminders are one deadline in a calendar: the later word wins.
_OVERDUE_OF = {
    Rule.PAPERS_DUE.value: Rule.PAPERS_OVERDUE.value,
    Rule.MINUTES_DUE.value: Rule.MINUTES_OVERDUE.value,
    Rule.PROGRESS_DUE.value: Rule.PROGRESS_OVERDUE.value,
}


def deadlines_for_user(connection: Connection, user_id: str) -> list[dict[str, Any]]:
    """The deadlines behind one person's pending reminders, soonest first: one per subject, deadline and
    date, so a deadline with both its "due" and its "overdue" reminder pending appears once, as overdue."""
    query = select(*_USER_COLUMNS).where(reminders.c.recipient == user_id, reminders.c.status == "pending")
    query = query.order_by(reminders.c.due_date, reminders.c.title, reminders.c.id)
    items = [_as_user_dict(r) for r in connection.execute(query).mappings()]
    overdue = {(i["subject_id"], i["rule"], i["due_date"]) for i in items}
    return [i for i in items if (i["subject_id"], _OVERDUE_OF.get(i["rule"]), i["due_date"]) not in overdue]
