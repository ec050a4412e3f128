"""Registers the UI's blueprints (one module per area of the service)."""

from __future__ import annotations

from flask import Flask

from web.ui import (
    accounts,
    audit,
    bodies,
    commands,
    consultations,
    dashboard,
    meetings,
    projects,
    public,
    public_bodies,
    reviews,
    search,
)


def register(app: Flask) -> None:
    for module in (
        dashboard,
        bodies,
        meetings,
        projects,
        audit,
        public,
        public_bodies,
        accounts,
        consultations,
        reviews,
        search,
    ):
        app.register_blueprint(module.bp)
    commands.init_app(app)
