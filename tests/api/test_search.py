"""GET /api/v1/search on SQLite and PostgreSQL: the public's answer without a token, the record's with one,
marked matches that are escaped HTML, and a 400 problem naming ``q`` when it is missing, empty, over-long
or not plain text."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient, assert_problem
from tests.support.search_record import build


def _found(api: ApiClient, q: str, **kwargs: object) -> list[dict[str, object]]:
    api.services.refresh()
    response = api.get("/api/v1/search", query_string={"q": q}, **kwargs)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_an_officer_finds_the_decision_and_the_public_does_not(api_both: ApiClient) -> None:
    record = build(api_both.services.hub, api_both.clock)
    (decision,) = _found(api_both, "second bidder", who="officer")
    assert (decision["kind"], decision["public"], decision["meeting_id"]) == ("decision", False, str(record.meeting))
    assert decision["snippet_html"] == "The respite contract was awarded to the <mark>second</mark> <mark>bidder</mark>"
    assert decision["url"] == f"/meetings/{record.meeting}"
    assert _found(api_both, "second bidder") == []
    public = _found(api_both, "respite")
    assert sorted(r["kind"] for r in public) == ["body", "decision", "paper"]
    assert all(r["public"] for r in public)
    assert {r["url"] for r in public if r["kind"] != "body"} == {f"/public/meetings/{record.meeting}"}
    # An auditor signed in sees bodies and projects, and of meetings what the public sees.
    assert _found(api_both, "second bidder", who="auditor") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "x" * 201}, "q"), ({"q": "a\x00b"}, "q")],
)
def test_a_missing_empty_or_over_long_query_is_a_400(api: ApiClient, query: dict[str, str], field: str) -> None:
    problem = assert_problem(api.get("/api/v1/search", query_string=query), 400, field)
    assert problem["errors"]["q"][0].startswith(("Enter", "The search must be plain text"))


def test_paging_and_unknown_parameters(api: ApiClient) -> None:
    assert_problem(api.get("/api/v1/search", query_string={"q": "a", "per_page": 51}), 400, "per_page")
    assert_problem(api.get("/api/v1/search", query_string={"q": "a", "sort": "x"}), 400, "sort")
    answer = api.get("/api/v1/search", query_string={"q": '"NEAR( -*'}).get_json()
    assert (answer["total"], answer["items"], answer["page"], answer["per_page"]) == (0, [], 1, 20)


def test_the_operation_is_in_the_openapi_document(api: ApiClient) -> None:
    document = api.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "page", "per_page"}
    assert "400" in operation["responses"]
