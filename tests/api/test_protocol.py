"""What every API route shares: problem documents, tokens not cookies, the OpenAPI document and reference page."""

from __future__ import annotations

from tests.api.conftest import ApiClient, assert_problem


def test_unknown_paths_and_methods_are_problem_documents(api: ApiClient) -> None:
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    not_allowed = assert_problem(api.call("PUT", "/api/v1/bodies", who="officer"), 405)
    assert not_allowed["title"] == "Method Not Allowed"


def test_a_bad_token_is_refused_not_ignored(api: ApiClient) -> None:
    refused = api.get("/api/v1/bodies", headers={"Authorization": "Bearer phub_nope_nope"})
    assert_problem(refused, 401)
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert_problem(api.get("/api/v1/bodies", headers={"Authorization": "Basic b2ZmaWNlcjpwdw=="}), 401)
    api.services.users.deactivate("officer")
    assert_problem(api.post("/api/v1/bodies", who="officer", json={}), 401)


def test_a_session_cookie_cannot_write_through_the_api(api: ApiClient) -> None:
    with api.client.session_transaction() as session:
        session["sid"] = api.services.sessions.start("officer")  # signed in to the UI
    refused = api.post("/api/v1/bodies", json={"name": "Carers Forum", "kind": "consultative_group", "reason": "r"})
    assert_problem(refused, 401)
    assert api.get("/api/v1/bodies").get_json()["total"] == 0


def test_bearer_writes_need_no_csrf_token(api: ApiClient) -> None:
    assert "csrf" in api.app.extensions  # the UI's CSRF protection is on for the app
    assert api.app.config.get("WTF_CSRF_ENABLED", True)
    assert api.establish()["version"] == 1


CHANGE_PATHS = (
    "terms-of-reference",
    "funding",
    "extend-contract",
    "transform",
    "replace",
    "merge",
    "self-funding-option",
    "transfer-to-provider-forum",
    "maintain",
    "end",
    "extend-end-date",
    "close-with-completion-report",
    "correct",
)


def test_the_openapi_document_describes_every_route(api: ApiClient) -> None:
    spec = api.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/bodies",
        "/api/v1/bodies/{body_id}",
        "/api/v1/bodies/{body_id}/history",
        *(f"/api/v1/bodies/{{body_id}}/changes/{change}" for change in CHANGE_PATHS),
        "/api/v1/bodies/{body_id}/members",
        "/api/v1/bodies/{body_id}/members/removals",
        "/api/v1/bodies/{body_id}/elections",
        "/api/v1/bodies/{body_id}/quorum",
        "/api/v1/bodies/{body_id}/meetings",
        "/api/v1/calendar/plans",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/brief-agreement",
        "/api/v1/projects/{project_id}/progress-reports",
        "/api/v1/projects/{project_id}/completion-report",
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}/papers",
        "/api/v1/meetings/{meeting_id}/minutes",
        "/api/v1/meetings/{meeting_id}/minutes/clearance",
        "/api/v1/meetings/{meeting_id}/minutes/approval",
        "/api/v1/reminders/{reminder_id}/done",
        "/api/v1/audit",
        "/api/v1/reminders",
        "/api/v1/calendar.ics",
    ):
        assert path in spec["paths"], path
    # The old routes are gone: one change endpoint with a `type`, DELETE of a member, POST /meetings.
    assert "/api/v1/bodies/{body_id}/changes" not in spec["paths"]
    assert "/api/v1/bodies/{body_id}/members/{member_id}" not in spec["paths"]
    assert "post" not in spec["paths"]["/api/v1/meetings"]
    # Each of the 14 governance changes (A11 the latest) has its own operation, its own input and If-Match.
    changes = [p for p in spec["paths"] if p.startswith("/api/v1/bodies/{body_id}/changes/")]
    assert len(changes) == 14
    inputs = set()
    for path in changes:
        change = spec["paths"][path]["post"]
        schema = change["requestBody"]["content"]["application/json"]["schema"]
        assert "oneOf" not in schema and schema["$ref"].startswith("#/components/schemas/")
        inputs.add(schema["$ref"])
        assert {p["name"] for p in change["parameters"]} >= {"If-Match"}
        assert "type" not in spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["properties"]
        assert change["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/BodyOutcome")
    assert len(inputs) == 14
    # Proposing a change and deciding on it (F4) are operations of their own.
    assert spec["paths"]["/api/v1/bodies/{body_id}/proposals"]["post"]["operationId"] == "propose_change"
    assert spec["paths"]["/api/v1/bodies/{body_id}/proposals/decisions"]["post"]["operationId"] == "decide_proposal"
    assert spec["paths"]["/api/v1/projects/{project_id}/brief"]["post"]["operationId"] == "change_brief"
    quorum = spec["paths"]["/api/v1/bodies/{body_id}/quorum"]["post"]
    assert quorum["operationId"] == "set_quorum" and {p["name"] for p in quorum["parameters"]} >= {"If-Match"}
    assert spec["components"]["schemas"]["SetQuorum"]["required"] == ["quorum", "reason"]
    assert "quorum" in spec["components"]["schemas"]["BodyOut"]["properties"]
    assert spec["components"]["schemas"]["EstablishBody"]["additionalProperties"] is False
    default_error = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default_error["content"]) == ["application/problem+json"]


def test_the_reference_page_needs_no_script_or_network(api: ApiClient) -> None:
    page = api.get("/api/reference")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "/api/v1/bodies/{body_id}/changes/funding" in html and 'id="schema-BodyOut"' in html


def test_a_body_that_is_not_json_says_so(api: ApiClient) -> None:
    malformed = api.call("POST", "/api/v1/bodies", who="officer", data="{bad", content_type="application/json")
    problem = assert_problem(malformed, 400)
    assert "not valid JSON" in problem["detail"]
    not_an_object = assert_problem(api.post("/api/v1/bodies", who="officer", json=[1]), 400)
    assert "JSON object" in not_an_object["detail"]
    not_json = api.call("POST", "/api/v1/bodies", who="officer", data="name=Carers", content_type="text/plain")
    assert_problem(not_json, 415)
    # An empty body is an empty object: the fields it lacks are named.
    assert_problem(api.call("POST", "/api/v1/bodies", who="officer", data=""), 422, "name", "kind", "reason")
    assert api.get("/api/v1/bodies").get_json()["total"] == 0
