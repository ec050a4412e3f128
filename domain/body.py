"""A partnership body: its governance record and its membership.

Every governance change is an event carrying who recorded it, who decided it,
when it takes effect and why (rule F4). Membership lives on the same aggregate
so that the 70% share and the chair rules are checked against one consistent
list of members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import (
    DECISION_REF_LENGTH,
    MAX_ACCOUNTABILITY,
    MAX_NAMES,
    check_date,
    check_names,
    check_pence,
    check_text,
)
from domain.deadlines import election_due_by, overdue
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.membership import Membership, ServiceUserShare, service_user_share
from domain.vocabulary import (
    CLOSED_STATUSES,
    EXECUTIVE_DIRECTOR,
    SERVICE_USER_SIDE,
    BodyKind,
    BodyStatus,
    MemberRole,
    Representation,
)
from domain.working_days import add_months


def _required(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(field, "must not be blank")
    return value.strip()


@dataclass(frozen=True)
class Decision:
    """Who decided a governance change, when it takes effect and why (rule F4)."""

    reason: str
    effective_date: date | None = None
    decided_by: str = ""
    decision_ref: str = ""
    # A stable key for an imported change, so importing twice changes nothing.
    source_ref: str | None = None

    def fields(self) -> dict[str, Any]:
        if not self.reason or not self.reason.strip():
            raise InvalidInput("reason", "say why this change is being made", rule="F4")
        check_text("reason", self.reason, long=True)
        check_date("effective_date", self.effective_date)
        check_text("decided_by", self.decided_by)
        check_text("decision_ref", self.decision_ref, max_length=DECISION_REF_LENGTH)
        check_text("source_ref", self.source_ref)
        return {
            "reason": self.reason.strip(),
            "effective_date": self.effective_date,
            "decided_by": self.decided_by,
            "decision_ref": self.decision_ref,
            "source_ref": self.source_ref,
        }


class ProposalOutcome(StrEnum):
    """What the person with the authority decided about a proposed change (rule F4)."""

    APPROVED = "approved"
    AMENDED = "amended"  # approved with changes, said in the decision's note
    REJECTED = "rejected"
    DEFERRED = "deferred"  # stays open, to be decided later

    @property
    def takes_effect(self) -> bool:
        return self in (ProposalOutcome.APPROVED, ProposalOutcome.AMENDED)


@dataclass
class Proposal:
    """A governance change proposed by an officer and waiting for (or given) a decision."""

    number: int
    change: str  # the command that makes the change once decided, e.g. "end_body"
    title: str  # what the change is, in words: "End the body"
    details: dict[str, Any]
    reason: str
    effective_date: date | None  # the date proposed; a decision to amend may set another
    proposed_by: str
    status: str = "pending"  # pending, deferred, approved, amended or rejected
    decided_by: str = ""
    decision_ref: str = ""
    decided_on: date | None = None
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in ("pending", ProposalOutcome.DEFERRED.value)


@dataclass(frozen=True)
class StatutoryFunction:
    """A statutory function the body holds (rule A11), since when and on whose decision."""

    function: str  # "Children's Trust Board"
    legal_basis: str  # "Children Act 2004, section 12A"
    since: date | None
    decided_by: str
    decision_ref: str

    def described(self) -> str:
        """In words, as the body page and "as at" show it."""
        since = f" since {self.since:%-d %B %Y}" if self.since else ""
        return (
            f"{self.function} ({self.legal_basis}){since}, decided by {self.decided_by}, reference {self.decision_ref}"
        )


class Body(Aggregate):
    """A partnership body of any kind in the framework."""

    # Read-only default for a body loaded from a snapshot taken before rule A11 was recorded (see
    # StatutoryFunctionAssigned.apply_change, which replaces the dict rather than changing it).
    statutory_functions = MappingProxyType({})  # not annotated, so not a dataclass field

    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class GovernanceEvent(Event):
        reason: str
        effective_date: date | None
        decided_by: str
        decision_ref: str
        source_ref: str | None

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            if self.source_ref:
                body.source_refs.add(self.source_ref)
            self.apply_change(body)

        def apply_change(self, body: Body) -> None:
            """Sets the state this change brings about."""

    class Established(GovernanceEvent, Aggregate.Created):
        name: str
        kind: str
        purpose: str
        parent_id: UUID | None
        accountability: list[str]
        annual_funding_pence: int | None
        contract_end: date | None
        break_clause_months: int | None
        meets_per_year: int | None
        open_to_public: bool
        until: date | None

    def __init__(
        self,
        actor: str,
        actor_role: str,
        reason: str,
        effective_date: date | None,
        decided_by: str,
        decision_ref: str,
        source_ref: str | None,
        name: str,
        kind: str,
        purpose: str,
        parent_id: UUID | None,
        accountability: list[str],
        annual_funding_pence: int | None,
        contract_end: date | None,
        break_clause_months: int | None,
        meets_per_year: int | None,
        open_to_public: bool,
        until: date | None,
    ) -> None:
        self.name = name
        self.kind = BodyKind(kind)
        self.purpose = purpose
        self.parent_id = parent_id
        self.accountability = list(accountability)
        self.annual_funding_pence = annual_funding_pence
        self.council_funding_until: date | None = None
        self.contract_end = contract_end
        self.break_clause_months = break_clause_months
        self.meets_per_year = meets_per_year
        self.open_to_public = open_to_public
        self.until = until
        self.task: str | None = None
        self.established_on = effective_date
        self.status = BodyStatus.TIME_LIMITED if until else BodyStatus.ACTIVE
        self.status_effective: date | None = effective_date
        self.successor_id: UUID | None = None
        self.successor_name: str | None = None
        self.self_funding_option_until: date | None = None
        self.provider_forum_under: str | None = None
        self.completion_report: str | None = None
        self.terms_of_reference: str | None = None
        self.terms_of_reference_version = 0
        self.members: dict[str, Membership] = {}
        self.last_election_on: date | None = None
        self.proposals: dict[int, Proposal] = {}
        self.statutory_functions: dict[str, StatutoryFunction] = {}  # rule A11, by function
        self.source_refs: set[str] = set()
        if source_ref:
            self.source_refs.add(source_ref)

    # ----------------------------------------------------------------- creation

    @classmethod
    def establish(
        cls,
        *,
        id: UUID,
        actor: Actor,
        at: datetime,
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
    ) -> Body:
        try:
            kind = BodyKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in BodyKind)
            raise InvalidInput("kind", f"{kind!r} is not a kind of body; use one of {allowed}") from None
        _check_money("annual_funding_pence", annual_funding_pence)
        _check_break_clause(break_clause_months)
        check_text("name", name)
        check_text("purpose", purpose, long=True)
        check_names("accountability", accountability, max_items=MAX_ACCOUNTABILITY)
        check_date("contract_end", contract_end)
        check_date("until", until)
        if kind is BodyKind.TASK_AND_FINISH_GROUP and until is None:
            raise InvalidInput("until", "a task-and-finish group is time-limited: give its end date", rule="A5")
        if until is not None and decision.effective_date and until <= decision.effective_date:
            raise InvalidInput("until", "the end date must be after the date the body starts")
        if meets_per_year is None and kind in (
            BodyKind.STAKEHOLDER_CONFERENCE,
            BodyKind.CONSULTATIVE_GROUP,
        ):
            meets_per_year = 2  # rule C1
        if open_to_public is None:
            open_to_public = kind is BodyKind.CONSULTATIVE_GROUP  # rule C3
        return cls._create(
            cls.Established,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            name=_required("name", name),
            kind=kind.value,
            purpose=purpose.strip(),
            parent_id=parent_id,
            accountability=list(accountability or []),
            annual_funding_pence=annual_funding_pence,
            contract_end=contract_end,
            break_clause_months=break_clause_months,
            meets_per_year=meets_per_year,
            open_to_public=open_to_public,
            until=until,
            **decision.fields(),
        )

    # ------------------------------------------------------------ state queries

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def current_members(self) -> list[Membership]:
        return [m for m in self.members.values() if m.left_on is None]

    def member_share(self) -> ServiceUserShare:
        return service_user_share(self.current_members())

    def chair(self) -> Membership | None:
        return next((m for m in self.current_members() if m.role is MemberRole.CHAIR), None)

    def election_due(self, on: date) -> bool:
        """Rule B5: a consultative group elects its chair and vice-chair every year."""
        if self.kind is not BodyKind.CONSULTATIVE_GROUP or self.is_closed:
            return False
        due = election_due_by(self.last_election_on, None)
        return due is None or overdue(due, on)

    def break_clause_notice_date(self) -> date | None:
        """The last day to give notice under the break clause to end at the contract end."""
        if self.contract_end is None or not self.break_clause_months:
            return None
        return add_months(self.contract_end, -self.break_clause_months)

    # --------------------------------------------------------- governance rules

    def _check_open(self, what: str) -> None:
        if self.is_closed:
            raise BodyClosed(
                f"{self.name} is {self.status.value} and accepts no further change; "
                f"record a correction instead of {what}",
                rule="F4",
            )

    class TermsOfReferenceAdopted(GovernanceEvent):
        text: str
        version: int

        def apply_change(self, body: Body) -> None:
            body.terms_of_reference = self.text
            body.terms_of_reference_version = self.version

    def adopt_terms_of_reference(self, *, actor: Actor, at: datetime, text: str, decision: Decision) -> None:
        self._check_open("adopting terms of reference")
        check_text("text", text, long=True)
        self.trigger_event(
            self.TermsOfReferenceAdopted,
            timestamp=at,
            **actor.event_fields(),
            text=_required("text", text),
            version=self.terms_of_reference_version + 1,
            **decision.fields(),
        )

    class FundingChanged(GovernanceEvent):
        annual_funding_pence: int | None
        previous_pence: int | None
        council_funding_until: date | None

        def apply_change(self, body: Body) -> None:
            body.annual_funding_pence = self.annual_funding_pence
            body.council_funding_until = self.council_funding_until

    def change_funding(
        self,
        *,
        actor: Actor,
        at: datetime,
        annual_funding_pence: int | None,
        decision: Decision,
        council_funding_until: date | None = None,
    ) -> None:
        self._check_open("changing its funding")
        _check_money("annual_funding_pence", annual_funding_pence)
        check_date("council_funding_until", council_funding_until)
        if annual_funding_pence == self.annual_funding_pence and council_funding_until == self.council_funding_until:
            raise DomainError(f"{self.name} already has that funding; nothing to change")
        self.trigger_event(
            self.FundingChanged,
            timestamp=at,
            **actor.event_fields(),
            annual_funding_pence=annual_funding_pence,
            previous_pence=self.annual_funding_pence,
            council_funding_until=council_funding_until,
            **decision.fields(),
        )

    class ContractExtended(GovernanceEvent):
        until: date
        previous_end: date | None
        break_clause_months: int | None

        def apply_change(self, body: Body) -> None:
            body.contract_end = self.until
            body.break_clause_months = self.break_clause_months

    def extend_contract(
        self,
        *,
        actor: Actor,
        at: datetime,
        until: date,
        decision: Decision,
        break_clause_months: int | None = None,
    ) -> None:
        self._check_open("extending its contract")
        _check_break_clause(break_clause_months)
        check_date("until", until)
        if self.contract_end is not None and until <= self.contract_end:
            raise InvalidInput(
                "until",
                f"an extension must end after the current contract end, {self.contract_end:%-d %B %Y}",
            )
        self.trigger_event(
            self.ContractExtended,
            timestamp=at,
            **actor.event_fields(),
            until=until,
            previous_end=self.contract_end,
            break_clause_months=break_clause_months if break_clause_months is not None else self.break_clause_months,
            **decision.fields(),
        )

    class Transformed(GovernanceEvent):
        new_kind: str
        previous_kind: str
        until: date | None
        task: str | None

        def apply_change(self, body: Body) -> None:
            body.kind = BodyKind(self.new_kind)
            body.until = self.until
            body.task = self.task
            body.status = BodyStatus.TIME_LIMITED if self.until else BodyStatus.ACTIVE
            body.status_effective = self.effective_date
            if body.kind is BodyKind.CONSULTATIVE_GROUP:
                body.open_to_public = True
                body.meets_per_year = body.meets_per_year or 2

    def transform(
        self,
        *,
        actor: Actor,
        at: datetime,
        into: BodyKind | str,
        decision: Decision,
        until: date | None = None,
        task: str | None = None,
    ) -> None:
        self._check_open("transforming it")
        into = _kind("into", into)
        check_date("until", until)
        check_text("task", task, long=True)
        if into is BodyKind.TASK_AND_FINISH_GROUP and until is None:
            raise InvalidInput("until", "a time-limited project group needs its end date", rule="A5")
        if into is self.kind and until == self.until:
            raise DomainError(f"{self.name} is already a {into.label}; nothing to transform")
        self.trigger_event(
            self.Transformed,
            timestamp=at,
            **actor.event_fields(),
            new_kind=into.value,
            previous_kind=self.kind.value,
            until=until,
            task=(task or "").strip() or None,
            **decision.fields(),
        )

    class Replaced(GovernanceEvent):
        by_id: UUID
        by_name: str
        by_kind: str
        until: date | None
        task: str | None

        def apply_change(self, body: Body) -> None:
            body.status = BodyStatus.REPLACED
            body.status_effective = self.effective_date
            body.successor_id = self.by_id
            body.successor_name = self.by_name
            body.task = self.task

    def replace_with(
        self,
        *,
        actor: Actor,
        at: datetime,
        successor: Body,
        decision: Decision,
        task: str | None = None,
    ) -> None:
        self._check_open("replacing it")
        self._check_successor(successor)
        check_text("task", task, long=True)
        self.trigger_event(
            self.Replaced,
            timestamp=at,
            **actor.event_fields(),
            by_id=successor.id,
            by_name=successor.name,
            by_kind=successor.kind.value,
            until=successor.until,
            task=(task or "").strip() or None,
            **decision.fields(),
        )

    class MergedInto(GovernanceEvent):
        target_id: UUID
        target_name: str

        def apply_change(self, body: Body) -> None:
            body.status = BodyStatus.MERGED
            body.status_effective = self.effective_date
            body.successor_id = self.target_id
            body.successor_name = self.target_name

    def merge_into(self, *, actor: Actor, at: datetime, target: Body, decision: Decision) -> None:
        self._check_open("merging it")
        self._check_successor(target)
        self.trigger_event(
            self.MergedInto,
            timestamp=at,
            **actor.event_fields(),
            target_id=target.id,
            target_name=target.name,
            **decision.fields(),
        )

    def _check_successor(self, other: Body) -> None:
        if other.id == self.id:
            raise InvalidInput("successor", "a body cannot be replaced by or merged into itself")
        if other.is_closed:
            raise InvalidInput("successor", f"{other.name} is {other.status.value}; choose a body that is active")

    class SelfFundingOptionGiven(GovernanceEvent):
        council_funding_until: date

        def apply_change(self, body: Body) -> None:
            body.self_funding_option_until = self.council_funding_until
            body.council_funding_until = self.council_funding_until

    def give_self_funding_option(
        self, *, actor: Actor, at: datetime, council_funding_until: date, decision: Decision
    ) -> None:
        """Rule A7 / F1: council funding continues until a date, then the body may fund itself."""
        self._check_open("giving it the self-funding option")
        check_date("council_funding_until", council_funding_until)
        self.trigger_event(
            self.SelfFundingOptionGiven,
            timestamp=at,
            **actor.event_fields(),
            council_funding_until=council_funding_until,
            **decision.fields(),
        )

    class TransferredToProviderForum(GovernanceEvent):
        under: str
        previous_kind: str

        def apply_change(self, body: Body) -> None:
            body.kind = BodyKind.PROVIDER_FORUM
            body.provider_forum_under = self.under

    def transfer_to_provider_forum(self, *, actor: Actor, at: datetime, under: str, decision: Decision) -> None:
        self._check_open("transferring it")
        if self.kind is BodyKind.PROVIDER_FORUM:
            raise DomainError(f"{self.name} is already a provider forum")
        check_text("under", under)
        self.trigger_event(
            self.TransferredToProviderForum,
            timestamp=at,
            **actor.event_fields(),
            under=_required("under", under),
            previous_kind=self.kind.value,
            **decision.fields(),
        )

    class Maintained(GovernanceEvent):
        kind_as: str | None

        def apply_change(self, body: Body) -> None:
            pass

    def maintain(self, *, actor: Actor, at: datetime, decision: Decision, as_: str | None = None) -> None:
        """Records a decision to keep the body as it is (rule F1 'maintain')."""
        self._check_open("maintaining it")
        check_text("as", as_)
        self.trigger_event(self.Maintained, timestamp=at, **actor.event_fields(), kind_as=as_, **decision.fields())

    class StatutoryFunctionAssigned(GovernanceEvent):
        function: str
        legal_basis: str

        def apply_change(self, body: Body) -> None:
            held = StatutoryFunction(
                function=self.function,
                legal_basis=self.legal_basis,
                since=self.effective_date,
                decided_by=self.decided_by,
                decision_ref=self.decision_ref,
            )
            # A new dict rather than a change in place: a snapshot taken before rule A11 was recorded has
            # no ``statutory_functions`` of its own and reads the class's empty default, which must stay empty.
            body.statutory_functions = {**body.statutory_functions, self.function: held}

    def assign_statutory_function(
        self, *, actor: Actor, at: datetime, function: str, legal_basis: str, decision: Decision
    ) -> None:
        """Rule A11: a statutory function (the Children's Trust Board's) is held by a body only once the
        decision giving it to the body is recorded: who decided, under what reference, and from when."""
        self._check_open("giving it a statutory function")
        function = _required("function", function or "")
        check_text("function", function)
        legal_basis = _required("legal_basis", legal_basis or "")
        check_text("legal_basis", legal_basis)
        if not decision.decided_by.strip():
            raise InvalidInput(
                "decided_by",
                "say who decided to give the body this function (such as the Council Executive)",
                rule="A11",
            )
        if not decision.decision_ref.strip():
            raise InvalidInput("decision_ref", "give the reference of the decision giving this function", rule="A11")
        if decision.effective_date is None:
            raise InvalidInput("effective_date", "give the date from which the body holds this function", rule="A11")
        held = self.statutory_functions.get(function)
        if held is not None and held.legal_basis == legal_basis.strip():
            raise DomainError(
                f"{self.name} already holds the {function} function since {held.since:%-d %B %Y} "
                f"(decision {held.decision_ref}); record a correction if that entry is wrong",
                rule="A11",
            )
        self.trigger_event(
            self.StatutoryFunctionAssigned,
            timestamp=at,
            **actor.event_fields(),
            function=function,
            legal_basis=legal_basis.strip(),
            **decision.fields(),
        )

    class Ended(GovernanceEvent):
        remove_council_support: bool

        def apply_change(self, body: Body) -> None:
            body.status = BodyStatus.ENDED
            body.status_effective = self.effective_date

    def end(self, *, actor: Actor, at: datetime, decision: Decision, remove_council_support: bool = True) -> None:
        self._check_open("ending it again")
        self.trigger_event(
            self.Ended,
            timestamp=at,
            **actor.event_fields(),
            remove_council_support=remove_council_support,
            **decision.fields(),
        )

    # ------------------------------------------------- time-limited groups (A5)

    def past_end_date(self, on: date) -> bool:
        """A time-limited group whose end date has gone by without a decision to extend, close or convert it."""
        return self.status is BodyStatus.TIME_LIMITED and self.until is not None and self.until < on

    def _check_time_limited(self, what: str) -> date:
        self._check_open(what)
        if self.status is not BodyStatus.TIME_LIMITED or self.until is None:
            raise DomainError(f"{self.name} is not time-limited; only a time-limited group can be {what}", rule="A5")
        return self.until

    class TimeLimitExtended(GovernanceEvent):
        until: date
        previous_until: date

        def apply_change(self, body: Body) -> None:
            body.until = self.until

    def extend_time_limit(self, *, actor: Actor, at: datetime, until: date, decision: Decision) -> None:
        """Rule A5: a time-limited group runs to a new end date, decided and with its reason."""
        current = self._check_time_limited("extended")
        check_date("until", until)
        if until <= current:
            raise InvalidInput(
                "until", f"the new end date must be after the current one, {current:%-d %B %Y}", rule="A5"
            )
        self.trigger_event(
            self.TimeLimitExtended,
            timestamp=at,
            **actor.event_fields(),
            until=until,
            previous_until=current,
            **decision.fields(),
        )

    class ClosedWithCompletionReport(GovernanceEvent):
        completion_report: str

        def apply_change(self, body: Body) -> None:
            body.status = BodyStatus.COMPLETED
            body.status_effective = self.effective_date
            body.completion_report = self.completion_report

    def close_time_limited(self, *, actor: Actor, at: datetime, completion_report: str, decision: Decision) -> None:
        """Rules A5 and D5: a time-limited group closes with a completion report saying what it achieved."""
        self._check_time_limited("closed with a completion report")
        report = _required("completion_report", completion_report or "")
        check_text("completion_report", report, long=True)
        self.trigger_event(
            self.ClosedWithCompletionReport,
            timestamp=at,
            **actor.event_fields(),
            completion_report=report,
            **decision.fields(),
        )

    class Corrected(GovernanceEvent):
        corrects_version: int
        corrects_event: str
        field: str
        value: Any
        previous_value: Any
        # The day the corrected change was recorded, for a history that reads as plain English (v2).
        corrects_recorded_on: date | None

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["corrects_recorded_on"] = None

        def apply_change(self, body: Body) -> None:
            setattr(body, self.field, _coerce_field(self.field, self.value))

    CORRECTABLE_FIELDS = frozenset(
        {
            "name",
            "purpose",
            "accountability",
            "annual_funding_pence",
            "contract_end",
            "break_clause_months",
            "until",
            "task",
            "status_effective",
            "council_funding_until",
        }
    )

    def correct(
        self,
        *,
        actor: Actor,
        at: datetime,
        corrects_version: int,
        corrects_event: str,
        field: str,
        value: Any,
        decision: Decision,
        corrects_recorded_on: date | None = None,
    ) -> None:
        """Corrects a recorded fact; allowed on closed bodies too, and says what it corrects."""
        if not 1 <= corrects_version <= self.version:
            raise InvalidInput("corrects_version", f"name an event of this body, between 1 and {self.version}")
        if field not in self.CORRECTABLE_FIELDS:
            raise InvalidInput(
                "field", f"{field!r} cannot be corrected; use one of {', '.join(sorted(self.CORRECTABLE_FIELDS))}"
            )
        value = _coerce_field(field, value)
        _check_corrected(field, value)
        if value == getattr(self, field):
            raise DomainError(f"{field.replace('_', ' ')} is already {value!r}; nothing to correct")
        self.trigger_event(
            self.Corrected,
            timestamp=at,
            **actor.event_fields(),
            corrects_version=corrects_version,
            corrects_event=_required("corrects_event", corrects_event),
            field=field,
            value=value,
            previous_value=getattr(self, field),
            corrects_recorded_on=corrects_recorded_on,
            **decision.fields(),
        )

    # -------------------------------------------------------------- proposals

    class ChangeProposed(Event):
        number: int
        change: str
        title: str
        details: dict[str, Any]
        reason: str
        effective_date: date | None
        source_ref: str | None  # an imported proposal's stable key, so importing twice proposes once

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            if self.source_ref:
                body.source_refs.add(self.source_ref)
            body.proposals[self.number] = Proposal(
                number=self.number,
                change=self.change,
                title=self.title,
                details=dict(self.details),
                reason=self.reason,
                effective_date=self.effective_date,
                proposed_by=self.actor,
            )

    def propose_change(
        self,
        *,
        actor: Actor,
        at: datetime,
        change: str,
        title: str,
        details: dict[str, Any],
        reason: str,
        effective_date: date | None,
        source_ref: str | None = None,
    ) -> int:
        """Rule F4: a change is proposed with its reason and the date it would take effect, then decided."""
        self._check_open("proposing a change to it")
        if not reason or not reason.strip():
            raise InvalidInput("reason", "say why this change is proposed", rule="F4")
        check_text("reason", reason, long=True)
        check_text("change", change, max_length=64)
        check_text("title", title)
        check_date("effective_date", effective_date)
        number = max(self.proposals, default=0) + 1
        self.trigger_event(
            self.ChangeProposed,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            change=_required("change", change),
            title=_required("title", title),
            details=dict(details),
            reason=reason.strip(),
            effective_date=effective_date,
            source_ref=source_ref,
        )
        return number

    class ProposalDecided(Event):
        number: int
        outcome: str
        decided_by: str
        decision_ref: str
        decided_on: date | None
        effective_date: date | None
        note: str

        def apply(self, aggregate: Any) -> None:
            proposal = aggregate.proposals[self.number]
            proposal.status = self.outcome
            proposal.decided_by = self.decided_by
            proposal.decision_ref = self.decision_ref
            proposal.decided_on = self.decided_on
            proposal.note = self.note
            proposal.effective_date = self.effective_date

    def decide_proposal(
        self,
        *,
        actor: Actor,
        at: datetime,
        number: int,
        outcome: ProposalOutcome | str,
        decided_by: str,
        decision_ref: str,
        decided_on: date | None,
        effective_date: date | None = None,
        note: str = "",
    ) -> Proposal:
        """Rule F4: who decided, under what reference, and from when; a deferred proposal stays open.

        Approving or amending it is followed, in the same save, by the change itself."""
        proposal = self.proposals.get(number)
        if proposal is None:
            raise InvalidInput("number", f"{self.name} has no proposal {number}")
        if not proposal.is_open:
            raise DomainError(
                f"proposal {number} ({proposal.title}) was already {proposal.status} by {proposal.decided_by}; "
                "propose the change again to reopen it",
                rule="F4",
            )
        outcome = _enum(ProposalOutcome, "outcome", outcome)
        decided_by = _required("decided_by", decided_by or "")
        check_text("decided_by", decided_by)
        if not decision_ref or not decision_ref.strip():
            raise InvalidInput("decision_ref", "give the decision's reference (a report or minute number)", rule="F4")
        check_text("decision_ref", decision_ref, max_length=DECISION_REF_LENGTH)
        check_date("decided_on", decided_on)
        check_date("effective_date", effective_date)
        check_text("note", note, long=True)
        if outcome is ProposalOutcome.AMENDED and not (note or "").strip():
            raise InvalidInput("note", "say how the decision amends the proposal", rule="F4")
        if outcome.takes_effect:
            self._check_open(f"deciding proposal {number}")
        effective = effective_date if outcome is ProposalOutcome.AMENDED and effective_date else proposal.effective_date
        self.trigger_event(
            self.ProposalDecided,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            outcome=outcome.value,
            decided_by=decided_by,
            decision_ref=decision_ref.strip(),
            decided_on=decided_on,
            effective_date=effective,
            note=(note or "").strip(),
        )
        return self.proposals[number]

    def statutory_functions_described(self) -> str | None:
        """The statutory functions it holds, in words (rule A11); None when it holds none."""
        return "; ".join(f.described() for f in self.statutory_functions.values()) or None

    def open_proposals(self) -> list[Proposal]:
        return [p for p in self.proposals.values() if p.is_open]

    # --------------------------------------------------------------- membership

    class MemberJoined(Event):
        member_id: str
        person: str
        position: str
        role: str
        representation: str
        votes: bool
        effective_date: date

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            body.members[self.member_id] = Membership(
                member_id=self.member_id,
                person=self.person,
                position=self.position,
                role=MemberRole(self.role),
                representation=Representation(self.representation),
                votes=self.votes,
                joined_on=self.effective_date,
            )

    def add_member(
        self,
        *,
        actor: Actor,
        at: datetime,
        member_id: str,
        person: str,
        role: MemberRole | str,
        representation: Representation | str,
        effective_date: date,
        position: str = "",
    ) -> ServiceUserShare:
        self._check_open("adding a member")
        role = _enum(MemberRole, "role", role)
        representation = _enum(Representation, "representation", representation)
        person = _required("person", person)
        check_text("person", person)
        check_text("position", position)
        check_text("member_id", member_id, max_length=64)
        check_date("effective_date", effective_date)
        if member_id in self.members:
            raise InvalidInput("member_id", f"{member_id} is already a member id on {self.name}")
        if any(m.person.casefold() == person.casefold() for m in self.current_members()):
            raise InvalidInput("person", f"{person} is already a current member of {self.name}")
        self._check_officer_roles(role, representation, position)
        # Rule B4: agency representatives on a consultative group have no vote.
        votes = not (
            self.kind is BodyKind.CONSULTATIVE_GROUP
            and (
                role is MemberRole.AGENCY_REPRESENTATIVE
                or representation is Representation.RELEVANT_PARTNER_AGENCY
                or role is MemberRole.OFFICER
            )
        )
        self.trigger_event(
            self.MemberJoined,
            timestamp=at,
            **actor.event_fields(),
            member_id=member_id,
            person=person,
            position=position.strip(),
            role=role.value,
            representation=representation.value,
            votes=votes,
            effective_date=effective_date,
        )
        return self.member_share()

    def _check_officer_roles(self, role: MemberRole, representation: Representation, position: str) -> None:
        if role not in (MemberRole.CHAIR, MemberRole.VICE_CHAIR):
            return
        holder = (
            self.chair()
            if role is MemberRole.CHAIR
            else next((m for m in self.current_members() if m.role is MemberRole.VICE_CHAIR), None)
        )
        if holder is not None:
            raise DomainError(
                f"{self.name} already has a {role.value.replace('_', '-')} ({holder.person}); "
                "they must leave the role first"
            )
        if (
            self.kind is BodyKind.STAKEHOLDER_CONFERENCE
            and role is MemberRole.CHAIR
            and position.strip() != EXECUTIVE_DIRECTOR
        ):
            raise DomainError(f"a stakeholder conference is chaired by the {EXECUTIVE_DIRECTOR}", rule="B2")
        if self.kind is BodyKind.CONSULTATIVE_GROUP:
            raise DomainError(
                "a consultative group's chair and vice-chair are elected: record an election",
                rule="B5",
            )

    class MemberLeft(Event):
        member_id: str
        effective_date: date
        reason: str
        # Who left, in what role and representing whom: the history and the audit log say so (v2).
        person: str
        role: str
        representation: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(person="", role="", representation="")

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            body.members[self.member_id].left_on = self.effective_date

    def remove_member(
        self, *, actor: Actor, at: datetime, member_id: str, effective_date: date, reason: str
    ) -> ServiceUserShare:
        self._check_open("removing a member")
        member = self.members.get(member_id)
        if member is None or member.left_on is not None:
            raise InvalidInput("member_id", f"{member_id} is not a current member of {self.name}")
        check_date("effective_date", effective_date)
        check_text("reason", reason, long=True)
        if effective_date < member.joined_on:
            raise InvalidInput("effective_date", "a member cannot leave before the date they joined")
        self.trigger_event(
            self.MemberLeft,
            timestamp=at,
            **actor.event_fields(),
            member_id=member_id,
            effective_date=effective_date,
            reason=_required("reason", reason),
            person=member.person,
            role=member.role.value,
            representation=member.representation.value,
        )
        return self.member_share()

    class OfficersElected(Event):
        chair_id: str
        vice_chair_id: str
        election_date: date
        # The names of those elected, so the record says who (v2).
        chair_name: str
        vice_chair_name: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(chair_name="", vice_chair_name="")

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            for member in body.current_members():
                if member.role in (MemberRole.CHAIR, MemberRole.VICE_CHAIR):
                    member.role = MemberRole.MEMBER
            body.members[self.chair_id].role = MemberRole.CHAIR
            body.members[self.vice_chair_id].role = MemberRole.VICE_CHAIR
            body.last_election_on = self.election_date

    def record_election(
        self, *, actor: Actor, at: datetime, chair_id: str, vice_chair_id: str, election_date: date
    ) -> None:
        """Rule B5: a consultative group elects a chair and vice-chair from its user-side members."""
        self._check_open("recording an election")
        if self.kind is not BodyKind.CONSULTATIVE_GROUP:
            raise DomainError("only a consultative group elects its chair and vice-chair", rule="B5")
        if chair_id == vice_chair_id:
            raise InvalidInput("vice_chair_id", "the chair and the vice-chair must be different people")
        check_date("election_date", election_date)
        for field, member_id in (("chair_id", chair_id), ("vice_chair_id", vice_chair_id)):
            member = self.members.get(member_id)
            if member is None or member.left_on is not None:
                raise InvalidInput(field, f"{member_id} is not a current member of {self.name}")
            if member.representation not in SERVICE_USER_SIDE or not member.votes:
                raise InvalidInput(
                    field,
                    f"{member.person} represents {member.representation.value.replace('_', ' ')}; "
                    "the chair and vice-chair come from service user, carer or individual members",
                    rule="B5",
                )
        if self.last_election_on is not None and election_date <= self.last_election_on:
            raise InvalidInput("election_date", "must be after the last election")
        self.trigger_event(
            self.OfficersElected,
            timestamp=at,
            **actor.event_fields(),
            chair_id=chair_id,
            vice_chair_id=vice_chair_id,
            election_date=election_date,
            chair_name=self.members[chair_id].person,
            vice_chair_name=self.members[vice_chair_id].person,
        )

    # ------------------------------------------------------------------ quorum

    # None: the body has no quorum of its own, and its meetings use the default (AMB-Q). A class default, so
    # a body loaded from a snapshot taken before the quorum was recorded reads as having none.
    quorum: int | None = None

    class QuorumSet(Event):
        quorum: int
        previous: int | None
        reason: str

        def apply(self, aggregate: Any) -> None:
            body: Body = aggregate
            body.quorum = self.quorum

    def voting_members(self) -> list[Membership]:
        """The current members who count towards a quorum: those with a vote, never council officers."""
        return [m for m in self.current_members() if m.votes and m.role is not MemberRole.OFFICER]

    def set_quorum(self, *, actor: Actor, at: datetime, quorum: int, reason: str) -> None:
        """Rule AMB-Q: the body's own quorum, a number of voting members its meetings need present; a meeting
        whose attendance names none is measured against it. From 1 to the voting members it has now (any
        number up to the bound while it has none on record)."""
        self._check_open("setting the quorum")
        if isinstance(quorum, bool) or not isinstance(quorum, int):
            raise InvalidInput("quorum", "the quorum is a whole number of voting members", rule="AMB-Q")
        voting = len(self.voting_members())
        most = voting or MAX_QUORUM
        if not 1 <= quorum <= most:
            seats = f"the {voting} voting members {self.name} has now" if voting else f"{MAX_QUORUM}"
            raise InvalidInput("quorum", f"the quorum is a number of voting members, from 1 to {seats}", rule="AMB-Q")
        check_text("reason", reason, long=True)
        reason = _required("reason", reason)
        if quorum == self.quorum:
            raise InvalidInput("quorum", f"the quorum of {self.name} is already {quorum}", rule="AMB-Q")
        self.trigger_event(
            self.QuorumSet, timestamp=at, **actor.event_fields(), quorum=quorum, previous=self.quorum, reason=reason
        )


MAX_QUORUM = MAX_NAMES  # no body has more voting seats than an attendance list has names


def _check_money(field: str, pence: int | None) -> None:
    check_pence(field, pence)


# A contract's break clause gives at most two years' notice (F2); the input schema says the same.
MAX_BREAK_CLAUSE_MONTHS = 24


def _check_break_clause(months: int | None) -> None:
    if months is not None and not 0 < months <= MAX_BREAK_CLAUSE_MONTHS:
        raise InvalidInput("break_clause_months", f"must be between 1 and {MAX_BREAK_CLAUSE_MONTHS} months")


def _kind(field: str, value: BodyKind | str) -> BodyKind:
    return _enum(BodyKind, field, value)


def _enum(enum: Any, field: str, value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(field, f"{value!r} is not allowed; use one of {allowed}") from None


_DATE_FIELDS = {"contract_end", "until", "status_effective", "council_funding_until"}


def _check_corrected(field: str, value: Any) -> None:
    """A corrected value keeps to the bounds of the field it replaces (domain/bounds.py).

    Checked when the correction is made, not in ``_coerce_field``: replaying a recorded correction
    never refuses.
    """
    if value is None:
        return
    if field in _DATE_FIELDS:
        check_date("value", value)
    elif field == "annual_funding_pence":
        check_pence("value", value)
    elif field == "break_clause_months" and value > MAX_BREAK_CLAUSE_MONTHS:
        raise InvalidInput("value", f"a break clause is at most {MAX_BREAK_CLAUSE_MONTHS} months")
    elif field == "accountability":
        check_names("value", value, max_items=MAX_ACCOUNTABILITY)
    else:
        check_text("value", value, long=field in ("purpose", "task"))


def _coerce_field(field: str, value: Any) -> Any:
    """Checks a corrected value has the type of the field it replaces."""
    if value is None:
        if field == "name":
            raise InvalidInput("value", "a body must have a name")
        return None
    if field in _DATE_FIELDS:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput("value", f"{field} is a date: give it as YYYY-MM-DD") from None
    if field in ("annual_funding_pence", "break_clause_months"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput("value", f"{field} is a whole number, not negative")
        return value
    if field == "accountability":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput("value", "accountability is a list of the bodies it reports to")
        return value
    if not isinstance(value, str) or (field == "name" and not value.strip()):
        raise InvalidInput("value", f"{field} is text")
    return value.strip()
