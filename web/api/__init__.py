"""The JSON API under /api/v1 (flask-smorest over marshmallow schemas), its OpenAPI document and reference.

``init_app`` registers the blueprints, the OpenAPI 3 document at /api/openapi.json, a reference page
rendered on the server from that document at /api/reference (no scripts, nothing from a CDN), and the
idempotency table. Errors inside the API are problem documents (web/api/problems.py).
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from web.api import (
    accounts,
    audit,
    bodies,
    commands,
    consultations,
    files,
    followers,
    idempotency,
    meetings,
    projects,
    reference,
    responses,
    reviews,
    search,
)
from web.api.problems import PROBLEM_CONTENT_TYPE, ProblemSchema

BLUEPRINTS = (
    bodies.blp,
    projects.blp,
    meetings.blp,
    commands.blp,
    files.blp,
    audit.blp,
    accounts.blp,
    followers.blp,
    consultations.blp,
    responses.blp,
    reviews.blp,
    search.blp,
)


class HubApi(Api):
    """flask-smorest's Api with problem documents as the documented error responses."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, object] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A problem document (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Partnership Hub API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "The JSON API of Partnership Hub. Send an API token as `Authorization: Bearer "
                "<token>` (make one with `partnership-hub users token USER_ID`). Reads of public record need no "
                "token; every change needs one, and the caller's role is checked by the application. A change "
                "sends the version it was made against in `If-Match`. Errors are RFC 9457 problem documents.",
            },
            "servers": [{"url": "/"}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api = HubApi(app)
    services = app.extensions["partnership_hub"]
    idempotency.init_app(app, services.users.engine)
    csrf = app.extensions.get("csrf")
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
        if csrf is not None:
            csrf.exempt(blueprint)
    app.register_blueprint(reference.blp)
    app.extensions["partnership_hub_api"] = api
