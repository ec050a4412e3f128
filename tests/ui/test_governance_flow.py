"""Through the forms, as people do it: propose -> decide -> effective (and a rejection), a time-limited
group past its end date extended and another closed, the Director reading and agreeing a brief, the
dashboard's coming meetings, and the audit log filtered by body with membership changes on it."""

from __future__ import annotations

import re
from datetime import date, time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from domain.actor import Actor
from domain.body import Decision
from projections.tables import bodies, projects
from tests.ui.conftest import csrf_token, signed_in
from web.services import Services

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")


def _services(app: Flask) -> Services:
    return app.extensions["partnership_hub"]


def _post(client: FlaskClient, path: str, data: dict[str, str], version: int | None = None) -> str:
    form = {"csrf_token": csrf_token(client, path), **data}
    if version is not None:
        form["expected_version"] = str(version)
    response = client.post(path, data=form, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    return html


def _version(app: Flask, body_id: object) -> int:
    with _services(app).reading() as connection:
        return connection.scalar(select(bodies.c.version).where(bodies.c.id == body_id))


def _new_body(app: Flask, name: str, kind: str = "partnership_board", **kw: object) -> object:
    services = _services(app)
    body_id = services.hub.establish_body(
        OFFICER, name=name, kind=kind, decision=Decision("Set up", date(2012, 1, 1)), **kw
    )
    services.read_models.catch_up()
    return body_id


def test_propose_decide_and_the_change_takes_effect_from_its_date(app: Flask) -> None:
    body_id = _new_body(app, "Proposal Test Board")
    officer = signed_in(app, "officer")
    html = _post(
        officer,
        f"/bodies/{body_id}/propose-change",
        {
            "change": "end_body",
            "reason": "Its work passes to the Physical Disability Consultative Group",
            "effective_date-day": "1",
            "effective_date-month": "9",
            "effective_date-year": "2026",
        },
        _version(app, body_id),
    )
    assert "Proposal 1 for Proposal Test Board recorded; it awaits a decision." in html
    assert "Awaiting a decision (1)" in html and "End the body" in html
    dashboard = officer.get("/dashboard").get_data(as_text=True)
    assert "Proposals awaiting a decision" in dashboard and "Proposal Test Board" in dashboard
    # An officer proposes; only someone with the authority decides.
    assert officer.get(f"/bodies/{body_id}/decide-proposal").status_code == 403

    holder = signed_in(app, "care-holder")
    form = holder.get(f"/bodies/{body_id}/decide-proposal").get_data(as_text=True)
    assert "1. End the body" in form
    html = _post(
        holder,
        f"/bodies/{body_id}/decide-proposal",
        {
            "number": "1",
            "outcome": "approved",
            "decided_by": "Portfolio Holder for Care Services",
            "decision_ref": "CS26/014",
            "decided_on-day": "20",
            "decided_on-month": "3",
            "decided_on-year": "2026",
        },
        _version(app, body_id),
    )
    assert "Decision on proposal 1 for Proposal Test Board recorded." in html
    assert "approved</strong> by Portfolio Holder for Care Services (CS26/014, 20 March 2026)" in html
    before = officer.get(f"/bodies/{body_id}/as-at?date-day=31&date-month=8&date-year=2026").get_data(as_text=True)
    after = officer.get(f"/bodies/{body_id}/as-at?date-day=1&date-month=9&date-year=2026").get_data(as_text=True)
    assert "Ended" not in before and "Active" in before
    assert "Ended" in after


def test_a_rejected_proposal_changes_nothing(app: Flask) -> None:
    body_id = _new_body(app, "Rejection Test Board")
    officer = signed_in(app, "officer")
    _post(
        officer,
        f"/bodies/{body_id}/propose-change",
        {"change": "end_body", "reason": "Little used"},
        _version(app, body_id),
    )
    director = signed_in(app, "director")
    html = _post(
        director,
        f"/bodies/{body_id}/decide-proposal",
        {
            "number": "1",
            "outcome": "rejected",
            "decided_by": "Executive Director",
            "decision_ref": "ED/26/3",
            "note": "Service users asked for it to continue",
        },
        _version(app, body_id),
    )
    assert "rejected</strong> by Executive Director (ED/26/3): Service users asked for it to continue" in html
    assert "No proposed change is awaiting a decision." in html
    assert "Active" in html


def test_a_wrong_proposal_is_refused_by_the_field(app: Flask) -> None:
    body_id = _new_body(app, "Wrong Proposal Test Board")
    officer = signed_in(app, "officer")
    path = f"/bodies/{body_id}/propose-change"
    response = officer.post(
        path,
        data={
            "csrf_token": csrf_token(officer, path),
            "expected_version": str(_version(app, body_id)),
            "change": "end_body",
            "reason": "x",
            "under": "Providers",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html
    assert "Under is not part of &#39;End the body&#39;: leave it blank" in html and 'href="#under"' in html


def test_groups_past_their_end_date_are_extended_or_closed(app: Flask) -> None:
    mobility = _new_body(app, "Mobility Test Group", "task_and_finish_group", until=date(2014, 3, 31))
    carers = _new_body(app, "Carers Test Group", "task_and_finish_group", until=date(2014, 3, 31))
    officer = signed_in(app, "officer")
    page = officer.get(f"/bodies/{mobility}").get_data(as_text=True)
    assert "past its end date" in page and "extend-time-limit" in page
    dashboard = officer.get("/dashboard").get_data(as_text=True)
    assert "Groups past their end date" in dashboard and "Mobility Test Group" in dashboard
    listed = officer.get("/bodies?status=past_end_date").get_data(as_text=True)
    assert "Mobility Test Group" in listed and "Carers Test Group" in listed

    html = _post(
        officer,
        f"/bodies/{mobility}/extend-time-limit",
        {
            "until-day": "31",
            "until-month": "3",
            "until-year": "2027",
            "reason": "The mobility review continues",
            "decided_by": "Executive Director",
        },
        _version(app, mobility),
    )
    assert "Time-limited until 31 March 2027" in html
    html = _post(
        officer,
        f"/bodies/{carers}/close-time-limited-group",
        {"completion_report": "The carers' strategy was published", "reason": "Its work is done"},
        _version(app, carers),
    )
    assert "Closed with its completion report" in html and "The carers&#39; strategy was published" in html
    listed = officer.get("/bodies?status=past_end_date").get_data(as_text=True)
    assert "Mobility Test Group" not in listed and "Carers Test Group" not in listed


def test_the_director_reads_the_brief_and_agrees_it(app: Flask) -> None:
    with _services(app).reading() as connection:
        project_id = connection.scalar(
            select(projects.c.id).where(projects.c.brief_status == "awaiting agreement").order_by(projects.c.title)
        )
    director = signed_in(app, "director")
    page = director.get(f"/projects/{project_id}").get_data(as_text=True)
    for part in ("Aims and objectives", "Outcomes expected", "Timeframe", "Resources", "Key risks"):
        assert part in page
    form = director.get(f"/projects/{project_id}/agree-brief").get_data(as_text=True)
    assert "The brief you are agreeing" in form and "Review the offer." in form and "Low take-up" in form
    with _services(app).reading() as connection:
        version = connection.scalar(select(projects.c.version).where(projects.c.id == project_id))
    html = _post(director, f"/projects/{project_id}/agree-brief", {}, version)
    assert "Agree the brief for" in html and "Brief agreed by the" in html


def test_the_dashboard_leads_with_coming_meetings(app: Flask) -> None:
    services = _services(app)
    body_id = _new_body(app, "Coming Meetings Test Board")
    services.hub.schedule_meeting(
        OFFICER, body_id, meeting_date=date(2026, 3, 5), start_time=time(14), place="Civic Centre"
    )
    services.read_models.catch_up()
    html = signed_in(app, "officer").get("/dashboard").get_data(as_text=True)
    coming = html.index('id="coming_meetings"')
    assert coming < html.index('id="papers_due"')
    section = html[coming : html.index('id="pending_proposals"')]
    assert "Coming Meetings Test Board" in section and "This week" in section
    assert re.search(r"Agenda and papers overdue|Publish the agenda and papers by", section)


def test_the_audit_log_filtered_by_body_shows_membership(app: Flask) -> None:
    services = _services(app)
    body_id = _new_body(app, "Audit Test Board")
    services.hub.add_member(
        OFFICER,
        body_id,
        member_id="jo",
        person="Jo Whitfield",
        role="member",
        representation="carer",
        effective_date=date(2026, 2, 1),
    )
    services.hub.remove_member(OFFICER, body_id, member_id="jo", effective_date=date(2026, 2, 20), reason="Moved away")
    services.read_models.catch_up()
    officer = signed_in(app, "officer")
    page = officer.get("/audit").get_data(as_text=True)
    assert f'<option value="{body_id}">Audit Test Board</option>' in page
    html = officer.get(f"/audit?body={body_id}").get_data(as_text=True)
    assert "Jo Whitfield joined as member representing carer" in html
    assert "Jo Whitfield left as member representing carer: Moved away" in html
    csv = officer.get(f"/audit.csv?body={body_id}").get_data(as_text=True)
    assert re.search(r"\n2026-03-02T09:00:00\.\d+\+00:00,", csv)


def test_navigation_offers_only_what_the_role_may_open(app: Flask) -> None:
    director = signed_in(app, "director").get("/projects").get_data(as_text=True)
    assert 'href="/dashboard"' not in director.split("</header>")[0]
    assert 'href="/meetings"' in director.split("</header>")[0]
    officer = signed_in(app, "officer").get("/projects").get_data(as_text=True)
    assert 'href="/dashboard"' in officer.split("</header>")[0] and 'href="/meetings"' in officer.split("</header>")[0]
