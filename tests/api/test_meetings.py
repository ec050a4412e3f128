"""/api/v1/meetings and /api/v1/files: the calendar and a meeting's life from agenda to approved minutes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from tests.api.conftest import ApiClient, assert_problem


def schedule(api: ApiClient, body_id: str, day: str, **extra: Any) -> dict[str, Any]:
    """Schedules a meeting of the body (POST /bodies/{id}/meetings) and returns the meeting as the answer gives it."""
    response = api.post(
        f"/api/v1/bodies/{body_id}/meetings",
        who="officer",
        json={"meeting_date": day, "start_time": "14:00", "place": "Civic Centre", **extra},
    )
    assert response.status_code == 201, response.get_json()
    outcome = response.get_json()
    assert (outcome["command"], outcome["created"]) == ("schedule_meeting", True)
    assert response.headers["Location"] == f"/api/v1/meetings/{outcome['id']}"
    return outcome["record"]


def upload(api: ApiClient, name: str, text: str = "The paper, in plain English.") -> dict[str, Any]:
    response = api.post(
        "/api/v1/files",
        who="officer",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_meeting_from_agenda_to_approved_minutes(api_both: ApiClient) -> None:
    api = api_both
    body = api.establish()
    first = schedule(api, body["id"], "2026-03-30")
    assert (first["version"], first["papers_due"], first["status"]) == (1, "2026-03-23", "scheduled")
    url = f"/api/v1/meetings/{first['id']}"
    etag = {"value": first["version"]}

    def step(path: str, payload: Any = None, status: int = 200) -> dict[str, Any]:
        # Each step sends the version the last one returned, as a client following ETags would.
        response = api.post(f"{url}{path}", who="officer", if_match=etag["value"], json=payload)
        assert response.status_code == status, response.get_json()
        etag["value"] = response.headers["ETag"]
        outcome = response.get_json()
        # The answer is the outcome: its own version (the ETag) and the meeting as the calendar shows it.
        assert response.headers["ETag"] == f'"{outcome["version"]}"' and outcome["id"] == first["id"]
        assert outcome["record"]["version"] == outcome["version"]
        return outcome

    assert step("/agenda-items", {"title": "Carers' breaks"}, 201)["number"] == 1
    assert step("/agenda-items", {"title": "A contract", "exemption_paragraph": 3}, 201)["number"] == 2
    paper = {"item": 1, "title": "Breaks report", "file": upload(api, "breaks.txt"), "summary": "What carers said"}
    assert step("/papers", paper, 201)["number"] == 1
    assert api.get(url).get_json()["agenda"] == []  # nothing public before the agenda is published (C4)

    published = step("/agenda/publication")
    assert (published["late"], published["due"]) == (False, "2026-03-23")
    public = api.get(url).get_json()
    assert [i["title"] for i in public["agenda"]] == ["Carers' breaks"]  # never the exempt item (G1)
    assert [p["title"] for p in public["agenda"][0]["papers"]] == ["Breaks report"]
    assert "version" not in public
    assert [i["title"] for i in api.get(url, who="auditor").get_json()["agenda"]] == ["Carers' breaks", "A contract"]

    api.clock.now = datetime(2026, 3, 30, 17, 0, tzinfo=UTC)
    attended = step("/attendance", {"present": ["Ann", "Bob"], "apologies": [{"person": "Cy", "substitute": "Di"}]})
    assert [a["person"] for a in attended["record"]["attendance"]][:2] == ["Ann", "Bob"]
    assert step("/decisions", {"item": 1, "text": "Agreed"}, 201)["number"] == 1
    assert step("/actions", {"description": "Write up", "owner": "Ann", "due": "2026-04-30"}, 201)["number"] == 1
    minutes = step("/minutes", {"file": upload(api, "minutes.txt", "Minutes")}, 201)
    assert minutes["record"]["minutes_status"] == "draft"
    assert step("/minutes/clearance", {"chair": "Ann"})["record"]["minutes_cleared_by"] == "Ann"
    out = step("/minutes/publication")
    assert out["late"] is False and out["record"]["minutes_status"] == "published"
    assert [d["text"] for d in api.get(url).get_json()["decisions"]] == ["Agreed"]  # public once minutes are out

    second = schedule(api, body["id"], "2026-09-28")
    api.clock.now = datetime(2026, 9, 28, 15, 0, tzinfo=UTC)
    approved = api.post(
        f"/api/v1/meetings/{second['id']}/minutes/approval",
        who="officer",
        if_match=1,
        json={"previous_meeting_id": first["id"]},
    )
    assert approved.status_code == 200, approved.get_json()
    assert api.get(url).get_json()["minutes_status"] == "approved"
    etag["value"] = api.get(url, who="officer").headers["ETag"]
    closed = step("/actions/closure", {"number": 1, "note": "Done"})
    assert closed["record"]["actions"][0]["status"] == "closed"


def test_the_calendar_is_public_with_public_columns(api: ApiClient) -> None:
    group = api.establish()
    board = api.establish("Carers Partnership Group", "partnership_board", open_to_public=True)
    closed = api.establish("Disability Strategy Group", "partnership_board", open_to_public=False)
    schedule(api, group["id"], "2026-03-30")
    schedule(api, board["id"], "2026-04-15")
    private = schedule(api, closed["id"], "2026-04-20")
    public = api.get("/api/v1/meetings").get_json()
    # A meeting of a body not open to the public is not on the public calendar (README: "What the public sees").
    assert [m["body_name"] for m in public["items"]] == ["Carers Forum", "Carers Partnership Group"]
    assert all("version" not in m and "lead_officer" not in m for m in public["items"])
    assert_problem(api.get(f"/api/v1/meetings/{private['id']}"), 404)
    signed_in = api.get("/api/v1/meetings?start=2026-04-01", who="auditor").get_json()
    assert [(m["body_name"], m["version"]) for m in signed_in["items"]] == [
        ("Carers Partnership Group", 1),
        ("Disability Strategy Group", 1),
    ]
    assert api.get(f"/api/v1/meetings/{private['id']}", who="auditor").status_code == 200
    assert api.get(f"/api/v1/meetings?body_id={group['id']}").get_json()["total"] == 1
    assert_problem(api.get("/api/v1/meetings?start=soon"), 422, "start")
    assert_problem(api.get("/api/v1/meetings/00000000-0000-0000-0000-000000000000"), 404)


def test_scheduling_is_validated_and_needs_the_role(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/meetings"
    good = {"meeting_date": "2026-03-30", "start_time": "14:00", "place": "Civic Centre"}
    # The body is named by the path now; a body_id in the JSON is not a field of the request.
    assert_problem(
        api.post(url, who="officer", json={**good, "start_time": "2pm", "body_id": None}),
        422,
        "start_time",
        "body_id",
    )
    assert_problem(api.post("/api/v1/bodies/not-a-uuid/meetings", who="officer", json=good), 404)
    assert_problem(api.post(url, who="officer", json={**good, "meeting_date": "2026-02-01"}), 422)
    assert_problem(api.post(url, who="lead-1", json=good), 403)
    assert_problem(api.post(url, json=good), 401)
    unknown = "/api/v1/bodies/00000000-0000-0000-0000-000000000000/meetings"
    assert_problem(api.post(unknown, who="officer", json=good), 404)
    assert_problem(api.post("/api/v1/meetings", who="officer", json={**good, "body_id": body["id"]}), 405)
    assert api.get("/api/v1/meetings").get_json()["total"] == 0


def test_meeting_steps_need_if_match_the_role_and_valid_input(api_both: ApiClient) -> None:
    body = api_both.establish()
    meeting = schedule(api_both, body["id"], "2026-03-30")
    url = f"/api/v1/meetings/{meeting['id']}/agenda-items"
    assert_problem(api_both.post(url, who="officer", json={"title": "t"}), 428)
    assert_problem(api_both.post(url, who="officer", if_match=1, json={"title": "t", "exemption_paragraph": 9}), 422)
    assert_problem(api_both.post(url, who="auditor", if_match=1, json={"title": "t"}), 403)
    assert api_both.post(url, who="officer", if_match=1, json={"title": "t"}).status_code == 201
    stale = assert_problem(api_both.post(url, who="officer", if_match=1, json={"title": "u"}), 409)
    assert stale["resource"]["name"].startswith("Carers Forum on 30 March 2026")


def test_uploads_are_checked(api: ApiClient) -> None:
    page = io.BytesIO(b"<html><script>alert(1)</script></html>")
    refused = api.post(
        "/api/v1/files", who="officer", data={"file": (page, "page.html")}, content_type="multipart/form-data"
    )
    assert_problem(refused, 422, "file")
    assert_problem(api.post("/api/v1/files", who="officer", data={}, content_type="multipart/form-data"), 422, "file")
    anonymous = api.post(
        "/api/v1/files", data={"file": (io.BytesIO(b"x"), "x.txt")}, content_type="multipart/form-data"
    )
    assert_problem(anonymous, 401)
    lead = api.post(
        "/api/v1/files", who="lead-1", data={"file": (io.BytesIO(b"x"), "x.txt")}, content_type="multipart/form-data"
    )
    assert_problem(lead, 403)
    ref = upload(api, "notes.txt", "Notes")
    assert (ref["size"], ref["content_type"], ref["filename"]) == (5, "text/plain; charset=utf-8", "notes.txt")
