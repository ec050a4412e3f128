"""Commands on the annual review of the arrangements (rule H1): open it, record findings, link proposals, complete."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.errors import NotFound
from application.hub_base import HubBase
from domain.actor import Actor
from domain.annual_review import AnnualReview, check_year, financial_year, review_id_for
from domain.body import Body
from domain.errors import DomainError, InvalidInput
from domain.working_days import council_day


class ReviewCommands(HubBase):
    """The yearly review as a piece of work; the changes it leads to are proposed on their bodies (F4)."""

    def open_annual_review(self, actor: Actor, *, year: int) -> UUID:
        check_year(year)
        try:
            earlier = self._get(AnnualReview, review_id_for(year))
        except NotFound:
            earlier = None
        if earlier is not None:
            raise DomainError(
                f"the annual review for {financial_year(year)} was already opened on {earlier.opened_on:%-d %B %Y}; "
                "carry on with that one",
                rule="H1",
            )
        review = AnnualReview.open(actor=actor, at=self._now(), year=year)
        self._save(review)
        return review.id

    def record_review_findings(
        self, actor: Actor, review_id: UUID, *, body_id: UUID, findings: str, expected_version: int | None = None
    ) -> int:
        review = self._get(AnnualReview, review_id, expected_version)
        body = self._reviewed_body(body_id)
        review.record_body_findings(
            actor=actor, at=self._now(), body_id=body.id, body_name=body.name, findings=findings
        )
        self._save(review)
        return review.version

    def record_overall_findings(
        self, actor: Actor, review_id: UUID, *, findings: str, expected_version: int | None = None
    ) -> int:
        review = self._get(AnnualReview, review_id, expected_version)
        review.record_overall_findings(actor=actor, at=self._now(), findings=findings)
        self._save(review)
        return review.version

    def link_review_proposal(
        self, actor: Actor, review_id: UUID, *, body_id: UUID, number: int, expected_version: int | None = None
    ) -> int:
        review = self._get(AnnualReview, review_id, expected_version)
        body = self._reviewed_body(body_id)
        proposal = body.proposals.get(number)
        if proposal is None:
            raise InvalidInput(
                "number",
                f"{body.name} has no proposal {number}: propose the change on the body's page first",
                rule="F4",
            )
        review.link_proposal(
            actor=actor, at=self._now(), body_id=body.id, body_name=body.name, number=number, title=proposal.title
        )
        self._save(review)
        return review.version

    def complete_annual_review(
        self, actor: Actor, review_id: UUID, *, completed_on: date | None = None, expected_version: int | None = None
    ) -> int:
        review = self._get(AnnualReview, review_id, expected_version)
        review.complete(actor=actor, at=self._now(), completed_on=completed_on or council_day(self._now()))
        self._save(review)
        return review.version

    def annual_review(self, review_id: UUID) -> AnnualReview:
        return self._get(AnnualReview, review_id)

    def _reviewed_body(self, body_id: UUID) -> Body:
        try:
            return self._get(Body, body_id)
        except NotFound:
            raise InvalidInput("body_id", f"there is no body with id {body_id}") from None
