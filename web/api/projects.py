"""/api/v1/projects: task-and-finish projects, from commissioning to the completion report (App. 7).

Projects are the working record between the commissioner, the project lead and the Executive
Director, so every read needs a token (any role); the application decides who may change what.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from projections import queries
from web.api import problems
from web.api.access import (
    IDEMPOTENCY_KEY_PARAMETER,
    IF_MATCH_PARAMETER,
    expected_version,
    require_user,
    writes_need_a_token,
)
from web.api.args import ProjectArgs
from web.api.common import page_out, perform
from web.api.idempotency import idempotent
from web.api.schemas import ProjectOut, ProjectPageOut
from web.schemas import COMMAND_INPUTS
from web.services import services

blp = Blueprint("api_projects", __name__, url_prefix="/api/v1/projects", description="Task-and-finish projects")
problems.register(blp)
writes_need_a_token(blp)
SIGNED_IN = {"security": [{"bearerAuth": []}]}


def _project(project_id: UUID) -> dict[str, Any]:
    hub_services = services()
    with hub_services.reading() as connection:
        row = queries.project(connection, project_id, today=hub_services.today())
    if row is None:
        abort(404, message=f"There is no project with id {project_id}.")
    return row  # type: ignore[return-value]


def _with_etag(row: dict[str, Any], status: int = 200, **headers: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    return row, status, {"ETag": f'"{row["version"]}"', **headers}


@blp.route("")
@blp.arguments(ProjectArgs, location="query", unknown=RAISE)
@blp.response(200, ProjectPageOut)
@blp.doc(**SIGNED_IN)
def project_list(args: dict[str, Any]) -> dict[str, Any]:
    """Projects, the next progress report due first; ``lead`` keeps to one lead's."""
    require_user()
    hub_services = services()
    with hub_services.reading() as connection:
        return page_out(queries.project_progress(connection, today=hub_services.today(), **args))


@blp.route("", methods=["POST"])
@idempotent
@blp.arguments(COMMAND_INPUTS["commission_project"])
@blp.response(201, ProjectOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **SIGNED_IN)
def commission(kwargs: dict[str, Any]) -> Any:
    """Commission a project with its brief (rules D1, D2): Portfolio Holders and the Executive Director."""
    project_id = perform("commission_project", **kwargs)
    return _with_etag(_project(project_id), 201, Location=url_for("api_projects.project", project_id=project_id))


@blp.route("/<uuid:project_id>")
@blp.response(200, ProjectOut)
@blp.doc(**SIGNED_IN)
def project(project_id: UUID) -> Any:
    """A project with its series of progress reports."""
    require_user()
    return _with_etag(_project(project_id))


@blp.route("/<uuid:project_id>/brief-agreement", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["agree_brief"])
@blp.response(200, ProjectOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **SIGNED_IN)
def agree_brief(kwargs: dict[str, Any], project_id: UUID) -> Any:
    """The Executive Director agrees the brief (rule D3)."""
    version = expected_version()
    perform("agree_brief", project_id, expected_version=version, **kwargs)
    return _with_etag(_project(project_id))


@blp.route("/<uuid:project_id>/progress-reports", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["submit_progress_report"])
@blp.response(201, ProjectOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **SIGNED_IN)
def progress_report(kwargs: dict[str, Any], project_id: UUID) -> Any:
    """The project lead reports progress: milestones, issues, RAG and percentage complete (rule D4)."""
    version = expected_version()
    perform("submit_progress_report", project_id, expected_version=version, **kwargs)
    return _with_etag(_project(project_id), 201)


@blp.route("/<uuid:project_id>/completion-report", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["submit_completion_report"])
@blp.response(201, ProjectOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **SIGNED_IN)
def completion_report(kwargs: dict[str, Any], project_id: UUID) -> Any:
    """The project lead records the outcomes achieved (rule D5)."""
    version = expected_version()
    perform("submit_completion_report", project_id, expected_version=version, **kwargs)
    return _with_etag(_project(project_id), 201)


@blp.route("/<uuid:project_id>/timeframe-extension", methods=["POST"])
@blp.arguments(COMMAND_INPUTS["extend_project_timeframe"])
@blp.response(200, ProjectOut)
@blp.doc(parameters=[IF_MATCH_PARAMETER], **SIGNED_IN)
def extend_timeframe(kwargs: dict[str, Any], project_id: UUID) -> Any:
    """A commissioner extends the project's timeframe, saying why."""
    version = expected_version()
    perform("extend_project_timeframe", project_id, expected_version=version, **kwargs)
    return _with_etag(_project(project_id))
