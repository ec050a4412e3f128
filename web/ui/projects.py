"""Projects: the list (a lead sees their own), a project's page with its progress chart and table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template

from application.authority import Role
from projections import queries
from web.services import services
from web.ui.access import requires_sign_in, signed_in_user
from web.ui.chart import progress_svg
from web.ui.params import page_number, with_args

bp = Blueprint("projects", __name__)


@bp.get("/projects")
@requires_sign_in
def project_list() -> str:
    svc = services()
    user = signed_in_user()
    own = user.role is Role.PROJECT_LEAD
    with svc.reading() as connection:
        page = queries.project_progress(
            connection, today=svc.today(), lead=user.user_id if own else None, page=page_number(), per_page=25
        )
    return render_template("projects/list.html", page=page, own=own, url_for_page=lambda n: with_args(page=n))


@bp.get("/projects/<uuid:project_id>")
@requires_sign_in
def project_page(project_id: UUID) -> str:
    svc = services()
    user = signed_in_user()
    with svc.reading() as connection:
        project: dict[str, Any] | None = queries.project(connection, project_id, today=svc.today())
        # The project's story (commissioned, brief changed and agreed, extended, completed), from the audit log.
        history = queries.audit(connection, subject_id=project_id, newest_first=False, per_page=200).items
    if project is None:
        abort(404, "There is no project with that id.")
    # A project lead reads and reports on their own projects only.
    if user.role is Role.PROJECT_LEAD and project["lead"] != user.user_id:
        abort(403, "Project leads see their own projects only.")
    chart = progress_svg(project["reports"], title=f"Progress of {project['title']}")
    return render_template(
        "projects/project.html",
        project=project,
        chart=chart,
        history=history,
        is_lead=project["lead"] == user.user_id,
    )
