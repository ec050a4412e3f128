"""PartnershipHub: the event-sourced application, one method per command.

Each command: checks the actor's authority, loads the aggregate (checking the
version the caller saw, when given), calls the domain method that enforces the
rule, and saves. Saving is optimistic: if another writer saved the same
aggregate first, the unique (id, version) key refuses the second write and the
caller gets a ConflictError that names the record; nothing is half-written.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, ParamSpec, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording
from eventsourcing.utils import get_topic

from application import authority
from application.authority import COMMISSIONER_FOR_ROLE, Role
from application.errors import ConflictError, DuplicateError, NotAuthorised, NotFound
from application.files import FileStore
from application.persistence import DateAsISO, SetAsList, TimeAsISO, TimelineRecorder, naive_utc
from application.settings import Settings
from domain.actor import Actor
from domain.body import Body, Decision
from domain.documents import FileRef
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.history import HistoryEntry, describe
from domain.meeting import Apology, Meeting, calendar_dates, check_calendar_dates
from domain.membership import ServiceUserShare
from domain.project import Brief, Project
from domain.vocabulary import EXECUTIVE_DIRECTOR, TWICE_YEARLY_KINDS, BodyKind, MeetingStatus, Rag

P = ParamSpec("P")
R = TypeVar("R")
A = TypeVar("A", bound=Aggregate)

BODY_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/body")
MEETING_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/meeting")
SCAN_BATCH = 1000


def body_id_for(name: str) -> UUID:
    """Bodies are identified by name, so a body cannot be established twice."""
    return uuid5(BODY_NAMESPACE, " ".join(name.casefold().split()))


def calendar_meeting_id(body_id: UUID, year: int, n: int) -> UUID:
    """The n-th (1 or 2) programmed meeting of a body in a year: planning the calendar twice plans it once."""
    return uuid5(MEETING_NAMESPACE, f"{body_id}/{year}/{n}")


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


def command(fn: Callable[P, R]) -> Callable[P, R]:
    """Checks the actor's authority for the command before anything else."""
    name = fn.__name__

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("actor") if "actor" in kwargs else args[1]
        if not isinstance(actor, Actor):
            raise NotAuthorised("every command names its actor")
        authority.check(actor, name)
        return fn(*args, **kwargs)

    wrapper.command_name = name  # type: ignore[attr-defined]
    return wrapper


@dataclass(frozen=True)
class MembershipResult:
    """What a membership change reports: the share after it, and any warning (rule B3)."""

    version: int
    share: ServiceUserShare
    warning: str | None


@dataclass(frozen=True)
class Numbered:
    """What a command adding a numbered entry to a meeting reports: the meeting's version and the number."""

    version: int
    number: int


@dataclass(frozen=True)
class Publication:
    """What publishing an agenda or minutes reports: late publication is allowed and recorded (C4, C5)."""

    version: int
    late: bool
    due: date


@dataclass
class CalendarPlan:
    """The outcome of planning a year's calendar, body by body (C1)."""

    year: int
    planned: dict[UUID, tuple[UUID, UUID]] = field(default_factory=dict)
    already_planned: dict[UUID, tuple[UUID, UUID]] = field(default_factory=dict)
    refused: dict[UUID, str] = field(default_factory=dict)


class PartnershipHub(Application[UUID]):
    name = "PartnershipHub"

    def __init__(
        self,
        settings: Settings | Mapping[str, str] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        env: dict[str, str] | None = None,
    ) -> None:
        if isinstance(settings, Mapping):
            # eventsourcing's ProjectionRunner constructs the application from an environment.
            env = {**dict(settings), **(env or {})}
            settings = Settings.for_url(env["SQLALCHEMY_URL"]) if "SQLALCHEMY_URL" in env else None
        self.settings = settings or Settings.from_env()
        self.clock = clock
        base_env = {
            "PERSISTENCE_MODULE": "application.persistence:HubFactory",
            "SQLALCHEMY_URL": self.settings.database_url,
        }
        super().__init__({**base_env, **(env or {})})
        self.recorder: TimelineRecorder
        self.files = FileStore(self.settings.files_dir)
        # Which bodies and meetings exist, for the few commands that look beyond one record.
        self._index_lock = threading.Lock()
        self._index_position = 0
        self._body_ids: list[UUID] = []
        self._meetings_by_body: dict[UUID, list[UUID]] = {}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(TimeAsISO())
        transcoder.register(SetAsList())

    # --------------------------------------------------------------- plumbing

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Hand the recorder the rows of the timestamp index for these events.
        processing_event.saved_kwargs["timeline"] = [
            {
                "originator_id": e.originator_id,
                "originator_version": e.originator_version,
                "recorded_at": naive_utc(e.timestamp),
            }
            for e in processing_event.events
        ]
        return super()._record(processing_event)

    def _now(self) -> datetime:
        return self.clock()

    def _save(self, *aggregates: Body | Project | Meeting) -> int | None:
        """Saves atomically; a concurrent writer's version wins and this one raises."""
        created = {a.id for a in aggregates if a.version == len(a.pending_events)}
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise self._conflict(aggregates, created) from None
        return recordings[-1].notification.id if recordings else None

    def _conflict(self, aggregates: tuple[Body | Project | Meeting, ...], created: set[UUID]) -> Exception:
        for aggregate in aggregates:
            try:
                stored = self.repository.get(aggregate.id)
            except AggregateNotFoundError:
                continue
            if aggregate.id in created:
                return DuplicateError(f"a {_what(aggregate)} named '{_label(stored)}' already exists")
            if stored.version >= aggregate.version:
                return ConflictError(_what(aggregate), _label(aggregate), aggregate.id, stored.version)
        first = aggregates[0]
        return ConflictError(_what(first), _label(first), first.id)

    def _get(self, cls: type[A], id: UUID, expected_version: int | None = None) -> A:
        try:
            aggregate = self.repository.get(id)
        except AggregateNotFoundError:
            raise NotFound(_WHAT[cls], id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(_WHAT[cls], id)
        if expected_version is not None and aggregate.version != expected_version:
            raise ConflictError(_WHAT[cls], _label(aggregate), aggregate.id, aggregate.version)
        return aggregate

    def body(self, body_id: UUID) -> Body:
        return self._get(Body, body_id)

    def project(self, project_id: UUID) -> Project:
        return self._get(Project, project_id)

    def meeting(self, meeting_id: UUID) -> Meeting:
        return self._get(Meeting, meeting_id)

    def _refresh_index(self) -> None:
        """Reads the bodies established and meetings scheduled since the index last looked.

        For commands that must see records beyond the one they change (the bodies in the calendar,
        the meetings of a body); pages read the read models instead. Records are never deleted and a
        meeting never changes body, so what was read stays true; reading the newer events first means
        a command sees every record committed before it ran, by any process (the event store gives
        out positions in commit order, so none is skipped).
        """
        body_topic = get_topic(Body.Established)
        topics = [body_topic, get_topic(Meeting.Scheduled)]
        with self._index_lock:
            while notifications := self.recorder.select_notifications(
                start=self._index_position + 1, limit=SCAN_BATCH, topics=topics
            ):
                for notification in notifications:
                    if notification.topic == body_topic:
                        self._body_ids.append(notification.originator_id)
                    else:
                        scheduled = self.mapper.to_domain_event(notification)
                        self._meetings_by_body.setdefault(scheduled.body_id, []).append(notification.originator_id)
                self._index_position = notifications[-1].id

    def find_body(self, name: str) -> Body | None:
        try:
            return self._get(Body, body_id_for(name))
        except NotFound:
            return None

    # ---------------------------------------------------------------- as at

    def as_at(self, aggregate_id: UUID, moment: datetime) -> Body | Project | Meeting | None:
        """The aggregate as the record stood at ``moment``; None if it did not exist yet."""
        version = self.recorder.version_at(aggregate_id, moment)
        if version is None:
            return None
        return self.repository.get(aggregate_id, version=version)

    def history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, oldest first, in plain English."""
        events = list(self.events.get(aggregate_id))
        if not events:
            raise NotFound("record", aggregate_id)
        return [describe(e) for e in events]

    # ------------------------------------------------------------ governance

    @command
    def establish_body(
        self,
        actor: Actor,
        *,
        name: str,
        kind: BodyKind | str,
        decision: Decision,
        purpose: str = "",
        parent_id: UUID | None = None,
        accountability: list[str] | None = None,
        annual_funding_pence: int | None = None,
        contract_end: date | None = None,
        break_clause_months: int | None = None,
        meets_per_year: int | None = None,
        open_to_public: bool | None = None,
        until: date | None = None,
    ) -> UUID:
        if parent_id is not None:
            self._get(Body, parent_id)
        body = Body.establish(
            id=body_id_for(name),
            actor=actor,
            at=self._now(),
            name=name,
            kind=kind,
            decision=decision,
            purpose=purpose,
            parent_id=parent_id,
            accountability=accountability,
            annual_funding_pence=annual_funding_pence,
            contract_end=contract_end,
            break_clause_months=break_clause_months,
            meets_per_year=meets_per_year,
            open_to_public=open_to_public,
            until=until,
        )
        self._save(body)
        return body.id

    def _change_body(self, body_id: UUID, expected_version: int | None, change: Callable[[Body], Any]) -> int:
        body = self._get(Body, body_id, expected_version)
        change(body)
        self._save(body)
        return body.version

    @command
    def adopt_terms_of_reference(
        self, actor: Actor, body_id: UUID, *, text: str, decision: Decision, expected_version: int | None = None
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.adopt_terms_of_reference(actor=actor, at=self._now(), text=text, decision=decision),
        )

    @command
    def change_funding(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        annual_funding_pence: int | None,
        decision: Decision,
        council_funding_until: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.change_funding(
                actor=actor,
                at=self._now(),
                annual_funding_pence=annual_funding_pence,
                council_funding_until=council_funding_until,
                decision=decision,
            ),
        )

    @command
    def extend_contract(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        until: date,
        decision: Decision,
        break_clause_months: int | None = None,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.extend_contract(
                actor=actor, at=self._now(), until=until, break_clause_months=break_clause_months, decision=decision
            ),
        )

    @command
    def transform_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        into: BodyKind | str,
        decision: Decision,
        until: date | None = None,
        task: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.transform(actor=actor, at=self._now(), into=into, until=until, task=task, decision=decision),
        )

    @command
    def replace_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        successor_id: UUID,
        decision: Decision,
        task: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        successor = self._get(Body, successor_id)
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.replace_with(actor=actor, at=self._now(), successor=successor, task=task, decision=decision),
        )

    @command
    def merge_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        target_id: UUID,
        decision: Decision,
        expected_version: int | None = None,
    ) -> int:
        target = self._get(Body, target_id)
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.merge_into(actor=actor, at=self._now(), target=target, decision=decision),
        )

    @command
    def give_self_funding_option(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        council_funding_until: date,
        decision: Decision,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.give_self_funding_option(
                actor=actor, at=self._now(), council_funding_until=council_funding_until, decision=decision
            ),
        )

    @command
    def transfer_to_provider_forum(
        self, actor: Actor, body_id: UUID, *, under: str, decision: Decision, expected_version: int | None = None
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.transfer_to_provider_forum(actor=actor, at=self._now(), under=under, decision=decision),
        )

    @command
    def maintain_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        decision: Decision,
        as_: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id, expected_version, lambda b: b.maintain(actor=actor, at=self._now(), decision=decision, as_=as_)
        )

    @command
    def end_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        decision: Decision,
        remove_council_support: bool = True,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.end(
                actor=actor, at=self._now(), decision=decision, remove_council_support=remove_council_support
            ),
        )

    @command
    def correct_body(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        corrects_version: int,
        field: str,
        value: Any,
        decision: Decision,
        expected_version: int | None = None,
    ) -> int:
        def correct(body: Body) -> None:
            body.correct(
                actor=actor,
                at=self._now(),
                corrects_version=corrects_version,
                corrects_event=_event_name(self, body_id, corrects_version) or "unknown event",
                field=field,
                value=value,
                decision=decision,
            )

        return self._change_body(body_id, expected_version, correct)

    # ------------------------------------------------------------ membership

    @command
    def add_member(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        person: str,
        role: str,
        representation: str,
        effective_date: date,
        position: str = "",
        member_id: str | None = None,
        expected_version: int | None = None,
    ) -> MembershipResult:
        body = self._get(Body, body_id, expected_version)
        share = body.add_member(
            actor=actor,
            at=self._now(),
            member_id=member_id or uuid4().hex[:12],
            person=person,
            role=role,
            representation=representation,
            effective_date=effective_date,
            position=position,
        )
        self._save(body)
        return _membership_result(body, share)

    @command
    def remove_member(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        member_id: str,
        effective_date: date,
        reason: str,
        expected_version: int | None = None,
    ) -> MembershipResult:
        body = self._get(Body, body_id, expected_version)
        share = body.remove_member(
            actor=actor, at=self._now(), member_id=member_id, effective_date=effective_date, reason=reason
        )
        self._save(body)
        return _membership_result(body, share)

    @command
    def record_election(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        chair_id: str,
        vice_chair_id: str,
        election_date: date,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.record_election(
                actor=actor,
                at=self._now(),
                chair_id=chair_id,
                vice_chair_id=vice_chair_id,
                election_date=election_date,
            ),
        )

    # ------------------------------------------------------------- projects

    @command
    def commission_project(
        self,
        actor: Actor,
        *,
        title: str,
        lead: str,
        brief: Brief,
        body_id: UUID | None = None,
        project_id: UUID | None = None,
    ) -> UUID:
        commissioner = COMMISSIONER_FOR_ROLE.get(Role(actor.role))
        if body_id is not None:
            body = self._get(Body, body_id)
            if body.kind is not BodyKind.TASK_AND_FINISH_GROUP:
                raise InvalidInput("body_id", f"{body.name} is not a task-and-finish group")
        project = Project.commission(
            id=project_id or uuid4(),
            actor=actor,
            at=self._now(),
            title=title,
            commissioned_by=commissioner.value if commissioner else actor.role,
            lead=lead,
            brief=brief,
            body_id=body_id,
        )
        self._save(project)
        return project.id

    @command
    def agree_brief(
        self, actor: Actor, project_id: UUID, *, agreed_on: date | None = None, expected_version: int | None = None
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        agreed_by = EXECUTIVE_DIRECTOR if actor.role == Role.EXECUTIVE_DIRECTOR else actor.role
        project.agree_brief(actor=actor, at=self._now(), agreed_by=agreed_by, agreed_on=agreed_on or self._now().date())
        self._save(project)
        return project.version

    def _own_project(self, actor: Actor, project_id: UUID, expected_version: int | None) -> Project:
        project = self._get(Project, project_id, expected_version)
        if project.lead != actor.user_id:
            raise NotAuthorised(f"only the lead of '{project.title}' may report on it")
        return project

    @command
    def submit_progress_report(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        period_start: date,
        period_end: date,
        milestones_achieved: str,
        issues_and_concerns: str,
        rag: Rag | str,
        percent_complete: int,
        expected_version: int | None = None,
    ) -> int:
        project = self._own_project(actor, project_id, expected_version)
        project.report_progress(
            actor=actor,
            at=self._now(),
            period_start=period_start,
            period_end=period_end,
            milestones_achieved=milestones_achieved,
            issues_and_concerns=issues_and_concerns,
            rag=rag,
            percent_complete=percent_complete,
        )
        self._save(project)
        return project.version

    @command
    def submit_completion_report(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        outcomes_achieved: str,
        completed_on: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        project = self._own_project(actor, project_id, expected_version)
        project.complete(
            actor=actor,
            at=self._now(),
            outcomes_achieved=outcomes_achieved,
            completed_on=completed_on or self._now().date(),
        )
        self._save(project)
        return project.version

    @command
    def extend_project_timeframe(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        new_end_date: date,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        project.extend_timeframe(actor=actor, at=self._now(), new_end_date=new_end_date, reason=reason)
        self._save(project)
        return project.version

    # ------------------------------------------------------------- meetings

    @command
    def schedule_meeting(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        meeting_date: date,
        start_time: time,
        place: str,
        additional: bool = False,
        lead_officer: str | None = None,
        meeting_id: UUID | None = None,
    ) -> UUID:
        """Schedules a meeting; an additional one of a consultative group names the lead officer who agreed (C2)."""
        body = self._get(Body, body_id)
        if body.is_closed:
            raise BodyClosed(f"{body.name} is {body.status.value}; it holds no more meetings")
        now = self._now()
        meeting = Meeting.schedule(
            id=meeting_id or uuid4(),
            actor=actor,
            at=now,
            body_id=body.id,
            body_name=body.name,
            meeting_date=meeting_date,
            start_time=start_time,
            place=place,
            public=body.open_to_public,
            additional=additional,
            notice_given_on=now.date(),
            body_kind=body.kind,
            lead_officer=lead_officer,
        )
        self._save(meeting)
        return meeting.id

    @command
    def plan_annual_calendar(
        self,
        actor: Actor,
        *,
        year: int,
        place: str,
        start_time: time = time(14),
        body_id: UUID | None = None,
        dates: tuple[date, date] | None = None,
    ) -> CalendarPlan:
        """Rule C1: schedules the year's two ordinary meetings of one body, or of every conference and group.

        Each body's two meetings are saved together or not at all. Their ids are derived from the body
        and the year, so planning again finds them planned and changes nothing. Without ``dates`` a body
        takes its place in the calendar (domain.meeting.calendar_dates) by its name's order among the
        bodies that meet twice a year. Planning every body reports a body that cannot be planned and goes
        on; planning one raises the reason.
        """
        if dates is not None and body_id is None:
            raise InvalidInput("dates", "dates are given for one body at a time: name the body")
        bodies = self._twice_yearly_bodies()
        slots = {body.id: n for n, body in enumerate(bodies)}
        if body_id is not None:
            body = self._get(Body, body_id)
            if body.kind not in TWICE_YEARLY_KINDS:
                raise InvalidInput(
                    "body_id",
                    f"{body.name} is a {body.kind.label}; only the conferences and consultative groups meet "
                    "twice a year in the annual calendar",
                    rule="C1",
                )
            if body.is_closed:
                raise BodyClosed(f"{body.name} is {body.status.value}; it holds no more meetings")
            chosen = [body]
        else:
            chosen = bodies
        plan = CalendarPlan(year)
        for body in chosen:
            ids = (calendar_meeting_id(body.id, year, 1), calendar_meeting_id(body.id, year, 2))
            if any(i in self.repository for i in ids):
                plan.already_planned[body.id] = ids
                continue
            try:
                days = check_calendar_dates(year, dates) if dates else calendar_dates(year, slots[body.id])
                now = self._now()
                meetings = [
                    Meeting.schedule(
                        id=meeting_id,
                        actor=actor,
                        at=now,
                        body_id=body.id,
                        body_name=body.name,
                        meeting_date=day,
                        start_time=start_time,
                        place=place,
                        public=body.open_to_public,
                        body_kind=body.kind,
                    )
                    for meeting_id, day in zip(ids, days, strict=True)
                ]
                self._save(*meetings)  # both of the body's meetings, or neither
            except DomainError as error:
                if body_id is not None:
                    raise
                plan.refused[body.id] = str(error)
                continue
            plan.planned[body.id] = ids
        return plan

    def _twice_yearly_bodies(self) -> list[Body]:
        """The open conferences and consultative groups (C1), in name order: their places in the calendar."""
        self._refresh_index()
        bodies = (self._get(Body, body_id) for body_id in list(self._body_ids))
        chosen = [b for b in bodies if b.kind in TWICE_YEARLY_KINDS and not b.is_closed]
        return sorted(chosen, key=lambda b: (b.name.casefold(), str(b.id)))

    def _meetings_of(self, body_id: UUID) -> list[Meeting]:
        """The meetings of a body that are not cancelled, in date order."""
        self._refresh_index()
        ids = list(self._meetings_by_body.get(body_id, []))
        meetings = [m for m in (self._get(Meeting, i) for i in ids) if m.status is MeetingStatus.SCHEDULED]
        return sorted(meetings, key=_meeting_order)

    @command
    def move_meeting(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        new_date: date,
        new_start_time: time,
        new_place: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        meeting = self._get(Meeting, meeting_id, expected_version)
        meeting.move(
            actor=actor,
            at=self._now(),
            new_date=new_date,
            new_start_time=new_start_time,
            new_place=new_place,
            reason=reason,
        )
        self._save(meeting)
        return meeting.version

    @command
    def cancel_meeting(
        self, actor: Actor, meeting_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> int:
        meeting = self._get(Meeting, meeting_id, expected_version)
        meeting.cancel(actor=actor, at=self._now(), reason=reason)
        self._save(meeting)
        return meeting.version

    def _change_meeting(self, meeting_id: UUID, expected_version: int | None, change: Callable[[Meeting], R]) -> R:
        meeting = self._get(Meeting, meeting_id, expected_version)
        result = change(meeting)
        self._save(meeting)
        return result

    def _numbered(self, meeting_id: UUID, expected_version: int | None, add: Callable[[Meeting], int]) -> Numbered:
        def change(meeting: Meeting) -> Numbered:
            number = add(meeting)
            return Numbered(meeting.version, number)

        return self._change_meeting(meeting_id, expected_version, change)

    # ------------------------------------------------------ agenda and papers

    def upload_file(self, actor: Actor, data: bytes, filename: str) -> FileRef:
        """Stores a paper or a set of minutes in the file store and returns what an event records of it.

        Not a command: storing bytes records no event (the paper or minutes that name the file do), so
        it is allowed to whoever may attach papers.
        """
        authority.check(actor, "attach_paper")
        return self.files.put(data, filename)

    @command
    def add_agenda_item(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        title: str,
        exemption_paragraph: int | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        """Adds an agenda item: public, or exempt under the named paragraph of Schedule 12A (G1)."""
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.add_agenda_item(
                actor=actor, at=self._now(), title=title, exemption_paragraph=exemption_paragraph
            ),
        )

    @command
    def attach_paper(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        item: int,
        title: str,
        file: FileRef,
        summary: str,
        accessible: bool = False,
        expected_version: int | None = None,
    ) -> Numbered:
        """Attaches an uploaded paper to an agenda item; the file must be stored exactly as ``file`` says."""
        self.files.verify(file)
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.attach_paper(
                actor=actor,
                at=self._now(),
                item=item,
                title=title,
                file=file,
                accessible=accessible,
                summary=summary,
            ),
        )

    @command
    def publish_agenda(self, actor: Actor, meeting_id: UUID, *, expected_version: int | None = None) -> Publication:
        def publish(meeting: Meeting) -> Publication:
            late = meeting.publish_agenda(actor=actor, at=self._now())
            return Publication(meeting.version, late, meeting.papers_due)

        return self._change_meeting(meeting_id, expected_version, publish)

    # ------------------------------------------------------------ the meeting

    @command
    def record_attendance(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        present: Sequence[str],
        apologies: Sequence[Apology | str] = (),
        expected_version: int | None = None,
    ) -> int:
        sent = [a if isinstance(a, Apology) else Apology(a) for a in apologies]

        def record(meeting: Meeting) -> int:
            meeting.record_attendance(actor=actor, at=self._now(), present=present, apologies=sent)
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, record)

    @command
    def declare_interest(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        person: str,
        interest: str,
        item: int | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.declare_interest(actor=actor, at=self._now(), person=person, interest=interest, item=item),
        )

    @command
    def record_decision(
        self, actor: Actor, meeting_id: UUID, *, item: int, text: str, expected_version: int | None = None
    ) -> Numbered:
        return self._numbered(
            meeting_id, expected_version, lambda m: m.record_decision(actor=actor, at=self._now(), item=item, text=text)
        )

    @command
    def record_action(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        description: str,
        owner: str,
        due: date,
        item: int | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.record_action(
                actor=actor, at=self._now(), description=description, owner=owner, due=due, item=item
            ),
        )

    @command
    def close_action(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        number: int,
        note: str,
        closed_on: date | None = None,
        at_meeting_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Closes action ``number`` of the meeting that set it, optionally at a later meeting of the same body (C8)."""
        at_meeting: tuple[UUID, date] | None = None
        if at_meeting_id is not None:
            later = self._get(Meeting, at_meeting_id)
            setting = self._get(Meeting, meeting_id)
            if later.body_id != setting.body_id or later.status is MeetingStatus.CANCELLED:
                raise InvalidInput(
                    "at_meeting_id",
                    f"an action of {setting.body_name} is reported done at a later meeting of {setting.body_name}",
                    rule="C8",
                )
            at_meeting = (later.id, later.date)

        def close(meeting: Meeting) -> int:
            meeting.close_action(
                actor=actor, at=self._now(), number=number, note=note, closed_on=closed_on, at_meeting=at_meeting
            )
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, close)

    # ---------------------------------------------------------------- minutes

    @command
    def record_draft_minutes(
        self, actor: Actor, meeting_id: UUID, *, file: FileRef, expected_version: int | None = None
    ) -> int:
        self.files.verify(file)

        def record(meeting: Meeting) -> int:
            meeting.record_draft_minutes(actor=actor, at=self._now(), file=file)
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, record)

    @command
    def clear_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        chair: str | None = None,
        cleared_on: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Records that the chair cleared the draft minutes (C5).

        The chair is the body's chair on record; an officer recording the clearance may name the chair
        only when none is on record. The Executive Director clears as chair of a conference (B2) only.
        """
        meeting = self._get(Meeting, meeting_id, expected_version)
        body = self._get(Body, meeting.body_id)
        on_record = body.chair()
        recorded = on_record.person if on_record else None
        if actor.role == Role.EXECUTIVE_DIRECTOR:
            if body.kind is not BodyKind.STAKEHOLDER_CONFERENCE:
                raise NotAuthorised(
                    f"the Executive Director chairs the stakeholder conferences (rule B2); the minutes of "
                    f"{body.name} are cleared by its own chair"
                )
            recorded = recorded or EXECUTIVE_DIRECTOR
        name = (chair or "").strip() or recorded
        if not name:
            raise InvalidInput(
                "chair", f"{body.name} has no chair on record: name the chair who cleared the minutes", rule="C5"
            )
        if recorded and name.casefold() != recorded.casefold():
            raise InvalidInput("chair", f"the minutes of {body.name} are cleared by its chair, {recorded}", rule="C5")
        meeting.clear_minutes(actor=actor, at=self._now(), cleared_by=name, cleared_on=cleared_on)
        self._save(meeting)
        return meeting.version

    @command
    def publish_minutes(self, actor: Actor, meeting_id: UUID, *, expected_version: int | None = None) -> Publication:
        def publish(meeting: Meeting) -> Publication:
            late = meeting.publish_minutes(actor=actor, at=self._now())
            return Publication(meeting.version, late, meeting.minutes_due)

        return self._change_meeting(meeting_id, expected_version, publish)

    @command
    def approve_previous_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        previous_meeting_id: UUID,
        amendments: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Records, on this meeting, that it approved the minutes of the body's previous meeting (C5).

        The previous meeting must really be the last one of the same body before this one (cancelled
        meetings aside) and its minutes published; both meetings record the approval, saved together.
        """
        meeting = self._get(Meeting, meeting_id, expected_version)
        previous = self._get(Meeting, previous_meeting_id)
        if previous.body_id == meeting.body_id:
            earlier = [m for m in self._meetings_of(meeting.body_id) if _meeting_order(m) < _meeting_order(meeting)]
            if earlier and earlier[-1].id != previous.id:
                raise InvalidInput(
                    "previous_meeting_id",
                    f"the meeting of {meeting.body_name} before {meeting.date:%-d %B %Y} was on "
                    f"{earlier[-1].date:%-d %B %Y}: its minutes are the ones to approve",
                    rule="C5",
                )
        meeting.approve_previous_minutes(actor=actor, at=self._now(), previous=previous, amendments=amendments)
        self._save(meeting, previous)
        return meeting.version


_WHAT: dict[type, str] = {Body: "body", Project: "project", Meeting: "meeting"}


def _what(aggregate: Aggregate) -> str:
    return _WHAT.get(type(aggregate), "record")


def _label(aggregate: Any) -> str:
    if isinstance(aggregate, Body):
        return aggregate.name
    if isinstance(aggregate, Project):
        return aggregate.title
    if isinstance(aggregate, Meeting):
        return f"{aggregate.body_name} on {aggregate.date:%d %B %Y}"
    return str(aggregate.id)


def _meeting_order(meeting: Meeting) -> tuple[date, time, str]:
    return (meeting.date, meeting.start_time, str(meeting.id))


def _event_name(app: PartnershipHub, body_id: UUID, version: int) -> str:
    for event in app.events.get(body_id, gt=version - 1, lte=version):
        return type(event).__name__
    return ""


def _membership_result(body: Body, share: ServiceUserShare) -> MembershipResult:
    warning = share.warning() if body.kind is BodyKind.CONSULTATIVE_GROUP else None
    return MembershipResult(version=body.version, share=share, warning=warning)


COMMANDS: frozenset[str] = frozenset(
    name for name, member in vars(PartnershipHub).items() if hasattr(member, "command_name")
)
