"""Rule A11 through the forms: the Children's Trust Board function proposed, decided and then shown on the
body page, in both "as at" readings and in its history; given directly, it needs its decision."""

from __future__ import annotations

from datetime import date

from flask import Flask

from domain.actor import Actor
from domain.body import Decision
from tests.ui.conftest import csrf_token, signed_in
from tests.ui.test_governance_flow import _post, _services, _version

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
HELD = (
    "Children&#39;s Trust Board (Children Act 2004, section 12A) since 1 September 2026, "
    "decided by Council Executive, reference EX26/044"
)


def _conference(app: Flask, name: str) -> object:
    services = _services(app)
    body_id = services.hub.establish_body(
        OFFICER, name=name, kind="stakeholder_conference", decision=Decision("Set up", date(2013, 9, 1))
    )
    services.read_models.catch_up()
    return body_id


def test_the_function_is_proposed_decided_and_then_shown_from_its_date(app: Flask) -> None:
    body_id = _conference(app, "Children's Services Conference A11")
    officer = signed_in(app, "officer")
    form = officer.get(f"/bodies/{body_id}/propose-change").get_data(as_text=True)
    assert "Give a statutory function" in form
    html = _post(
        officer,
        f"/bodies/{body_id}/propose-change",
        {
            "change": "assign_statutory_function",
            "reason": "The Children Act duty stands; the conference takes on the Board's powers",
            "effective_date-day": "1",
            "effective_date-month": "9",
            "effective_date-year": "2026",
        },
        _version(app, body_id),
    )
    assert "Awaiting a decision (1)" in html and "Give a statutory function" in html
    page = officer.get(f"/bodies/{body_id}").get_data(as_text=True)
    assert "Statutory function" in page and "Children&#39;s Trust Board (" not in page  # not until decided

    holder = signed_in(app, "care-holder")
    html = _post(
        holder,
        f"/bodies/{body_id}/decide-proposal",
        {"number": "1", "outcome": "approved", "decided_by": "Council Executive", "decision_ref": "EX26/044"},
        _version(app, body_id),
    )
    assert HELD in html
    before = officer.get(f"/bodies/{body_id}/as-at?date-day=31&date-month=8&date-year=2026").get_data(as_text=True)
    after = officer.get(f"/bodies/{body_id}/as-at?date-day=1&date-month=9&date-year=2026").get_data(as_text=True)
    assert HELD not in before and HELD in after
    recorded = officer.get(f"/bodies/{body_id}/as-at?date-day=1&date-month=1&date-year=2100&basis=recorded").get_data(
        as_text=True
    )
    assert HELD in recorded
    history = officer.get(f"/bodies/{body_id}/history").get_data(as_text=True)
    assert (
        "Given the Children&#39;s Trust Board function (Children Act 2004, section 12A) from 1 September 2026, "
        "as decided by Council Executive, reference EX26/044"
    ) in history


def test_given_directly_it_needs_the_decision_and_nothing_is_saved_without_it(app: Flask) -> None:
    body_id = _conference(app, "Children's Services Conference A11 direct")
    officer = signed_in(app, "officer")
    path = f"/bodies/{body_id}/assign-statutory-function"
    form = officer.get(path).get_data(as_text=True)
    assert "Children&#39;s Trust Board" in form and "Children Act 2004, section 12A" in form
    version = _version(app, body_id)
    response = officer.post(
        path,
        data={
            "csrf_token": csrf_token(officer, path),
            "expected_version": str(version),
            "function": "Children's Trust Board",
            "legal_basis": "Children Act 2004, section 12A",
            "reason": "Council Executive decision",
            "effective_date-day": "1",
            "effective_date-month": "9",
            "effective_date-year": "2026",
            "decided_by": "Council Executive",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code in (400, 409, 422), html[:2000]
    assert '<a href="#decision_ref">Give the reference of the decision giving this function (rule A11)</a>' in html
    assert _version(app, body_id) == version  # nothing half-saved
    html = _post(
        officer,
        path,
        {
            "function": "Children's Trust Board",
            "legal_basis": "Children Act 2004, section 12A",
            "reason": "Council Executive decision",
            "effective_date-day": "1",
            "effective_date-month": "9",
            "effective_date-year": "2026",
            "decided_by": "Council Executive",
            "decision_ref": "EX26/044",
        },
        version,
    )
    assert HELD in html
