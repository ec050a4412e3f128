"""/api/v1/bodies: the directory, a body now and as it stood, its history, governance changes, members."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.conftest import ApiClient, assert_problem


def test_directory_is_public_filtered_and_paged(api: ApiClient) -> None:
    api.establish("Carers Forum", "consultative_group")
    api.establish("Adult Services Conference", "stakeholder_conference")
    api.establish("Mobility Forum", "task_and_finish_group", until="2027-03-31")

    everything = api.get("/api/v1/bodies").get_json()
    assert everything["total"] == 3
    assert [b["name"] for b in everything["items"]] == ["Adult Services Conference", "Carers Forum", "Mobility Forum"]

    groups = api.get("/api/v1/bodies?kind=consultative_group").get_json()
    assert [b["name"] for b in groups["items"]] == ["Carers Forum"]
    limited = api.get("/api/v1/bodies?status=time_limited").get_json()
    assert [b["until"] for b in limited["items"]] == ["2027-03-31"]
    assert [b["name"] for b in api.get("/api/v1/bodies?q=forum").get_json()["items"]] == [
        "Carers Forum",
        "Mobility Forum",
    ]
    second = api.get("/api/v1/bodies?per_page=2&page=2").get_json()
    assert (second["total"], second["pages"], [b["name"] for b in second["items"]]) == (3, 2, ["Mobility Forum"])


def test_directory_refuses_bad_filters_and_unknown_parameters(api: ApiClient) -> None:
    assert_problem(api.get("/api/v1/bodies?kind=club"), 422, "kind")
    assert_problem(api.get("/api/v1/bodies?per_page=1000"), 422, "per_page")
    assert_problem(api.get("/api/v1/bodies?colour=red"), 422, "colour")


def test_establish_returns_the_body_with_its_version_and_location(api_both: ApiClient) -> None:
    response = api_both.post(
        "/api/v1/bodies",
        who="officer",
        json={
            "name": "Carers Forum",
            "kind": "consultative_group",
            "reason": "named in the framework",
            "annual_funding_pence": 3_833_900,
            "effective_date": "2013-09-01",
        },
    )
    assert response.status_code == 201
    outcome = response.get_json()
    body = outcome["record"]
    assert (outcome["command"], outcome["created"], outcome["id"]) == ("establish_body", True, body["id"])
    assert outcome["version"] == body["version"] == 1 and response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/v1/bodies/{body['id']}"
    assert response.headers["Hub-Log-Position"] == str(outcome["position"])
    assert body["annual_funding_pence"] == 3_833_900 and isinstance(body["annual_funding_pence"], int)
    assert body["established_on"] == "2013-09-01"
    assert api_both.get(response.headers["Location"]).get_json()["name"] == "Carers Forum"


def test_establish_names_each_invalid_field(api: ApiClient) -> None:
    problem = assert_problem(
        api.post(
            "/api/v1/bodies",
            who="officer",
            json={"kind": "club", "annual_funding_pence": 12.5, "colour": "red", "reason": " "},
        ),
        422,
        "name",
        "kind",
        "annual_funding_pence",
        "colour",
        "reason",
    )
    assert problem["errors"]["name"] == ["enter the body's name"]
    # A domain rule that needs the whole request names its field too (rule A5).
    problem = assert_problem(
        api.post(
            "/api/v1/bodies",
            who="officer",
            json={"name": "Mobility Forum", "kind": "task_and_finish_group", "reason": "r"},
        ),
        422,
        "until",
    )
    assert problem["rule"] == "A5"
    assert_problem(api.post("/api/v1/bodies", who="officer", data="not json", content_type="application/json"), 400)


def test_establish_needs_a_token_and_the_role(api: ApiClient) -> None:
    payload = {"name": "Carers Forum", "kind": "consultative_group", "reason": "r"}
    anonymous = assert_problem(api.post("/api/v1/bodies", json=payload), 401)
    assert "token" in anonymous["detail"]
    assert api.post("/api/v1/bodies", json=payload).headers["WWW-Authenticate"].startswith("Bearer")
    refused = assert_problem(api.post("/api/v1/bodies", who="director", json=payload), 403)
    assert re.fullmatch(r"an? executive director may not establish a body", refused["detail"])
    assert api.get("/api/v1/bodies").get_json()["total"] == 0


def test_the_same_body_cannot_be_established_twice(api: ApiClient) -> None:
    api.establish("Carers Forum")
    assert_problem(
        api.post("/api/v1/bodies", who="officer", json={"name": "carers  forum", "kind": "subgroup", "reason": "r"}),
        409,
    )


def test_a_body_shows_members_only_to_signed_in_callers(api: ApiClient) -> None:
    body = api.establish()
    added = api.post(
        f"/api/v1/bodies/{body['id']}/members",
        who="officer",
        if_match=1,
        json={"person": "Sam Carer", "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
    )
    assert added.status_code == 201
    public = api.get(f"/api/v1/bodies/{body['id']}").get_json()
    assert "members" not in public and public["member_count"] == 1
    signed_in = api.get(f"/api/v1/bodies/{body['id']}", who="auditor").get_json()
    assert [m["person"] for m in signed_in["members"]] == ["Sam Carer"]
    assert_problem(api.get("/api/v1/bodies/00000000-0000-0000-0000-000000000000"), 404)
    assert_problem(api.get("/api/v1/bodies/not-a-uuid"), 404)


def test_as_at_gives_the_body_as_the_record_stood(api: ApiClient) -> None:
    body = api.establish(annual_funding_pence=1_855_000)
    before_change = api.clock.now
    api.clock.advance(days=1)
    changed = api.post(
        f"/api/v1/bodies/{body['id']}/changes/funding",
        who="officer",
        if_match=1,
        json={"annual_funding_pence": 3_000_000, "reason": "new contract"},
    )
    assert changed.get_json()["record"]["annual_funding_pence"] == 3_000_000
    then = api.get(f"/api/v1/bodies/{body['id']}", query_string={"as_at": before_change.isoformat()}).get_json()
    assert (then["version"], then["annual_funding_pence"]) == (1, 1_855_000)
    assert then["as_at"].startswith(before_change.date().isoformat())
    earlier = (before_change - timedelta(days=30)).isoformat()
    assert_problem(api.get(f"/api/v1/bodies/{body['id']}", query_string={"as_at": earlier}), 404)
    assert_problem(api.get(f"/api/v1/bodies/{body['id']}?as_at=yesterday"), 422, "as_at")


def test_history_is_oldest_first_with_actor_time_and_reason(api: ApiClient) -> None:
    body = api.establish()
    api.post(
        f"/api/v1/bodies/{body['id']}/members",
        who="officer",
        if_match=1,
        json={"person": "Sam Carer", "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
    )
    api.post(
        f"/api/v1/bodies/{body['id']}/changes/end",
        who="officer",
        if_match=2,
        json={"reason": "no longer needed", "effective_date": "2026-09-01"},
    )
    signed_in = api.get(f"/api/v1/bodies/{body['id']}/history", who="auditor").get_json()
    assert [e["change"] for e in signed_in["entries"]] == ["established", "member_joined", "ended"]
    ended = signed_in["entries"][-1]
    assert (ended["actor"], ended["reason"], ended["effective_date"]) == ("officer", "no longer needed", "2026-09-01")
    assert ended["recorded_at"].endswith("+00:00")
    public = api.get(f"/api/v1/bodies/{body['id']}/history").get_json()
    assert public["public_only"] and [e["change"] for e in public["entries"]] == ["established", "ended"]
    assert_problem(api.get("/api/v1/bodies/00000000-0000-0000-0000-000000000000/history"), 404)


# Each governance change of App. 8 (rule F1) is posted to its own path: /bodies/{id}/changes/<change>.
CHANGES = [
    ("terms-of-reference", {"text": "We meet twice a year."}, "terms_of_reference", "We meet twice a year."),
    ("funding", {"annual_funding_pence": None}, "annual_funding_pence", None),
    ("extend-contract", {"until": "2027-03-31", "break_clause_months": 3}, "contract_end", "2027-03-31"),
    (
        "transform",
        {"into": "task_and_finish_group", "until": "2027-03-31", "task": "a strategy"},
        "status",
        "time_limited",
    ),
    ("self-funding-option", {"council_funding_until": "2027-03-31"}, "self_funding_option_until", "2027-03-31"),
    ("transfer-to-provider-forum", {"under": "the Provider Forum"}, "kind", "provider_forum"),
    ("maintain", {"as": "a consultative group"}, "status", "active"),
    ("end", {"remove_council_support": True}, "status", "ended"),
]
COMMAND_OF_CHANGE = {
    "terms-of-reference": "adopt_terms_of_reference",
    "funding": "change_funding",
    "extend-contract": "extend_contract",
    "transform": "transform_body",
    "self-funding-option": "give_self_funding_option",
    "transfer-to-provider-forum": "transfer_to_provider_forum",
    "maintain": "maintain_body",
    "end": "end_body",
}


@pytest.mark.parametrize(("change", "fields", "column", "value"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_governance_change(api: ApiClient, change: str, fields: dict, column: str, value: object) -> None:
    body = api.establish("Carers Partnership Group", "partnership_board", annual_funding_pence=1_000)
    response = api.post(
        f"/api/v1/bodies/{body['id']}/changes/{change}",
        who="officer",
        if_match='"1"',
        json={"reason": "Appendix 8", "decided_by": "Portfolio Holder", **fields},
    )
    assert response.status_code == 200, response.get_json()
    outcome = response.get_json()
    assert outcome["record"][column] == value
    assert (outcome["command"], outcome["id"], outcome["created"]) == (COMMAND_OF_CHANGE[change], body["id"], False)
    assert outcome["version"] == 2 and response.headers["ETag"] == '"2"'
    assert outcome["record"]["version"] == 2
    assert "Location" not in response.headers


def test_replace_merge_and_correct(api: ApiClient) -> None:
    old = api.establish("Carers Partnership Group", "partnership_board")
    new = api.establish("Carers Strategy", "task_and_finish_group", until="2014-03-31")
    other = api.establish("Disability Strategy Group", "partnership_board")
    target = api.establish("Adult Services Conference", "stakeholder_conference")
    replaced = api.post(
        f"/api/v1/bodies/{old['id']}/changes/replace",
        who="officer",
        if_match=1,
        json={"successor_id": new["id"], "reason": "the framework"},
    ).get_json()
    assert replaced["command"] == "replace_body"
    assert (replaced["record"]["status"], replaced["record"]["successor_name"]) == ("replaced", "Carers Strategy")
    merged = api.post(
        f"/api/v1/bodies/{other['id']}/changes/merge",
        who="officer",
        if_match=1,
        json={"target_id": target["id"], "reason": "the framework"},
    ).get_json()
    assert merged["command"] == "merge_body" and merged["record"]["status"] == "merged"
    corrected = api.post(
        f"/api/v1/bodies/{other['id']}/changes/correct",
        who="admin",
        if_match=2,
        json={"corrects_version": 1, "field": "purpose", "value": "Disability", "reason": "typo"},
    )
    assert corrected.status_code == 200 and corrected.get_json()["record"]["purpose"] == "Disability"
    assert corrected.get_json()["version"] == 3
    # An ended body accepts only corrections.
    refused = api.post(
        f"/api/v1/bodies/{other['id']}/changes/maintain",
        who="officer",
        if_match=3,
        json={"reason": "r"},
    )
    assert_problem(refused, 422)


def test_changes_refuse_bad_input(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/changes"
    # The change is named by its path: an unknown change has no path, and `type` is no longer a field.
    assert_problem(api.post(f"{url}/abolish", who="officer", if_match=1, json={"reason": "r"}), 404)
    assert_problem(api.post(url, who="officer", if_match=1, json={"type": "end", "reason": "r"}), 404)
    assert_problem(api.post(f"{url}/end", who="officer", if_match=1, json={"type": "end", "reason": "r"}), 422, "type")
    assert_problem(
        api.post(f"{url}/funding", who="officer", if_match=1, json={}), 422, "reason", "annual_funding_pence"
    )
    assert_problem(
        api.post(f"{url}/end", who="officer", if_match=1, json={"reason": "r", "colour": "red"}), 422, "colour"
    )
    assert_problem(
        api.post(f"{url}/funding", who="officer", if_match=1, json={"annual_funding_pence": 1.5, "reason": "r"}),
        422,
        "annual_funding_pence",
    )
    # A body that is not a JSON object is a malformed request.
    not_an_object = assert_problem(api.post(f"{url}/end", who="officer", if_match=1, json=["end"]), 400)
    assert "JSON object" in not_an_object["detail"]
    assert api.get(f"/api/v1/bodies/{body['id']}").get_json()["version"] == 1


def test_changes_need_if_match_and_refuse_a_stale_version(api_both: ApiClient) -> None:
    body = api_both.establish()
    url = f"/api/v1/bodies/{body['id']}/changes/funding"
    change = {"annual_funding_pence": 500, "reason": "r"}
    assert_problem(api_both.post(url, who="officer", json=change), 428)
    assert_problem(api_both.post(url, who="officer", if_match="latest", json=change), 400)
    # Two officers read version 1; the first change wins, the second is refused and names the body.
    assert api_both.post(url, who="officer", if_match='W/"1"', json=change).status_code == 200
    stale = assert_problem(api_both.post(url, who="admin", if_match=1, json={**change, "annual_funding_pence": 9}), 409)
    assert stale["resource"] == {"id": body["id"], "name": "Carers Forum"}
    assert stale["current_version"] == 2
    assert api_both.get(f"/api/v1/bodies/{body['id']}").get_json()["annual_funding_pence"] == 500


def test_changes_need_the_role(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/changes/end"
    refused = assert_problem(api.post(url, who="auditor", if_match=1, json={"reason": "r"}), 403)
    assert re.fullmatch(r"an? auditor may not end the body", refused["detail"])
    assert_problem(api.post(url, if_match=1, json={"reason": "r"}), 401)
    assert api.get(f"/api/v1/bodies/{body['id']}").get_json()["status"] != "ended"


def test_members_join_and_leave_with_the_share_warning(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/members"
    joined = api.post(
        url,
        who="officer",
        if_match=1,
        json={
            "person": "Dr Lee",
            "role": "agency_representative",
            "representation": "relevant_partner_agency",
            "effective_date": "2026-03-02",
            "position": "CCG",
        },
    )
    assert joined.status_code == 201
    result = joined.get_json()
    assert result["command"] == "add_member" and result["created"] is False
    assert "70%" in result["warning"] and result["version"] == 2 and result["record"]["version"] == 2
    assert joined.headers["ETag"] == '"2"'
    member_id = result["member_id"]
    assert [m["member_id"] for m in result["record"]["members"]] == [member_id]

    # A member leaves by a POST to the removals (DELETE with a query string is gone).
    removals = f"{url}/removals"
    leaving = {"member_id": member_id, "effective_date": "2026-04-01", "reason": "moved"}
    assert_problem(api.post(removals, who="officer", json=leaving), 428)
    assert_problem(api.post(removals, who="officer", if_match=2, json={**leaving, "reason": None}), 422, "reason")
    assert_problem(
        api.post(removals, who="officer", if_match=2, json={"member_id": member_id, "effective_date": "2026-04-01"}),
        422,
        "reason",
    )
    assert_problem(api.delete(f"{url}/{member_id}", who="officer", if_match=2), 404)  # no DELETE any more
    left = api.post(removals, who="officer", if_match=2, json=leaving)
    assert left.status_code == 200, left.get_json()
    out = left.get_json()
    assert (out["command"], out["member_id"], out["version"]) == ("remove_member", member_id, 3)
    assert out["record"]["members"][0]["left_on"] == "2026-04-01"
    nobody = {"member_id": "nobody", "effective_date": "2026-04-01", "reason": "r"}
    assert_problem(api.post(removals, who="officer", if_match=3, json=nobody), 422)


def test_membership_refusals(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/members"
    member = {"person": "Sam", "role": "member", "representation": "carer", "effective_date": "2026-03-02"}
    assert_problem(api.post(url, who="officer", if_match=1, json={**member, "role": "boss"}), 422, "role")
    assert_problem(api.post(url, who="care", if_match=1, json=member), 403)
    assert_problem(api.post(url, who="officer", if_match=7, json=member), 409)
    assert_problem(api.post(url, json=member), 401)


def test_elections_set_the_chair(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/members"
    ids = []
    for version, person in ((1, "Ann"), (2, "Bob")):
        response = api.post(
            url,
            who="officer",
            if_match=version,
            json={"person": person, "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
        )
        ids.append(response.get_json()["member_id"])
    elected = api.post(
        f"/api/v1/bodies/{body['id']}/elections",
        who="officer",
        if_match=3,
        json={"chair_id": ids[0], "vice_chair_id": ids[1], "election_date": "2026-03-02"},
    )
    assert elected.status_code == 201, elected.get_json()
    assert elected.get_json()["command"] == "record_election" and elected.get_json()["version"] == 4
    assert elected.get_json()["record"]["chair"] == "Ann"
    assert_problem(
        api.post(
            f"/api/v1/bodies/{body['id']}/elections",
            who="officer",
            if_match=4,
            json={"chair_id": ids[0], "vice_chair_id": ids[0], "election_date": "2026-03-02"},
        ),
        422,
    )


def test_propose_then_decide_over_the_api(api: ApiClient) -> None:
    body = api.establish("Carers Partnership Board", "partnership_board")
    url = f"/api/v1/bodies/{body['id']}"
    proposed = api.post(
        f"{url}/proposals",
        who="officer",
        if_match=1,
        json={"change": "end_body", "reason": "Replaced by the Carers Forum", "effective_date": "2026-09-01"},
    )
    assert proposed.status_code == 201, proposed.get_json()
    assert (proposed.get_json()["command"], proposed.get_json()["number"]) == ("propose_change", 1)
    assert proposed.get_json()["record"]["status"] == "active"
    # An officer proposes; deciding is for the Portfolio Holders and the Executive Director (F4).
    decision = {"number": 1, "outcome": "approved", "decided_by": "Portfolio Holder", "decision_ref": "CS26/9"}
    assert_problem(api.post(f"{url}/proposals/decisions", who="officer", if_match=2, json=decision), 403)
    decided = api.post(f"{url}/proposals/decisions", who="care", if_match=2, json=decision)
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["record"]["status"] == "ended"
    wrong = api.post(
        f"{url}/proposals", who="officer", if_match=decided.headers["ETag"], json={"change": "end_body", "reason": "r"}
    )
    assert_problem(wrong, 422)


def test_the_officer_sets_the_bodys_quorum(api_both: ApiClient) -> None:
    body = api_both.establish()
    url = f"/api/v1/bodies/{body['id']}/quorum"
    assert body["quorum"] is None  # the usual quorum until one is set (AMB-Q)
    for version, person in ((1, "Ann"), (2, "Bob"), (3, "Cy")):
        joined = api_both.post(
            f"/api/v1/bodies/{body['id']}/members",
            who="officer",
            if_match=version,
            json={"person": person, "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
        )
        assert joined.status_code == 201, joined.get_json()
    setting = {"quorum": 2, "reason": "Agreed at the annual meeting"}
    assert_problem(api_both.post(url, who="officer", if_match=4, json={"quorum": 2}), 422, "reason")
    for bad in (0, 501, 2.5, "2", True):
        assert_problem(api_both.post(url, who="officer", if_match=4, json={**setting, "quorum": bad}), 422, "quorum")
    too_many = assert_problem(api_both.post(url, who="officer", if_match=4, json={**setting, "quorum": 4}), 422)
    assert "from 1 to the 3 voting members" in str(too_many) and "AMB-Q" in str(too_many)
    assert_problem(api_both.post(url, who="care", if_match=4, json=setting), 403)
    assert_problem(api_both.post(url, json=setting), 401)
    assert_problem(api_both.post(url, who="officer", if_match=3, json=setting), 409)
    done = api_both.post(url, who="officer", if_match=4, json=setting)
    assert done.status_code == 200, done.get_json()
    out = done.get_json()
    assert (out["command"], out["version"], out["record"]["quorum"]) == ("set_quorum", 5, 2)
    assert api_both.get(f"/api/v1/bodies/{body['id']}").get_json()["quorum"] == 2
    history = api_both.get(f"/api/v1/bodies/{body['id']}/history", who="officer").get_json()["entries"]
    assert history[-1]["sentence"] == "Quorum set from the usual third of the voting members to 2 voting members"
    assert history[-1]["reason"] == "Agreed at the annual meeting"


def test_the_statutory_function_needs_its_decision_and_then_shows_on_the_body(api_both: ApiClient) -> None:
    """Rule A11 through the API, on both databases: refused without the decision's reference (nothing
    saved), then held from its date; the body, both now and as it stood, says so."""
    body = api_both.establish("Children's Services Conference", "stakeholder_conference")
    path = f"/api/v1/bodies/{body['id']}/changes/statutory-function"
    fields = {
        "reason": "The Children Act duty stands",
        "effective_date": "2013-09-01",
        "decided_by": "Council Executive",
    }
    problem = assert_problem(api_both.post(path, who="officer", if_match='"1"', json=fields), 422, "decision_ref")
    assert problem["rule"] == "A11" and "give the reference of the decision" in problem["errors"]["decision_ref"][0]
    assert api_both.get(f"/api/v1/bodies/{body['id']}").get_json()["version"] == 1
    response = api_both.post(path, who="officer", if_match='"1"', json={**fields, "decision_ref": "EX13/044"})
    assert response.status_code == 200, response.get_json()
    outcome = response.get_json()
    held = (
        "Children's Trust Board (Children Act 2004, section 12A) since 1 September 2013, "
        "decided by Council Executive, reference EX13/044"
    )
    assert outcome["command"] == "assign_statutory_function" and outcome["record"]["statutory_function"] == held
    again = api_both.post(path, who="officer", if_match='"2"', json={**fields, "decision_ref": "EX13/044"})
    assert "already holds the Children's Trust Board function" in str(assert_problem(again, 422))
