"""Rule A4 through the JSON API: the generated operations draft, question, publish and close out a
consultation; reads give its questions and results; refusals are problem documents naming the field."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.reminders.commands import SCHEDULER
from tests.api.conftest import ApiClient, assert_problem


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_consultation_through_the_api(api_both: ApiClient) -> None:
    api = api_both
    alice = {"name": "Alice Example", "email": "alice@example.org", "consent_on": "2026-03-01", "interests": ["Carers"]}
    member = _created(api.post("/api/v1/panel-members", who="officer", json=alice))
    assert "alice" not in str(member).lower()  # no name or address is echoed back
    drafted = _created(api.post("/api/v1/consultations", who="officer", json={
        "title": "Carers' breaks", "summary": "How should breaks for carers work?", "concerns": "Carers services",
        "audience": "interested", "topic": "carers", "opens_on": "2026-03-02", "closes_on": "2026-03-20"}))  # fmt: skip
    cid, version = drafted["id"], drafted["version"]
    assert drafted["record"]["stage"] == "draft"
    question = api.post(f"/api/v1/consultations/{cid}/questions", who="officer", if_match=version,
                        json={"question": "Which would help?", "kind": "single_choice", "options": ["Days", "Nights"],
                              "required": True})  # fmt: skip
    assert question.status_code == 201 and question.get_json()["number"] == 1
    refused = api.post(f"/api/v1/consultations/{cid}/questions", who="officer", if_match=question.get_json()["version"],
                       json={"question": "Pick", "kind": "single_choice", "options": ["Only one"]})  # fmt: skip
    assert_problem(refused, 422, "options")
    published = api.post(f"/api/v1/consultations/{cid}/publication", who="officer",
                         if_match=question.get_json()["version"])  # fmt: skip
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["record"]["invited"] == 1

    hub = api.services.hub
    hub.save_response(UUID(cid), UUID(member["id"]), {"1": "Nights"}, submit=True)
    api.clock.advance(days=19)
    assert hub.close_due(SCHEDULER, [UUID(cid)]) == [UUID(cid)]
    api.services.refresh()
    read = api.get(f"/api/v1/consultations/{cid}", who="officer").get_json()
    outcome = api.post(f"/api/v1/consultations/{cid}/outcome", who="officer", if_match=read["version"],
                       json={"outcome": "Night breaks will be trialled."})  # fmt: skip
    assert outcome.status_code == 200, outcome.get_json()
    results = api.get(f"/api/v1/consultations/{cid}/results", who="officer").get_json()
    assert results["responses"] == 1
    assert [(c["choice"], c["count"], c["percent"]) for c in results["questions"][0]["choices"]] == [
        ("Days", 0, 0.0),
        ("Nights", 1, 100.0),
    ]


def test_only_the_partnership_team_reads_or_changes_consultations(api: ApiClient) -> None:
    assert api.get("/api/v1/consultations").status_code == 401
    assert api.get("/api/v1/consultations", who="auditor").status_code == 403
    refused = api.post("/api/v1/consultations", who="director", json={"title": "X"})
    assert refused.status_code == 403
    assert api.get("/api/v1/consultations", who="officer").get_json() == {"items": []}


def test_draft_refusals_name_the_field(api: ApiClient) -> None:
    response = api.post("/api/v1/consultations", who="officer", json={
        "title": "Dates", "summary": "S", "concerns": "C", "audience": "whole_panel",
        "opens_on": "2026-03-20", "closes_on": "2026-03-02"})  # fmt: skip
    problem = assert_problem(response, 422, "closes_on")
    assert "A4" in str(problem)
    bad_email = api.post("/api/v1/panel-members", who="officer", json={
        "name": "N", "email": "not an address", "consent_on": "2026-03-01"})  # fmt: skip
    assert_problem(bad_email, 422, "email")
