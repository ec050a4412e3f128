"""Rule A11: a body holds the Children's Trust Board function only once the decision giving it is recorded,
on domain.body.Body alone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.body import Body, Decision
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.history import describe
from domain.vocabulary import BodyKind

AT = datetime(2026, 11, 30, 10, tzinfo=UTC)
OFFICER = Actor("dmantell", "partnership_officer", "Denise Mantell")
CTB = "Children's Trust Board"
S12A = "Children Act 2004, section 12A"
EXECUTIVE = "Council Executive"


def conference() -> Body:
    body = Body.establish(
        id=uuid4(),
        actor=OFFICER,
        at=AT,
        name="Children's Services Stakeholder Conference",
        kind=BodyKind.STAKEHOLDER_CONFERENCE,
        decision=Decision("The new framework", date(2013, 9, 1)),
    )
    body.collect_events()
    return body


def executive_decision(**kw) -> Decision:
    values = {
        "reason": "The Children Act duty stands; the conference takes on the Board's powers",
        "effective_date": date(2013, 9, 1),
        "decided_by": EXECUTIVE,
        "decision_ref": "EX13/044",
    }
    values.update(kw)
    return Decision(**values)


def give(body: Body, decision: Decision | None = None) -> None:
    body.assign_statutory_function(
        actor=OFFICER, at=AT, function=CTB, legal_basis=S12A, decision=decision or executive_decision()
    )


def test_a_body_holds_the_function_from_the_decided_date_on_the_recorded_decision() -> None:
    body = conference()
    assert body.statutory_functions == {} and body.statutory_functions_described() is None
    give(body)
    held = body.statutory_functions[CTB]
    assert (held.legal_basis, held.since, held.decided_by, held.decision_ref) == (
        S12A,
        date(2013, 9, 1),
        EXECUTIVE,
        "EX13/044",
    )
    assert body.statutory_functions_described() == (
        "Children's Trust Board (Children Act 2004, section 12A) since 1 September 2013, "
        "decided by Council Executive, reference EX13/044"
    )


@pytest.mark.parametrize(
    ("missing", "change"),
    [
        ("decided_by", {"decided_by": ""}),
        ("decision_ref", {"decision_ref": " "}),
        ("effective_date", {"effective_date": None}),
    ],
)
def test_no_function_is_held_without_who_decided_its_reference_and_its_date(missing: str, change: dict) -> None:
    body = conference()
    with pytest.raises(InvalidInput) as refused:
        give(body, executive_decision(**change))
    assert refused.value.field == missing and refused.value.rule == "A11"
    assert body.collect_events() == [] and body.statutory_functions == {}


def test_the_function_and_its_law_must_be_named_and_bounded() -> None:
    body = conference()
    with pytest.raises(InvalidInput) as refused:
        body.assign_statutory_function(
            actor=OFFICER, at=AT, function=" ", legal_basis=S12A, decision=executive_decision()
        )
    assert refused.value.field == "function"
    with pytest.raises(InvalidInput):
        body.assign_statutory_function(
            actor=OFFICER, at=AT, function=CTB, legal_basis="x" * 10_000, decision=executive_decision()
        )
    assert body.collect_events() == []


def test_giving_the_same_function_twice_is_refused_with_what_is_on_record() -> None:
    body = conference()
    give(body)
    with pytest.raises(DomainError) as refused:
        give(body)
    assert refused.value.rule == "A11" and "since 1 September 2013" in str(refused.value)


def test_an_ended_body_cannot_be_given_the_function() -> None:
    body = conference()
    body.end(actor=OFFICER, at=AT, decision=Decision("Replaced", date(2020, 1, 1)))
    with pytest.raises(BodyClosed):
        give(body)


def test_the_function_can_be_proposed_and_is_held_only_once_decided() -> None:
    body = conference()
    number = body.propose_change(
        actor=OFFICER,
        at=AT,
        change="assign_statutory_function",
        title="Give a statutory function",
        details={"function": CTB},
        reason="The Portfolio Holder recommends it to the Executive",
        effective_date=date(2013, 9, 1),
    )
    assert body.statutory_functions == {}
    body.decide_proposal(
        actor=OFFICER, at=AT, number=number, outcome="approved", decided_by=EXECUTIVE, decision_ref="EX13/044",
        decided_on=date(2013, 7, 10),
    )  # fmt: skip
    assert body.statutory_functions == {}  # the application makes the change itself in the same save


def test_the_history_says_it_in_plain_english() -> None:
    body = conference()
    give(body)
    (event,) = body.collect_events()
    entry = describe(event)
    assert entry.sentence == (
        "Given the Children's Trust Board function (Children Act 2004, section 12A) from 1 September 2013, "
        "as decided by Council Executive, reference EX13/044"
    )
    assert entry.governance
