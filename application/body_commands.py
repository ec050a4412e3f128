"""Commands on partnership bodies: governance changes and membership."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from application.hub_base import (
    HubBase,
    MembershipResult,
    Numbered,
    body_id_for,
    holding,
)
from domain.actor import Actor
from domain.body import Body, Decision, ProposalOutcome
from domain.errors import InvalidInput
from domain.membership import ServiceUserShare
from domain.vocabulary import BodyKind
from domain.working_days import council_day


class BodyCommands(HubBase):
    """Governance changes and membership; each loads one body, lets it check the rule, and saves it."""

    # ------------------------------------------------------------ governance

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

    def adopt_terms_of_reference(
        self, actor: Actor, body_id: UUID, *, text: str, decision: Decision, expected_version: int | None = None
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.adopt_terms_of_reference(actor=actor, at=self._now(), text=text, decision=decision),
        )

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

    def transfer_to_provider_forum(
        self, actor: Actor, body_id: UUID, *, under: str, decision: Decision, expected_version: int | None = None
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.transfer_to_provider_forum(actor=actor, at=self._now(), under=under, decision=decision),
        )

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

    def assign_statutory_function(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        function: str,
        legal_basis: str,
        decision: Decision,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.assign_statutory_function(
                actor=actor, at=self._now(), function=function, legal_basis=legal_basis, decision=decision
            ),
        )

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

    def extend_time_limit(
        self, actor: Actor, body_id: UUID, *, until: date, decision: Decision, expected_version: int | None = None
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.extend_time_limit(actor=actor, at=self._now(), until=until, decision=decision),
        )

    def close_time_limited_group(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        completion_report: str,
        decision: Decision,
        expected_version: int | None = None,
    ) -> int:
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.close_time_limited(
                actor=actor, at=self._now(), completion_report=completion_report, decision=decision
            ),
        )

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
            corrected = event_at(self, body_id, corrects_version)
            body.correct(
                actor=actor,
                at=self._now(),
                corrects_version=corrects_version,
                corrects_event=type(corrected).__name__ if corrected is not None else "unknown event",
                corrects_recorded_on=council_day(corrected.timestamp) if corrected is not None else None,
                field=field,
                value=value,
                decision=decision,
            )

        return self._change_body(body_id, expected_version, correct)

    # ------------------------------------------------------------ proposals

    def propose_change(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        change: str,
        reason: str,
        details: dict[str, Any],
        effective_date: date | None = None,
        source_ref: str | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        """Records a proposed change (F4); its details are checked now by the change's own input schema.
        ``source_ref`` (the importer's, never a form's or the API's) makes an imported proposal happen once."""
        command = _command(change)
        _change_input(command, details, reason=reason, effective_date=effective_date)
        body = self._get(Body, body_id, expected_version)
        number = body.propose_change(
            actor=actor,
            at=self._now(),
            change=change,
            title=command.title,
            details=details,
            reason=reason,
            effective_date=effective_date,
            source_ref=source_ref,
        )
        self._save(body)
        return Numbered(version=body.version, number=number)

    def decide_proposal(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        number: int,
        outcome: ProposalOutcome | str,
        decided_by: str,
        decision_ref: str,
        decided_on: date | None = None,
        effective_date: date | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> Numbered:
        """Records the decision; approved or amended, the change itself is made in the same save."""
        body = self._get(Body, body_id, expected_version)
        proposal = body.decide_proposal(
            actor=actor,
            at=self._now(),
            number=number,
            outcome=outcome,
            decided_by=decided_by,
            decision_ref=decision_ref,
            decided_on=decided_on,
            effective_date=effective_date,
            note=note,
        )
        if ProposalOutcome(proposal.status).takes_effect:
            command = _command(proposal.change)
            values = _change_input(
                command,
                proposal.details,
                reason=proposal.reason,
                effective_date=proposal.effective_date,
                decided_by=proposal.decided_by,
                decision_ref=proposal.decision_ref,
            )
            with holding(body):
                command.handler(self, actor, body_id, **values)
        self._save(body)
        return Numbered(version=body.version, number=number)

    # ------------------------------------------------------------ membership

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
        member_id = member_id or uuid4().hex[:12]
        share = body.add_member(
            actor=actor,
            at=self._now(),
            member_id=member_id,
            person=person,
            role=role,
            representation=representation,
            effective_date=effective_date,
            position=position,
        )
        self._save(body)
        return membership_result(body, share, member_id)

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
        return membership_result(body, share, member_id)

    def set_quorum(
        self, actor: Actor, body_id: UUID, *, quorum: int, reason: str, expected_version: int | None = None
    ) -> int:
        """Rule AMB-Q: the body's own quorum, used by each meeting whose attendance names none."""
        return self._change_body(
            body_id,
            expected_version,
            lambda b: b.set_quorum(actor=actor, at=self._now(), quorum=quorum, reason=reason),
        )

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


def event_at(app: HubBase, body_id: UUID, version: int) -> Any:
    for event in app.events.get(body_id, gt=version - 1, lte=version):
        return event
    return None


def membership_result(body: Body, share: ServiceUserShare, member_id: str) -> MembershipResult:
    warning = share.warning() if body.kind is BodyKind.CONSULTATIVE_GROUP else None
    return MembershipResult(version=body.version, share=share, warning=warning, member_id=member_id)


# The fields every governance change takes for its decision (application/commands/inputs.DecisionInput).
DECISION_FIELDS = ("reason", "effective_date", "decided_by", "decision_ref")


def _command(name: str) -> Any:
    # The command definitions import these handlers, so they are looked up when a proposal is made.
    from application.commands.definition import REGISTRY

    return REGISTRY[name]


def _change_input(command: Any, details: dict[str, Any], **decision: Any) -> dict[str, Any]:
    """A proposed change's details loaded by the change's own schema, so a proposal is bounded and checked
    exactly as the change made in one step would be (a field the change does not take is refused)."""
    fields = set(command.input().fields) | {f.data_key for f in command.input().fields.values() if f.data_key}
    for name in details:
        if name not in fields or name in DECISION_FIELDS:
            raise InvalidInput(name, f"{name.replace('_', ' ')} is not part of '{command.title}': leave it blank")
    data = dict(details)
    for key, value in decision.items():
        if value:
            data[key] = value.isoformat() if isinstance(value, date) else value
    return command.load(data)
