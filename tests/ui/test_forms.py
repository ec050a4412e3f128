"""Forms: the shared schema's messages next to the field and in the summary, what was typed kept,
and a concurrent edit shown as such with nothing saved over the other person's change."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from application.authority import Role
from domain.actor import Actor
from domain.body import Decision
from projections.tables import bodies
from tests.ui.conftest import csrf_token, signed_in
from web.services import Services


def _body(app: Flask) -> tuple[str, int]:
    services: Services = app.extensions["partnership_hub"]
    with services.reading() as connection:
        row = connection.execute(
            select(bodies.c.id, bodies.c.version).where(bodies.c.status == "active").order_by(bodies.c.name).limit(1)
        ).first()
    return str(row.id), row.version


def test_errors_are_shown_by_the_field_and_what_was_typed_is_kept(app: Flask) -> None:
    client = signed_in(app, "officer")
    body_id, version = _body(app)
    path = f"/bodies/{body_id}/change-funding"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "expected_version": str(version),
            "annual_funding_pence": "12.345",
            "council_funding_until-day": "31",
            "council_funding_until-month": "2",
            "council_funding_until-year": "2027",
            "decided_by": "Executive Director",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#annual_funding_pence"' in html and "amount in pounds and pence" in html
    assert 'href="#reason"' in html and "Enter the reason for the change" in html
    assert 'href="#council_funding_until-day"' in html
    assert 'value="12.345"' in html and 'value="Executive Director"' in html


def test_a_concurrent_edit_is_shown_and_nothing_is_saved_over_it(app: Flask) -> None:
    first, second = signed_in(app, "officer"), signed_in(app, "admin")
    body_id, version = _body(app)
    path = f"/bodies/{body_id}/adopt-terms-of-reference"
    forms = [(client, csrf_token(client, path)) for client in (first, second)]
    saved = []
    for (client, token), text in zip(forms, ("Terms agreed by the group.", "Different terms."), strict=True):
        saved.append(
            client.post(
                path,
                data={"csrf_token": token, "expected_version": str(version), "text": text, "reason": "Annual review"},
            )
        )
    assert saved[0].status_code == 302
    conflict = saved[1].get_data(as_text=True)
    assert saved[1].status_code == 409
    assert "changed since you opened the form" in conflict
    assert f'href="/bodies/{body_id}"' in conflict
    assert "Different terms." in conflict  # what the second person typed is kept for them
    page = first.get(f"/bodies/{body_id}").get_data(as_text=True)
    assert "Terms agreed by the group." in page and "Different terms." not in page
    assert re.search(r"Record version \d+", page)


def test_a_membership_warning_is_shown_after_the_change_is_saved(app: Flask) -> None:
    """Rule B3's 70% is an aim, not a bar: the member is added and the officer is told the share."""
    services: Services = app.extensions["partnership_hub"]
    client = signed_in(app, "officer")
    body_id = services.hub.establish_body(
        Actor("officer", Role.PARTNERSHIP_OFFICER),
        name="Warning Test Group",
        kind="consultative_group",
        decision=Decision("For the test"),
    )
    services.refresh()
    path = f"/bodies/{body_id}/add-member"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "expected_version": "1",
            "person": "Pat Agency",
            "role": "agency_representative",
            "representation": "relevant_partner_agency",
            "effective_date-day": "2",
            "effective_date-month": "3",
            "effective_date-year": "2026",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Add a member for Warning Test Group: done." in html
    assert "Saved, but note (rule B3): service users, carers and community members are 0%" in html
    assert "Pat Agency" in html
