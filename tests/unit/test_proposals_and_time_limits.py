"""Proposed -> decided -> effective (rule F4) and time-limited groups past their end date (rule A5),
on domain.body.Body alone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.body import Body, Decision, ProposalOutcome
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.history import describe
from domain.vocabulary import BodyKind, BodyStatus

AT = datetime(2026, 11, 30, 10, tzinfo=UTC)
OFFICER = Actor("dmantell", "partnership_officer", "Denise Mantell")
PH = Actor("cllr-diamond", "portfolio_holder_care_services", "Cllr Robert Diamond")
PORTFOLIO_HOLDER = "Portfolio Holder for Care Services"


def board(kind: BodyKind = BodyKind.PARTNERSHIP_BOARD, until: date | None = None) -> Body:
    body = Body.establish(
        id=uuid4(),
        actor=OFFICER,
        at=AT,
        name="Carers Partnership Board",
        kind=kind,
        decision=Decision("Set up under the 2008 framework", date(2008, 4, 1)),
        until=until,
    )
    body.collect_events()
    return body


def propose(body: Body, change: str = "end_body", effective: date | None = date(2027, 4, 1)) -> int:
    return body.propose_change(
        actor=OFFICER,
        at=AT,
        change=change,
        title="End the body",
        details={},
        reason="Replaced by the Carers Forum",
        effective_date=effective,
    )


def decide(body: Body, number: int, outcome: str, **kw):
    kw.setdefault("decided_by", PORTFOLIO_HOLDER)
    kw.setdefault("decision_ref", "CS26/101")
    kw.setdefault("decided_on", date(2026, 12, 10))
    return body.decide_proposal(actor=PH, at=AT, number=number, outcome=outcome, **kw)


def test_a_proposal_is_numbered_and_pending_and_changes_nothing_yet() -> None:
    body = board()
    assert propose(body) == 1
    assert propose(body) == 2
    assert body.status is BodyStatus.ACTIVE
    assert [p.number for p in body.open_proposals()] == [1, 2]
    assert body.proposals[1].status == "pending"
    assert body.proposals[1].proposed_by == "dmantell"


def test_a_proposal_needs_a_reason() -> None:
    body = board()
    with pytest.raises(InvalidInput) as refused:
        body.propose_change(
            actor=OFFICER, at=AT, change="end_body", title="End the body", details={}, reason=" ", effective_date=None
        )
    assert refused.value.field == "reason" and refused.value.rule == "F4"
    assert body.collect_events() == []


def test_a_closed_body_takes_no_proposal() -> None:
    body = board()
    body.end(actor=OFFICER, at=AT, decision=Decision("Done", date(2020, 1, 1)))
    with pytest.raises(BodyClosed):
        propose(body)


@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_a_decided_proposal_is_closed_and_cannot_be_decided_again(outcome: str) -> None:
    body = board()
    propose(body)
    decided = decide(body, 1, outcome)
    assert decided.status == outcome and not decided.is_open
    assert decided.decided_by == PORTFOLIO_HOLDER and decided.decision_ref == "CS26/101"
    with pytest.raises(DomainError, match=f"already {outcome}"):
        decide(body, 1, "approved")


def test_a_deferred_proposal_stays_open_and_can_be_decided_later() -> None:
    body = board()
    propose(body)
    decide(body, 1, "deferred", note="Wait for the carers' consultation")
    assert body.proposals[1].is_open
    assert [p.number for p in body.open_proposals()] == [1]
    decide(body, 1, "approved", decided_on=date(2027, 1, 20))
    assert body.proposals[1].status == "approved"


def test_an_amended_decision_says_how_and_may_set_another_date() -> None:
    body = board()
    propose(body)
    with pytest.raises(InvalidInput) as refused:
        decide(body, 1, "amended", effective_date=date(2027, 9, 1))
    assert refused.value.field == "note"
    decided = decide(body, 1, "amended", effective_date=date(2027, 9, 1), note="From September, not April")
    assert decided.effective_date == date(2027, 9, 1)


def test_an_approval_keeps_the_proposed_date() -> None:
    body = board()
    propose(body)
    assert decide(body, 1, "approved", effective_date=date(2030, 1, 1)).effective_date == date(2027, 4, 1)


def test_a_decision_names_who_and_its_reference() -> None:
    body = board()
    propose(body)
    for missing, field in (({"decided_by": " "}, "decided_by"), ({"decision_ref": ""}, "decision_ref")):
        with pytest.raises(InvalidInput) as refused:
            decide(body, 1, "approved", **missing)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as refused:
        decide(body, 9, "approved")
    assert refused.value.field == "number"
    with pytest.raises(InvalidInput) as refused:
        decide(body, 1, "maybe")
    assert refused.value.field == "outcome"


def test_the_decision_date_may_be_not_stated() -> None:
    body = board()
    propose(body)
    decide(body, 1, "approved", decided_on=None)
    (proposed, decided) = body.collect_events()
    assert describe(decided).sentence == (
        "Proposal 1 approved by Portfolio Holder for Care Services (date of decision not stated), "
        "reference CS26/101, taking effect on 1 April 2027"
    )
    assert (
        describe(proposed).sentence == "Proposal 1: end the body, to take effect on 1 April 2027; awaiting a decision"
    )


def test_outcomes_that_take_effect() -> None:
    assert {o for o in ProposalOutcome if o.takes_effect} == {ProposalOutcome.APPROVED, ProposalOutcome.AMENDED}


# ------------------------------------------------------------- time-limited groups (A5)


def test_a_time_limited_group_is_past_its_end_date_only_after_it() -> None:
    group = board(BodyKind.TASK_AND_FINISH_GROUP, until=date(2014, 3, 31))
    assert not group.past_end_date(date(2014, 3, 31))
    assert group.past_end_date(date(2014, 4, 1))
    assert not board().past_end_date(date(2026, 1, 1))


def test_extending_a_time_limited_group_moves_its_end_date_forward_only() -> None:
    group = board(BodyKind.TASK_AND_FINISH_GROUP, until=date(2014, 3, 31))
    with pytest.raises(InvalidInput) as refused:
        group.extend_time_limit(actor=OFFICER, at=AT, until=date(2014, 3, 1), decision=Decision("More time"))
    assert refused.value.field == "until" and refused.value.rule == "A5"
    group.extend_time_limit(actor=OFFICER, at=AT, until=date(2027, 3, 31), decision=Decision("More time"))
    assert group.until == date(2027, 3, 31)
    assert not group.past_end_date(date(2026, 11, 30))
    (event,) = group.collect_events()
    assert describe(event).sentence == "End date extended from 31 March 2014 to 31 March 2027"


def test_closing_a_time_limited_group_needs_its_completion_report() -> None:
    group = board(BodyKind.TASK_AND_FINISH_GROUP, until=date(2014, 3, 31))
    with pytest.raises(InvalidInput) as refused:
        group.close_time_limited(actor=OFFICER, at=AT, completion_report=" ", decision=Decision("Work done"))
    assert refused.value.field == "completion_report"
    group.close_time_limited(
        actor=OFFICER, at=AT, completion_report="The carers' strategy was published", decision=Decision("Work done")
    )
    assert group.status is BodyStatus.COMPLETED and group.is_closed
    assert not group.past_end_date(date(2026, 11, 30))
    with pytest.raises(BodyClosed):
        group.extend_time_limit(actor=OFFICER, at=AT, until=date(2030, 1, 1), decision=Decision("Again"))


def test_only_a_time_limited_group_is_extended_or_closed_this_way() -> None:
    body = board()
    with pytest.raises(DomainError) as refused:
        body.extend_time_limit(actor=OFFICER, at=AT, until=date(2030, 1, 1), decision=Decision("More time"))
    assert refused.value.rule == "A5"
    with pytest.raises(DomainError):
        body.close_time_limited(actor=OFFICER, at=AT, completion_report="x", decision=Decision("Done"))


def test_converting_a_group_past_its_end_date_ends_its_time_limit() -> None:
    group = board(BodyKind.TASK_AND_FINISH_GROUP, until=date(2014, 3, 31))
    group.transform(actor=OFFICER, at=AT, into=BodyKind.CONSULTATIVE_GROUP, decision=Decision("Carry on"))
    assert group.status is BodyStatus.ACTIVE and not group.past_end_date(date(2026, 11, 30))
