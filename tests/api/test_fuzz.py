"""schemathesis against /api/openapi.json: no server error and no response that breaks the document.

Every operation is fuzzed from the document as a partnership officer (a real token): valid requests
(positive) and requests that break the document (negative), then again with the path pointing at
records that exist, sending their current version in If-Match, so the fuzzer reaches past the 404s
and 409s into the commands. Bounded by example count.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from application.panel_links import PanelLinks
from application.reminders.commands import ReminderCommands
from tests.api.conftest import ApiClient

EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _seed(api: ApiClient) -> dict[str, str]:
    """Records for the fuzzer to aim at, by the names of the path parameters that name them.

    A group with a member, a project, a meeting of the group with an agenda item, and a reminder of the
    officer's (the fuzzer's own, so marking it done reaches the command).
    """
    body = api.establish()
    member = api.post(
        f"/api/v1/bodies/{body['id']}/members",
        who="officer",
        if_match=1,
        json={"person": "Sam Carer", "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
    )
    assert member.status_code == 201, member.get_json()
    project = api.commission()
    meeting = api.post(
        f"/api/v1/bodies/{body['id']}/meetings",
        who="officer",
        json={"meeting_date": "2026-03-30", "start_time": "14:00", "place": "Civic Centre"},
    )
    assert meeting.status_code == 201, meeting.get_json()
    meeting_id = meeting.get_json()["id"]
    item = api.post(f"/api/v1/meetings/{meeting_id}/agenda-items", who="officer", if_match=1, json={"title": "Breaks"})
    assert item.status_code == 201, item.get_json()
    services = api.services
    ReminderCommands(services.hub, services.read_models, services.users).scan(today=date(2026, 3, 16))
    services.refresh()
    reminders = api.get("/api/v1/reminders", who="officer").get_json()["items"]
    assert reminders, "the scan raised no reminder for the officer"
    review = api.post("/api/v1/reviews", who="officer", json={"year": 2026})
    assert review.status_code == 201, review.get_json()
    # A panel member and a draft consultation (rule A4).
    pat = {"name": "Pat Panel", "email": "pat@example.org", "consent_on": "2026-03-01"}
    panel_member = api.post("/api/v1/panel-members", who="officer", json=pat)
    assert panel_member.status_code == 201, panel_member.get_json()
    consultation = api.post("/api/v1/consultations", who="officer", json={
        "title": "Breaks", "summary": "Views wanted", "concerns": "Carers", "audience": "whole_panel",
        "opens_on": "2026-03-02", "closes_on": "2026-03-20"})  # fmt: skip
    assert consultation.status_code == 201, consultation.get_json()
    # A panel member's own link to respond (the responses API's path names it): the draft refuses it.
    link = PanelLinks(api.app.secret_key).make(  # type: ignore[arg-type]
        "respond", UUID(panel_member.get_json()["id"]), UUID(consultation.get_json()["id"])
    )
    return {
        "token": link,
        "panel_member_id": panel_member.get_json()["id"],
        "consultation_id": consultation.get_json()["id"],
        "body_id": body["id"],
        "project_id": project["id"],
        "review_id": review.get_json()["id"],
        "meeting_id": meeting_id,
        "reminder_id": reminders[0]["reminder_id"],
        # The officer may not act on accounts (403), and the fuzz sees that refused like any other.
        "account_id": str(services.users.require("auditor").account_id),
    }


def test_the_api_keeps_to_its_openapi_document(api: ApiClient) -> None:
    seeded = _seed(api)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api.app)
    headers = {"Authorization": f"Bearer {api.tokens['officer']}"}
    failures: list[str] = []
    runs = {"examples": 0, "operations": 0, "commands": 0}
    statuses: Counter[int] = Counter()
    started = time.monotonic()

    def current_version(path_parameters: dict[str, str]) -> str | None:
        """The ETag of the record the path names, so a change reaches its command instead of a 409."""
        for name, collection in (
            ("meeting_id", "meetings"),
            ("project_id", "projects"),
            ("body_id", "bodies"),
            ("consultation_id", "consultations"),
        ):
            if name in path_parameters:
                response = api.get(f"/api/v1/{collection}/{path_parameters[name]}", who="officer")
                return response.headers.get("ETag")
        return None

    def fuzz(operation: Any, mode: GenerationMode, path_parameters: dict[str, str] | None) -> None:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
        sends_if_match = any(p.name == "If-Match" for p in operation.headers)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            runs["examples"] += 1
            if path_parameters and sends_if_match:
                version = current_version(path_parameters)
                if version is not None:
                    case.headers = {**(case.headers or {}), "If-Match": version}
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1
            if case.method.upper() == "POST" and response.status_code < 300:
                runs["commands"] += 1

        try:
            run()
        except Unsatisfiable:
            # Nothing in the operation can be made invalid (no parameters, no body): nothing to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label} [{mode.value}, path {path_parameters}]: {error}")

    for result in schema.get_all_operations():
        operation = result.ok()
        runs["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, None)
        names = {p.name for p in operation.path_parameters}
        assert names <= set(seeded), (operation.label, names)  # every record a path names has a seed
        if names:
            fuzz(operation, GenerationMode.POSITIVE, {name: seeded[name] for name in names})

    elapsed = time.monotonic() - started
    print(f"schemathesis: {runs['examples']} examples, {runs['operations']} operations, {elapsed:.1f}s")
    print(f"statuses: {sorted(statuses.items())}; commands that succeeded: {runs['commands']}")
    assert runs["operations"] >= 30 and runs["examples"] >= 30 * EXAMPLES
    assert not failures, "\n\n".join(failures)
    # The fuzzer got past the refusals into the commands, not only 4xx.
    assert statuses[200] + statuses[201] > 0
    assert runs["commands"] > 0
