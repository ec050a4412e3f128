"""Every route, for the public and for people signed in, answers with the security headers (web/security_headers.py).

What the app returns is tested, whatever server runs it: a CSP whose script and style nonce is this
response's (and the page's one inline script carries it), nothing inline allowed otherwise, no framing,
nosniff, no referrer, a Server header without a version, HSTS on HTTPS outside development only.
"""

from __future__ import annotations

import re
import threading
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from application.settings import sqlite_url
from tests.security.conftest import Hub, make_hub
from web.security_headers import RequestHandler

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{16,})'")


def _ids(hub: Hub) -> dict[str, str]:
    with hub.services.reading() as connection:
        from projections.tables import bodies, meetings, projects

        body = connection.execute(bodies.select().limit(1)).first()
        meeting = connection.execute(meetings.select().limit(1)).first()
        project = connection.execute(projects.select().limit(1)).first()
    return {
        "body_id": str(body.id),
        "meeting_id": str(meeting.id),
        "project_id": str(project.id) if project else str(uuid.uuid4()),
        "account_id": str(hub.services.users.get("officer").account_id),
    }


def get_paths(hub: Hub) -> list[str]:
    """A real path for every GET route: ids of records that exist, a made-up one where none fits."""
    ids = _ids(hub)
    paths = set()
    for rule in hub.app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = rule.rule
        for name in rule.arguments:
            value = ids.get(name) or ids.get(f"{name.split('_')[0]}_id") or str(uuid.uuid4())
            if name in ("filename", "key"):
                value = "nothing.ics" if name == "filename" else "x"
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", value, path)
        paths.add(path)
    return sorted(paths)


def check_headers(response, path: str) -> None:
    headers = response.headers
    where = f"{path} ({response.status_code})"
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp, where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert headers.get("Server") == "Partnership Hub", where
    assert headers.get("X-Request-Id"), where
    nonces = set(NONCE.findall(csp))
    assert len(nonces) == 1, f"{where}: one nonce for scripts and styles, got {nonces}"
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" in tag:
                continue  # a script from this site: 'self'
            assert f'nonce="{next(iter(nonces))}"' in tag, f"{where}: {tag}"
        assert "style=" not in re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S), f"{where}: inline style"


@pytest.mark.parametrize("who", [None, "officer", "admin", "auditor"])
def test_every_get_route_sends_the_security_headers(hub: Hub, who: str | None) -> None:
    client = hub.sign_in(who) if who else hub.client()
    headers = hub.token(who) if who else {}
    paths = get_paths(hub)
    assert any(p.startswith("/accounts") for p in paths) and "/readyz" in paths
    nonces = set()
    for path in paths:
        for response in (client.get(path), hub.client().get(path, headers=headers)):
            check_headers(response, path)
            nonces |= set(NONCE.findall(response.headers["Content-Security-Policy"]))
    assert len(nonces) >= 2 * len(paths), "a nonce was used twice: it must be new on every response"


def test_posts_and_errors_send_them_too(hub: Hub) -> None:
    client = hub.client()
    for response in (
        client.post("/sign-in", data={"user_id": "x"}),  # no CSRF token: 400
        client.post("/api/v1/bodies", json={}),  # no token: 401
        client.get("/no/such/page"),
        client.open("/api/v1/bodies", method="DELETE"),
    ):
        check_headers(response, response.request.path)


def test_signed_in_answers_are_not_stored_by_the_browser(hub: Hub) -> None:
    assert hub.sign_in("officer").get("/bodies").headers["Cache-Control"] == "no-store"
    assert "no-store" not in hub.client().get("/public/meetings").headers.get("Cache-Control", "")


def test_hsts_on_https_outside_development_only(hub: Hub, tmp_path) -> None:
    production = make_hub(sqlite_url(tmp_path / "p.sqlite3"), tmp_path / "files", development=False, seed=False)
    try:
        secure = production.client().get("/sign-in", base_url="https://hub.example")
        assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
        behind_proxy = production.client().get("/sign-in", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in behind_proxy.headers
        # Over plain HTTP a browser ignores it (RFC 6797), and the cookie is Secure outside development.
        plain = production.client().get("/sign-in")
        assert "Strict-Transport-Security" not in plain.headers
        assert "Secure" in plain.headers["Set-Cookie"]
    finally:
        production.services.close()
    assert "Strict-Transport-Security" not in hub.client().get("/sign-in", base_url="https://x").headers


@pytest.fixture
def served(hub: Hub) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, hub.app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_a_real_server_says_no_versions(served: str) -> None:
    """Werkzeug's server, with the handler `partnership-hub serve` gives it, sends the app's Server header only."""
    with urllib.request.urlopen(served + "/sign-in", timeout=10) as response:
        servers = response.headers.get_all("Server")
        assert servers == ["Partnership Hub"], servers
        assert not re.search(r"\d", " ".join(servers))
