"""Rule A4 through the pages (Flask's test client, a real SQLite file): an officer adds panel members,
drafts and publishes a consultation; panel members respond through their links (save and come back,
send once); each refusal shows its message; results, CSV, the outcome and the public page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from application.authority import Role
from application.panel_links import PanelLinks
from application.reminders.commands import SCHEDULER
from domain.actor import Actor
from projections.queries.consultations import open_consultation_ids
from tests.conftest import Clock
from tests.ui.conftest import csrf_token, signed_in


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    # The token belongs to the browser's session, whichever form gave it (a refused link shows none).
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/panel/join")})


def _created(response: Any, prefix: str) -> UUID:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(prefix + r"/([0-9a-f-]{36})", response.headers["Location"])
    assert found, response.headers["Location"]
    return UUID(found.group(1))


def _add_member(officer: FlaskClient, name: str, email: str) -> UUID:
    response = _post(
        officer,
        "/panel/add",
        {"name": name, "email": email, "consent_on-day": "1", "consent_on-month": "3", "consent_on-year": "2026",
         "interests": "Day services\nCarers"},
    )  # fmt: skip
    return _created(response, "/panel-members")


def _published(officer: FlaskClient, title: str) -> UUID:
    """An officer drafts a consultation with three questions and publishes it to the whole panel."""
    response = _post(
        officer,
        "/consultations/new",
        {"title": title, "summary": "Should day centres open at weekends?",
         "concerns": "Adult day services", "audience": "whole_panel", "opens_on-day": "2", "opens_on-month": "3",
         "opens_on-year": "2026", "closes_on-day": "20", "closes_on-month": "3", "closes_on-year": "2026",
         "anonymous_allowed": "yes"},
    )  # fmt: skip
    cid = _created(response, "/consultations")
    base = f"/consultations/{cid}"
    questions = [
        {
            "question": "Which days suit you?",
            "kind": "multiple_choice",
            "options": "Saturday\nSunday",
            "required": "yes",
        },
        {"question": "How good is the service now?", "kind": "scale"},
        {"question": "Anything else?", "kind": "free_text"},
    ]
    for version, question in enumerate(questions, start=1):
        response = _post(officer, f"{base}/add-question", {**question, "expected_version": str(version)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = _post(officer, f"{base}/publish-consultation", {"expected_version": str(len(questions) + 1)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = officer.get(base).get_data(as_text=True)
    assert "Open for responses" in page and " invited" in page
    return cid


@pytest.fixture(scope="module")
def story(app: Flask) -> dict[str, Any]:
    """Two panel members and an officer's consultation, published to them."""
    officer = signed_in(app, "officer")
    alice = _add_member(officer, "Alice Panel", "alice.panel@example.org")
    bob = _add_member(officer, "Bob Panel", "bob.panel@example.org")
    cid = _published(officer, "Weekend day centres")
    links = PanelLinks(app.secret_key)  # type: ignore[arg-type]
    return {"officer": officer, "id": cid, "alice": alice, "bob": bob, "links": links}


def test_a_panel_member_saves_comes_back_and_sends_once(app: Flask, story: dict[str, Any]) -> None:
    client = app.test_client()
    path = f"/respond/{story['links'].make('respond', story['alice'], story['id'])}"
    page = client.get(path).get_data(as_text=True)
    assert "Weekend day centres" in page and "Save and come back later" in page and "Leave the panel" in page
    saved = _post(client, path, {"q1": "Saturday", "action": "save"})
    assert "Your answers are saved" in saved.get_data(as_text=True)
    again = app.test_client().get(path).get_data(as_text=True)  # another day, another browser: the same link
    assert re.search(r'value="Saturday"\s+checked', again)
    missing = _post(client, path, {"q2": "4", "action": "send"})
    assert missing.status_code == 400 and "Answer question 1: it is required" in missing.get_data(as_text=True)
    sent = _post(client, path, {"q1": ["Saturday", "Sunday"], "q2": "4", "q3": "Open later on Sundays"})
    assert "Response sent" in sent.get_data(as_text=True)
    twice = _post(client, path, {"q1": "Sunday"})
    assert twice.status_code == 409 and "already responded" in twice.get_data(as_text=True)
    assert client.get(path).status_code == 409 or "already responded" in client.get(path).get_data(as_text=True)


def test_refusals_a_tampered_link_a_wrong_purpose_and_a_person_who_left(app: Flask, story: dict[str, Any]) -> None:
    client = app.test_client()
    token = story["links"].make("respond", story["bob"], story["id"])
    tampered = client.get(f"/respond/{token[:-3]}abc")
    assert tampered.status_code == 403 and "This link is not valid" in tampered.get_data(as_text=True)
    wrong = client.get(f"/respond/{story['links'].make('leave', story['bob'])}")
    assert wrong.status_code == 403 and "for something else" in wrong.get_data(as_text=True)
    stranger = PanelLinks("another key").make("respond", story["bob"], story["id"])
    assert client.get(f"/respond/{stranger}").status_code == 403
    officer = story["officer"]
    carol = _add_member(officer, "Carol Panel", "carol.panel@example.org")  # joined after: not invited
    late = client.get(f"/respond/{story['links'].make('respond', carol, story['id'])}")
    assert late.status_code == 403 and "not for this consultation" in late.get_data(as_text=True)
    leave = f"/panel/leave/{story['links'].make('leave', carol)}"
    assert "Leave the virtual service user panel" in client.get(leave).get_data(as_text=True)
    assert "You have left the panel" in _post(client, leave, {}).get_data(as_text=True)
    assert "Left" in officer.get("/panel").get_data(as_text=True)
    page = officer.get(f"/panel-members/{carol}").get_data(as_text=True)
    assert "Consented to be contacted" in page and "1 March 2026" in page and "carol.panel@example.org" in page


def test_an_anonymous_public_response(app: Flask, story: dict[str, Any]) -> None:
    client = app.test_client()
    path = f"/public/consultations/{story['id']}/respond"
    page = client.get(path).get_data(as_text=True)
    assert "Your response is anonymous" in page and "Save and come back later" not in page
    assert "Response sent" in _post(client, path, {"q1": "Sunday", "q2": "2"}).get_data(as_text=True)


def test_self_sign_up_needs_consent_and_a_confirmed_address(app: Flask) -> None:
    client = app.test_client()
    refused = _post(client, "/panel/join", {"name": "Dee Joiner", "email": "dee@example.org"})
    assert refused.status_code == 400 and "Tick the box to agree" in refused.get_data(as_text=True)
    bad = _post(client, "/panel/join", {"name": "Dee Joiner", "email": "not-an-address", "consent": "yes"})
    assert bad.status_code == 400 and "Enter an e-mail address" in bad.get_data(as_text=True)
    joined = _post(client, "/panel/join", {"name": "Dee Joiner", "email": "dee@example.org", "consent": "yes",
                                           "interests": "Carers"})  # fmt: skip
    assert "Check your e-mail" in joined.get_data(as_text=True)
    again = _post(client, "/panel/join", {"name": "Dee Again", "email": "DEE@example.org", "consent": "yes"})
    # The same answer for an address already on the panel: nobody learns who is on it.
    nonce = re.compile(r'nonce="[^"]+"')  # the pages differ only in their script nonce
    assert again.status_code == 200
    assert nonce.sub("", again.get_data(as_text=True)) == nonce.sub("", joined.get_data(as_text=True))
    services = app.extensions["partnership_hub"]
    assert [p.name for p in services.hub.panel.by_email("dee@example.org")] == ["Dee Joiner"]
    person = services.hub.panel.by_email("dee@example.org")[0]
    assert not person.active
    links = PanelLinks(app.secret_key)  # type: ignore[arg-type]
    confirm = f"/panel/confirm/{links.make('confirm', person.panel_member_id)}"
    # Opening the link (as a mail filter would) confirms nothing: the button does.
    opened = client.get(confirm)
    assert opened.status_code == 200 and "Confirm your place" in opened.get_data(as_text=True)
    assert not services.hub.panel.get(person.panel_member_id).active
    confirmed = _post(client, confirm, {})
    assert "You are on the panel" in confirmed.get_data(as_text=True)
    assert services.hub.panel.get(person.panel_member_id).active
    assert _post(client, confirm, {}).status_code == 409


def test_only_the_partnership_team_sees_the_panel(app: Flask) -> None:
    for user_id in ("auditor", "director", "demo-lead-1"):
        client = signed_in(app, user_id)
        assert client.get("/panel").status_code == 403
        assert client.get("/consultations").status_code == 403
        assert client.get("/consultations/new").status_code == 403
    assert signed_in(app, None).get("/panel").status_code == 302


def test_results_chart_table_csv_then_closed_on_schedule_and_the_outcome(app: Flask, story: dict[str, Any]) -> None:
    """Last in the file: it moves the clock past the close date."""
    officer, links = story["officer"], story["links"]
    cid = _published(officer, "Library opening hours")
    services = app.extensions["partnership_hub"]
    alice = f"/respond/{links.make('respond', story['alice'], cid)}"
    bob = f"/respond/{links.make('respond', story['bob'], cid)}"
    sent = {"q1": ["Saturday", "Sunday"], "q2": "4", "q3": "Open later on Sundays"}
    assert "Response sent" in _post(app.test_client(), alice, sent).get_data(as_text=True)
    assert "Response sent" in _post(app.test_client(), bob, {"q1": "Saturday", "q2": "5"}).get_data(as_text=True)
    public = f"/public/consultations/{cid}/respond"
    assert "Response sent" in _post(app.test_client(), public, {"q1": "Sunday"}).get_data(as_text=True)
    results = officer.get(f"/consultations/{cid}/results").get_data(as_text=True)
    assert "<svg" in results and 'role="img"' in results
    assert re.search(r"Saturday</th>\s*<td[^>]*>2</td>\s*<td[^>]*>66.7%</td>", results), results
    assert "Open later on Sundays" in results  # free text, for the officer
    download = officer.get(f"/consultations/{cid}/results.csv")
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][3].startswith("Q1.") and len(rows) == 4
    assert "alice" not in download.get_data(as_text=True).lower()

    # The scheduler closes it after its close date; a link then says it closed.
    clock: Clock = services.clock
    clock.advance(days=19)
    services.refresh()
    with services.reading() as connection:
        open_ids = open_consultation_ids(connection)
    assert cid in services.hub.close_due(SCHEDULER, open_ids)
    closed = app.test_client().get(bob)
    assert closed.status_code == 410 and "closed on 20 March 2026" in closed.get_data(as_text=True)

    services.refresh()
    form = officer.get(f"/consultations/{cid}/publish-outcome")
    assert form.status_code == 200
    version = re.search(r'name="expected_version" value="(\d+)"', form.get_data(as_text=True)).group(1)
    outcome = {"outcome": "Day centres will open on Saturdays from May.", "expected_version": version}
    response = _post(officer, f"/consultations/{cid}/publish-outcome", outcome)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    public = app.test_client().get(f"/public/consultations/{cid}").get_data(as_text=True)
    assert "You said, we did" in public and "Day centres will open on Saturdays from May." in public
    assert "<svg" in public and "66.7%" in public
    for private in ("Alice", "Bob", "example.org", "Open later on Sundays"):
        assert private not in public
    assert str(cid) in app.test_client().get("/public/consultations").get_data(as_text=True)


def test_search_finds_a_published_consultation_for_the_public_and_a_draft_only_for_officers(
    app: Flask, story: dict[str, Any]
) -> None:
    officer = story["officer"]
    response = _post(
        officer,
        "/consultations/new",
        {"title": "Unannounced transport review", "summary": "Draft wording", "concerns": "Transport",
         "audience": "whole_panel", "opens_on-day": "2", "opens_on-month": "3", "opens_on-year": "2026",
         "closes_on-day": "20", "closes_on-month": "3", "closes_on-year": "2026"},
    )  # fmt: skip
    draft = _created(response, "/consultations")
    public = app.test_client()
    found = public.get("/search?q=weekend+day+centres").get_data(as_text=True)
    assert f'href="/public/consultations/{story["id"]}"' in found
    assert "Unannounced" not in public.get("/search?q=unannounced+transport").get_data(as_text=True)
    mine = officer.get("/search?q=unannounced+transport").get_data(as_text=True)
    assert f'href="/consultations/{draft}"' in mine
    assert f'href="/consultations/{story["id"]}"' in officer.get("/search?q=weekend").get_data(as_text=True)


def test_the_public_page_of_a_consultation_about_a_body_links_the_body_public_page(app: Flask) -> None:
    services = app.extensions["partnership_hub"]
    hub = services.hub
    officer = Actor("officer", Role.PARTNERSHIP_OFFICER.value)
    with services.read_models.engine.connect() as connection:
        body_id = connection.execute(text("SELECT id FROM rm_bodies ORDER BY name LIMIT 1")).scalar_one()
    today = hub.clock().date()
    cid = hub.draft_consultation(
        officer, title="Meeting times", summary="When should it meet?", concerns="Its meetings",
        body_id=UUID(str(body_id)), opens_on=today, closes_on=today + timedelta(days=14),
    )  # fmt: skip
    hub.add_question(officer, cid, question="Which time suits you?", kind="free_text")
    hub.publish_consultation(officer, cid)
    services.refresh()
    page = app.test_client().get(f"/public/consultations/{cid}").get_data(as_text=True)
    assert f'href="/public/bodies/{UUID(str(body_id))}"' in page
