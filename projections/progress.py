"""Project progress: each task-and-finish project with its latest RAG and the series of reports."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.body import add_months
from domain.project import Project
from projections.base import ReadModel, ReadModelView, Rows, naive_utc
from projections.sql import insert_row, update_where
from projections.tables import progress_reports, projects


class ProgressView(ReadModelView):
    read_tables = (projects, progress_reports)


class ProgressProjection(ReadModel):
    name = "progress"
    view_class: ClassVar[type[ReadModelView]] = ProgressView

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if not isinstance(event, Project.Event):
            return
        project_id = event.originator_id
        values: dict[str, Any] = {}
        match event:
            case Project.Commissioned():
                brief = event.brief
                insert_row(
                    rows,
                    projects,
                    dict(
                        id=project_id,
                        title=event.title,
                        commissioned_by=event.commissioned_by,
                        lead=event.lead,
                        body_id=event.body_id,
                        brief_status="awaiting agreement",
                        start_date=brief["start_date"],
                        end_date=brief["end_date"],
                        reporting_every_months=brief["reporting_every_months"],
                        aims_and_objectives=brief["aims_and_objectives"],
                        outcomes=brief["outcomes"],
                        resources=brief["resources"],
                        key_risks=brief["key_risks"],
                        report_count=0,
                        version=event.originator_version,
                    ),
                )
                return
            case Project.BriefAgreed():
                every = self._every(rows, project_id)
                values = {
                    "brief_status": "agreed",
                    "brief_agreed_on": event.agreed_on,
                    # The first report is due one reporting interval after agreement (rule D4).
                    "next_report_due": add_months(event.agreed_on, every),
                }
            case Project.BriefChanged():
                brief = event.brief
                values = {
                    "brief_status": "awaiting agreement",
                    "brief_agreed_on": None,
                    "next_report_due": None,
                    "start_date": brief["start_date"],
                    "end_date": brief["end_date"],
                    "reporting_every_months": brief["reporting_every_months"],
                    "aims_and_objectives": brief["aims_and_objectives"],
                    "outcomes": brief["outcomes"],
                    "resources": brief["resources"],
                    "key_risks": brief["key_risks"],
                }
            case Project.ProgressReported():
                insert_row(
                    rows,
                    progress_reports,
                    dict(
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
                    ),
                )
                project = rows.get(projects, id=project_id)
                count = (project["report_count"] if project else 0) or 0
                values = {
                    "latest_rag": event.rag,
                    "percent_complete": event.percent_complete,
                    "report_count": count + 1,
                    "next_report_due": add_months(event.period_end, self._every(rows, project_id)),
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
        update_where(rows, projects, {"id": project_id}, {**values, "version": event.originator_version})

    @staticmethod
    def _every(rows: Rows, project_id: Any) -> int:
        project = rows.get(projects, id=project_id)
        return (project["reporting_every_months"] if project else None) or 3
