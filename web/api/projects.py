"""/api/v1/projects: task-and-finish projects, from commissioning to the completion report (App. 7).

Projects are the working record between the commissioner, the project lead and the Executive
Director, so every read needs a token (any role); the application decides who may change what.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from projections import queries
from web.api import problems
from web.api.access import (
    require_user,
    writes_need_a_token,
)
from web.api.args import ProjectArgs
from web.api.common import page_out
from web.api.schemas import ProjectOut, ProjectPageOut
from web.services import services

blp = Blueprint("api_projects", __name__, url_prefix="/api/v1/projects", description="Task-and-finish projects")
problems.register(blp)
writes_need_a_token(blp)
SIGNED_IN = {"security": [{"bearerAuth": []}]}


def project_row(project_id: UUID) -> dict[str, Any]:
    """A project with its progress series (404 if the read model has none)."""
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


@blp.route("/<uuid:project_id>")
@blp.response(200, ProjectOut)
@blp.doc(**SIGNED_IN)
def project(project_id: UUID) -> Any:
    """A project with its series of progress reports."""
    require_user()
    return _with_etag(project_row(project_id))
