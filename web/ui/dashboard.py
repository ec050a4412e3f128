"""The officers' dashboard: what needs doing this week, from the read models.

Each list is bounded (the first ``LIMIT`` rows, soonest first) with its full count, so the page stays
quick with 10,000 bodies; the directory, calendar and project lists page through the rest.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, redirect, render_template
from sqlalchemy import Connection, and_, func, or_, select

from domain.body import add_months
from domain.vocabulary import BodyKind, BodyStatus
from projections import queries
from projections.tables import bodies, meetings, projects
from web.auth import current_user, may
from web.services import services
from web.ui.access import DASHBOARD_COMMAND, requires_command

bp = Blueprint("dashboard", __name__)

LIMIT = 10
WEEK = timedelta(days=7)
NEAR_END = timedelta(days=60)
OPEN_STATUSES = (BodyStatus.ACTIVE.value, BodyStatus.TIME_LIMITED.value)


def _listed(connection: Connection, query: Any) -> dict[str, Any]:
    total = connection.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = [dict(r) for r in connection.execute(query.limit(LIMIT)).mappings()]
    return {"rows": rows, "total": total}


def week_ahead(connection: Connection, today: date) -> dict[str, dict[str, Any]]:
    scheduled = meetings.c.status == "scheduled"
    unpublished = meetings.c.agenda_published_on.is_(None)
    minutes_out = meetings.c.minutes_status.in_(queries.MINUTES_OUT)
    return {
        "papers_due": _listed(
            connection,
            select(meetings)
            .where(scheduled, unpublished, meetings.c.papers_due >= today, meetings.c.papers_due <= today + WEEK)
            .order_by(meetings.c.papers_due, meetings.c.body_name),
        ),
        "papers_overdue": _listed(
            connection,
            select(meetings)
            .where(scheduled, unpublished, meetings.c.papers_due < today, meetings.c.meeting_date >= today)
            .order_by(meetings.c.papers_due, meetings.c.body_name),
        ),
        "minutes_overdue": _listed(
            connection,
            select(meetings)
            .where(scheduled, ~minutes_out, meetings.c.minutes_due < today)
            .order_by(meetings.c.minutes_due, meetings.c.body_name),
        ),
        "reports_overdue": _listed(
            connection,
            select(projects)
            .where(projects.c.completed_on.is_(None), projects.c.next_report_due < today)
            .order_by(projects.c.next_report_due, projects.c.title),
        ),
        "elections_due": _listed(
            connection,
            select(bodies)
            .where(
                bodies.c.kind == BodyKind.CONSULTATIVE_GROUP.value,
                bodies.c.status.in_(OPEN_STATUSES),
                or_(bodies.c.last_election_on.is_(None), bodies.c.last_election_on < add_months(today, -12)),
            )
            .order_by(bodies.c.last_election_on.is_not(None), bodies.c.last_election_on, bodies.c.name),
        ),
        "ending_soon": _listed(
            connection,
            select(bodies)
            .where(
                bodies.c.status.in_(OPEN_STATUSES), and_(bodies.c.until >= today, bodies.c.until <= today + NEAR_END)
            )
            .order_by(bodies.c.until, bodies.c.name),
        ),
    }


@bp.get("/")
def home() -> Any:
    user = current_user()
    if user is not None and may(DASHBOARD_COMMAND, user):
        return redirect("/dashboard")
    return render_template("home.html", user=user)


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("accessibility.html")


@bp.get("/dashboard")
@requires_command(DASHBOARD_COMMAND)
def dashboard() -> str:
    svc = services()
    today = svc.today()
    with svc.reading() as connection:
        lists = week_ahead(connection, today)
        behind = queries.behind_cadence(connection, today=today)
    lists["behind_cadence"] = {"rows": behind[:LIMIT], "total": len(behind)}
    return render_template("dashboard.html", lists=lists, today=today)
