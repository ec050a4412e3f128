"""Import the real framework (application/data/partnership-bodies.json) as governance events.

Every body becomes an ``Established`` event and its review recommendation the
governance change it calls for, with the decision maker, effective date and the
justification as the reason. Each step carries a stable ``source_ref``, so a
second import finds every step already recorded and changes nothing.

Readings of the data that a council officer would expect (also in the README):
- the new framework takes effect on 1 September 2013 (the data file's reading of
  "from September 2013"; the seeds record no decision date, catalogue AMB-33);
- bodies of the old arrangements are recorded as they stood, with no start date;
- a "replace with a time-limited project group" recommendation replaces the body
  with the matching task-and-finish group of the new framework (table below);
- Bromley Parent Voice and the Carers Forum are maintained and become two of the
  seven consultative groups, which the new framework names them as.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID

from application.commands import Dispatcher, bodies
from application.commands.inputs import CommandInput
from domain.actor import Actor
from domain.body import Body, Decision
from domain.vocabulary import BodyKind, MemberRole, Representation

DECISION_REF = "CS13010"
NEW_FRAMEWORK_STARTS = date(2013, 9, 1)
IMPORTER = Actor("importer", "administrator", "Data import")
# The importer records the Portfolio Holder's decision on each recommendation of the report (F4, AMB-33).
DECIDER = Actor("importer", "portfolio_holder_care_services", "Data import of the Portfolio Holder's decision")

# Appendix 8 says "replace with a time-limited project group"; the framework
# diagram names the groups (catalogue AMB-1). This is how the two line up.
REPLACEMENT_PROJECT_GROUPS = {
    "Carers Partnership Group": "Carers Strategy",
    "Child and Adolescent Mental Health Services (CAMHS) Strategy Group": "CAMHS Strategy",
    "Disability Strategy Group": "Disability Reform (SEND)",
}


@dataclass
class ImportReport:
    bodies_created: int = 0
    changes_recorded: int = 0
    members_added: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _pence(gbp: int | float | None) -> int | None:
    return None if gbp is None else round(gbp * 100)


class FrameworkImporter:
    def __init__(self, dispatcher: Dispatcher, data: dict[str, Any]) -> None:
        self.dispatcher = dispatcher
        self.hub = dispatcher.hub
        self.data = data
        self.decided_by: str = data["decision"]["decided_by"]
        self.report = ImportReport()
        self.new_names = {b["name"] for b in data["new_framework"]}

    @classmethod
    def from_file(cls, dispatcher: Dispatcher, path: Path) -> FrameworkImporter:
        return cls(dispatcher, json.loads(path.read_text(encoding="utf-8")))

    def run(self) -> ImportReport:
        existing = self.data["existing_bodies"]
        # Parents before children, so each subgroup can point at its board.
        for spec in sorted(existing, key=lambda b: b["parent"] is not None):
            self._establish_existing(spec)
        for spec in self.data["new_framework"]:
            self._establish_new(spec)
        for spec in existing:
            self._apply_recommendation(spec)
        for spec in self.data["new_framework"]:
            self._align_with_new_framework(spec)
        return self.report

    # ----------------------------------------------------------------- helpers

    def _do(self, command: type[CommandInput], actor: Actor, subject_id: UUID | None = None, **values: Any) -> Any:
        """Runs one command through the dispatcher, as every change to the record is made."""
        return self.dispatcher.execute(command, actor, subject_id=subject_id, **values).result

    def _decision(self, ref: str, reason: str, effective: date | None) -> Decision:
        return Decision(
            reason=reason,
            effective_date=effective,
            decided_by=self.decided_by,
            decision_ref=DECISION_REF,
            source_ref=f"{DECISION_REF}:{ref}",
        )

    @staticmethod
    def _proposal(command: type[CommandInput], **details: Any) -> dict[str, Any]:
        """A proposed change: the change's name and its fields as JSON-style values (what a form or the API sends)."""
        values = {k: _json(v) for k, v in details.items() if v is not None}
        return {"change": command.command.name, "details": values}  # type: ignore[attr-defined]

    def _body(self, name: str) -> Body:
        body = self.hub.find_body(name)
        if body is None:
            raise LookupError(f"the data file names {name!r}, which is not a body in it")
        return body

    def _done(self, body: Body, ref: str) -> bool:
        if f"{DECISION_REF}:{ref}" in body.source_refs:
            self.report.skipped += 1
            return True
        return False

    def _establish(self, name: str, ref: str, **kwargs: Any) -> Body:
        body = self.hub.find_body(name)
        if body is None:
            self._do(bodies.EstablishBody, IMPORTER, name=name, **kwargs)
            self.report.bodies_created += 1
            body = self._body(name)
        else:
            self.report.skipped += 1
        return body

    # ------------------------------------------------------------------ steps

    def _establish_existing(self, spec: dict[str, Any]) -> None:
        name = spec["name"]
        parent = self._body(spec["parent"]) if spec.get("parent") else None
        contract = spec.get("contract") or {}
        self._establish(
            name,
            ref=f"{name}:established",
            kind=spec["kind"],
            purpose=spec.get("purpose", ""),
            parent_id=parent.id if parent else None,
            annual_funding_pence=_pence(spec.get("annual_funding_gbp")),
            # A contract that simply runs to a date is a fact of the body;
            # an extension is a decision and is recorded as one below.
            contract_end=_date(contract.get("runs_until")),
            decision=self._decision(
                f"{name}:established",
                "Existing arrangement, as recorded by the review of partnership arrangements (Appendix 8)",
                None,
            ),
        )

    def _establish_new(self, spec: dict[str, Any]) -> None:
        name = spec["name"]
        if self.hub.find_body(name) is not None:
            return  # an existing body the new framework keeps; aligned below
        kind = BodyKind(spec["kind"])
        purpose = spec.get("statutory_function", "")
        if purpose:
            purpose = f"Proposed to perform the statutory {purpose} function (needs an Executive decision)."
        if spec.get("provided_by"):
            purpose = f"Provided by {spec['provided_by']}."
        body = self._establish(
            name,
            ref=f"{name}:established",
            kind=kind,
            purpose=purpose,
            accountability=spec.get("reports_to", []),
            meets_per_year=spec.get("meets_per_year"),
            open_to_public=spec.get("open_to_public"),
            until=_date(spec.get("until")),
            decision=self._decision(
                f"{name}:established",
                "Part of the new partnership framework (recommendations 2-6 of the review)",
                NEW_FRAMEWORK_STARTS,
            ),
        )
        if kind is BodyKind.STAKEHOLDER_CONFERENCE:
            self._conference_members(body, spec)

    def _conference_members(self, body: Body, spec: dict[str, Any]) -> None:
        present = {m.person.casefold() for m in body.current_members()}
        wanted: list[tuple[str, str, str, str]] = [
            (spec["chair"], spec["chair"], MemberRole.CHAIR, Representation.RELEVANT_PARTNER_AGENCY)
        ]
        wanted += [
            (partner, "", MemberRole.AGENCY_REPRESENTATIVE, Representation.RELEVANT_PARTNER_AGENCY)
            for partner in spec.get("relevant_partners", [])
        ]
        for person, position, role, representation in wanted:
            if person.casefold() in present:
                continue
            self._do(
                bodies.AddMember,
                IMPORTER,
                body.id,
                person=person,
                position=position,
                role=role,
                representation=representation,
                effective_date=NEW_FRAMEWORK_STARTS,
            )
            self.report.members_added += 1

    def _apply_recommendation(self, spec: dict[str, Any]) -> None:
        name = spec["name"]
        rec = spec["recommendation"]
        action = rec["action"]
        reason = spec["justification"]
        contract = spec.get("contract") or {}
        body = self._body(name)

        if contract.get("contract_extended_until") and not self._done(body, f"{name}:contract"):
            self._do(
                bodies.ExtendContract,
                IMPORTER,
                body.id,
                until=date.fromisoformat(contract["contract_extended_until"]),
                break_clause_months=contract.get("break_clause_months"),
                decision=self._decision(f"{name}:contract", reason, None),
            )
            self.report.changes_recorded += 1
            body = self._body(name)

        ref = f"{name}:{action}"
        if self._done(body, ref):
            return
        effective = _date(rec.get("effective"))
        if effective is None and action in ("replace_with", "time_limited_project_group"):
            # The successor starts with the new framework, so the change takes effect then.
            effective = NEW_FRAMEWORK_STARTS
        # The report recommends; the Portfolio Holder decided (F4, AMB-33): each recommendation is recorded
        # as a proposal and its approval, which makes the change from its effective date.
        match action:
            case "end":
                change = self._proposal(bodies.EndBody, remove_council_support=rec.get("remove_council_support", True))
            case "replace_with":
                change = self._proposal(bodies.ReplaceBody, successor_id=self._body(rec["target"]).id)
            case "merge_into":
                change = self._proposal(bodies.MergeBody, target_id=self._body(rec["target"]).id)
            case "self_funding_option":
                change = self._proposal(
                    bodies.GiveSelfFundingOption, council_funding_until=date.fromisoformat(rec["council_funding_until"])
                )
            case "transfer_to_provider_forum":
                change = self._proposal(bodies.TransferToProviderForum, under=rec["under"])
            case "maintain":
                change = self._proposal(bodies.MaintainBody, **({"as": rec["as"]} if rec.get("as") else {}))
            case "time_limited_project_group" if rec["mode"] == "maintain":
                change = self._proposal(
                    bodies.TransformBody,
                    into=BodyKind.TASK_AND_FINISH_GROUP,
                    until=date.fromisoformat(rec["until"]),
                    task=rec.get("task"),
                )
            case "time_limited_project_group":
                successor = self._body(REPLACEMENT_PROJECT_GROUPS[name])
                change = self._proposal(bodies.ReplaceBody, successor_id=successor.id, task=rec.get("task"))
            case _:
                raise ValueError(f"{name}: unknown recommendation {action!r}")
        proposed = self._do(
            bodies.ProposeChange,
            IMPORTER,
            body.id,
            reason=reason,
            effective_date=effective,
            source_ref=f"{DECISION_REF}:{ref}",
            **change,
        )
        self._do(
            bodies.DecideProposal,
            DECIDER,
            body.id,
            number=proposed.number,
            outcome="approved",
            decided_by=self.decided_by,
            decision_ref=DECISION_REF,
            decided_on=_date(self.data["decision"].get("decided_on")),  # not in the source: "date not stated"
        )
        self.report.changes_recorded += 1

    def _align_with_new_framework(self, spec: dict[str, Any]) -> None:
        """An existing body the new framework names as another kind becomes that kind."""
        body = self._body(spec["name"])
        kind = BodyKind(spec["kind"])
        ref = f"{body.name}:joins-new-framework"
        if body.kind is kind or body.is_closed or self._done(body, ref):
            return
        self._do(
            bodies.TransformBody,
            IMPORTER,
            body.id,
            into=kind,
            until=_date(spec.get("until")),
            decision=self._decision(
                ref,
                f"Named as a {kind.label} of the new partnership framework, through its existing contract",
                NEW_FRAMEWORK_STARTS,
            ),
        )
        self.report.changes_recorded += 1


def default_data_file() -> Path:
    """The framework's bodies as the council's review recorded them, shipped with the package (data/README.md)."""
    return Path(__file__).resolve().parent / "data" / "partnership-bodies.json"


def import_framework(dispatcher: Dispatcher, path: Path | None = None) -> ImportReport:
    return FrameworkImporter.from_file(dispatcher, path or default_data_file()).run()


__all__ = ["FrameworkImporter", "ImportReport", "import_framework"]
