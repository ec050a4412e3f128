"""The directory of bodies, their members, and each body's standing by effective date."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Connection, bindparam, func, select

from domain.body import Body, StatutoryFunction
from domain.deadlines import election_due_by
from domain.erasure import Erasure
from domain.membership import Membership, service_user_share
from domain.vocabulary import BodyKind, BodyStatus, MemberRole, Representation
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.people import erase_names, note_people
from projections.sql import insert_row, update_where
from projections.tables import bodies, body_states, directory_people, members, proposals

# Statements built once; values are bound at execution (see projections/sql.py).
_CURRENT_MEMBERS = select(members.c.member_id, members.c.person, members.c.role, members.c.representation).where(
    members.c.body_id == bindparam("body_id"), members.c.left_on.is_(None)
)


class DirectoryView(ReadModelView):
    read_tables = (bodies, members, body_states, proposals, directory_people)


class DirectoryProjection(ReadModel):
    name = "directory"
    version = 2  # changes of standing recorded as what each sets, folded in effective order
    view_class: ClassVar[type[ReadModelView]] = DirectoryView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Erasure.NameErased):  # rule P1: the person's name, wherever it stands
            erase_names(rows, directory_people, event.person_id, exact=(members.c.person, bodies.c.chair))
            rows.memo.clear()  # the current members it keeps hold names
            return
        if not isinstance(event, Body.Event):
            return
        note_people(rows, directory_people, event)
        body_id = event.originator_id
        stamp = {"version": event.originator_version, "updated_at": naive_utc(event.timestamp)}
        values: dict[str, Any] = {}
        match event:
            case Body.Established():
                parent = rows.get(bodies, id=event.parent_id) if event.parent_id else None
                parent_name = parent["name"] if parent else None
                insert_row(
                    rows,
                    bodies,
                    dict(
                        id=body_id,
                        name=event.name,
                        kind=event.kind,
                        status=(BodyStatus.TIME_LIMITED if event.until else BodyStatus.ACTIVE).value,
                        status_effective=event.effective_date,
                        until=event.until,
                        purpose=event.purpose,
                        parent_id=event.parent_id,
                        parent_name=parent_name,
                        accountability="; ".join(event.accountability),
                        annual_funding_pence=event.annual_funding_pence,
                        contract_end=event.contract_end,
                        break_clause_months=event.break_clause_months,
                        meets_per_year=event.meets_per_year,
                        open_to_public=event.open_to_public,
                        established_on=event.effective_date,
                        terms_of_reference_version=0,
                        member_count=0,
                        user_side_count=0,
                        share_base=0,
                        **stamp,
                    ),
                )
                self._record_state(rows, event)
                self._election_due(rows, body_id)
                return
            case Body.TermsOfReferenceAdopted():
                values = {"terms_of_reference": event.text, "terms_of_reference_version": event.version}
            case Body.FundingChanged():
                values = {
                    "annual_funding_pence": event.annual_funding_pence,
                    "council_funding_until": event.council_funding_until,
                }
            case Body.ContractExtended():
                values = {"contract_end": event.until, "break_clause_months": event.break_clause_months}
            case Body.Transformed():
                values = {
                    "kind": event.new_kind,
                    "previous_kind": event.previous_kind,
                    "until": event.until,
                    "task": event.task,
                    "status": (BodyStatus.TIME_LIMITED if event.until else BodyStatus.ACTIVE).value,
                    "status_effective": event.effective_date,
                }
                if event.new_kind == BodyKind.CONSULTATIVE_GROUP:
                    values["open_to_public"] = True
            case Body.Replaced():
                values = {
                    "status": BodyStatus.REPLACED.value,
                    "status_effective": event.effective_date,
                    "successor_id": event.by_id,
                    "successor_name": event.by_name,
                    "task": event.task,
                }
            case Body.MergedInto():
                values = {
                    "status": BodyStatus.MERGED.value,
                    "status_effective": event.effective_date,
                    "successor_id": event.target_id,
                    "successor_name": event.target_name,
                }
            case Body.SelfFundingOptionGiven():
                values = {
                    "self_funding_option_until": event.council_funding_until,
                    "council_funding_until": event.council_funding_until,
                }
            case Body.TransferredToProviderForum():
                values = {
                    "kind": BodyKind.PROVIDER_FORUM.value,
                    "previous_kind": event.previous_kind,
                    "provider_forum_under": event.under,
                }
            case Body.StatutoryFunctionAssigned():
                values = {"statutory_function": statutory_function_held(event)}
            case Body.Ended():
                values = {"status": BodyStatus.ENDED.value, "status_effective": event.effective_date}
            case Body.TimeLimitExtended():
                values = {"until": event.until}
            case Body.ClosedWithCompletionReport():
                values = {
                    "status": BodyStatus.COMPLETED.value,
                    "status_effective": event.effective_date,
                    "completion_report": event.completion_report,
                }
            case Body.ChangeProposed():
                row = rows.get(bodies, id=body_id)
                assert row is not None
                insert_row(
                    rows,
                    proposals,
                    dict(
                        body_id=body_id,
                        number=event.number,
                        body_name=row["name"],
                        change=event.change,
                        title=event.title,
                        details=json.dumps(event.details, sort_keys=True),
                        reason=event.reason,
                        effective_date=event.effective_date,
                        proposed_by=event.actor,
                        proposed_at=naive_utc(event.timestamp),
                        status="pending",
                    ),
                )
                values = {"open_proposals": (row["open_proposals"] or 0) + 1}
            case Body.ProposalDecided():
                update_where(
                    rows,
                    proposals,
                    {"body_id": body_id, "number": event.number},
                    {
                        "status": event.outcome,
                        "decided_by": event.decided_by,
                        "decision_ref": event.decision_ref,
                        "decided_on": event.decided_on,
                        "note": event.note,
                        "effective_date": event.effective_date,
                    },
                )
                if event.outcome != "deferred":
                    row = rows.get(bodies, id=body_id)
                    assert row is not None
                    values = {"open_proposals": max((row["open_proposals"] or 0) - 1, 0)}
            case Body.Corrected():
                values = {event.field: _column_value(event.field, event.value)}
                if event.field == "name":
                    update_where(rows, bodies, {"parent_id": body_id}, {"parent_name": event.value})
            case Body.MemberJoined():
                current = _current_members(rows, body_id)
                current[event.member_id] = (event.person, event.role, event.representation)
                insert_row(
                    rows,
                    members,
                    dict(
                        body_id=body_id,
                        member_id=event.member_id,
                        person=event.person,
                        position=event.position,
                        role=event.role,
                        representation=event.representation,
                        votes=event.votes,
                        joined_on=event.effective_date,
                    ),
                )
                values = self._membership_figures(rows, body_id)
            case Body.MemberLeft():
                _current_members(rows, body_id).pop(event.member_id, None)
                update_where(
                    rows,
                    members,
                    {"body_id": body_id, "member_id": event.member_id},
                    {"left_on": event.effective_date, "left_reason": event.reason},
                )
                values = self._membership_figures(rows, body_id)
            case Body.OfficersElected():
                # The last chair and vice-chair become members; the elected take their roles.
                officers = {event.chair_id: MemberRole.CHAIR.value, event.vice_chair_id: MemberRole.VICE_CHAIR.value}
                members_now = _current_members(rows, body_id)
                for member_id, (person, role, representation) in list(members_now.items()):
                    was = role
                    if role in (MemberRole.CHAIR.value, MemberRole.VICE_CHAIR.value):
                        role = MemberRole.MEMBER.value
                    role = officers.get(member_id, role)
                    if role != was:
                        members_now[member_id] = (person, role, representation)
                        update_where(rows, members, {"body_id": body_id, "member_id": member_id}, {"role": role})
                values = {"last_election_on": event.election_date, **self._membership_figures(rows, body_id)}
            case Body.QuorumSet():
                values = {"quorum": event.quorum}
        update_where(rows, bodies, {"id": body_id}, {**values, **stamp})
        if isinstance(event, Body.GovernanceEvent):
            self._record_state(rows, event)
        if isinstance(event, Body.GovernanceEvent | Body.OfficersElected):
            self._election_due(rows, body_id)

    @staticmethod
    def _election_due(rows: Rows, body_id: Any) -> None:
        """When the group's next election falls due (B5), by the domain's one definition, kept beside the
        dates it comes from so the dashboard and the reminder scan compare a column with today."""
        row = rows.get(bodies, id=body_id)
        if row is not None:
            due = election_due_by(row["last_election_on"], row["established_on"] or row["status_effective"])
            update_where(rows, bodies, {"id": body_id}, {"election_due_by": due})

    @staticmethod
    def _membership_figures(rows: Rows, body_id: Any) -> dict[str, Any]:
        """Recounts the current members with the domain's own share rule (B3)."""
        current = [
            Membership(
                member_id=member_id,
                person=person,
                position="",
                role=MemberRole(role),
                representation=Representation(representation),
                votes=True,
                joined_on=None,  # type: ignore[arg-type]  # not needed to count
            )
            for member_id, (person, role, representation) in _current_members(rows, body_id).items()
        ]
        share = service_user_share(current)
        chair = next((m.person for m in current if m.role is MemberRole.CHAIR), None)
        return {
            "member_count": len(current),
            "user_side_count": share.user_side,
            "share_base": share.counted,
            "service_user_share": share.share,
            "chair": chair,
        }

    @staticmethod
    def _record_state(rows: Rows, event: Any) -> None:
        effective_from = _in_force_from(event)
        if isinstance(event, Body.Corrected):
            # A correction puts right what an earlier change set, so it counts from when that change did.
            corrected = rows.get(body_states, body_id=event.originator_id, version=event.corrects_version)
            if corrected is not None:
                effective_from = corrected["effective_from"]
        insert_row(
            rows,
            body_states,
            dict(
                body_id=event.originator_id,
                version=event.originator_version,
                effective_from=effective_from,
                recorded_at=naive_utc(event.timestamp),
                sets=json.dumps(standing_set_by(event), sort_keys=True),
            ),
        )


# What "as at" a date shows of a body's standing (projections/queries/directory.py folds these).
STANDING = (
    "name",
    "kind",
    "previous_kind",
    "status",
    "until",
    "successor_name",
    "annual_funding_pence",
    "statutory_function",
)


def statutory_function_held(event: Any) -> str:
    """Rule A11 in words: which function, under what law, since when and on whose decision."""
    return StatutoryFunction(
        function=event.function,
        legal_basis=event.legal_basis,
        since=event.effective_date,
        decided_by=event.decided_by,
        decision_ref=event.decision_ref,
    ).described()


def standing_set_by(event: Any) -> dict[str, Any]:
    """The fields of a body's standing that one decided change sets (dates as ISO text)."""
    found: dict[str, Any]
    match event:
        case Body.Established():
            found = {
                "name": event.name,
                "kind": event.kind,
                "previous_kind": None,
                "status": (BodyStatus.TIME_LIMITED if event.until else BodyStatus.ACTIVE).value,
                "until": event.until,
                "successor_name": None,
                "annual_funding_pence": event.annual_funding_pence,
            }
        case Body.FundingChanged():
            found = {"annual_funding_pence": event.annual_funding_pence}
        case Body.Transformed():
            found = {
                "kind": event.new_kind,
                "previous_kind": event.previous_kind,
                "until": event.until,
                "status": (BodyStatus.TIME_LIMITED if event.until else BodyStatus.ACTIVE).value,
            }
        case Body.Replaced():
            found = {"status": BodyStatus.REPLACED.value, "successor_name": event.by_name}
        case Body.MergedInto():
            found = {"status": BodyStatus.MERGED.value, "successor_name": event.target_name}
        case Body.TransferredToProviderForum():
            found = {"kind": BodyKind.PROVIDER_FORUM.value, "previous_kind": event.previous_kind}
        case Body.StatutoryFunctionAssigned():
            found = {"statutory_function": statutory_function_held(event)}
        case Body.Ended():
            found = {"status": BodyStatus.ENDED.value}
        case Body.TimeLimitExtended():
            found = {"until": event.until}
        case Body.ClosedWithCompletionReport():
            found = {"status": BodyStatus.COMPLETED.value}
        case Body.Corrected() if event.field in STANDING:
            found = {event.field: event.value}
        case _:
            found = {}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in found.items()}


def _current_members(rows: Rows, body_id: Any) -> dict[str, tuple[str, str, str]]:
    """A body's current members (id: person, role, representation), read once a batch and then kept up to
    date by the handler, so adding members one after another does not read the table each time."""
    current = rows.memo.get(("current members", body_id))
    if current is None:
        # Straight to the database, without sending the held writes first: every write of a body's members
        # comes after this read of them, so none of the held ones is about this body.
        found = rows.connection.execute(_CURRENT_MEMBERS, {"body_id": body_id})
        current = {r.member_id: (r.person, r.role, r.representation) for r in found}
        rows.memo["current members", body_id] = current
    return current


def _in_force_from(event: Any) -> Any:
    """When a change counts from for "as at" views: its effective date; if unstated, the day it was
    recorded, except a body's establishment, which then counts from the start of the record (None)."""
    if event.effective_date is not None:
        return event.effective_date
    if event.originator_version == 1:
        return None
    return naive_utc(event.timestamp).date()


def _column_value(field: str, value: Any) -> Any:
    if field == "accountability" and isinstance(value, list):
        return "; ".join(value)
    return value


def count_bodies(connection: Connection) -> int:
    return connection.scalar(select(func.count()).select_from(bodies)) or 0
