"""/api/v1/reviews: the annual review of the arrangements (rule H1) over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.conftest import ApiClient, assert_problem


def test_a_review_over_the_api_from_opening_to_completion(api_both: ApiClient) -> None:
    body = api_both.establish("Carers Partnership Board", "partnership_board")
    opened = api_both.post("/api/v1/reviews", who="officer", json={"year": 2026})
    assert opened.status_code == 201, opened.get_json()
    review = opened.get_json()["record"]
    assert (review["title"], review["due"], review["version"], review["completed_on"]) == (
        "Annual review of the arrangements 2026-27",
        "2026-03-31",
        1,
        None,
    )
    url = f"/api/v1/reviews/{review['id']}"
    assert opened.headers["Location"].endswith(url)
    again = assert_problem(api_both.post("/api/v1/reviews", who="officer", json={"year": 2026}), 422)
    assert again["rule"] == "H1" and "already opened on 2 March 2026" in again["detail"]

    found = api_both.post(
        f"{url}/findings", who="officer", if_match=1, json={"body_id": body["id"], "findings": "Overlaps the Forum."}
    )
    assert found.status_code == 201, found.get_json()
    assert found.get_json()["record"]["bodies"] == [
        {"body_id": body["id"], "body_name": "Carers Partnership Board", "findings": "Overlaps the Forum."}
    ]
    proposed = api_both.post(
        f"/api/v1/bodies/{body['id']}/proposals",
        who="officer",
        if_match=1,
        json={"change": "end_body", "reason": "The annual review found it overlaps the Carers Forum"},
    )
    assert proposed.status_code == 201
    linked = api_both.post(f"{url}/proposals", who="officer", if_match=2, json={"body_id": body["id"], "number": 1})
    assert linked.status_code == 201, linked.get_json()
    assert [(p["number"], p["title"], p["status"]) for p in linked.get_json()["record"]["proposals"]] == [
        (1, "End the body", "pending")
    ]
    decision = {"number": 1, "outcome": "rejected", "decided_by": "Portfolio Holder", "decision_ref": "CS26/10"}
    assert api_both.post(f"/api/v1/bodies/{body['id']}/proposals/decisions", who="care", if_match=2, json=decision)
    assert_problem(api_both.post(f"{url}/completion", who="officer", if_match=3, json={}), 422)  # no overall findings
    overall = api_both.post(f"{url}/overall-findings", who="officer", if_match=3, json={"findings": "It works."})
    assert overall.status_code == 200
    done = api_both.post(f"{url}/completion", who="officer", if_match=4, json={"completed_on": "2026-03-02"})
    assert done.status_code == 200, done.get_json()
    record = done.get_json()["record"]
    assert (record["completed_on"], record["late"], record["version"]) == ("2026-03-02", False, 5)
    assert [(p["status"], p["decision_ref"]) for p in record["proposals"]] == [("rejected", "CS26/10")]
    listed = api_both.get("/api/v1/reviews", who="auditor").get_json()["items"]
    assert [(r["year"], r["bodies_reviewed"], r["proposals_linked"]) for r in listed] == [(2026, 1, 1)]
    assert api_both.get(url, who="auditor").headers["ETag"] == '"5"'


def test_reviews_refuse_what_is_not_theirs_to_do_and_bad_input(api: ApiClient) -> None:
    assert_problem(api.get("/api/v1/reviews"), 401)
    assert_problem(api.post("/api/v1/reviews", json={"year": 2026}), 401)
    assert_problem(api.post("/api/v1/reviews", who="auditor", json={"year": 2026}), 403)
    assert_problem(api.post("/api/v1/reviews", who="officer", json={"year": 1800}), 422, "year")
    assert_problem(api.post("/api/v1/reviews", who="officer", json={"year": "2026"}), 422, "year")
    review = api.post("/api/v1/reviews", who="officer", json={"year": 2027}).get_json()["record"]
    url = f"/api/v1/reviews/{review['id']}"
    assert_problem(api.post(f"{url}/findings", who="officer", json={"findings": "x"}), 428)
    missing = assert_problem(
        api.post(
            f"{url}/findings",
            who="officer",
            if_match=1,
            json={"body_id": "00000000-0000-0000-0000-000000000000", "findings": "x"},
        ),
        422,
    )
    assert "there is no body" in missing["detail"]
    assert_problem(
        api.post(f"{url}/findings", who="officer", if_match=1, json={"findings": "x" * 20_001, "extra": 1}),
        422,
        "findings",
        "body_id",
        "extra",
    )
    body = api.establish("Mobility Forum", "partnership_board")
    not_reviewed = assert_problem(
        api.post(f"{url}/proposals", who="officer", if_match=1, json={"body_id": body["id"], "number": 1}), 422
    )
    assert "Mobility Forum has no proposal 1" in not_reviewed["detail"]
    assert_problem(api.get("/api/v1/reviews/00000000-0000-0000-0000-000000000000", who="auditor"), 404)
