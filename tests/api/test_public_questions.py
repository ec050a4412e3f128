"""Rule C7 over the API: a question from the public needs no token; it is refused after its deadline, for a
private meeting (which the public never learns of) and for other kinds of body; the officer answers it."""

from __future__ import annotations

from tests.api.conftest import ApiClient, assert_problem

QUESTION = {"name": "Sam Resident", "email": "sam@example.com", "question": "When does the centre reopen?"}


def _meeting(api: ApiClient, name: str, day: str, kind: str = "consultative_group", **body: object) -> str:
    record = api.establish(name, kind, **body)
    scheduled = api.post(
        f"/api/v1/bodies/{record['id']}/meetings",
        who="officer",
        json={"meeting_date": day, "start_time": "14:00", "place": "Civic Centre"},
    )
    assert scheduled.status_code == 201, scheduled.get_json()
    return scheduled.get_json()["id"]


def test_asked_without_a_token_before_the_deadline_and_refused_after(api_both: ApiClient) -> None:
    meeting = _meeting(api_both, "Mental Health Consultative Group", "2026-03-17")
    asked = api_both.post(f"/api/v1/meetings/{meeting}/questions", json={**QUESTION, "publish_name": True})
    assert asked.status_code == 201, asked.get_json()
    answer = asked.get_json()
    assert (answer["command"], answer["created"]) == ("ask_public_question", True)
    assert "record" not in answer and "Location" not in asked.headers  # not public record until published
    late = _meeting(api_both, "Older People Consultative Group", "2026-03-05")
    refused = assert_problem(api_both.post(f"/api/v1/meetings/{late}/questions", json=QUESTION), 422)
    assert refused["rule"] == "C7" and "had to arrive by 5pm on Friday 27 February 2026" in refused["detail"]

    # The officer answers it (a meeting's duty: not the public, not an auditor).
    body = {"question_id": answer["id"], "answer": "In May."}
    assert_problem(api_both.post(f"/api/v1/meetings/{meeting}/questions/answers", json=body), 401)
    assert_problem(api_both.post(f"/api/v1/meetings/{meeting}/questions/answers", who="auditor", json=body), 403)
    too_soon = api_both.post(f"/api/v1/meetings/{meeting}/questions/answers", who="officer", json=body)
    assert_problem(too_soon, 422)  # the answer is the one given at the meeting, on the 17th
    api_both.clock.now = api_both.clock.now.replace(month=3, day=17, hour=18)
    answered = api_both.post(f"/api/v1/meetings/{meeting}/questions/answers", who="officer", json=body)
    assert answered.status_code == 200, answered.get_json()


def test_refused_for_a_private_meeting_another_kind_of_body_and_bad_input(api: ApiClient) -> None:
    private = _meeting(api, "Closed Consultative Group", "2026-03-17", open_to_public=False)
    assert_problem(api.post(f"/api/v1/meetings/{private}/questions", json=QUESTION), 404)
    # Signed in, the officer learns why.
    told = assert_problem(api.post(f"/api/v1/meetings/{private}/questions", who="officer", json=QUESTION), 422)
    assert "not open to the public" in told["detail"] and told["rule"] == "C7"
    board = _meeting(api, "Open Partnership Board", "2026-03-17", "partnership_board", open_to_public=True)
    other = assert_problem(api.post(f"/api/v1/meetings/{board}/questions", json=QUESTION), 422)
    assert "only meetings of a stakeholder conference or a consultative group" in other["detail"]
    group = _meeting(api, "Carers Forum", "2026-03-17")
    assert_problem(
        api.post(f"/api/v1/meetings/{group}/questions", json={"name": "", "question": "x" * 20_001, "extra": 1}),
        422,
        "name",
        "email",
        "question",
        "extra",
    )
    wrong = assert_problem(
        api.post(f"/api/v1/meetings/{group}/questions", json={**QUESTION, "email": "not-an-address"}), 422
    )
    assert "e-mail address like name@example.com" in wrong["detail"]
    assert_problem(api.post(f"/api/v1/meetings/{group}/agenda-items", json={"title": "x"}), 401)  # others need a token
