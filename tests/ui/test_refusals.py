"""Each role is refused every view and form it is not entitled to, on the server: a GET or a POST with a
valid CSRF token gets 403 (or, signed out, the sign-in page), and a refused POST records nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from application.authority import AUTHORITY, Duty, Role
from application.users import DEMO_USERS
from domain.actor import Actor
from domain.annual_review import review_id_for
from projections.queries import reviews as review_queries
from projections.queries.consultations import consultation_list
from projections.tables import bodies, meetings, projects
from tests.ui.conftest import csrf_token, signed_in
from web.services import Services
from web.ui.access import DASHBOARD_DUTY, MEETING_RECORD_DUTY
from web.ui.forms import ALL_FORMS, PLURAL

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value)
ROLES: list[tuple[str | None, Role | None]] = [(user_id, role) for user_id, _name, role in DEMO_USERS]
ROLES.append((None, None))  # signed out


def _review(services: Services) -> Any:
    """An annual review (H1) for the review forms, opened once for the module's app."""
    review_id = review_id_for(2090)
    with services.reading() as connection:
        if review_queries.review(connection, review_id) is None:
            services.hub.open_annual_review(Actor("officer", Role.PARTNERSHIP_OFFICER.value), year=2090)
            services.refresh()
    return review_id


def _ids(app: Flask) -> dict[str, Any]:
    services: Services = app.extensions["partnership_hub"]
    review = _review(services)
    with services.reading() as connection:
        return {
            "body": connection.scalar(select(bodies.c.id).order_by(bodies.c.name).limit(1)),
            "meeting": connection.scalar(select(meetings.c.id).order_by(meetings.c.meeting_date).limit(1)),
            "project": connection.scalar(select(projects.c.id).where(projects.c.lead == "demo-lead-1").limit(1)),
            "other_project": connection.scalar(select(projects.c.id).where(projects.c.lead != "demo-lead-1").limit(1)),
            "account": services.users.require("auditor").account_id,
            "review": review,
            **_panel_ids(services),
        }


def _panel_ids(services: Services) -> dict[str, Any]:
    """A draft consultation and a panel member for the panel's forms to act on (made once per app)."""
    people = services.hub.panel.all()
    member = people[0].panel_member_id if people else services.hub.add_panel_member(
        OFFICER, name="Rae Panel", email="rae.panel@example.org", consent_on=date(2026, 3, 1)
    )  # fmt: skip
    with services.reading() as connection:
        drafts = [c["id"] for c in consultation_list(connection) if c["stage"] == "draft"]
    if drafts:
        return {"consultation": drafts[0], "panel_member": member}
    consultation = services.hub.draft_consultation(
        OFFICER, title="Refusals", summary="Views wanted", concerns="Day services",
        opens_on=date(2026, 3, 2), closes_on=date(2026, 12, 31),
    )  # fmt: skip
    services.hub.add_question(OFFICER, consultation, question="How good is it?", kind="scale")
    services.refresh()
    return {"consultation": consultation, "panel_member": member}


def _event_count(app: Flask) -> int:
    services: Services = app.extensions["partnership_hub"]
    return services.hub.recorder.max_notification_id() or 0


def _form_path(spec: Any, ids: dict[str, Any], project_key: str = "project") -> str:
    if not spec.subject:
        return spec.path
    key = project_key if spec.subject == "project" else spec.subject
    return f"/{PLURAL[spec.subject]}/{ids[key]}/{spec.slug}"


def _refused(response: Any, signed_out: bool) -> bool:
    if signed_out:
        return response.status_code == 302 and "/sign-in" in response.headers["Location"]
    return response.status_code == 403


@pytest.mark.parametrize(("user_id", "role"), ROLES, ids=[r.value if r else "signed_out" for _u, r in ROLES])
def test_role_is_refused_what_it_is_not_entitled_to(app: Flask, user_id: str | None, role: Role | None) -> None:
    ids = _ids(app)
    assert all(ids.values()), ids
    client = signed_in(app, user_id)
    allowed = AUTHORITY[role] if role else frozenset()
    signed_out = role is None
    refused_count = 0

    # Forms: every command's form, by its duty in the authority table.
    token = csrf_token(client)
    before = _event_count(app)
    for spec in ALL_FORMS:
        path = _form_path(spec, ids)
        if spec.command.name == "change_password" and user_id is not None:  # one's own account only
            own = app.extensions["partnership_hub"].users.require(user_id).account_id
            path = _form_path(spec, {**ids, "account": own})
        get = client.get(path)
        if spec.command.duty in allowed:
            assert get.status_code == 200, f"{role} should open {path}"
            continue
        post = client.post(path, data={"csrf_token": token, "expected_version": "1"})
        assert _refused(get, signed_out), f"{role} was not refused GET {path}: {get.status_code}"
        assert _refused(post, signed_out), f"{role} was not refused POST {path}: {post.status_code}"
        refused_count += 1
    assert _event_count(app) == before, "a refused form recorded something"

    # A project lead reports on their own projects only.
    if role is Role.PROJECT_LEAD:
        for command in ("submit_progress_report", "submit_completion_report"):
            spec = next(s for s in ALL_FORMS if s.command.name == command)
            path = _form_path(spec, ids, "other_project")
            assert client.get(path).status_code == 403
            assert client.post(path, data={"csrf_token": token}).status_code == 403
        assert client.get(f"/projects/{ids['other_project']}").status_code == 403

    # Reading pages.
    pages = {
        "/dashboard": DASHBOARD_DUTY,
        "/meetings": MEETING_RECORD_DUTY,
        f"/meetings/{ids['meeting']}": MEETING_RECORD_DUTY,
        "/bodies": None,
        f"/bodies/{ids['body']}": None,
        f"/bodies/{ids['body']}/history": None,
        f"/bodies/{ids['body']}/as-at": None,
        "/directory/as-at": None,
        "/audit": None,
        "/audit.csv": None,
        "/projects": None,
        "/reviews": None,
        f"/reviews/{ids['review']}": None,
        "/accounts": Duty.ADMINISTRATION,
        "/panel": Duty.CONSULTATIONS,
        "/consultations": Duty.CONSULTATIONS,
        f"/consultations/{ids['consultation']}": Duty.CONSULTATIONS,
        f"/consultations/{ids['consultation']}/results": Duty.CONSULTATIONS,
        f"/panel-members/{ids['panel_member']}": Duty.CONSULTATIONS,
        f"/accounts/{ids['account']}": Duty.ADMINISTRATION,
    }
    for path, duty in pages.items():
        response = client.get(path)
        entitled = not signed_out and (duty is None or duty in allowed)
        if entitled:
            assert response.status_code == 200, f"{role} should see {path}"
        else:
            assert _refused(response, signed_out), f"{role} was not refused {path}: {response.status_code}"
            refused_count += 1
    # The public pages are for everyone.
    assert client.get("/public/meetings").status_code == 200
    if role is not Role.PARTNERSHIP_OFFICER and role is not Role.ADMINISTRATOR:
        assert refused_count > 0


def test_a_form_without_the_csrf_token_is_refused(app: Flask) -> None:
    client = signed_in(app, "officer")
    ids = _ids(app)
    response = client.post(f"/bodies/{ids['body']}/add-member", data={"person": "Nobody"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
