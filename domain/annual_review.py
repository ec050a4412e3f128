"""The annual review of the partnership arrangements (rule H1), as a piece of work that is done and recorded.

One review per financial year, identified by the year the financial year starts in (the review of
2027-28 is due by 31 March 2027, before that year begins on 1 April). An officer opens it, records
what they found for each body reviewed and overall, links the governance changes it led to (each
proposed on its body through the ordinary proposal, rule F4, and then decided there), and completes
it. Completing it after 31 March is allowed and recorded as late, as publishing papers late is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import EARLIEST, LATEST, check_date, check_text
from domain.errors import DomainError, InvalidInput
from domain.working_days import council_day

REVIEW_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/annual-review")
FIRST_YEAR = EARLIEST.year + 1
LAST_YEAR = LATEST.year


def review_id_for(year: int) -> UUID:
    """A financial year has one review: opening it twice finds the first."""
    return uuid5(REVIEW_NAMESPACE, str(year))


def financial_year(year: int) -> str:
    """The financial year starting on 1 April ``year``, as the council writes it: "2027-28"."""
    return f"{year}-{(year + 1) % 100:02d}"


def review_due(year: int) -> date:
    """Rule H1: the review is done before the financial year begins on 1 April."""
    return date(year, 3, 31)


def review_title(year: int) -> str:
    return f"Annual review of the arrangements {financial_year(year)}"


def check_year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("year", f"give the year the financial year starts in, from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def _findings(field: str, findings: str) -> str:
    if not isinstance(findings, str) or not findings.strip():
        raise InvalidInput(field, "write what the review found", rule="H1")
    check_text(field, findings, long=True)
    return findings.strip()


@dataclass
class BodyFindings:
    body_id: UUID
    body_name: str
    findings: str


@dataclass(frozen=True)
class LinkedProposal:
    body_id: UUID
    body_name: str
    number: int
    title: str


class AnnualReview(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Opened(Event, Aggregate.Created):
        year: int
        opened_on: date

    def __init__(self, actor: str, actor_role: str, year: int, opened_on: date) -> None:
        self.year = year
        self.opened_on = opened_on
        self.opened_by = actor
        self.bodies: dict[UUID, BodyFindings] = {}
        self.overall_findings: str | None = None
        self.proposals: list[LinkedProposal] = []
        self.completed_on: date | None = None
        self.completed_by: str | None = None

    @property
    def due(self) -> date:
        return review_due(self.year)

    @property
    def title(self) -> str:
        return review_title(self.year)

    @classmethod
    def open(cls, *, actor: Actor, at: datetime, year: int) -> AnnualReview:
        """Rule H1: one review of the arrangements for each financial year."""
        year = check_year(year)
        return cls._create(
            cls.Opened,
            id=review_id_for(year),
            timestamp=at,
            **actor.event_fields(),
            year=year,
            opened_on=council_day(at),
        )

    def _check_open(self, doing: str) -> None:
        if self.completed_on is not None:
            raise DomainError(
                f"the {self.title} was completed on {self.completed_on:%-d %B %Y}; it cannot be changed by {doing}",
                rule="H1",
            )

    # ---------------------------------------------------------------- findings

    class BodyReviewed(Event):
        body_id: UUID
        body_name: str
        findings: str
        previous_findings: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.bodies[self.body_id] = BodyFindings(self.body_id, self.body_name, self.findings)

    def record_body_findings(self, *, actor: Actor, at: datetime, body_id: UUID, body_name: str, findings: str) -> None:
        """What the review found about one body; recording it again replaces the earlier wording (kept in the log)."""
        self._check_open("recording findings")
        check_text("body_name", body_name)
        findings = _findings("findings", findings)
        earlier = self.bodies.get(body_id)
        self.trigger_event(
            self.BodyReviewed,
            timestamp=at,
            **actor.event_fields(),
            body_id=body_id,
            body_name=body_name,
            findings=findings,
            previous_findings=earlier.findings if earlier else None,
        )

    class OverallFindingsRecorded(Event):
        findings: str
        previous_findings: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.overall_findings = self.findings

    def record_overall_findings(self, *, actor: Actor, at: datetime, findings: str) -> None:
        """How well the arrangements as a whole are working (rule H1)."""
        self._check_open("recording findings")
        self.trigger_event(
            self.OverallFindingsRecorded,
            timestamp=at,
            **actor.event_fields(),
            findings=_findings("findings", findings),
            previous_findings=self.overall_findings,
        )

    # --------------------------------------------------------------- proposals

    class ProposalLinked(Event):
        body_id: UUID
        body_name: str
        number: int
        title: str

        def apply(self, aggregate: Any) -> None:
            aggregate.proposals.append(LinkedProposal(self.body_id, self.body_name, self.number, self.title))

    def link_proposal(
        self, *, actor: Actor, at: datetime, body_id: UUID, body_name: str, number: int, title: str
    ) -> None:
        """A change the review led to: proposed on the body (rule F4), linked here so the review shows it."""
        self._check_open("linking a proposal")
        if body_id not in self.bodies:
            raise InvalidInput(
                "body_id",
                f"record the review's findings for {body_name} first, then link the proposals that came from them",
                rule="H1",
            )
        if any(p.body_id == body_id and p.number == number for p in self.proposals):
            raise InvalidInput("number", f"proposal {number} for {body_name} is already linked to this review")
        self.trigger_event(
            self.ProposalLinked,
            timestamp=at,
            **actor.event_fields(),
            body_id=body_id,
            body_name=body_name,
            number=number,
            title=title,
        )

    # -------------------------------------------------------------- completion

    class Completed(Event):
        completed_on: date
        due: date
        late: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.completed_on = self.completed_on
            aggregate.completed_by = self.actor

    def complete(self, *, actor: Actor, at: datetime, completed_on: date) -> bool:
        """Rule H1: done before the financial year begins; later is allowed and recorded as late. Answers ``late``."""
        self._check_open("completing it again")
        check_date("completed_on", completed_on)
        if completed_on < self.opened_on:
            raise InvalidInput(
                "completed_on", f"the review was opened on {self.opened_on:%-d %B %Y}: it cannot be completed before"
            )
        if completed_on > council_day(at):
            raise InvalidInput("completed_on", "a review cannot be completed on a date still to come")
        if not self.bodies:
            raise DomainError("record the findings for at least one body before completing the review", rule="H1")
        if not self.overall_findings:
            raise DomainError("record the overall findings before completing the review", rule="H1")
        late = completed_on > self.due
        self.trigger_event(
            self.Completed, timestamp=at, **actor.event_fields(), completed_on=completed_on, due=self.due, late=late
        )
        return late
