"""Reads of the progress read model: projects and their series of progress reports.

Values that depend on today (next meeting, days overdue) are computed at read time, from the date the
caller passes in, so a rebuilt read model equals the one kept incrementally.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from domain.deadlines import overdue
from projections.queries.common import Page, _page
from projections.tables import (
    progress_reports,
    projects,
)


def project_progress(
    connection: Connection, *, today: date, lead: str | None = None, page: int = 1, per_page: int = 25
) -> Page:
    query = select(projects)
    if lead:
        query = query.where(projects.c.lead == lead)
    query = query.order_by(projects.c.next_report_due.is_(None), projects.c.next_report_due, projects.c.title)
    result = _page(connection, query, page, per_page)
    for item in result.items:
        item["days_overdue"] = days_overdue(item["next_report_due"], today)
    return result


def project(connection: Connection, project_id: UUID, *, today: date) -> dict[str, Any] | None:
    row = connection.execute(select(projects).where(projects.c.id == project_id)).mappings().first()
    if row is None:
        return None
    item = dict(row)
    item["days_overdue"] = days_overdue(item["next_report_due"], today)
    item["reports"] = progress_series(connection, project_id)
    return item


def days_overdue(due: date | None, today: date) -> int:
    """How many days a report is overdue (domain.deadlines.overdue); 0 when it is not."""
    return (today - due).days if due is not None and overdue(due, today) else 0


def progress_series(connection: Connection, project_id: UUID) -> list[dict[str, Any]]:
    query = select(progress_reports).where(progress_reports.c.project_id == project_id)
    return [dict(r) for r in connection.execute(query.order_by(progress_reports.c.version)).mappings()]
