"""Responding to a consultation through the JSON API (rule A4), on SQLite and PostgreSQL: a panel member's
signed link is their authority (no token): read the questions, save and come back, send once; anonymous
responses where allowed; each refusal a problem document with its status (403, 404, 409, 410, 422)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.panel_links import PanelLinks
from application.reminders.commands import SCHEDULER
from tests.api.conftest import ApiClient, assert_problem


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _published(api: ApiClient, *, anonymous: bool, tag: str = "") -> tuple[str, list[str]]:
    """A published consultation with a required choice and an optional free text, and two panel members."""
    members = [
        _created(api.post("/api/v1/panel-members", who="officer", json={
            "name": name, "email": f"{name.split()[0].lower()}{tag}@example.org", "consent_on": "2026-03-01"}))["id"]
        for name in ("Rhiannon Pryce", "Tomasz Nowak")
    ]  # fmt: skip
    drafted = _created(api.post("/api/v1/consultations", who="officer", json={
        "title": "Library hours", "summary": "When should libraries open?", "concerns": "Libraries",
        "audience": "whole_panel", "opens_on": "2026-03-02", "closes_on": "2026-03-20",
        "anonymous_allowed": anonymous}))  # fmt: skip
    cid, version = drafted["id"], drafted["version"]
    for question in (
        {"question": "Which day?", "kind": "single_choice", "options": ["Saturday", "Sunday"], "required": True},
        {"question": "Anything else?", "kind": "free_text"},
    ):
        version = _created(
            api.post(f"/api/v1/consultations/{cid}/questions", who="officer", if_match=version, json=question)
        )["version"]
    published = api.post(f"/api/v1/consultations/{cid}/publication", who="officer", if_match=version)
    assert published.status_code == 200, published.get_json()
    return cid, members


def test_a_panel_member_reads_saves_comes_back_and_sends_once(api_both: ApiClient) -> None:
    api = api_both
    cid, (rhiannon, tomasz) = _published(api, anonymous=False)
    links = PanelLinks(api.app.secret_key)  # type: ignore[arg-type]
    mine = f"/api/v1/responses/{links.make('respond', UUID(rhiannon), UUID(cid))}"

    asked = api.get(mine)
    assert asked.status_code == 200, asked.get_json()
    body = asked.get_json()
    assert body["title"] == "Library hours" and [q["text"] for q in body["questions"]] == [
        "Which day?",
        "Anything else?",
    ]
    assert body["answers"] == {} and "Rhiannon" not in asked.get_data(as_text=True)

    saved = api.call("PUT", mine, json={"answers": {"2": "Later on Thursdays"}, "submit": False})
    assert saved.status_code == 200 and saved.get_json()["submitted"] is False
    assert api.get(mine).get_json()["answers"] == {"2": "Later on Thursdays"}
    # Sending needs the required question answered, named in the problem.
    assert_problem(api.call("PUT", mine, json={"answers": {"2": "Later on Thursdays"}}), 422, "q1")
    sent = api.call("PUT", mine, json={"answers": {"1": "Saturday", "2": "Later on Thursdays"}})
    assert sent.status_code == 200 and sent.get_json()["submitted"] is True
    assert_problem(api.call("PUT", mine, json={"answers": {"1": "Sunday"}}), 409)
    assert_problem(api.get(mine), 409)

    # The other member's link is theirs alone; a changed link is refused.
    theirs = links.make("respond", UUID(tomasz), UUID(cid))
    assert_problem(api.get(f"/api/v1/responses/{theirs[:-3]}xyz"), 403)
    assert_problem(api.call("PUT", f"/api/v1/responses/{links.make('leave', UUID(tomasz))}", json={"answers": {}}), 403)
    # Not an answer to a question it has, nor an unknown field.
    assert_problem(api.call("PUT", f"/api/v1/responses/{theirs}", json={"answers": {"7": "x"}}), 422, "answers")
    assert_problem(api.call("PUT", f"/api/v1/responses/{theirs}", json={"answers": {}, "name": "x"}), 422, "name")

    # Once closed, the link is refused as gone (410).
    api.clock.advance(days=19)
    assert api.services.hub.close_due(SCHEDULER, [UUID(cid)]) == [UUID(cid)]
    assert_problem(api.get(f"/api/v1/responses/{theirs}"), 410)
    api.services.refresh()
    results = api.get(f"/api/v1/consultations/{cid}/results", who="officer").get_json()
    assert results["responses"] == 1


def test_anonymous_responses_only_where_allowed_and_in_one_go(api: ApiClient) -> None:
    allowed, _ = _published(api, anonymous=True)
    sent = api.post(f"/api/v1/consultations/{allowed}/anonymous-responses", json={"answers": {"1": "Sunday"}})
    assert sent.status_code == 201, sent.get_json()
    assert_problem(
        api.post(
            f"/api/v1/consultations/{allowed}/anonymous-responses", json={"answers": {"1": "Sunday"}, "submit": False}
        ),
        422,
        "submit",
    )
    closed_to_public, _ = _published(api, anonymous=False, tag="2")
    assert_problem(
        api.post(f"/api/v1/consultations/{closed_to_public}/anonymous-responses", json={"answers": {"1": "Sunday"}}),
        403,
    )
    assert_problem(
        api.post(f"/api/v1/consultations/{UUID(int=7)}/anonymous-responses", json={"answers": {"1": "Sunday"}}), 404
    )
