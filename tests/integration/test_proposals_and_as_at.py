"""Proposed -> decided -> effective (F4) through the one dispatcher and the read models, and "as at" by
effective date checked against a brute-force replay of every change in effective order."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from marshmallow import ValidationError

from application.commands.dispatcher import Dispatcher
from application.errors import NotAuthorised
from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Body, Decision
from domain.errors import DomainError, InvalidInput
from projections import queries
from projections.runner import ReadModels
from projections.tables import proposals

OFFICER = Actor("officer-1", "partnership_officer", "Denise Mantell")
PH = Actor("ph-care", "portfolio_holder_care_services", "Cllr Robert Diamond")


@pytest.fixture
def models(hub: PartnershipHub) -> Iterator[ReadModels]:
    read_models = ReadModels(hub, hub.settings.read_model_url)
    yield read_models
    read_models.close()


def _board(hub: PartnershipHub, name: str = "Carers Partnership Board") -> UUID:
    return hub.establish_body(
        OFFICER, name=name, kind="partnership_board", decision=Decision("Set up", date(2008, 4, 1))
    )


def _propose(dispatcher: Dispatcher, body_id: UUID, **data: Any) -> Any:
    return dispatcher.run("propose_change", OFFICER, subject_id=body_id, data=data)


def test_propose_then_approve_makes_the_change_from_its_date(hub: PartnershipHub, models: ReadModels) -> None:
    dispatcher = Dispatcher(hub)
    board = _board(hub)
    conference = hub.establish_body(
        OFFICER, name="Adult Conference", kind="stakeholder_conference", decision=Decision("New", date(2013, 9, 1))
    )
    proposed = _propose(
        dispatcher,
        board,
        change="replace_body",
        reason="Its work passes to the conference",
        effective_date="2013-09-01",
        successor_id=str(conference),
        task="Carry the carers' voice",
    )
    assert proposed.result.number == 1
    assert hub.body(board).status.value == "active"
    models.catch_up()
    with models.engine.connect() as c:
        assert queries.state_on(c, board, date(2014, 1, 1))["status"] == "active"  # a proposal changes nothing
        row = c.execute(proposals.select()).mappings().one()
    assert row["status"] == "pending" and json.loads(row["details"])["successor_id"] == str(conference)

    decided = dispatcher.run(
        "decide_proposal",
        PH,
        subject_id=board,
        data={
            "number": 1,
            "outcome": "approved",
            "decided_by": "Portfolio Holder for Care Services",
            "decision_ref": "CS13010",
            "decided_on": "2013-07-10",
        },
    )
    body = hub.body(board)
    assert body.status.value == "replaced" and body.successor_name == "Adult Conference"
    assert decided.version == body.version  # the decision and the change, saved together
    history = hub.history(board)
    assert [h.change for h in history[-3:]] == ["change_proposed", "proposal_decided", "replaced"]
    replaced = history[-1]
    assert replaced.effective_date == date(2013, 9, 1)
    assert replaced.reason == "Its work passes to the conference"
    models.catch_up()
    with models.engine.connect() as c:
        assert queries.state_on(c, board, date(2013, 8, 31))["status"] == "active"
        assert queries.state_on(c, board, date(2013, 9, 1))["status_label"] == "replaced by Adult Conference"
        row = c.execute(proposals.select()).mappings().one()
        assert queries.body(c, board, today=date(2026, 11, 30))["open_proposals"] == 0
    assert (row["status"], row["decided_by"], row["decision_ref"]) == (
        "approved",
        "Portfolio Holder for Care Services",
        "CS13010",
    )


def test_a_rejected_proposal_changes_nothing_and_stays_on_record(hub: PartnershipHub, models: ReadModels) -> None:
    dispatcher = Dispatcher(hub)
    board = _board(hub)
    _propose(dispatcher, board, change="end_body", reason="Little used", effective_date="2027-04-01")
    dispatcher.run(
        "decide_proposal",
        PH,
        subject_id=board,
        data={
            "number": 1,
            "outcome": "rejected",
            "decided_by": "Portfolio Holder for Care Services",
            "decision_ref": "CS27/004",
            "note": "Carers asked for it to continue",
        },
    )
    assert hub.body(board).status.value == "active"
    models.catch_up()
    with models.engine.connect() as c:
        assert queries.state_on(c, board, date(2027, 6, 1))["status"] == "active"
        row = c.execute(proposals.select()).mappings().one()
    assert (row["status"], row["note"]) == ("rejected", "Carers asked for it to continue")
    assert hub.history(board)[-1].sentence.startswith("Proposal 1 rejected by Portfolio Holder for Care Services")


def test_a_proposal_is_checked_by_the_change_it_proposes(hub: PartnershipHub) -> None:
    dispatcher = Dispatcher(hub)
    board = _board(hub)
    with pytest.raises(InvalidInput) as refused:
        _propose(dispatcher, board, change="end_body", reason="x", under="Providers")
    assert refused.value.field == "under" and "End the body" in str(refused.value)
    with pytest.raises(ValidationError) as invalid:
        _propose(dispatcher, board, change="transform_body", reason="x")  # no "into"
    assert "into" in invalid.value.messages
    with pytest.raises(ValidationError) as invalid:
        _propose(dispatcher, board, change="abolish", reason="x")
    assert "change" in invalid.value.messages
    assert hub.body(board).version == 1


def test_an_officer_may_propose_but_not_decide(hub: PartnershipHub) -> None:
    dispatcher = Dispatcher(hub)
    board = _board(hub)
    _propose(dispatcher, board, change="end_body", reason="Little used")
    with pytest.raises(NotAuthorised):
        dispatcher.run(
            "decide_proposal",
            OFFICER,
            subject_id=board,
            data={"number": 1, "outcome": "approved", "decided_by": "me", "decision_ref": "x"},
        )


def test_an_approval_the_body_no_longer_allows_saves_nothing(hub: PartnershipHub) -> None:
    dispatcher = Dispatcher(hub)
    board = _board(hub)
    _propose(dispatcher, board, change="extend_contract", reason="Keep it going", until="2010-03-31")
    hub.extend_contract(OFFICER, board, until=date(2012, 3, 31), decision=Decision("Decided elsewhere"))
    version = hub.body(board).version
    with pytest.raises(DomainError, match="after the current contract end"):
        dispatcher.run(
            "decide_proposal",
            PH,
            subject_id=board,
            data={"number": 1, "outcome": "approved", "decided_by": "PH", "decision_ref": "CS1"},
        )
    assert hub.body(board).version == version  # neither the decision nor the change


# ------------------------------------------------ as at by effective date, exactly


def _in_force(event: Any, by_version: dict[int, Any]) -> date | None:
    if isinstance(event, Body.Corrected) and isinstance(by_version.get(event.corrects_version), Body.GovernanceEvent):
        return _in_force(by_version[event.corrects_version], by_version)
    if event.effective_date is not None:
        return event.effective_date
    return None if event.originator_version == 1 else event.timestamp.date()


def _brute_force(events: list[Any], day: date) -> dict[str, Any] | None:
    """Replays every decided change in force on ``day`` in effective order, on a fresh body."""
    by_version = {e.originator_version: e for e in events}
    changes = [e for e in events if isinstance(e, Body.GovernanceEvent)]
    in_force = [(e, _in_force(e, by_version)) for e in changes]
    ordered = sorted(
        ((e, when) for e, when in in_force if when is None or when <= day),
        key=lambda pair: (pair[1] is not None, pair[1] or date.min, pair[0].originator_version),
    )
    body: Body | None = None
    for event, _ in ordered:
        if isinstance(event, Body.Established):
            body = event.mutate(None)
        elif body is not None:
            event.apply_change(body)
    if body is None:
        return None
    return {
        "name": body.name,
        "kind": body.kind.value,
        "status": body.status.value,
        "until": body.until,
        "successor_name": body.successor_name,
        "annual_funding_pence": body.annual_funding_pence,
    }


def _random_changes(hub: PartnershipHub, rng: random.Random, body_id: UUID, other: UUID) -> None:
    start = date(2010, 1, 1)

    def when() -> date | None:
        return None if rng.random() < 0.1 else start + timedelta(days=rng.randrange(0, 365 * 6))

    for _ in range(14):
        body = hub.body(body_id)
        pick = rng.choice(["funding", "funding", "transform", "extend", "correct", "correct", "end", "replace"])
        decision = Decision("Randomly recorded out of order", when())
        try:
            if pick == "funding":
                hub.change_funding(
                    OFFICER, body_id, annual_funding_pence=rng.randrange(0, 5_000_000), decision=decision
                )
            elif pick == "transform":
                kind = rng.choice(["task_and_finish_group", "consultative_group", "partnership_board"])
                until = start + timedelta(days=rng.randrange(400, 365 * 8)) if kind == "task_and_finish_group" else None
                hub.transform_body(OFFICER, body_id, into=kind, until=until, decision=decision)
            elif pick == "extend":
                until = (body.until or start) + timedelta(days=rng.randrange(1, 900))
                hub.extend_time_limit(OFFICER, body_id, until=until, decision=decision)
            elif pick == "correct":
                field, value = rng.choice(
                    [
                        ("name", f"Board {rng.randrange(1000)}"),
                        ("annual_funding_pence", rng.randrange(0, 900_000)),
                        ("until", (start + timedelta(days=rng.randrange(0, 3000))).isoformat()),
                    ]
                )
                hub.correct_body(
                    OFFICER,
                    body_id,
                    corrects_version=rng.randrange(1, body.version + 1),
                    field=field,
                    value=value,
                    decision=Decision("Recorded wrongly"),
                )
            elif pick == "end" and rng.random() < 0.3:
                hub.end_body(OFFICER, body_id, decision=decision)
            elif pick == "replace" and rng.random() < 0.3:
                hub.replace_body(OFFICER, body_id, successor_id=other, decision=decision)
        except DomainError:
            pass  # a random change the rules refuse: nothing recorded


@pytest.mark.parametrize("seed", range(6))
def test_as_at_equals_a_brute_force_replay_in_effective_order(
    hub: PartnershipHub, models: ReadModels, seed: int
) -> None:
    rng = random.Random(seed)
    other = hub.establish_body(
        OFFICER, name="Adult Conference", kind="stakeholder_conference", decision=Decision("New", date(2009, 1, 1))
    )
    body_id = hub.establish_body(
        OFFICER,
        name="Mobility Forum",
        kind="task_and_finish_group",
        until=date(2012, 3, 31),
        annual_funding_pence=100_000,
        decision=Decision("Set up", date(2009, 6, 1) if seed % 2 else None),
    )
    _random_changes(hub, rng, body_id, other)
    events = list(hub.events.get(body_id))
    assert len(events) > 4, "the random story recorded too little to test"
    models.catch_up()
    days = {date(2008, 1, 1), date(2030, 1, 1)}
    for event in events:
        for when in (event.timestamp.date(), getattr(event, "effective_date", None)):
            if when:
                days |= {when - timedelta(days=1), when, when + timedelta(days=1)}
    days |= {date(2009, 1, 1) + timedelta(days=rng.randrange(0, 365 * 20)) for _ in range(40)}
    with models.engine.connect() as c:
        for day in sorted(days):
            expected = _brute_force(events, day)
            found = queries.state_on(c, body_id, day)
            if expected is None:
                assert found is None, day
                continue
            assert found is not None, day
            assert {k: found.get(k) for k in expected} == expected, f"as at {day}, seed {seed}"
            listed = [r for r in queries.directory_as_at(c, day) if r["body_id"] == body_id]
            assert [r["status"] for r in listed] == [expected["status"]]
