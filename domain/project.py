"""A task-and-finish project: commissioned with a brief, reported on, completed (App. 7)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_date, check_text
from domain.errors import DomainError, InvalidInput, NotPermitted
from domain.vocabulary import EXECUTIVE_DIRECTOR, Commissioner, Rag
from domain.working_days import council_day


@dataclass(frozen=True)
class Brief:
    """Rule D2: the five parts of a project brief; every part is required."""

    aims_and_objectives: str
    outcomes: str
    start_date: date
    end_date: date
    resources: str
    key_risks: str
    # How often progress reports are due, in months (rule D4 says "regularly").
    reporting_every_months: int = 3

    def validated(self) -> Brief:
        for field in ("aims_and_objectives", "outcomes", "resources", "key_risks"):
            if not str(getattr(self, field) or "").strip():
                raise InvalidInput(f"brief.{field}", "every part of the brief is required", rule="D2")
        for field in ("aims_and_objectives", "outcomes", "resources", "key_risks"):
            check_text(f"brief.{field}", getattr(self, field), long=True)
        for field in ("start_date", "end_date"):
            value = getattr(self, field)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InvalidInput(f"brief.{field}", "the timeframe needs a start and an end date", rule="D2")
            check_date(f"brief.{field}", value)
        if self.end_date <= self.start_date:
            raise InvalidInput("brief.end_date", "the timeframe must end after it starts", rule="D2")
        if not 1 <= self.reporting_every_months <= 12:
            raise InvalidInput("brief.reporting_every_months", "must be between 1 and 12")
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        data = dict(data)
        for key in ("start_date", "end_date"):
            if isinstance(data[key], str):
                data[key] = date.fromisoformat(data[key])
        return cls(**data)


@dataclass(frozen=True)
class ProgressReport:
    period_start: date
    period_end: date
    milestones_achieved: str
    issues_and_concerns: str
    rag: Rag
    percent_complete: int
    submitted_by: str
    submitted_at: datetime


class Project(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Commissioned(Event, Aggregate.Created):
        title: str
        commissioned_by: str
        lead: str
        body_id: UUID | None
        brief: dict[str, Any]

    def __init__(
        self,
        actor: str,
        actor_role: str,
        title: str,
        commissioned_by: str,
        lead: str,
        body_id: UUID | None,
        brief: dict[str, Any],
    ) -> None:
        self.title = title
        self.commissioned_by = commissioned_by
        self.commissioned_by_actor = actor
        self.lead = lead
        self.body_id = body_id
        self.brief = Brief.from_dict(brief)
        self.end_date = self.brief.end_date
        self.brief_agreed_on: date | None = None
        self.brief_agreed_by: str | None = None
        self.brief_agreed_version: int | None = None  # the version whose brief was agreed (D3)
        self.reports: list[ProgressReport] = []
        self.completed_on: date | None = None
        self.outcomes_achieved: str | None = None

    @classmethod
    def commission(
        cls,
        *,
        id: UUID,
        actor: Actor,
        at: datetime,
        title: str,
        commissioned_by: str,
        lead: str,
        brief: Brief,
        body_id: UUID | None = None,
    ) -> Project:
        allowed = [c.value for c in Commissioner]
        if commissioned_by not in allowed:
            raise DomainError(
                f"{commissioned_by or 'nobody'} cannot commission a task-and-finish project; "
                f"only the {', the '.join(allowed)} may",
                rule="D1",
            )
        if not title.strip():
            raise InvalidInput("title", "must not be blank")
        if not lead.strip():
            raise InvalidInput("lead", "name the project lead")
        check_text("title", title)
        check_text("lead", lead, max_length=64)
        return cls._create(
            cls.Commissioned,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            title=title.strip(),
            commissioned_by=commissioned_by,
            lead=lead.strip(),
            body_id=body_id,
            brief=brief.validated().as_dict(),
        )

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    def latest_report(self) -> ProgressReport | None:
        return self.reports[-1] if self.reports else None

    def _check_not_complete(self, what: str) -> None:
        if self.is_complete:
            raise DomainError(
                f"{self.title} was completed on {self.completed_on:%-d %B %Y}; nothing can be {what} after completion",
                rule="D5",
            )

    class BriefAgreed(Event):
        """Version 2 records ``brief_version``: the version of the project (its brief as it then stood)
        that was agreed. Version 1 did not, though rule D3's agreement is of a particular text; for
        those events it is the version just before the agreement, which is exactly what was agreed
        (an event is always recorded on the version it was decided on)."""

        class_version = 2
        agreed_by: str
        agreed_on: date
        brief_version: int

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["brief_version"] = state["originator_version"] - 1

        def apply(self, aggregate: Any) -> None:
            project: Project = aggregate
            project.brief_agreed_on = self.agreed_on
            project.brief_agreed_by = self.agreed_by
            project.brief_agreed_version = self.brief_version

    def agree_brief(self, *, actor: Actor, at: datetime, agreed_by: str, agreed_on: date) -> None:
        """Rule D3: the brief must be agreed by the Executive Director."""
        self._check_not_complete("agreed")
        if agreed_by != EXECUTIVE_DIRECTOR:
            raise DomainError(f"the brief must be agreed by the {EXECUTIVE_DIRECTOR}", rule="D3")
        if self.brief_agreed_on is not None:
            raise DomainError(f"the brief of {self.title} was already agreed on {self.brief_agreed_on:%-d %B %Y}")
        check_date("agreed_on", agreed_on)
        self.trigger_event(
            self.BriefAgreed,
            timestamp=at,
            **actor.event_fields(),
            agreed_by=agreed_by,
            agreed_on=agreed_on,
            brief_version=self.version,
        )

    class BriefChanged(Event):
        brief: dict[str, Any]
        previous_brief: dict[str, Any]
        reason: str
        was_agreed_on: date | None

        def apply(self, aggregate: Any) -> None:
            project: Project = aggregate
            project.brief = Brief.from_dict(self.brief)
            project.end_date = project.brief.end_date
            # Rule D3: a changed brief takes effect only once the Executive Director agrees it again.
            project.brief_agreed_on = None
            project.brief_agreed_by = None
            project.brief_agreed_version = None

    def change_brief(self, *, actor: Actor, at: datetime, brief: Brief, reason: str) -> None:
        """Rules D2 and D3: the brief is changed with a reason; once changed it needs agreeing (again)."""
        self._check_not_complete("changed")
        brief = brief.validated()
        if brief == self.brief:
            raise DomainError(f"the brief of {self.title} already says that; nothing to change")
        if not (reason or "").strip():
            raise InvalidInput("reason", "say why the brief is changing", rule="D3")
        check_text("reason", reason, long=True)
        if self.reports and brief.start_date > self.reports[0].period_start:
            raise InvalidInput(
                "brief.start_date",
                f"progress has been reported from {self.reports[0].period_start:%-d %B %Y}; "
                "the project cannot start after that",
            )
        self.trigger_event(
            self.BriefChanged,
            timestamp=at,
            **actor.event_fields(),
            brief=brief.as_dict(),
            previous_brief=self.brief.as_dict(),
            reason=reason.strip(),
            was_agreed_on=self.brief_agreed_on,
        )

    class ProgressReported(Event):
        period_start: date
        period_end: date
        milestones_achieved: str
        issues_and_concerns: str
        rag: str
        percent_complete: int

        def apply(self, aggregate: Any) -> None:
            project: Project = aggregate
            project.reports.append(
                ProgressReport(
                    period_start=self.period_start,
                    period_end=self.period_end,
                    milestones_achieved=self.milestones_achieved,
                    issues_and_concerns=self.issues_and_concerns,
                    rag=Rag(self.rag),
                    percent_complete=self.percent_complete,
                    submitted_by=self.actor,
                    submitted_at=self.timestamp,
                )
            )

    def _check_lead(self, actor: Actor, doing: str) -> None:
        if not leads(self.lead, actor):
            raise NotPermitted(f"only the lead of '{self.title}' may {doing}")

    def report_progress(
        self,
        *,
        actor: Actor,
        at: datetime,
        period_start: date,
        period_end: date,
        milestones_achieved: str,
        issues_and_concerns: str,
        rag: Rag | str,
        percent_complete: int,
    ) -> None:
        """Rule D4 and E1: milestones, issues, a RAG status and a percentage."""
        self._check_lead(actor, "report on it")
        self._check_not_complete("reported")
        if self.brief_agreed_on is None:
            raise DomainError(
                f"the brief of {self.title} has not been agreed by the Executive Director yet; "
                "progress can be reported once it is",
                rule="D3",
            )
        try:
            rag = Rag(rag)
        except ValueError:
            raise InvalidInput("rag", "use green, amber or red", rule="E1") from None
        if (
            isinstance(percent_complete, bool)
            or not isinstance(percent_complete, int)
            or not 0 <= percent_complete <= 100
        ):
            raise InvalidInput("percent_complete", "give a whole number from 0 to 100")
        check_date("period_start", period_start)
        check_date("period_end", period_end)
        if period_end < period_start:
            raise InvalidInput("period_end", "the period must end on or after it starts")
        today = council_day(at)
        if period_start > today:
            raise InvalidInput(
                "period_start",
                f"a progress report covers a period that has begun: this one starts on {period_start:%-d %B %Y}, "
                f"after today ({today:%-d %B %Y})",
                rule="D4",
            )
        check_text("milestones_achieved", milestones_achieved, long=True)
        check_text("issues_and_concerns", issues_and_concerns, long=True)
        if not milestones_achieved.strip():
            raise InvalidInput("milestones_achieved", "say which milestones were achieved (or 'none')", rule="D4")
        last = self.latest_report()
        if last is not None and period_start <= last.period_end:
            raise InvalidInput(
                "period_start",
                f"must be after the end of the last reported period ({last.period_end:%-d %B %Y}): "
                "periods do not overlap",
            )
        self.trigger_event(
            self.ProgressReported,
            timestamp=at,
            **actor.event_fields(),
            period_start=period_start,
            period_end=period_end,
            milestones_achieved=milestones_achieved.strip(),
            issues_and_concerns=issues_and_concerns.strip(),
            rag=rag.value,
            percent_complete=percent_complete,
        )

    class TimeframeExtended(Event):
        new_end_date: date
        previous_end_date: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            project: Project = aggregate
            project.end_date = self.new_end_date

    def extend_timeframe(self, *, actor: Actor, at: datetime, new_end_date: date, reason: str) -> None:
        self._check_not_complete("extended")
        check_date("new_end_date", new_end_date)
        if new_end_date <= self.end_date:
            raise InvalidInput("new_end_date", f"must be after the current end date, {self.end_date:%-d %B %Y}")
        if not reason.strip():
            raise InvalidInput("reason", "say why the timeframe is being extended")
        check_text("reason", reason, long=True)
        self.trigger_event(
            self.TimeframeExtended,
            timestamp=at,
            **actor.event_fields(),
            new_end_date=new_end_date,
            previous_end_date=self.end_date,
            reason=reason.strip(),
        )

    class Completed(Event):
        outcomes_achieved: str
        completed_on: date

        def apply(self, aggregate: Any) -> None:
            project: Project = aggregate
            project.completed_on = self.completed_on
            project.outcomes_achieved = self.outcomes_achieved

    def complete(self, *, actor: Actor, at: datetime, outcomes_achieved: str, completed_on: date) -> None:
        """Rule D5: the completion report records the outcomes achieved and closes the project."""
        self._check_lead(actor, "report its completion")
        self._check_not_complete("reported")
        if self.brief_agreed_on is None:
            raise DomainError("a project whose brief was never agreed cannot be completed", rule="D3")
        if not outcomes_achieved.strip():
            raise InvalidInput("outcomes_achieved", "record the outcomes achieved", rule="D5")
        check_text("outcomes_achieved", outcomes_achieved, long=True)
        check_date("completed_on", completed_on)
        self.trigger_event(
            self.Completed,
            timestamp=at,
            **actor.event_fields(),
            outcomes_achieved=outcomes_achieved.strip(),
            completed_on=completed_on,
        )


def leads(lead: str, actor: Actor) -> bool:
    """Whether ``actor`` is the project's lead: only the lead reports on a project (D4, D5)."""
    return actor.user_id == lead
