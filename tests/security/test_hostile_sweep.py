"""Every command's form and API operation, from the registry, sent hostile values in every field: NUL, a lone
surrogate, 10,000 characters, the year 9999, huge numbers, JSON nested too deep. Each is answered with a 4xx
that names the field (or says what is wrong with the body), never a 5xx, and nothing is saved."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from marshmallow import Schema, fields

from application.authority import Duty, Role
from application.bootstrap import Services
from application.commands import COMMANDS, Command, Subject
from domain import bounds
from domain.actor import Actor
from domain.project import Brief
from projections.tables import bodies, meetings
from tests.security.conftest import Hub, csrf_token
from web.api.commands import OPERATIONS
from web.ui.forms import FORMS, PLURAL

# Who may run each duty's commands among the demo accounts (so the refusal is never the role's).
RUNS: dict[Duty, str] = {
    Duty.GOVERNANCE: "admin",
    Duty.MEMBERSHIP: "admin",
    Duty.MEETINGS: "admin",
    Duty.CALENDAR: "admin",
    Duty.ADMINISTRATION: "admin",
    Duty.COMMISSIONING: "care-holder",
    Duty.BRIEF_AGREEMENT: "director",
    Duty.DECISIONS: "care-holder",
    Duty.REPORTING: "demo-lead-1",
    Duty.PERSONAL: "officer",
    Duty.PUBLIC: "officer",  # the public's one command (C7) refuses hostile input alike, token or not
    Duty.CONSULTATIONS: "officer",
}
TOO_LONG = "x" * (bounds.LONG_TEXT + 1)  # beyond any text field, long or short
TEN_THOUSAND = "x" * 10_000
DEEP = "[" * 200 + "]" * 200
TEXT = ["a\x00b", "\ud800", "x\ud800\udfffy"[:2], TOO_LONG, 10**30, {"a": {"b": {}}}]
DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "\x00", 10**30]
NUMBERS = [10**30, -(10**30), 1e308, "\x00", True, 1.5]
ANYTHING = ["\x00", TOO_LONG, 10**30, [[[[]]]], {"a": {}}]


def hostile_values(field: fields.Field) -> list[Any]:
    """Values no field of this kind may take."""
    if isinstance(field, fields.Date):
        return DATES
    if isinstance(field, fields.Integer):
        return NUMBERS
    if isinstance(field, fields.String | fields.Email):
        short = not getattr(field, "long", False)
        return [*TEXT, TEN_THOUSAND] if short else TEXT
    if isinstance(field, fields.Boolean):
        return [10**30, "\x00", {"a": 1}]
    if isinstance(field, fields.List):
        return [["\x00"], [TOO_LONG], [None] * (bounds.MAX_NAMES + 1), "\x00"]
    return ANYTHING


def fields_of(schema: type[Schema], prefix: str = "") -> list[tuple[str, fields.Field]]:
    found = []
    for name, field in schema().fields.items():
        nested = getattr(field, "nested", None)
        if isinstance(nested, type) and issubclass(nested, Schema):
            found += fields_of(nested, f"{prefix}{name}.")
        found.append((f"{prefix}{name}", field))
    return found


def put(path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    data: dict[str, Any] = {}
    cursor = data
    for parent in parents:
        cursor = cursor.setdefault(parent, {})
    cursor[last] = value
    return data


@pytest.fixture(scope="module")
def subjects(hub: Hub) -> dict[Subject, UUID]:
    svc = hub.services
    lead = Actor("care-holder", Role.PORTFOLIO_HOLDER_CARE_SERVICES.value, "Cllr Alan Care")
    brief = Brief(aims_and_objectives="A", outcomes="B", start_date=date(2026, 3, 2), end_date=date(2026, 12, 31),
                  resources="C", key_risks="D")  # fmt: skip
    project = svc.hub.commission_project(lead, title="Hostile sweep project", lead="demo-lead-1", brief=brief)
    svc.refresh()
    with svc.reading() as connection:
        body = connection.scalar(bodies.select().with_only_columns(bodies.c.id).limit(1))
        meeting = connection.scalar(meetings.select().with_only_columns(meetings.c.id).limit(1))
    return {
        Subject.BODY: body,
        Subject.MEETING: meeting,
        Subject.PROJECT: project,
        Subject.ACCOUNT: svc.users.require("auditor").account_id,
        Subject.REMINDER: UUID(int=1),  # the reminder itself is never reached: its input is refused first
        Subject.REVIEW: svc.hub.open_annual_review(Actor("officer", Role.PARTNERSHIP_OFFICER.value), year=2099),
        **_panel_subjects(svc),
    }


def _panel_subjects(svc: Services) -> dict[Subject, UUID]:
    """A panel member and a draft consultation with a question (rule A4)."""
    officer = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
    member = svc.hub.add_panel_member(officer, name="Pat Panel", email="pat@example.org", consent_on=date(2026, 3, 1))
    consultation = svc.hub.draft_consultation(officer, title="Sweep", summary="Views", concerns="Day services",
                                              opens_on=date(2026, 3, 2), closes_on=date(2026, 12, 31))  # fmt: skip
    svc.hub.add_question(officer, consultation, question="How good is it?", kind="scale")
    svc.refresh()
    return {Subject.PANEL_MEMBER: member, Subject.CONSULTATION: consultation}


def api_path(command: Command, subjects: dict[Subject, UUID]) -> str:
    path = "/api/v1" + OPERATIONS[command.input].path
    return path.replace("{id}", str(subjects[command.about])) if command.about else path


def names_the_field(answer: Any, field: str) -> bool:
    errors = (answer.get_json() or {}).get("errors") or {}
    return any(key == field or key.startswith(f"{field}.") for key in errors)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_api_operation_refuses_hostile_values_by_field(hub: Hub, subjects: dict, name: str) -> None:
    command = COMMANDS[name]
    client = hub.client()
    headers = {**hub.token(RUNS[command.duty]), "If-Match": '"1"', "Content-Type": "application/json"}
    path = api_path(command, subjects)
    before = hub.events()
    sent = 0
    for field, kind in fields_of(command.input):
        for value in hostile_values(kind):
            body = json.dumps(put(field, value), ensure_ascii=True)  # "\ud800" travels as a JSON escape
            answer = client.post(path, data=body, headers=headers)
            where = (name, field, repr(value)[:40], answer.status_code)
            if answer.status_code == 400:  # a body no JSON object may be (a lone surrogate): said of the body
                assert "surrogate" in answer.get_json()["detail"], where
            else:
                assert answer.status_code == 422 and names_the_field(answer, field), (*where, answer.get_json())
            sent += 1
    assert sent or not command.input().fields, name
    for body in (DEEP, '{"a": ' * 100 + "1" + "}" * 100, "{", "[]", '"\\ud800"', "1e999999"):
        answer = client.post(path, data=body, headers=headers)
        assert answer.status_code in (400, 422), (name, body[:20], answer.status_code)
        assert answer.get_json()["detail"], (name, body[:20])
    assert hub.events() == before, f"{name}: a hostile request saved something"


def form_values(field: Any) -> list[dict[str, str]]:
    """What a browser could post that this field must refuse (a browser sends no lone surrogates)."""
    if field.kind == "date":
        year = {f"{field.name}-day": "31", f"{field.name}-month": "12"}
        return [{**year, f"{field.name}-year": "9999"}, {**year, f"{field.name}-year": "9" * 40}]
    if field.kind in ("int", "money"):
        return [{field.name: "9" * 40}, {field.name: "-1e308"}, {field.name: "a\x00"}]
    if field.kind in ("select", "radios", "body"):
        return [{field.name: "a\x00b"}, {field.name: TEN_THOUSAND}]
    return [{field.name: "a\x00b"}, {field.name: TOO_LONG}]


@pytest.mark.parametrize("name", sorted(c.name for c in FORMS))
def test_every_form_refuses_hostile_values_by_field(hub: Hub, subjects: dict, name: str) -> None:
    command = COMMANDS[name]
    spec = FORMS[command]
    who = RUNS[command.duty]
    browser = hub.sign_in(who)
    subject = subjects[command.about] if command.about else None
    if command.about is Subject.ACCOUNT and command.duty is Duty.PERSONAL:  # one's own account
        subject = hub.services.users.require(who).account_id
    url = f"/{PLURAL[spec.subject]}/{subject}/{spec.slug}" if spec.subject else spec.path
    token = csrf_token(browser, url)
    before = hub.events()
    for field in spec.fields:
        if field.kind in ("file", "bool"):
            continue  # an upload is checked by the file store (test_storage, tests/api); a box is ticked or not
        for form in form_values(field):
            page = browser.post(url, data={"csrf_token": token, "expected_version": "1", **form})
            html = page.get_data(as_text=True)
            assert page.status_code == 400, (name, field.name, str(form)[:60], page.status_code)
            assert f'href="#{field.anchor}"' in html, (name, field.name, str(form)[:60])
    assert hub.events() == before, f"{name}: a hostile form saved something"
