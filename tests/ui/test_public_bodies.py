"""The public's view of a body, without signing in (issue 17 part 5; issue 16's public membership entries),
and "Follow this body": subscribe, confirm through the signed link, unsubscribe; every refusal with its
message. The mail itself (real SMTP) is tested in tests/reminders/test_followers_mail.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from application.bootstrap import Services, build
from application.followers import follower_mail, followers
from application.settings import Settings, sqlite_url
from tests.conftest import Clock
from tests.support.public_body import (
    MINUTES_TEXT,
    NAMES,
    SECRET,
    SECRET_PAPER,
    UNPUBLISHED,
    PublicBody,
    build_public_body,
)
from web import create_app

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def public(tmp_path: Path) -> Iterator[tuple[Flask, Services, PublicBody, Clock]]:
    clock = Clock(TODAY)
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    services = build(settings, clock=clock)
    story = build_public_body(services.hub, clock)
    services.refresh()
    app = create_app({"TESTING": True, "DEVELOPMENT": True}, services=services)
    yield app, services, story, clock
    services.close()


def _token(client: FlaskClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found
    return found.group(1)


def _confirm_link(services: Services) -> str:
    with services.followers.engine.connect() as connection:
        text = connection.scalar(select(follower_mail.c.text).where(follower_mail.c.kind == "confirm"))
    found = re.search(r"(/public/follow/confirm/\S+)", text or "")
    assert found, text
    return found.group(1)


def test_the_public_body_page_shows_the_record_without_names_exempt_items_or_unpublished_papers(
    public: tuple[Flask, Services, PublicBody, Clock],
) -> None:
    app, _, story, _ = public
    client = app.test_client()
    directory = client.get("/public/bodies").get_data(as_text=True)
    assert f'href="/public/bodies/{story.body_id}"' in directory and "Carers Forum" in directory

    response = client.get(f"/public/bodies/{story.body_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "To give carers a voice" in html and "Advises the Carers Partnership Board" in html
    assert "Service user consultative group" in html and "Active" in html
    # Members by role and representation: two current members, not their names.
    assert "Carer" in html and "Service user" in html and "2 members" in html
    for name in NAMES:
        assert name not in html
    assert "moved to Leeds" not in html
    # History in plain English: membership without names, the election without who.
    assert "A member joined as member representing carer" in html
    assert "A member left as member representing carer" in html
    assert "Chair and vice-chair elected on" in html
    # Meetings: links to the public meeting pages, the minutes published; never an exempt item or its paper,
    # nor an item of an agenda not yet published.
    assert f'href="/public/meetings/{story.past_meeting}"' in html
    assert f'href="/public/meetings/{story.past_meeting}/minutes"' in html
    assert f'href="/public/meetings/{story.coming_meeting}"' in html
    assert f'href="/bodies/{story.body_id}/calendar.ics"' in html
    for hidden in (SECRET, SECRET_PAPER, UNPUBLISHED):
        assert hidden not in html
    assert client.get(f"/public/meetings/{story.past_meeting}/minutes").get_data() == MINUTES_TEXT
    meeting = client.get(f"/public/meetings/{story.past_meeting}").get_data(as_text=True)
    assert SECRET not in meeting and SECRET_PAPER not in meeting
    assert f'href="/public/bodies/{story.body_id}"' in meeting  # linked from the public meetings pages
    assert f'href="/public/bodies/{story.body_id}"' in client.get("/public/meetings").get_data(as_text=True)
    assert UNPUBLISHED not in client.get(f"/public/meetings/{story.coming_meeting}").get_data(as_text=True)

    history = client.get(f"/public/bodies/{story.body_id}/history").get_data(as_text=True)
    assert "A member joined as member representing service user" in history
    for name in NAMES:
        assert name not in history
    # The calendar feed the page links to.
    feed = client.get(f"/bodies/{story.body_id}/calendar.ics")
    assert feed.status_code == 200 and b"Carers Forum" in feed.get_data()


def test_an_unknown_body_is_a_clear_404(public: tuple[Flask, Services, PublicBody, Clock]) -> None:
    app, _, story, _ = public
    client = app.test_client()
    for path in (f"/public/bodies/{uuid4()}", f"/public/bodies/{uuid4()}/history"):
        response = client.get(path)
        assert response.status_code == 404
        assert "There is no body with that id." in response.get_data(as_text=True)
    token = _token(client, f"/public/bodies/{story.body_id}")
    response = client.post(f"/public/bodies/{uuid4()}/follow", data={"email": "a@example.com", "csrf_token": token})
    assert response.status_code == 404


def test_follow_confirm_and_unsubscribe_in_the_browser_forms(public: tuple[Flask, Services, PublicBody, Clock]) -> None:
    app, services, story, _ = public
    client = app.test_client()
    page = f"/public/bodies/{story.body_id}"
    # A bad address is refused next to the field, with what to fix; nothing is kept.
    refused = client.post(f"{page}/follow", data={"email": "not an address", "csrf_token": _token(client, page)})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "There is a problem" in html and "enter an e-mail address, like name@example.com" in html
    assert 'value="not an address"' in html

    done = client.post(f"{page}/follow", data={"email": "Jo@Example.com", "csrf_token": _token(client, page)})
    assert done.status_code == 200 and "Check your e-mail" in done.get_data(as_text=True)
    with services.followers.engine.connect() as connection:
        row = connection.execute(select(followers)).mappings().one()
    assert row["email"] == "Jo@example.com" and row["confirmed_at"] is None

    link = _confirm_link(services)
    # Opening the link only shows a button (a mail filter opening links subscribes nobody).
    shown = client.get(link)
    assert shown.status_code == 200 and "Confirm that you want to follow this body" in shown.get_data(as_text=True)
    assert services.followers.count(story.body_id) == 0
    confirmed = client.post(link, data={"csrf_token": _token(client, link)})
    assert confirmed.status_code == 200 and "You are following Carers Forum" in confirmed.get_data(as_text=True)
    assert services.followers.count(story.body_id) == 1

    unsubscribe = f"/public/follow/unsubscribe/{services.followers.unsubscribe_token(row['id'])}"
    stopped = client.post(unsubscribe, data={"csrf_token": _token(client, unsubscribe)})
    assert stopped.status_code == 200 and "deleted your e-mail address" in stopped.get_data(as_text=True)
    with services.followers.engine.connect() as connection:
        assert connection.execute(select(followers)).first() is None  # the address is gone
        assert connection.execute(select(follower_mail)).first() is None
    # A second click does no harm.
    again = client.post(unsubscribe)
    assert again.status_code == 200


def test_a_changed_expired_or_unused_link_is_refused_with_what_to_do(
    public: tuple[Flask, Services, PublicBody, Clock],
) -> None:
    app, services, story, clock = public
    client = app.test_client()
    page = f"/public/bodies/{story.body_id}"
    client.post(f"{page}/follow", data={"email": "jo@example.com", "csrf_token": _token(client, page)})
    link = _confirm_link(services)

    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    # "²" passes str.isdigit() but not int(): refused like any changed link, never a 500.
    for bad in (tampered, "/public/follow/confirm/nonsense", "/public/follow/unsubscribe/abc.0.xyz",
                "/public/follow/confirm/abc.².xyz"):  # fmt: skip
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "This link is not complete or has been changed" in response.get_data(as_text=True)
    # A confirmation link as an unsubscribe link (or the other way round) is not valid either.
    swapped = link.replace("/confirm/", "/unsubscribe/")
    assert client.post(swapped).status_code == 400

    clock.advance(days=3, minutes=1)
    expired = client.post(link, data={"csrf_token": _token(client, page)})
    assert expired.status_code == 400
    assert "This confirmation link has expired: links work for 3 days" in expired.get_data(as_text=True)
    assert services.followers.count(story.body_id) == 0

    # An unconfirmed address is deleted once its link has expired (the next subscription sweeps it).
    client.post(f"{page}/follow", data={"email": "someone@example.org", "csrf_token": _token(client, page)})
    with services.followers.engine.connect() as connection:
        addresses = {r.email for r in connection.execute(select(followers.c.email))}
    assert addresses == {"someone@example.org"}
    gone = client.post(link, data={"csrf_token": _token(client, page)})
    assert gone.status_code == 400


def test_confirming_twice_is_harmless_and_a_second_request_sends_no_second_mail_at_once(
    public: tuple[Flask, Services, PublicBody, Clock],
) -> None:
    app, services, story, clock = public
    client = app.test_client()
    page = f"/public/bodies/{story.body_id}"
    for _ in range(2):
        client.post(f"{page}/follow", data={"email": "jo@example.com", "csrf_token": _token(client, page)})
    with services.followers.engine.connect() as connection:
        assert len(connection.execute(select(follower_mail)).all()) == 1  # at most one mail in ten minutes
    clock.advance(minutes=11)
    client.post(f"{page}/follow", data={"email": "jo@example.com", "csrf_token": _token(client, page)})
    with services.followers.engine.connect() as connection:
        assert len(connection.execute(select(follower_mail)).all()) == 2
    link = _confirm_link(services)
    for _ in range(2):
        assert client.post(link, data={"csrf_token": _token(client, page)}).status_code == 200
    assert services.followers.count(story.body_id) == 1
    # Following again once confirmed sends nothing and says the same as before.
    answer = client.post(f"{page}/follow", data={"email": "jo@example.com", "csrf_token": _token(client, page)})
    assert "Check your e-mail" in answer.get_data(as_text=True)
    with services.followers.engine.connect() as connection:
        assert len(connection.execute(select(follower_mail)).all()) == 2


def test_a_body_closed_to_the_public_has_nothing_to_follow(public: tuple[Flask, Services, PublicBody, Clock]) -> None:
    app, services, story, clock = public
    closed = build_public_body(services.hub, clock, name="Provider Board", open_to_public=False)
    services.refresh()
    client = app.test_client()
    page = f"/public/bodies/{closed.body_id}"
    html = client.get(page).get_data(as_text=True)
    assert "not open to the public, so no agenda or minutes of it are published for you to follow" in html
    assert f'action="{page}/follow"' not in html
    token = _token(client, f"/public/bodies/{story.body_id}")
    refused = client.post(f"{page}/follow", data={"email": "jo@example.com", "csrf_token": token})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "meetings are not open to the public" in text and "(rule C3)" in text
    api = client.post(f"/api/v1/bodies/{closed.body_id}/followers", json={"email": "jo@example.com"})
    assert api.status_code == 422 and api.get_json()["rule"] == "C3"
    with services.followers.engine.connect() as connection:
        assert connection.execute(select(followers)).first() is None
