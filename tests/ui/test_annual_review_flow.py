"""Rule H1 through the forms: the annual review opened (once a year), bodies reviewed, a proposal made on
the body (F4) and linked, the overall findings, completion; the year's reminder is then met."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask

from domain.actor import Actor
from domain.annual_review import review_id_for
from domain.body import Decision
from tests.ui.conftest import csrf_token, signed_in
from tests.ui.test_governance_flow import _post, _services, _version

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
REVIEW = "Annual review of the arrangements 2026-27"


def _body(app: Flask, name: str) -> object:
    services = _services(app)
    body_id = services.hub.establish_body(
        OFFICER, name=name, kind="partnership_board", decision=Decision("Set up", date(2012, 1, 1))
    )
    services.read_models.catch_up()
    return body_id


def _review_version(app: Flask, year: int) -> int:
    return _services(app).hub.annual_review(review_id_for(year)).version


def _refused(client, path: str, data: dict[str, str], version: int | None = None) -> str:  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_token(client, path), **data}
    if version is not None:
        form["expected_version"] = str(version)
    response = client.post(path, data=form)
    assert response.status_code == 400, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_a_review_is_opened_worked_through_and_completed_and_its_reminder_is_met(app: Flask) -> None:
    body_id = _body(app, "Older People's Partnership Board H1")
    officer = signed_in(app, "officer")
    assert "No annual review has been opened yet." in officer.get("/reviews").get_data(as_text=True)
    reminders = officer.get("/reminders").get_data(as_text=True)  # opening the list raises what is due (H1)
    assert "Annual review of the arrangements" in reminders and 'href="/reviews"' in reminders

    html = _post(officer, "/reviews/new", {"year": "2026"})
    assert "Annual review opened" in html and REVIEW in html and "31 March 2026" in html
    again = _refused(officer, "/reviews/new", {"year": "2026"})
    assert "The annual review for 2026-27 was already opened on 2 March 2026; carry on with that one (rule H1)" in (
        again.replace("&#39;", "'")
    )
    review_id = review_id_for(2026)
    base = f"/reviews/{review_id}"

    # Completing with nothing found is refused, naming what to do first.
    refused = _refused(officer, f"{base}/complete-annual-review", {}, _review_version(app, 2026))
    assert "Record the findings for at least one body before completing the review (rule H1)" in refused

    html = _post(
        officer,
        f"{base}/record-review-findings",
        {"body_id": str(body_id), "findings": "Meets rarely; its work overlaps the Older People's group."},
        _review_version(app, 2026),
    )
    assert "Findings for the body recorded in the " + REVIEW in html
    assert "Meets rarely; its work overlaps the Older People&#39;s group." in html

    # The change it leads to is proposed on the body (F4), then linked to the review.
    _post(
        officer,
        f"/bodies/{body_id}/propose-change",
        {"change": "end_body", "reason": "The annual review found it overlaps the consultative group"},
        _version(app, body_id),
    )
    form = officer.get(f"{base}/link-review-proposal").get_data(as_text=True)
    assert "Older People&#39;s Partnership Board H1: 1. End the body (pending)" in form
    html = _post(
        officer,
        f"{base}/link-review-proposal",
        {"body_id": str(body_id), "number": "1"},
        _review_version(app, 2026),
    )
    assert "Proposal linked to the " + REVIEW in html
    assert re.search(r"1\. End the body</td>\s*<td[^>]*><strong class=\"govuk-tag govuk-tag--yellow\">Pending", html)

    html = _post(
        officer,
        f"{base}/record-overall-findings",
        {"findings": "The framework works; one board can end."},
        _review_version(app, 2026),
    )
    assert "The framework works; one board can end." in html
    html = _post(officer, f"{base}/complete-annual-review", {}, _review_version(app, 2026))
    assert REVIEW + " completed; its reminder is met." in html
    assert "Completed</strong> on 2 March 2026" in html and "Late" not in html
    assert "Record findings for a body" not in html  # no more changes offered once completed
    history = html.split('id="review-history"')[1]
    assert "Annual review of the arrangements for 2026-27 opened; due by 31 March 2026" in history
    assert "Proposal 1 for Older People&#39;s Partnership Board H1 (End the body) came from this review" in history
    assert "Annual review completed on 2 March 2026, on time (due by 31 March 2026)" in history

    listing = officer.get("/reviews").get_data(as_text=True)
    assert REVIEW in listing and "Completed" in listing
    audit = officer.get("/audit").get_data(as_text=True)
    assert f'href="/reviews/{review_id}"' in audit
    pending = officer.get("/reminders").get_data(as_text=True)
    assert "Annual review of the arrangements" not in pending
    done = officer.get("/reminders?show=all").get_data(as_text=True)
    assert "Done: annual review completed" in done

    # Completed: nothing more can be recorded in it.
    refused = _refused(officer, f"{base}/record-overall-findings", {"findings": "More."}, _review_version(app, 2026))
    assert "was completed on 2 March 2026; it cannot be changed by recording findings (rule H1)" in refused


def test_bad_input_is_refused_field_by_field_and_others_may_read_but_not_open(app: Flask) -> None:
    officer = signed_in(app, "officer")
    refused = _refused(officer, "/reviews/new", {"year": "1800"})
    assert "from 1901 to 2199" in refused
    assert "The year the financial year starts in" in refused
    auditor = signed_in(app, "auditor")
    assert auditor.get("/reviews/new").status_code == 403
    assert auditor.get("/reviews").status_code == 200
    assert signed_in(app, None).get("/reviews").status_code == 302  # sign in first
