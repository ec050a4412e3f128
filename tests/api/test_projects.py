"""/api/v1/projects: commissioning, the brief agreed, progress reports, completion (App. 7)."""

from __future__ import annotations

from tests.api.conftest import ApiClient, assert_problem, commission_body


def test_a_project_from_commission_to_completion(api_both: ApiClient) -> None:
    project = api_both.commission()
    assert project["key_risks"] == "Carers cannot attend in the day"
    assert (project["version"], project["brief_status"], project["commissioned_by"]) == (
        1,
        "awaiting agreement",
        "Portfolio Holder for Care Services",
    )
    url = f"/api/v1/projects/{project['id']}"
    agreed = api_both.post(f"{url}/brief-agreement", who="director", if_match=1, json={"agreed_on": "2026-03-02"})
    assert agreed.status_code == 200 and agreed.get_json()["record"]["brief_agreed_on"] == "2026-03-02"
    assert (agreed.get_json()["command"], agreed.get_json()["version"]) == ("agree_brief", 2)
    report = {
        "period_start": "2026-03-01",  # a period that has begun (D4): "today" is 2 March 2026
        "period_end": "2026-05-31",
        "milestones_achieved": "Carers surveyed",
        "issues_and_concerns": "none",
        "rag": "amber",
        "percent_complete": 30,
    }
    reported = api_both.post(f"{url}/progress-reports", who="lead-1", if_match=agreed.headers["ETag"], json=report)
    assert reported.status_code == 201, reported.get_json()
    assert reported.get_json()["version"] == 3 and reported.headers["ETag"] == '"3"'
    assert "Location" not in reported.headers  # a report is added to the project, not a record of its own
    series = api_both.get(url, who="director").get_json()["reports"]
    assert [(r["rag"], r["percent_complete"], r["submitted_by"]) for r in series] == [("amber", 30, "lead-1")]
    done = api_both.post(
        f"{url}/completion-report",
        who="lead-1",
        if_match=3,
        json={"outcomes_achieved": "A strategy agreed", "completed_on": "2027-03-01"},
    )
    assert done.status_code == 201
    assert (done.get_json()["record"]["completed_on"], done.get_json()["version"]) == ("2027-03-01", 4)
    assert done.get_json()["record"]["version"] == 4


def test_projects_are_read_by_signed_in_callers(api: ApiClient) -> None:
    project = api.commission()
    api.commission("SEND Reform", lead="lead-2")
    assert_problem(api.get("/api/v1/projects"), 401)
    assert_problem(api.get(f"/api/v1/projects/{project['id']}"), 401)
    listed = api.get("/api/v1/projects", who="auditor").get_json()
    assert listed["total"] == 2
    assert [p["title"] for p in api.get("/api/v1/projects?lead=lead-2", who="auditor").get_json()["items"]] == [
        "SEND Reform"
    ]
    assert api.get(f"/api/v1/projects/{project['id']}", who="lead-1").headers["ETag"] == '"1"'
    assert_problem(api.get("/api/v1/projects/00000000-0000-0000-0000-000000000000", who="auditor"), 404)


def test_commissioning_validates_the_brief(api: ApiClient) -> None:
    body = commission_body()
    del body["brief"]["key_risks"]
    body["brief"]["outcomes"] = ""
    assert_problem(api.post("/api/v1/projects", who="care", json=body), 422, "brief.key_risks", "brief.outcomes")
    backwards = commission_body(start_date="2027-04-01", end_date="2026-04-01")
    problem = assert_problem(api.post("/api/v1/projects", who="care", json=backwards), 422, "brief.end_date")
    assert problem["rule"] == "D2"
    assert_problem(api.post("/api/v1/projects", who="care", json={**commission_body(), "budget": 5}), 422, "budget")


def test_only_commissioners_commission_and_only_the_director_agrees(api: ApiClient) -> None:
    assert_problem(api.post("/api/v1/projects", who="officer", json=commission_body()), 403)
    assert_problem(api.post("/api/v1/projects", json=commission_body()), 401)
    project = api.commission()
    url = f"/api/v1/projects/{project['id']}/brief-agreement"
    assert_problem(api.post(url, who="care", if_match=1, json={}), 403)
    assert_problem(api.post(url, who="director", json={}), 428)
    assert_problem(api.post(url, who="director", if_match=2, json={}), 409)
    assert api.post(url, who="director", if_match=1, json={}).status_code == 200
    assert_problem(api.post(url, who="director", if_match=2, json={}), 422)  # agreed once only


def test_progress_reports_are_the_leads_and_validated(api: ApiClient) -> None:
    project = api.commission()
    api.post(f"/api/v1/projects/{project['id']}/brief-agreement", who="director", if_match=1, json={})
    url = f"/api/v1/projects/{project['id']}/progress-reports"
    report = {
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "milestones_achieved": "m",
        "issues_and_concerns": "none",
        "rag": "green",
        "percent_complete": 10,
    }
    assert_problem(api.post(url, who="director", if_match=2, json=report), 403)
    assert_problem(
        api.post(url, who="lead-1", if_match=2, json={**report, "rag": "blue", "percent_complete": 101}),
        422,
        "rag",
        "percent_complete",
    )
    assert_problem(api.post(url, who="lead-1", if_match=1, json=report), 409)
    assert_problem(
        api.post(
            f"/api/v1/projects/{project['id']}/completion-report", who="lead-1", if_match=2, json={"outcomes": "x"}
        ),
        422,
        "outcomes",
        "outcomes_achieved",
    )


def test_only_the_lead_reports_on_a_project(api: ApiClient) -> None:
    project = api.commission()
    api.post(f"/api/v1/projects/{project['id']}/brief-agreement", who="director", if_match=1, json={})
    report = {
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "milestones_achieved": "m",
        "issues_and_concerns": "none",
        "rag": "green",
        "percent_complete": 10,
    }
    url = f"/api/v1/projects/{project['id']}/progress-reports"
    assert "only the lead" in assert_problem(api.post(url, who="lead-2", if_match=2, json=report), 403)["detail"]
    completion = {"outcomes_achieved": "x"}
    done = api.post(f"/api/v1/projects/{project['id']}/completion-report", who="lead-2", if_match=2, json=completion)
    assert "only the lead" in assert_problem(done, 403)["detail"]
    assert api.get(f"/api/v1/projects/{project['id']}", who="lead-1").get_json()["version"] == 2


def test_the_timeframe_can_be_extended_by_a_commissioner(api: ApiClient) -> None:
    project = api.commission()
    url = f"/api/v1/projects/{project['id']}/timeframe-extension"
    extended = api.post(url, who="director", if_match=1, json={"new_end_date": "2027-09-30", "reason": "consultation"})
    assert extended.status_code == 200 and extended.get_json()["record"]["end_date"] == "2027-09-30"
    assert_problem(api.post(url, who="lead-1", if_match=2, json={"new_end_date": "2028-01-01", "reason": "r"}), 403)


def test_idempotency_key_returns_the_first_response(api_both: ApiClient) -> None:
    headers = {"Idempotency-Key": "commission-carers-1"}
    first = api_both.post("/api/v1/projects", who="care", json=commission_body(), headers=headers)
    again = api_both.post("/api/v1/projects", who="care", json=commission_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api_both.get("/api/v1/projects", who="care").get_json()["total"] == 1
    different = api_both.post("/api/v1/projects", who="care", json=commission_body("Other"), headers=headers)
    assert_problem(different, 422)
    # Keys are the caller's own: another user's same key is a new request.
    other = api_both.post("/api/v1/projects", who="education", json=commission_body("Other"), headers=headers)
    assert other.status_code == 201
    assert api_both.get("/api/v1/projects", who="care").get_json()["total"] == 2


def test_a_failed_request_releases_its_idempotency_key(api: ApiClient) -> None:
    headers = {"Idempotency-Key": "k-1"}
    bad = commission_body()
    bad["brief"]["end_date"] = "not a date"
    assert_problem(api.post("/api/v1/projects", who="care", json=bad, headers=headers), 422, "brief.end_date")
    assert api.post("/api/v1/projects", who="care", json=commission_body(), headers=headers).status_code == 201
    assert_problem(
        api.post("/api/v1/projects", who="care", json=commission_body(), headers={"Idempotency-Key": ""}), 400
    )
