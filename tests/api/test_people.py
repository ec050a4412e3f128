"""POST /api/v1/people/erasures (rule P1), on SQLite and PostgreSQL: an administrator erases a person's
name; the body then shows "name erased" in its members and history; an officer is refused (403), a
bad or unknown person named field by field (422), a second erasure refused (422)."""

from __future__ import annotations

from tests.api.conftest import ApiClient, assert_problem


def test_an_administrator_erases_a_name_through_the_api(api_both: ApiClient) -> None:
    api = api_both
    body = api.establish("Carers Forum")
    joined = api.post(
        f"/api/v1/bodies/{body['id']}/members",
        who="officer",
        if_match=1,
        json={"person": "Sam Carer", "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
    )
    assert joined.status_code == 201, joined.get_json()

    refused = api.post("/api/v1/people/erasures", who="officer", json={"person": "Sam Carer", "reason": "Request 1"})
    assert_problem(refused, 403)
    assert_problem(api.post("/api/v1/people/erasures", json={"person": "Sam Carer", "reason": "Request 1"}), 401)
    assert_problem(
        api.post("/api/v1/people/erasures", who="admin", json={"person": "", "reason": ""}), 422, "person", "reason"
    )
    unknown = api.post("/api/v1/people/erasures", who="admin", json={"person": "Nobody Here", "reason": "Request 1"})
    assert "no one of that name or id" in str(assert_problem(unknown, 422, "person"))

    erased = api.post("/api/v1/people/erasures", who="admin", json={"person": "sam  CARER", "reason": "Request 1"})
    assert erased.status_code == 201, erased.get_json()
    answer = erased.get_json()
    assert answer["command"] == "erase_person" and answer["erasure_id"] and answer["person_id"]
    assert "Location" not in erased.headers

    members = api.get(f"/api/v1/bodies/{body['id']}", who="auditor").get_json()["members"]
    assert [m["person"] for m in members] == ["name erased"]
    history = api.get(f"/api/v1/bodies/{body['id']}/history", who="auditor")
    assert history.status_code == 200 and "Sam Carer" not in history.get_data(as_text=True)
    audit = api.get("/api/v1/audit", who="auditor").get_data(as_text=True)
    assert "Sam Carer" not in audit and "name erased" in audit

    again = api.post("/api/v1/people/erasures", who="admin", json={"person": answer["person_id"], "reason": "Again"})
    assert "there is nothing left to erase" in str(assert_problem(again, 422))
