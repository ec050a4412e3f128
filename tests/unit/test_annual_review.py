"""Rule H1: the annual review of the arrangements as a piece of work, on domain.annual_review.AnnualReview alone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.annual_review import AnnualReview, financial_year, review_due, review_id_for
from domain.bounds import LONG_TEXT
from domain.errors import DomainError, InvalidInput
from domain.history import describe_record

AT = datetime(2027, 1, 11, 10, tzinfo=UTC)
OFFICER = Actor("dmantell", "partnership_officer", "Denise Mantell")
CARERS = uuid4()


def opened(year: int = 2027, at: datetime = AT) -> AnnualReview:
    return AnnualReview.open(actor=OFFICER, at=at, year=year)


def reviewed(at: datetime = AT) -> AnnualReview:
    review = opened(at=at)
    review.record_body_findings(
        actor=OFFICER, at=at, body_id=CARERS, body_name="Carers Forum", findings="Well attended; keep it."
    )
    review.record_overall_findings(actor=OFFICER, at=at, findings="The framework works; two groups overlap.")
    return review


def test_one_review_a_financial_year_due_the_31_march_before_it_starts() -> None:
    review = opened(2027)
    assert review.id == review_id_for(2027) == opened(2027).id
    assert review.id != review_id_for(2028)
    assert (review.due, financial_year(2027), review.title) == (
        date(2027, 3, 31),
        "2027-28",
        "Annual review of the arrangements 2027-28",
    )
    assert review_due(2013) == date(2013, 3, 31)


@pytest.mark.parametrize("year", [1900, 2200, "2027", 2027.0, True])
def test_a_year_outside_the_window_or_not_a_whole_number_is_refused(year: object) -> None:
    with pytest.raises(InvalidInput, match="year"):
        opened(year)  # type: ignore[arg-type]


def test_findings_per_body_and_overall_then_recording_again_replaces_the_wording() -> None:
    review = reviewed()
    review.record_body_findings(actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", findings="Merge it.")
    assert list(review.bodies) == [CARERS] and review.bodies[CARERS].findings == "Merge it."
    assert review.overall_findings == "The framework works; two groups overlap."
    sentences = [e.sentence for e in describe_record(review.collect_events())]
    assert sentences[0] == "Annual review of the arrangements for 2027-28 opened; due by 31 March 2027"
    assert sentences[1] == "Carers Forum reviewed: Well attended; keep it."
    assert sentences[3] == "The findings for Carers Forum were changed from “Well attended; keep it.” to “Merge it.”"


@pytest.mark.parametrize("findings", ["", "   ", "x" * (LONG_TEXT + 1), "nul\x00"])
def test_findings_must_say_something_within_the_bounds(findings: str) -> None:
    review = opened()
    with pytest.raises(InvalidInput, match="findings"):
        review.record_body_findings(actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", findings=findings)
    with pytest.raises(InvalidInput, match="findings"):
        review.record_overall_findings(actor=OFFICER, at=AT, findings=findings)


def test_a_proposal_is_linked_only_for_a_body_reviewed_and_only_once() -> None:
    review = opened()
    with pytest.raises(InvalidInput, match="record the review's findings for Carers Forum first"):
        review.link_proposal(
            actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", number=1, title="End the body"
        )
    review = reviewed()
    review.link_proposal(actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", number=1, title="End the body")
    with pytest.raises(InvalidInput, match="already linked"):
        review.link_proposal(
            actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", number=1, title="End the body"
        )
    assert [(p.number, p.title) for p in review.proposals] == [(1, "End the body")]
    assert describe_record(review.collect_events())[-1].sentence == (
        "Proposal 1 for Carers Forum (End the body) came from this review"
    )


def test_completing_needs_findings_for_a_body_and_overall() -> None:
    review = opened()
    with pytest.raises(DomainError, match="at least one body"):
        review.complete(actor=OFFICER, at=AT, completed_on=AT.date())
    review.record_body_findings(actor=OFFICER, at=AT, body_id=CARERS, body_name="Carers Forum", findings="Keep it.")
    with pytest.raises(DomainError, match="overall findings") as refused:
        review.complete(actor=OFFICER, at=AT, completed_on=AT.date())
    assert refused.value.rule == "H1"


def test_completed_by_31_march_is_on_time_after_it_late_and_then_closed_to_changes() -> None:
    review = reviewed()
    on_time = datetime(2027, 3, 31, 16, tzinfo=UTC)
    assert review.complete(actor=OFFICER, at=on_time, completed_on=date(2027, 3, 31)) is False
    with pytest.raises(DomainError, match="was completed on 31 March 2027") as refused:
        review.record_overall_findings(actor=OFFICER, at=AT, findings="More.")
    assert refused.value.rule == "H1"
    with pytest.raises(DomainError, match="completing it again"):
        review.complete(actor=OFFICER, at=on_time, completed_on=date(2027, 3, 31))
    assert describe_record(review.collect_events())[-1].sentence == (
        "Annual review completed on 31 March 2027, on time (due by 31 March 2027)"
    )
    late_at = datetime(2027, 4, 2, 9, tzinfo=UTC)
    late = reviewed(at=late_at)
    assert late.complete(actor=OFFICER, at=late_at, completed_on=date(2027, 4, 2)) is True
    assert describe_record(late.collect_events())[-1].sentence == (
        "Annual review completed on 2 April 2027, late: it was due by 31 March 2027"
    )


@pytest.mark.parametrize(
    ("completed_on", "message"),
    [(date(2027, 1, 10), "before"), (date(2027, 1, 12), "still to come"), (date(1800, 1, 1), "completed_on")],
)
def test_a_completion_date_before_opening_or_still_to_come_is_refused(completed_on: date, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        reviewed().complete(actor=OFFICER, at=AT, completed_on=completed_on)
