"""Every command's input schema, through the one dispatcher: JSON-style input drives the real hub.

The API, the UI forms and the CLI all hand their input to the dispatcher, which loads it with the
command's schema, so a whole life (a body, its members, a meeting from agenda to approved minutes,
governance changes, a project from brief to completion) is run here from plain JSON values only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from marshmallow import ValidationError

from application.authority import Role
from application.commands import COMMANDS, Dispatcher
from application.hub import PartnershipHub
from domain.actor import Actor
from domain.vocabulary import BodyStatus, MinutesStatus
from tests.conftest import Clock

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value)
DIRECTOR = Actor("director", Role.EXECUTIVE_DIRECTOR.value)
CARE = Actor("care-holder", Role.PORTFOLIO_HOLDER_CARE_SERVICES.value)
LEAD = Actor("demo-lead-1", Role.PROJECT_LEAD.value)


def run(hub: PartnershipHub, actor: Actor, command: str, record: UUID | None, payload: dict[str, Any]) -> Any:
    return Dispatcher(hub).run(command, actor, subject_id=record, data=payload).result


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_unknown_fields_are_refused_by_name(command: str) -> None:
    with pytest.raises(ValidationError) as refused:
        COMMANDS[command].load({"colour": "blue"})
    assert refused.value.messages["colour"] == ["is not a field of this request: remove it or check its spelling"]


def test_money_is_whole_pence_never_a_float() -> None:
    schema = COMMANDS["change_funding"].input()
    for bad in (1250.5, 1250.0, "1250", True):
        with pytest.raises(ValidationError) as refused:
            schema.load({"annual_funding_pence": bad, "reason": "budget"})
        assert "annual_funding_pence" in refused.value.messages
    assert schema.load({"annual_funding_pence": 125000, "reason": "budget"})["annual_funding_pence"] == 125000


def test_a_whole_life_runs_from_json_values(hub: PartnershipHub, clock: Clock) -> None:
    body = run(
        hub,
        OFFICER,
        "establish_body",
        None,
        {
            "name": "Carers Consultative Group",
            "kind": "consultative_group",
            "reason": "The framework names it",
            "effective_date": "2026-04-01",
            "open_to_public": True,
            "meets_per_year": 2,
        },
    )
    run(hub, OFFICER, "adopt_terms_of_reference", body, {"text": "We advise on carers' services.", "reason": "new"})
    for n, person in enumerate(["Ann Carer", "Bob Carer", "Cy User"], start=1):
        run(
            hub,
            OFFICER,
            "add_member",
            body,
            {
                "person": person,
                "role": "member",
                "representation": "carer",
                "effective_date": "2026-04-01",
                "member_id": f"m{n}",
            },
        )
    run(hub, OFFICER, "record_election", body, {"chair_id": "m1", "vice_chair_id": "m2", "election_date": "2026-04-20"})
    first = run(
        hub, OFFICER, "schedule_meeting", body, {"meeting_date": "2026-05-11", "start_time": "14:00", "place": "Hall"}
    )
    second = run(
        hub, OFFICER, "schedule_meeting", body, {"meeting_date": "2026-11-09", "start_time": "14:00", "place": "Hall"}
    )
    run(
        hub,
        OFFICER,
        "move_meeting",
        second,
        {"new_date": "2026-11-16", "new_start_time": "10:30", "new_place": "Library", "reason": "Hall closed"},
    )
    run(hub, OFFICER, "add_agenda_item", first, {"title": "Carers' breaks"})
    paper = hub.upload_file(OFFICER, b"%PDF-1.4 paper", "breaks.pdf")
    file_json = {
        "sha256": paper.sha256,
        "size": paper.size,
        "content_type": paper.content_type,
        "filename": "breaks.pdf",
    }
    run(hub, OFFICER, "attach_paper", first, {"item": 1, "title": "Breaks", "file": file_json, "summary": "Options"})
    run(hub, OFFICER, "publish_agenda", first, {})
    clock.now = datetime(2026, 5, 11, 16, tzinfo=UTC)  # the meeting has been held
    run(hub, OFFICER, "record_attendance", first, {"present": ["Ann Carer"], "apologies": [{"person": "Bob Carer"}]})
    run(hub, OFFICER, "declare_interest", first, {"person": "Ann Carer", "interest": "Uses breaks", "item": 1})
    run(hub, OFFICER, "record_decision", first, {"item": 1, "text": "Recommend option B"})
    run(hub, OFFICER, "record_action", first, {"description": "Cost B", "owner": "Officer", "due": "2026-06-01"})
    run(hub, OFFICER, "close_action", first, {"number": 1, "note": "Costed", "closed_on": "2026-05-11"})
    minutes = hub.upload_file(OFFICER, b"minutes text", "minutes.txt")
    run(
        hub,
        OFFICER,
        "record_draft_minutes",
        first,
        {
            "file": {
                "sha256": minutes.sha256,
                "size": minutes.size,
                "content_type": minutes.content_type,
                "filename": "m.txt",
            }
        },
    )
    clock.now = datetime(2026, 5, 20, 9, tzinfo=UTC)
    run(hub, OFFICER, "clear_minutes", first, {"cleared_on": "2026-05-20"})
    run(hub, OFFICER, "publish_minutes", first, {})
    clock.now = datetime(2026, 11, 16, 16, tzinfo=UTC)
    run(hub, OFFICER, "approve_previous_minutes", second, {"previous_meeting_id": str(first), "amendments": ""})
    assert hub.meeting(first).minutes_status is MinutesStatus.APPROVED
    run(hub, OFFICER, "change_funding", body, {"annual_funding_pence": 250000, "reason": "Budget set"})
    run(hub, OFFICER, "extend_contract", body, {"until": "2028-03-31", "break_clause_months": 3, "reason": "Renewed"})
    run(hub, OFFICER, "maintain_body", body, {"reason": "Review kept it", "as": "consultative group"})
    run(hub, OFFICER, "remove_member", body, {"member_id": "m3", "effective_date": "2026-12-01", "reason": "Moved"})

    project = run(
        hub,
        CARE,
        "commission_project",
        None,
        {
            "title": "Carers Strategy",
            "lead": "demo-lead-1",
            "brief": {
                "aims_and_objectives": "Revise the strategy",
                "outcomes": "A strategy",
                "start_date": "2026-04-01",
                "end_date": "2027-03-31",
                "resources": "Officer time",
                "key_risks": "Low response",
                "reporting_every_months": 2,
            },
        },
    )
    run(hub, DIRECTOR, "agree_brief", project, {"agreed_on": "2026-04-10"})
    run(
        hub,
        LEAD,
        "submit_progress_report",
        project,
        {
            "period_start": "2026-04-01",
            "period_end": "2026-05-31",
            "milestones_achieved": "Survey sent",
            "issues_and_concerns": "none",
            "rag": "amber",
            "percent_complete": 30,
        },
    )
    run(hub, CARE, "extend_project_timeframe", project, {"new_end_date": "2027-06-30", "reason": "More responses"})
    run(hub, LEAD, "submit_completion_report", project, {"outcomes_achieved": "Adopted", "completed_on": "2027-06-01"})
    assert hub.project(project).reports[-1].percent_complete == 30
    assert hub.project(project).completed_on.isoformat() == "2027-06-01"

    other = run(hub, OFFICER, "establish_body", None, {"name": "Old Board", "kind": "partnership_board", "reason": "r"})
    run(hub, OFFICER, "end_body", other, {"reason": "Replaced by the conferences", "remove_council_support": True})
    assert hub.body(other).status is BodyStatus.ENDED
