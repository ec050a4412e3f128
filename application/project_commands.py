"""Commands on task-and-finish projects: commissioning, briefs, progress and completion."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from application.authority import COMMISSIONER_FOR_ROLE, Role
from application.hub_base import (
    HubBase,
)
from domain.actor import Actor
from domain.body import Body
from domain.errors import InvalidInput
from domain.project import Brief, Project
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, Rag


class ProjectCommands(HubBase):
    """Commissioning (D1-D3), progress and completion (D4-D5); the project checks that its lead reports (D4, D5)."""

    # ------------------------------------------------------------- projects

    def commission_project(
        self,
        actor: Actor,
        *,
        title: str,
        lead: str,
        brief: Brief,
        body_id: UUID | None = None,
        project_id: UUID | None = None,
    ) -> UUID:
        commissioner = COMMISSIONER_FOR_ROLE.get(Role(actor.role))
        if body_id is not None:
            body = self._get(Body, body_id)
            if body.kind is not BodyKind.TASK_AND_FINISH_GROUP:
                raise InvalidInput("body_id", f"{body.name} is not a task-and-finish group")
        project = Project.commission(
            id=project_id or uuid4(),
            actor=actor,
            at=self._now(),
            title=title,
            commissioned_by=commissioner.value if commissioner else actor.role,
            lead=lead,
            brief=brief,
            body_id=body_id,
        )
        self._save(project)
        return project.id

    def agree_brief(
        self, actor: Actor, project_id: UUID, *, agreed_on: date | None = None, expected_version: int | None = None
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        agreed_by = EXECUTIVE_DIRECTOR if actor.role == Role.EXECUTIVE_DIRECTOR else actor.role
        project.agree_brief(actor=actor, at=self._now(), agreed_by=agreed_by, agreed_on=agreed_on or self._now().date())
        self._save(project)
        return project.version

    def submit_progress_report(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        period_start: date,
        period_end: date,
        milestones_achieved: str,
        issues_and_concerns: str,
        rag: Rag | str,
        percent_complete: int,
        expected_version: int | None = None,
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        project.report_progress(
            actor=actor,
            at=self._now(),
            period_start=period_start,
            period_end=period_end,
            milestones_achieved=milestones_achieved,
            issues_and_concerns=issues_and_concerns,
            rag=rag,
            percent_complete=percent_complete,
        )
        self._save(project)
        return project.version

    def submit_completion_report(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        outcomes_achieved: str,
        completed_on: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        project.complete(
            actor=actor,
            at=self._now(),
            outcomes_achieved=outcomes_achieved,
            completed_on=completed_on or self._now().date(),
        )
        self._save(project)
        return project.version

    def change_brief(
        self, actor: Actor, project_id: UUID, *, brief: Brief, reason: str, expected_version: int | None = None
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        project.change_brief(actor=actor, at=self._now(), brief=brief, reason=reason)
        self._save(project)
        return project.version

    def extend_project_timeframe(
        self,
        actor: Actor,
        project_id: UUID,
        *,
        new_end_date: date,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        project = self._get(Project, project_id, expected_version)
        project.extend_timeframe(actor=actor, at=self._now(), new_end_date=new_end_date, reason=reason)
        self._save(project)
        return project.version
