"""The administrator's page for erasing a person's name (rule P1): /people/erase, linked from the accounts
page; refusals shown by the field; afterwards the body's page and the audit CSV read "name erased"."""

from __future__ import annotations

from uuid import UUID

from flask import Flask
from sqlalchemy import text

from tests.ui.conftest import csrf_token, signed_in
from web.services import services


def _a_member(app: Flask) -> tuple[str, str]:
    with app.app_context(), services().reading() as connection:
        row = connection.execute(
            text("SELECT person, body_id FROM rm_members WHERE left_on IS NULL AND role = 'member' ORDER BY person")
        ).first()
    assert row is not None
    return row.person, str(UUID(str(row.body_id)))


def test_an_administrator_erases_a_name_from_the_page(app: Flask) -> None:
    name, body_id = _a_member(app)
    admin = signed_in(app, "admin")
    assert 'href="/people/erase"' in admin.get("/accounts").get_data(as_text=True)
    page = admin.get("/people/erase")
    assert page.status_code == 200 and "This cannot be undone" in page.get_data(as_text=True)

    token = csrf_token(admin, "/people/erase")
    refused = admin.post("/people/erase", data={"person": "Nobody Atall", "reason": "", "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "govuk-error-summary" in html and "Enter why the name is erased" in html
    unknown = admin.post("/people/erase", data={"person": "Nobody Atall", "reason": "Request", "csrf_token": token})
    assert unknown.status_code == 400
    assert "No one of that name or id is in the people register" in unknown.get_data(as_text=True)

    body_page = admin.get(f"/bodies/{body_id}").get_data(as_text=True)
    assert name in body_page
    done = admin.post("/people/erase", data={"person": name, "reason": "Request of 1 March", "csrf_token": token})
    assert done.status_code == 302, done.get_data(as_text=True)
    shown = admin.get(done.headers["Location"]).get_data(as_text=True)
    assert "Name erased (person " in shown
    body_page = admin.get(f"/bodies/{body_id}").get_data(as_text=True)
    assert name not in body_page and "name erased" in body_page
    audit_csv = signed_in(app, "auditor").get("/audit.csv").get_data(as_text=True)
    assert name not in audit_csv


def test_nobody_but_an_administrator_opens_the_erasure_page(app: Flask) -> None:
    assert signed_in(app, "officer").get("/people/erase").status_code == 403
    assert signed_in(app, "auditor").get("/people/erase").status_code == 403
    assert signed_in(app, None).get("/people/erase").status_code == 302  # to sign in


def test_the_audit_page_shows_an_erasure_naming_no_one(app: Flask) -> None:
    name, _body_id = _a_member(app)
    admin = signed_in(app, "admin")
    token = csrf_token(admin, "/people/erase")
    done = admin.post("/people/erase", data={"person": name, "reason": "Request of 2 March", "csrf_token": token})
    assert done.status_code == 302
    page = signed_in(app, "auditor").get("/audit?change=name_erased").get_data(as_text=True)
    assert "A person&#39;s name was erased (person " in page and name not in page
    assert 'href="/projects/' not in page  # an erasure is no project
