"""The home page, the accessibility statement and the officers' dashboard.

The dashboard's lists are read by projections/queries/dashboard.py; this module only renders them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template

from projections.queries import dashboard as dashboard_lists
from web.auth import current_user
from web.services import services
from web.ui.access import DASHBOARD_DUTY, carries, requires_duty

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def home() -> Any:
    user = current_user()
    if user is not None and carries(DASHBOARD_DUTY, user):
        return redirect("/dashboard")
    return render_template("home.html", user=user)


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("accessibility.html")


@bp.get("/dashboard")
@requires_duty(DASHBOARD_DUTY)
def dashboard() -> str:
    svc = services()
    today = svc.today()
    with svc.reading() as connection:
        lists = dashboard_lists.week_ahead(connection, today)
    return render_template("dashboard.html", lists=lists, today=today)
