"""Templates: the GOV.UK Frontend Jinja macros beside our own, and what the layout asks of every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, abort, request, send_from_directory
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from application.authority import Duty
from web.auth import current_user, may
from web.services import services
from web.ui import format as fmt
from web.ui.access import DASHBOARD_DUTY, MEETING_RECORD_DUTY, carries

# govuk-frontend's CSS asks for its fonts and images under /assets; `make setup` copies them here.
ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "govuk" / "assets"

# The header's navigation: (label, path, shown when). "Reminders" belongs to the reminders blueprint.
# A page is offered only to those who may open it: "dashboard" and "meetings" by the duty that page
# requires (web/ui/access.py), so nobody is offered a page that answers 403.
_NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("Dashboard", "/dashboard", "dashboard"),
    ("Meetings", "/meetings", "meetings"),
    ("Bodies", "/bodies", "signed_in"),
    ("Projects", "/projects", "signed_in"),
    ("Annual reviews", "/reviews", "signed_in"),
    ("Audit log", "/audit", "signed_in"),
    ("Reminders", "/reminders", "signed_in"),
    ("Consultations", "/consultations", "consultations"),
    ("Accounts", "/accounts", "administrator"),
    ("Public meetings", "/public/meetings", "always"),
    ("Public bodies", "/public/bodies", "always"),
)


def navigation() -> list[dict[str, Any]]:
    user = current_user()
    items = []
    for label, path, shown in _NAVIGATION:
        if shown == "signed_in" and user is None:
            continue
        if shown == "dashboard" and not carries(DASHBOARD_DUTY, user):
            continue
        if shown == "meetings" and not carries(MEETING_RECORD_DUTY, user):
            continue
        if shown == "consultations" and not carries(Duty.CONSULTATIONS, user):
            continue
        if shown == "administrator" and not may("create_account", user):
            continue
        active = request.path == path or (path != "/" and request.path.startswith(path + "/"))
        items.append({"href": path, "text": label, "active": active})
    return items


def person_name(user_id: str | None) -> str:
    """A person's name from their account, for pages that hold only a user id (a project's lead); the id
    itself when no account has it (an imported or erased one)."""
    if not user_id:
        return ""
    user = services().users.get(user_id)
    return user.name if user is not None and user.name else user_id


def serve_asset(filename: str) -> Any:
    if not ASSETS_DIR.is_dir():
        abort(404, "The GOV.UK Frontend assets are missing: run `make setup`.")
    return send_from_directory(ASSETS_DIR, filename, max_age=3600)


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [app.jinja_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(hub_user=current_user, hub_navigation=navigation, may=may)
    app.jinja_env.filters["person_name"] = person_name
    fmt.register(app.jinja_env)
    app.add_url_rule("/assets/<path:filename>", "govuk_assets", serve_asset)
