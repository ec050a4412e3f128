"""Every command as one API operation (web/api/commands.py): the table, the outcome, the order of refusals, the body.

A command is a POST of a JSON object to the path OPERATIONS gives it. It answers with its outcome: the
record's version after its own event (and the ETag), the event's position in the log, Location for a
created record, and the record as the lists show it. Refusals come in a fixed order: the token (401),
the role (403), If-Match (428/400), the input (422), then the rule (422) or a conflict (409).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import web.api.commands as api_commands
from application.commands import COMMANDS
from tests.api.conftest import ApiClient, assert_problem, commission_body
from web.api.commands import OPERATIONS
from web.api.json_input import MAX_BYTES, MAX_DEPTH

MEMBER = {"person": "Ann", "role": "member", "representation": "carer", "effective_date": "2026-03-02"}


def _spec_path(command_name: str) -> str:
    """The documented path of a command's operation, with its record's id named as the document names it."""
    command = COMMANDS[command_name]
    path = OPERATIONS[command.input].path
    if command.about is not None:
        path = path.replace("{id}", f"{{{command.about.value}_id}}")
    return f"/api/v1{path}"


# ------------------------------------------------------------------- (a) the table


def test_every_command_has_exactly_one_operation() -> None:
    assert COMMANDS, "no command is defined"
    by_command = [schema.command.name for schema in OPERATIONS]  # type: ignore[attr-defined]
    assert sorted(by_command) == sorted(COMMANDS)  # each command once, and nothing else
    assert len(set(by_command)) == len(by_command)
    for name, command in COMMANDS.items():
        assert command.input in OPERATIONS, name
        assert command.input.command is command  # type: ignore[attr-defined]
    paths = [operation.path for operation in OPERATIONS.values()]
    assert len(set(paths)) == len(paths), "two commands share a path"
    for schema, operation in OPERATIONS.items():
        command = schema.command  # type: ignore[attr-defined]
        # A command about a record names it in its path; one that starts something new does not.
        assert ("{id}" in operation.path) == (command.about is not None), command.name


def test_every_command_is_in_the_openapi_document_under_its_name(api: ApiClient) -> None:
    spec = api.get("/api/openapi.json").get_json()
    operations: dict[str, list[tuple[str, str]]] = {}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "operationId" in operation:
                operations.setdefault(operation["operationId"], []).append((method, path))
    for name, command in COMMANDS.items():
        assert operations.get(name) == [("post", _spec_path(name))], (name, operations.get(name))
        operation = spec["paths"][_spec_path(name)]["post"]
        subject = command.about or command.creates
        untagged = "people" if name == "erase_person" else "calendar"
        assert operation["tags"] == [subject.plural if subject else untagged], name
        assert operation["summary"] == command.title
        # Only a question from the public (C7) may be sent without a token.
        public = OPERATIONS[command.input].public
        assert operation["security"] == ([{}, {"bearerAuth": []}] if public else [{"bearerAuth": []}]), name
        assert public == (name == "ask_public_question"), name
        parameters = {p["name"] for p in operation.get("parameters", [])}
        assert ("If-Match" in parameters) == command.versioned, name
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == f"#/components/schemas/{command.input.__name__}"
        status = str(OPERATIONS[command.input].status)
        assert set(operation["responses"]) == {status, "default"}, name
        outcome = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert outcome.endswith("Outcome"), name


# ------------------------------------------------------------ (b) its own version


def test_a_write_answers_with_its_own_version_when_another_writer_follows(
    api_both: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_both
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/members"
    admin = api.services.users.user_for_token(api.tokens["admin"])
    assert admin is not None
    followed: list[Any] = []
    original = api_commands.saved

    def another_writer_straight_after(outcome: Any) -> bool:
        # Between this command's save and its answer, an administrator adds a member to the same body.
        monkeypatch.setattr(api_commands, "saved", original)
        followed.append(
            api.services.dispatcher.run(
                "add_member",
                admin.actor,
                subject_id=outcome.subject_id,
                expected_version=outcome.version,
                data={**MEMBER, "person": "Bob"},
            )
        )
        return original(outcome)

    monkeypatch.setattr(api_commands, "saved", another_writer_straight_after)
    first = api.post(url, who="officer", if_match=1, json=MEMBER)
    assert first.status_code == 201, first.get_json()
    outcome = first.get_json()
    (later,) = followed
    assert later.version == 3
    # The answer is the officer's own write (version 2), not the administrator's that came after it...
    assert outcome["version"] == 2 and first.headers["ETag"] == '"2"'
    assert int(first.headers["Hub-Log-Position"]) == outcome["position"] < later.position
    # ...while the record, read once the lists reached the officer's write, shows at least that write.
    assert outcome["record"]["version"] in (2, 3)
    ann = next(m for m in outcome["record"]["members"] if m["person"] == "Ann")
    assert outcome["member_id"] == ann["member_id"]
    # So a client that sends the ETag it was given learns that someone else changed the body since.
    stale = assert_problem(api.post(url, who="officer", if_match=first.headers["ETag"], json=MEMBER), 409)
    assert stale["current_version"] == 3


def test_two_writes_in_turn_each_answer_their_own_version(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/members"
    first = api.post(url, who="officer", if_match=1, json=MEMBER)
    second = api.post(url, who="admin", if_match=2, json={**MEMBER, "person": "Bob"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.get_json()["version"], first.headers["ETag"]) == (2, '"2"')
    assert (second.get_json()["version"], second.headers["ETag"]) == (3, '"3"')
    assert first.get_json()["member_id"] != second.get_json()["member_id"]
    assert first.get_json()["position"] < second.get_json()["position"]


# ------------------------------------------------------- (c) Location and position


def test_created_records_have_a_location_and_positions_increase(api_both: ApiClient) -> None:
    api = api_both
    positions: list[int] = []

    def write(path: str, who: str, json: dict[str, Any], status: int, **kwargs: Any) -> Any:
        response = api.post(path, who=who, json=json, **kwargs)
        assert response.status_code == status, response.get_json()
        outcome = response.get_json()
        assert response.headers["Hub-Log-Position"] == str(outcome["position"])
        assert response.headers["ETag"] == f'"{outcome["version"]}"'
        positions.append(outcome["position"])
        return response

    body = write(
        "/api/v1/bodies", "officer", {"name": "Carers Forum", "kind": "consultative_group", "reason": "r"}, 201
    )
    body_id = body.get_json()["id"]
    assert body.get_json()["created"] is True
    assert body.headers["Location"] == f"/api/v1/bodies/{body_id}"
    assert api.get(body.headers["Location"]).get_json()["name"] == "Carers Forum"

    meeting = write(
        f"/api/v1/bodies/{body_id}/meetings",
        "officer",
        {"meeting_date": "2026-03-30", "start_time": "14:00", "place": "Civic Centre"},
        201,
    )
    meeting_id = meeting.get_json()["id"]
    assert meeting.get_json()["created"] is True and meeting_id != body_id
    assert meeting.headers["Location"] == f"/api/v1/meetings/{meeting_id}"
    assert api.get(meeting.headers["Location"], who="officer").get_json()["body_id"] == body_id

    project = write("/api/v1/projects", "care", commission_body(), 201)
    project_id = project.get_json()["id"]
    assert project.get_json()["created"] is True
    assert project.headers["Location"] == f"/api/v1/projects/{project_id}"
    assert api.get(project.headers["Location"], who="care").get_json()["title"] == "Carers Strategy"

    # Adding to a record (201 too) or changing it creates no record of its own: no Location.
    item = write(f"/api/v1/meetings/{meeting_id}/agenda-items", "officer", {"title": "Breaks"}, 201, if_match=1)
    assert item.get_json()["created"] is False and "Location" not in item.headers
    member = write(f"/api/v1/bodies/{body_id}/members", "officer", MEMBER, 201, if_match=1)
    assert member.get_json()["created"] is False and "Location" not in member.headers
    funded = write(
        f"/api/v1/bodies/{body_id}/changes/funding",
        "officer",
        {"annual_funding_pence": 100, "reason": "r"},
        200,
        if_match=2,
    )
    assert "Location" not in funded.headers

    assert positions == sorted(positions) and len(set(positions)) == len(positions), positions


def test_planning_the_calendar_answers_with_what_it_planned(api: ApiClient) -> None:
    group = api.establish()
    plan = {"year": 2027, "place": "Civic Centre"}
    assert_problem(api.post("/api/v1/calendar/plans", who="auditor", json=plan), 403)
    first = api.post("/api/v1/calendar/plans", who="officer", json=plan)
    assert first.status_code == 200, first.get_json()
    outcome = first.get_json()
    assert (outcome["command"], outcome["year"], outcome["created"]) == ("plan_annual_calendar", 2027, False)
    assert outcome["planned"] == [group["id"]] and outcome["already_planned"] == []
    assert isinstance(outcome["refused"], dict) and "record" not in outcome
    assert "Location" not in first.headers and first.headers["Hub-Log-Position"] == str(outcome["position"])
    again = api.post("/api/v1/calendar/plans", who="officer", json=plan).get_json()
    assert (again["planned"], again["already_planned"]) == ([], [group["id"]])
    meetings = api.get(f"/api/v1/meetings?body_id={group['id']}").get_json()
    assert meetings["total"] == 2
    assert {m["stage"] for m in meetings["items"]} == {"scheduled"}


def test_planning_can_be_previewed_without_saving(api: ApiClient) -> None:
    group = api.establish()
    plan = {"year": 2027, "place": "Civic Centre", "preview": True}
    preview = api.post("/api/v1/calendar/plans", who="officer", json=plan)
    assert preview.status_code == 200, preview.get_json()
    outcome = preview.get_json()
    assert outcome["preview"] is True and outcome["meetings"] == 2 and outcome["position"] is None
    assert outcome["summary"].startswith("Would create 2 meetings for 1 body in 2027")
    (body,) = outcome["bodies"]
    assert body["body_id"] == group["id"] and len(body["create"]) == 2 and body["existing"] == []
    assert api.get(f"/api/v1/meetings?body_id={group['id']}").get_json()["total"] == 0


# ------------------------------------------------------------ (d) order of refusals


def test_the_role_is_refused_before_the_input_is_read(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/changes/funding"
    invalid = {"annual_funding_pence": 1.5, "colour": "red"}
    # No token at all: 401, whatever else is wrong.
    assert_problem(api.post(url, json=invalid), 401)
    # An auditor may not change funding: 403, not 422, with or without If-Match, whatever they sent.
    refused = assert_problem(api.post(url, who="auditor", if_match=1, json=invalid), 403)
    assert re.fullmatch(r"an? auditor may not change funding", refused["detail"]) and "errors" not in refused
    assert_problem(api.post(url, who="auditor", json=invalid), 403)
    assert_problem(api.post(url, who="auditor", if_match="latest", json=invalid), 403)
    assert_problem(api.call("POST", url, who="auditor", if_match=1, data="{bad", content_type="application/json"), 403)
    assert_problem(api.call("POST", url, who="auditor", if_match=1, data="x", content_type="text/plain"), 403)
    # A create names no version: the role still comes before the input.
    refused = assert_problem(api.post("/api/v1/bodies", who="director", json={"kind": "club"}), 403)
    assert re.fullmatch(r"an? executive director may not establish a body", refused["detail"])
    assert api.get(f"/api/v1/bodies/{body['id']}").get_json()["version"] == 1


def test_if_match_is_checked_before_the_input(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/changes/funding"
    invalid = {"annual_funding_pence": 1.5, "colour": "red"}
    assert "If-Match" in assert_problem(api.post(url, who="officer", json=invalid), 428)["detail"]
    assert_problem(api.post(url, who="officer", if_match="latest", json=invalid), 400)
    assert_problem(api.call("POST", url, who="officer", data="{bad", content_type="application/json"), 428)
    # With If-Match, the input: each bad field named...
    assert_problem(
        api.post(url, who="officer", if_match=1, json=invalid), 422, "annual_funding_pence", "colour", "reason"
    )
    # ...even if the version is stale: the input comes before a conflict.
    assert_problem(api.post(url, who="officer", if_match=7, json=invalid), 422, "annual_funding_pence")
    # Valid input against a stale version is a conflict; against the right one, a rule may still refuse it.
    assert_problem(api.post(url, who="officer", if_match=7, json={"annual_funding_pence": 5, "reason": "r"}), 409)
    assert api.get(f"/api/v1/bodies/{body['id']}").get_json()["version"] == 1


def test_a_broken_rule_comes_after_the_input(api: ApiClient) -> None:
    body = api.establish()
    api.post(f"/api/v1/bodies/{body['id']}/changes/end", who="officer", if_match=1, json={"reason": "r"})
    url = f"/api/v1/bodies/{body['id']}/changes/maintain"
    assert_problem(api.post(url, who="officer", if_match=2, json={"reason": " "}), 422, "reason")
    ruled = assert_problem(api.post(url, who="officer", if_match=2, json={"reason": "r"}), 422)
    assert "errors" not in ruled  # the framework's rule, not a field: an ended body accepts only corrections
    assert api.get(f"/api/v1/bodies/{body['id']}").get_json()["version"] == 2


# --------------------------------------------------------------- (e) the body itself


def _nothing_saved(api: ApiClient, body_id: str) -> None:
    assert api.get("/api/v1/bodies").get_json()["total"] == 1
    assert api.get(f"/api/v1/bodies/{body_id}").get_json()["version"] == 1
    assert api.get("/api/v1/audit", who="auditor").get_json()["total"] == 1


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_thousands_deep_is_a_problem_not_a_crash(api: ApiClient, depth: int) -> None:
    body = api.establish()
    arrays = "[" * depth + "]" * depth
    objects = '{"a":' * depth + "1" + "}" * depth
    inside = '{"reason": "r", "annual_funding_pence": ' + arrays + "}"
    for url, if_match in (("/api/v1/bodies", None), (f"/api/v1/bodies/{body['id']}/changes/funding", 1)):
        for raw in (arrays, objects, inside):
            response = api.call(
                "POST", url, who="officer", if_match=if_match, data=raw, content_type="application/json"
            )
            problem = assert_problem(response, 400)
            assert f"more than {MAX_DEPTH} levels" in problem["detail"]
    _nothing_saved(api, body["id"])


def test_the_depth_limit_is_exact_and_ignores_brackets_in_strings(api: ApiClient) -> None:
    url = "/api/v1/bodies"
    at_limit = '{"name": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + ', "kind": "subgroup", "reason": "r"}'
    over = '{"name": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + ', "kind": "subgroup", "reason": "r"}'
    # At the limit the JSON is read, and the field is refused for what it is.
    assert_problem(api.call("POST", url, who="officer", data=at_limit, content_type="application/json"), 422, "name")
    assert_problem(api.call("POST", url, who="officer", data=over, content_type="application/json"), 400)
    brackets = {"name": "Carers Forum", "kind": "subgroup", "reason": "r", "purpose": '[{"' * 1_000 + '\\"]'}
    made = api.post(url, who="officer", json=brackets)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["record"]["purpose"] == brackets["purpose"]


def test_a_body_that_is_not_a_json_object_is_refused(api: ApiClient) -> None:
    body = api.establish()
    url = f"/api/v1/bodies/{body['id']}/changes/funding"
    for raw_value in ('[{"reason": "r", "annual_funding_pence": 5}]', '["end"]', "5", '"end"', "null", "true"):
        response = api.call("POST", url, who="officer", if_match=1, data=raw_value, content_type="application/json")
        assert "JSON object" in assert_problem(response, 400)["detail"], raw_value
    raw = '{"reason": "r", "annual_funding_pence": 5}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = api.call("POST", url, who="officer", if_match=1, data=raw, content_type=content_type)
        assert "Content-Type: application/json" in assert_problem(response, 415)["detail"]
    malformed = api.call("POST", url, who="officer", if_match=1, data="{bad", content_type="application/json")
    assert "not valid JSON" in assert_problem(malformed, 400)["detail"]
    big = '{"reason": "' + "r" * MAX_BYTES + '", "annual_funding_pence": 5}'
    assert_problem(api.call("POST", url, who="officer", if_match=1, data=big, content_type="application/json"), 413)
    _nothing_saved(api, body["id"])
    # The same input as JSON is taken; the charset parameter does not matter.
    taken = api.call("POST", url, who="officer", if_match=1, data=raw, content_type="application/json; charset=utf-8")
    assert taken.status_code == 200, taken.get_json()


def test_an_empty_body_is_an_empty_object(api: ApiClient) -> None:
    project = api.commission()
    # A command with nothing required may be sent with no body at all, or with blank space.
    url = f"/api/v1/projects/{project['id']}/brief-agreement"
    agreed = api.call("POST", url, who="director", if_match=1)
    assert agreed.status_code == 200, agreed.get_json()
    assert (agreed.get_json()["command"], agreed.get_json()["version"]) == ("agree_brief", 2)
    again = api.call("POST", url, who="director", if_match=2, data="  \n", content_type="application/json")
    assert "errors" not in assert_problem(again, 422)  # read as {}: refused by the rule (agreed once), not the body
    # One with required fields names each of them.
    assert_problem(api.call("POST", "/api/v1/bodies", who="officer"), 422, "name", "kind", "reason")


# ------------------------------------------------------------ hostile bodies


def test_a_deep_body_with_an_idempotency_key_is_a_problem_not_a_crash(api: ApiClient) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = api.call(
        "POST",
        "/api/v1/bodies",
        who="officer",
        data=deep,
        content_type="application/json",
        headers={"Idempotency-Key": "deep-1"},
    )
    assert_problem(response, 400)
    assert api.get("/api/v1/bodies").get_json()["total"] == 0


def test_a_lone_surrogate_is_refused_not_a_crash(api: ApiClient) -> None:
    raw = '{"name": "Carers Forum", "kind": "subgroup", "reason": "\\ud800"}'
    response = api.call("POST", "/api/v1/bodies", who="officer", data=raw, content_type="application/json")
    assert "lone surrogate" in assert_problem(response, 400)["detail"]
    assert api.get("/api/v1/bodies").get_json()["total"] == 0


def test_a_nul_character_does_not_stop_the_lists(api_both: ApiClient) -> None:
    api = api_both
    with_nul = {"name": "Carers Forum", "kind": "subgroup", "reason": "r", "purpose": "carers\u0000"}
    first = api.post("/api/v1/bodies", who="officer", json=with_nul)
    # Refused as input, naming the field: never saved and then unreadable by the lists (PostgreSQL).
    assert_problem(first, 422, "purpose")
    after = api.post("/api/v1/bodies", who="officer", json={"name": "Later", "kind": "subgroup", "reason": "r"})
    assert after.status_code == 201
    assert after.get_json()["record"] is not None and "Hub-Read-Models" not in after.headers
    assert api.get("/api/v1/bodies").get_json()["total"] == 1
