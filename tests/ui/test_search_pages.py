"""The search pages under Flask's test client, over a real SQLite file: the box in every page's header,
/search for the public (signed out) and for an officer, /public/search, the error for an empty or over-long
search, and matches marked in escaped text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from application.bootstrap import build as build_services
from application.settings import Settings, sqlite_url
from application.users import Users, ensure_demo_users
from domain.body import Decision
from tests.conftest import Clock
from tests.support.search_record import MEETING_DAY, OFFICER, Record, build, on
from tests.ui.conftest import TODAY, signed_in
from web import create_app


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Record]]:
    root: Path = tmp_path_factory.mktemp("search")
    settings = Settings.for_url(sqlite_url(root / "hub.sqlite3"), files_dir=root / "files")
    clock = Clock(TODAY)
    services = build_services(settings, clock=clock)
    record = build(services.hub, clock)
    on(clock, date(2026, 4, 20))
    services.hub.establish_body(
        OFFICER,
        name="Escaping Panel",
        kind="consultative_group",
        purpose="<script>alert('x')</script> Panel for young carers",
        decision=Decision("New framework", MEETING_DAY),
    )
    ensure_demo_users(Users(settings.database_url))
    services.refresh()
    app = create_app({"DEVELOPMENT": True}, services=services)
    yield app, record
    services.close()


def test_every_page_has_the_search_box(searched: tuple[Flask, Record]) -> None:
    app, _ = searched
    for who, path in ((None, "/public/meetings"), ("officer", "/bodies"), ("auditor", "/audit")):
        html = signed_in(app, who).get(path).get_data(as_text=True)
        assert 'role="search" aria-label="Site search"' in html and 'action="/search"' in html, (who, path)


def test_the_public_searches_without_signing_in(searched: tuple[Flask, Record]) -> None:
    app, record = searched
    client = app.test_client()
    assert client.get("/search").status_code == 200
    page = client.get("/search?q=respite")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 results" in html and "<mark>respite</mark>" in html.lower()
    assert f'href="/public/meetings/{record.meeting}"' in html
    assert "second bidder" not in html and "Tender scores" not in html and "Notify the respite bidders" not in html
    assert "Not public" not in html
    assert client.get("/public/search?q=bidder").get_data(as_text=True).count('class="hub-search-result"') == 0


def test_an_officer_finds_the_exempt_decision_and_public_search_still_hides_it(searched: tuple[Flask, Record]) -> None:
    app, record = searched
    client = signed_in(app, "officer")
    html = client.get("/search?q=second+bidder").get_data(as_text=True)
    assert "1 result" in html and f'href="/meetings/{record.meeting}"' in html
    assert "<mark>second</mark> <mark>bidder</mark>" in html and "Not public" in html
    public = client.get("/public/search?q=second+bidder").get_data(as_text=True)
    assert "0 results" in public and "Search what the public can see" in public


def test_a_search_is_escaped_before_it_is_marked(searched: tuple[Flask, Record]) -> None:
    app, _ = searched
    html = app.test_client().get("/search?q=young+carers").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&#x27;x&#x27;)" in html
    assert "<script>alert" not in html
    assert "<mark>young</mark> <mark>carers</mark>" in html


@pytest.mark.parametrize(("q", "message"), [("", "Enter the words"), ("   ", "Enter the words"), ("x" * 201, "200")])
def test_an_empty_or_over_long_search_says_what_to_fix(searched: tuple[Flask, Record], q: str, message: str) -> None:
    app, _ = searched
    page = app.test_client().get("/search", query_string={"q": q})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "There is a problem" in html and message in html and 'href="#q"' in html
    assert "<title>Error: " in html


@pytest.mark.parametrize("q", ['"', "NEAR(", "-", "*", "respite -", "'; DROP TABLE x; --", "a OR OR b"])
def test_fts_syntax_in_the_box_never_errors(searched: tuple[Flask, Record], q: str) -> None:
    app, _ = searched
    assert app.test_client().get("/search", query_string={"q": q}).status_code == 200


def test_a_body_found_by_the_public_leads_to_its_public_page(searched: tuple[Flask, Record]) -> None:
    app, _ = searched
    signed_out = app.test_client().get("/search?q=young+carers").get_data(as_text=True)
    officer = signed_in(app, "officer").get("/search?q=young+carers").get_data(as_text=True)
    body_id = officer.split('href="/bodies/', 1)[1].split('"', 1)[0]
    assert f'href="/public/bodies/{body_id}"' in signed_out
    assert f'href="/bodies/{body_id}"' not in signed_out
    assert app.test_client().get(f"/public/bodies/{body_id}").status_code == 200
