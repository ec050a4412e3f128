"""The annual reviews of the arrangements (rule H1): each review, the bodies it reviewed and the proposals it led to."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, Date, Index, Integer, String, Table, Text, Uuid

from domain.annual_review import AnnualReview, review_due, review_title
from projections.base import ReadModel, ReadModelView, Rows
from projections.sql import insert_row, update_where
from projections.tables import metadata

annual_reviews = Table(
    "rm_annual_reviews",
    metadata,
    Column("id", Uuid, primary_key=True),
    # The financial year starts on 1 April of it; one review a year (its id is derived from the year). No UNIQUE
    # here: PostgreSQL lists a unique constraint as an index the code does not name, and the tables would be
    # made anew at every start (projections/schema.py compares index names).
    Column("year", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("due", Date, nullable=False),  # 31 March before the financial year
    Column("opened_on", Date, nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("overall_findings", Text),
    Column("bodies_reviewed", Integer, nullable=False),
    Column("proposals_linked", Integer, nullable=False),
    Column("completed_on", Date),
    Column("completed_by", String(100)),
    Column("late", Boolean),
    Column("version", Integer, nullable=False),
    Index("rm_annual_reviews_due", "due", "completed_on"),
)

review_bodies = Table(
    "rm_review_bodies",
    metadata,
    Column("review_id", Uuid, primary_key=True),
    Column("body_id", Uuid, primary_key=True),
    Column("body_name", String(300), nullable=False),
    Column("findings", Text, nullable=False),
)

review_proposals = Table(
    "rm_review_proposals",
    metadata,
    Column("review_id", Uuid, primary_key=True),
    Column("body_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("body_name", String(300), nullable=False),
    Column("title", String(200), nullable=False),
)


class ReviewsView(ReadModelView):
    read_tables = (annual_reviews, review_bodies, review_proposals)


class ReviewsProjection(ReadModel):
    name = "reviews"
    view_class: ClassVar[type[ReadModelView]] = ReviewsView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if not isinstance(event, AnnualReview.Event):
            return
        review_id = event.originator_id
        values: dict[str, Any] = {}
        match event:
            case AnnualReview.Opened():
                insert_row(
                    rows,
                    annual_reviews,
                    dict(
                        id=review_id,
                        year=event.year,
                        title=review_title(event.year),
                        due=review_due(event.year),
                        opened_on=event.opened_on,
                        opened_by=event.actor,
                        bodies_reviewed=0,
                        proposals_linked=0,
                        version=event.originator_version,
                    ),
                )
                return
            case AnnualReview.BodyReviewed():
                if rows.get(review_bodies, review_id=review_id, body_id=event.body_id) is None:
                    insert_row(
                        rows,
                        review_bodies,
                        dict(review_id=review_id, body_id=event.body_id, body_name=event.body_name,
                             findings=event.findings),
                    )  # fmt: skip
                    values = {"bodies_reviewed": self._count(rows, review_id, "bodies_reviewed") + 1}
                else:
                    update_where(
                        rows,
                        review_bodies,
                        {"review_id": review_id, "body_id": event.body_id},
                        {"findings": event.findings, "body_name": event.body_name},
                    )
            case AnnualReview.OverallFindingsRecorded():
                values = {"overall_findings": event.findings}
            case AnnualReview.ProposalLinked():
                insert_row(
                    rows,
                    review_proposals,
                    dict(review_id=review_id, body_id=event.body_id, number=event.number, body_name=event.body_name,
                         title=event.title),
                )  # fmt: skip
                values = {"proposals_linked": self._count(rows, review_id, "proposals_linked") + 1}
            case AnnualReview.Completed():
                values = {"completed_on": event.completed_on, "completed_by": event.actor, "late": event.late}
        update_where(rows, annual_reviews, {"id": review_id}, {**values, "version": event.originator_version})

    @staticmethod
    def _count(rows: Rows, review_id: Any, column: str) -> int:
        row = rows.get(annual_reviews, id=review_id)
        return int(row[column]) if row else 0
