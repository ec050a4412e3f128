"""Erasing a person's name in Chromium (rule P1): from the accounts page by keyboard, axe-core clean, the
refusal shown in the error summary, and afterwards the body's page reads "name erased"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from domain.actor import Actor
from tests.browser.conftest import Site, Visit

OFFICER = Actor("officer", "partnership_officer")
PERSON = "Erin Erasable"  # a member of our own, so no other browser test's names change


def test_an_administrator_erases_a_name_by_keyboard(visit: Visit, site: Site) -> None:
    services = site.services
    with services.read_models.engine.connect() as connection:
        body_id = connection.execute(
            text("SELECT id FROM rm_bodies WHERE status = 'active' ORDER BY name LIMIT 1")
        ).scalar()
    body = services.hub.body(body_id)
    services.hub.add_member(
        OFFICER,
        body.id,
        person=PERSON,
        role="member",
        representation="service_user",
        effective_date=date(2026, 3, 2),
        expected_version=body.version,
    )
    services.refresh()

    page = visit.page
    visit.sign_in("admin")
    visit.go("/accounts")
    page.get_by_role("link", name="Erase a person's name from the record").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/erase")
    visit.check()

    visit.submit("Erase name")  # nothing filled in: each field says what to enter
    assert page.locator(".govuk-error-summary").count() == 1
    visit.check()
    page.get_by_label("The person's name, or their person id").fill(PERSON.upper())
    page.get_by_label("Why the name is erased").fill("Erasure request of 2 March 2026")
    page.get_by_label("Why the name is erased").press("Enter")  # submits the form
    page.wait_for_url("**/dashboard")
    visit.check()
    assert "Name erased (person " in page.content()

    visit.go(f"/bodies/{body.id}")
    visit.check()
    assert PERSON not in page.content() and "name erased" in page.content()
