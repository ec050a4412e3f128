"""schemathesis against /api/openapi.json: no server error and no response that breaks the document.

Every operation is fuzzed from the document as a partnership officer (a real token): valid requests
(positive) and requests that break the document (negative), then again with the path pointing at
records that exist, so the fuzzer reaches past the 404s into the commands. Bounded by example count.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api.conftest import ApiClient

EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _seed(api: ApiClient) -> dict[str, str]:
    """Records for the fuzzer to aim at: a group with a member, a project, a meeting with an agenda item."""
    body = api.establish()
    member = api.post(
        f"/api/v1/bodies/{body['id']}/members",
        who="officer",
        if_match=1,
        json={"person": "Sam Carer", "role": "member", "representation": "carer", "effective_date": "2026-03-02"},
    ).get_json()
    project = api.commission()
    meeting = api.post(
        "/api/v1/meetings",
        who="officer",
        json={"body_id": body["id"], "meeting_date": "2026-03-30", "start_time": "14:00", "place": "Civic Centre"},
    ).get_json()
    api.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", who="officer", if_match=1, json={"title": "Breaks"})
    return {
        "body_id": body["id"],
        "member_id": member["member_id"],
        "project_id": project["id"],
        "meeting_id": meeting["id"],
    }


def test_the_api_keeps_to_its_openapi_document(api: ApiClient) -> None:
    seeded = _seed(api)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api.app)
    headers = {"Authorization": f"Bearer {api.tokens['officer']}"}
    failures: list[str] = []
    runs = {"examples": 0, "operations": 0}
    statuses: Counter[int] = Counter()
    started = time.monotonic()

    def fuzz(operation: Any, mode: GenerationMode, path_parameters: dict[str, str] | None) -> None:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

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
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1

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
        if names:
            fuzz(operation, GenerationMode.POSITIVE, {name: seeded[name] for name in names})

    elapsed = time.monotonic() - started
    print(f"schemathesis: {runs['examples']} examples, {runs['operations']} operations, {elapsed:.1f}s")
    print(f"statuses: {sorted(statuses.items())}")
    assert runs["operations"] >= 30 and runs["examples"] >= 30 * EXAMPLES
    assert not failures, "\n\n".join(failures)
    # The fuzzer got past the refusals into the commands, not only 4xx.
    assert statuses[200] + statuses[201] > 0
