"""The API under test: the real app factory over a real SQLite file (or PostgreSQL), with real tokens.

``api`` runs on SQLite; ``api_both`` takes ``database_url`` and so runs on SQLite and on PostgreSQL,
for the representative tests. Each role has its own account and bearer token.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from application import bootstrap
from application.bootstrap import Services
from application.settings import Settings
from tests.conftest import Clock
from web.app import create_app

ROLES = {
    "officer": "partnership_officer",
    "admin": "administrator",
    "care": "portfolio_holder_care_services",
    "education": "portfolio_holder_education",
    "director": "executive_director",
    "lead-1": "project_lead",
    "lead-2": "project_lead",
    "auditor": "auditor",
}

PROBLEM = "application/problem+json"


class ApiClient:
    """A test client that sends a role's bearer token, an If-Match and JSON, and reads problems."""

    def __init__(self, app: Flask, services: Services, tokens: dict[str, str], clock: Clock) -> None:
        self.app = app
        self.services = services
        self.tokens = tokens
        self.clock = clock
        self.client: FlaskClient = app.test_client()

    def call(
        self,
        method: str,
        path: str,
        *,
        who: str | None = None,
        json: Any = None,
        if_match: object = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        sent = dict(headers or {})
        if who is not None:
            sent["Authorization"] = f"Bearer {self.tokens[who]}"
        if if_match is not None:
            sent["If-Match"] = str(if_match)
        return self.client.open(path, method=method, json=json, headers=sent, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)

    # ------------------------------------------------------------ set-ups

    def establish(self, name: str = "Carers Forum", kind: str = "consultative_group", **extra: Any) -> dict[str, Any]:
        response = self.post(
            "/api/v1/bodies", who="officer", json={"name": name, "kind": kind, "reason": "set up for a test", **extra}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["record"]

    def commission(self, title: str = "Carers Strategy", lead: str = "lead-1", **brief: Any) -> dict[str, Any]:
        response = self.post("/api/v1/projects", who="care", json=commission_body(title, lead, **brief))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["record"]


def commission_body(title: str = "Carers Strategy", lead: str = "lead-1", **brief: Any) -> dict[str, Any]:
    return {
        "title": title,
        "lead": lead,
        "brief": {
            "aims_and_objectives": "A strategy for carers",
            "outcomes": "An agreed strategy",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "resources": "Two officers, one day a week",
            "key_risks": "Carers cannot attend in the day",
            **brief,
        },
    }


def assert_problem(response: TestResponse, status: int, *fields: str) -> dict[str, Any]:
    """The response is a problem document with this status (and, for invalid input, these fields' messages)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["title"]
    for field in fields:
        assert problem["errors"][field], problem
    return problem


def build(url: str, clock: Clock, tmp_path: Path) -> Iterator[ApiClient]:
    services = bootstrap.build(Settings.for_url(url, files_dir=tmp_path / "files"), clock=clock)
    app = create_app({"TESTING": True}, services=services)
    tokens = {}
    for user_id, role in ROLES.items():
        services.users.create(user_id, name=user_id.title(), email=f"{user_id}@example.gov.uk", role=role)
        tokens[user_id] = services.users.issue_token(user_id, "tests")
    try:
        yield ApiClient(app, services, tokens, clock)
    finally:
        services.close()


@pytest.fixture
def api(tmp_path: Path, clock: Clock) -> Iterator[ApiClient]:
    yield from build(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock, tmp_path)


@pytest.fixture
def api_both(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[ApiClient]:
    yield from build(database_url, clock, tmp_path)
