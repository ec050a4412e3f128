"""Project progress: each task-and-finish project with its latest RAG and the series of reports."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Connection, insert, select, update

from domain.body import add_months
from domain.project import Project
from projections.base import ReadModel, ReadModelView, naive_utc
from projections.tables import progress_reports, projects


class ProgressView(ReadModelView):
    read_tables = (projects, progress_reports)


class ProgressProjection(ReadModel):
    name = "progress"
    view_class: ClassVar[type[ReadModelView]] = ProgressView

    def handle(self, connection: Connection, event: Any, notification_id: int) -> None:
        if not isinstance(event, Project.Event):
            return
        project_id = event.originator_id
        values: dict[str, Any] = {}
        match event:
            case Project.Commissioned():
                brief = event.brief
                connection.execute(
                    insert(projects).values(
                        id=project_id,
                        title=event.title,
                        commissioned_by=event.commissioned_by,
                        lead=event.lead,
                        body_id=event.body_id,
                        brief_status="awaiting agreement",
                        start_date=brief["start_date"],
                        end_date=brief["end_date"],
                        reporting_every_months=brief["reporting_every_months"],
                        report_count=0,
                        version=event.originator_version,
                    )
                )
                return
            case Project.BriefAgreed():
                every = self._every(connection, project_id)
                values = {
                    "brief_status": "agreed",
                    "brief_agreed_on": event.agreed_on,
                    # The first report is due one reporting interval after agreement (rule D4).
                    "next_report_due": add_months(event.agreed_on, every),
                }
            case Project.ProgressReported():
                connection.execute(
                    insert(progress_reports).values(
                        project_id=project_id,
                        version=event.originator_version,
                        period_start=event.period_start,
                        period_end=event.period_end,
                        rag=event.rag,
                        percent_complete=event.percent_complete,
                        milestones_achieved=event.milestones_achieved,
                        issues_and_concerns=event.issues_and_concerns,
                        submitted_by=event.actor,
                        submitted_at=naive_utc(event.timestamp),
                    )
                )
                count = connection.scalar(select(projects.c.report_count).where(projects.c.id == project_id)) or 0
                values = {
                    "latest_rag": event.rag,
                    "percent_complete": event.percent_complete,
                    "report_count": count + 1,
                    "next_report_due": add_months(event.period_end, self._every(connection, project_id)),
                }
            case Project.TimeframeExtended():
                values = {"end_date": event.new_end_date}
            case Project.Completed():
                values = {
                    "brief_status": "completed",
                    "completed_on": event.completed_on,
                    "outcomes_achieved": event.outcomes_achieved,
                    "next_report_due": None,
                }
        connection.execute(
            update(projects).where(projects.c.id == project_id).values(**values, version=event.originator_version)
        )

    @staticmethod
    def _every(connection: Connection, project_id: Any) -> int:
        return connection.scalar(select(projects.c.reporting_every_months).where(projects.c.id == project_id)) or 3
