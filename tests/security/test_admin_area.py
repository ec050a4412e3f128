"""The administrator's area: accounts created, changed and given tokens from the UI, each change on the audit
log with who, when and what, and never a password, hash or token's secret in an event, a log line or a page
(but the one page that shows a new token once). Nobody else may open it. And the request log."""

from __future__ import annotations

import json
import logging
import re

import pytest

from application.authority import Role
from tests.security.conftest import Hub, csrf_token, sign_in


def post_form(browser, path: str, **data: str):
    return browser.post(path, data={"csrf_token": csrf_token(browser, path), **data})


def test_an_administrator_manages_an_account_from_the_ui(fresh: Hub, caplog: pytest.LogCaptureFixture) -> None:
    admin = fresh.sign_in("admin")
    secret_password = "Sekret horse battery"
    caplog.set_level(logging.DEBUG)
    made = post_form(admin, "/accounts/new", user_id="jo.bloggs", name="Jo Bloggs", email="jo@council.gov.uk",
                     role="auditor", password=secret_password)  # fmt: skip
    assert made.status_code == 302
    account = fresh.services.users.get("jo.bloggs")
    assert made.headers["Location"] == f"/accounts/{account.account_id}"
    jo = fresh.sign_in("jo.bloggs", secret_password)

    page = admin.get(f"/accounts/{account.account_id}").get_data(as_text=True)
    assert "Jo Bloggs" in page and "Signed in on" in page and "1 browser" in page

    issued = post_form(admin, f"/accounts/{account.account_id}/issue-api-token", label="nightly export")
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code id="token" class="hub-token">([^<]+)</code>', issued.get_data(as_text=True)).group(1)
    assert fresh.client().get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = token.split("_")[1]
    listed = admin.get(f"/accounts/{account.account_id}").get_data(as_text=True)
    assert token_id in listed and token not in listed and "nightly export" in listed

    assert post_form(admin, f"/accounts/{account.account_id}/change-role", role="project_lead").status_code == 302
    assert jo.get("/bodies").status_code == 302, "a new role signs the person out"
    assert post_form(admin, f"/accounts/{account.account_id}/revoke-api-token", token_id=token_id).status_code == 302
    assert fresh.client().get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert post_form(admin, f"/accounts/{account.account_id}/deactivate-account").status_code == 302
    again = post_form(admin, f"/accounts/{account.account_id}/deactivate-account")
    assert again.status_code == 400 and "already deactivated" in again.get_data(as_text=True)

    fresh.services.refresh()
    audit = fresh.sign_in("auditor").get("/audit?per_page=50").get_data(as_text=True)
    for sentence in (
        "Account jo.bloggs created with the role auditor",
        f"API token {token_id} issued for",
        "Role changed from auditor to project lead",
        f"API token {token_id} revoked",
        "Account deactivated and its sessions ended",
    ):
        assert sentence in audit, sentence

    # Never a secret anywhere but the one page: not in the events, not in the logs, not in the audit.
    secret = token.split("_", 2)[2]
    with fresh.services.users.engine.connect() as connection:
        stored = " ".join(str(row) for row in connection.exec_driver_sql("SELECT * FROM partnershiphub_events"))
        audit_rows = " ".join(str(row) for row in connection.exec_driver_sql("SELECT * FROM rm_audit_log"))
    logged = "\n".join(r.getMessage() + json.dumps(r.__dict__, default=str) for r in caplog.records)
    for where, text in (("events", stored), ("audit", audit_rows), ("logs", logged), ("audit page", audit)):
        assert secret not in text and secret_password not in text, where
        assert "argon2" not in text, where


@pytest.mark.parametrize("who", ["officer", "auditor", "director", "demo-lead-1"])
def test_nobody_else_opens_the_administrators_area(hub: Hub, who: str) -> None:
    browser = hub.sign_in(who)
    account = hub.services.users.get("auditor").account_id
    for path in ("/accounts", f"/accounts/{account}", "/accounts/new", f"/accounts/{account}/reset-password"):
        assert browser.get(path).status_code == 403, path
    assert 'href="/accounts"' not in browser.get("/bodies").get_data(as_text=True)  # no "Accounts" in the navigation
    token = hub.token(who)
    assert hub.client().get("/api/v1/accounts", headers=token).status_code == 403
    assert hub.client().get("/api/v1/accounts").status_code == 401


def test_the_last_administrator_cannot_be_demoted_or_deactivated(fresh: Hub) -> None:
    admin = fresh.sign_in("admin")
    me = fresh.services.users.get("admin").account_id
    refused = post_form(admin, f"/accounts/{me}/change-role", role="auditor")
    assert refused.status_code == 400 and "only active administrator" in refused.get_data(as_text=True)
    assert fresh.services.users.get("admin").role is Role.ADMINISTRATOR


def test_each_request_is_one_structured_log_line(hub: Hub, caplog: pytest.LogCaptureFixture) -> None:
    browser = hub.sign_in("officer")
    caplog.set_level(logging.INFO, logger="web.requests")
    caplog.clear()
    response = browser.get(f"/accounts/{hub.services.users.get('officer').account_id}")
    (line,) = [r for r in caplog.records if r.name == "web.requests"]
    assert line.request_id == response.headers["X-Request-Id"]
    assert (line.user, line.method, line.route, line.status) == ("officer", "GET", "/accounts/<uuid:account_id>", 403)
    assert line.duration_ms >= 0
    from web.request_log import JsonFormatter

    as_json = json.loads(JsonFormatter().format(line))
    assert as_json["event"] == "request" and as_json["status"] == 403 and as_json["request_id"] == line.request_id


def test_a_failed_sign_in_names_no_password_in_the_log(fresh: Hub, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(fresh.client(), "officer", "my secret guess 123")
    assert "my secret guess 123" not in "\n".join(r.getMessage() for r in caplog.records)


def test_a_signed_link_in_a_path_never_reaches_the_log(hub: Hub, caplog: pytest.LogCaptureFixture) -> None:
    """A panel member's respond link and a follower's links are their holder's authority: the request log
    keeps the route with the token left out (web/request_log.py)."""
    from web.request_log import JsonFormatter

    secret = "WzEsMiwzXQ.secret-part-of-a-link"
    client = hub.client()
    caplog.set_level(logging.INFO, logger="web.requests")
    caplog.clear()
    for path in (f"/respond/{secret}", f"/api/v1/responses/{secret}", f"/public/follow/confirm/{secret}"):
        client.get(path)
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "web.requests"]
    assert len(lines) == 3
    assert all(secret not in line and "…" in line for line in lines), lines
