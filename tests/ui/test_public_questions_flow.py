"""Rule C7 through the pages: a member of the public puts a written question to a public meeting without
signing in, until 5pm on the fourth working day before it; the officer sees it with the agenda and records
the answer; the question and answer are published with the minutes, the name only with consent."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from flask import Flask
from flask.testing import FlaskClient

from domain.actor import Actor
from domain.body import Decision
from tests.ui.conftest import csrf_token, signed_in
from tests.ui.test_governance_flow import _post, _services

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
ON_THE_17TH = date(2026, 3, 17)  # a Tuesday: questions close at 5pm on Wednesday 11 March 2026
ON_THE_5TH = date(2026, 3, 5)  # a Thursday: questions closed at 5pm on Friday 27 February 2026


def _meeting(app: Flask, name: str, day: date, kind: str = "consultative_group", **body: object) -> object:
    services = _services(app)
    body_id = services.hub.establish_body(
        OFFICER, name=name, kind=kind, decision=Decision("Set up", date(2013, 9, 1)), **body
    )
    meeting_id = services.hub.schedule_meeting(OFFICER, body_id, meeting_date=day, start_time=time(14), place="Hall")
    services.read_models.catch_up()
    return meeting_id


def _ask(client: FlaskClient, meeting_id: object, **fields: str) -> tuple[int, str]:
    path = f"/public/meetings/{meeting_id}"
    form = {"csrf_token": csrf_token(client), "name": "Sam Resident", "email": "sam@example.com"}
    form.update(fields)
    response = client.post(f"{path}/questions", data=form, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_a_question_is_asked_answered_and_published_with_the_minutes(app: Flask) -> None:
    meeting_id = _meeting(app, "Mental Health Consultative Group C7", ON_THE_17TH)
    public = app.test_client()
    page = public.get(f"/public/meetings/{meeting_id}").get_data(as_text=True)
    assert "Questions must arrive by 5pm on Wednesday 11 March 2026 (rule C7)" in page

    status, html = _ask(public, meeting_id, question="When will the day centre reopen?", publish_name="yes")
    assert status == 200 and "Your question was received." in html
    status, html = _ask(public, meeting_id, name="Alex Private", email="alex@example.com",
                        question="Will carers be consulted on the new hours?")  # fmt: skip
    assert status == 200 and "Your question was received." in html
    # Bad input is refused field by field, nothing saved.
    status, html = _ask(public, meeting_id, email="not-an-address", question="")
    assert status == 400 and "Enter your question" in html and "There is a problem" in html
    assert html.count("Your question was received.") == 0
    # Not yet published: the public page shows the form, never the questions.
    page = public.get(f"/public/meetings/{meeting_id}").get_data(as_text=True)
    assert "When will the day centre reopen?" not in page

    officer = signed_in(app, "officer")
    page = officer.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Questions from the public (2)" in page and "When will the day centre reopen?" in page
    assert "From Alex Private (name not to be published)" in page and "sam@example.com" not in page

    services = _services(app)
    kept = services.clock.now  # type: ignore[attr-defined]
    services.clock.now = datetime(2026, 3, 17, 18, tzinfo=UTC)  # type: ignore[attr-defined]
    try:
        form = officer.get(f"/meetings/{meeting_id}/answer-public-question").get_data(as_text=True)
        ids = re.findall(r'<option value="([0-9a-f-]{36})"', form)
        assert len(ids) == 2
        for question_id, answer in zip(ids, ("It reopens in May.", "Yes, at the carers' forum in April."), strict=True):
            html = _post(officer, f"/meetings/{meeting_id}/answer-public-question",
                         {"question_id": question_id, "answer": answer})  # fmt: skip
        assert "It reopens in May." in html and "Not answered yet" not in html
        minutes = services.hub.upload_file(OFFICER, b"Minutes of the meeting", "minutes.txt")
        services.hub.record_draft_minutes(OFFICER, meeting_id, file=minutes)
        services.hub.clear_minutes(OFFICER, meeting_id, chair="Ann Carer")
        services.hub.publish_minutes(OFFICER, meeting_id)
        services.read_models.catch_up()
    finally:
        services.clock.now = kept  # type: ignore[attr-defined]
    page = public.get(f"/public/meetings/{meeting_id}").get_data(as_text=True)
    published = page.split('id="questions"')[1]
    assert "Question 1, from Sam Resident" in published and "It reopens in May." in published
    assert "Question 2, from A member of the public" in published
    assert "Alex Private" not in page and "@example.com" not in page


def test_refused_after_the_deadline_with_the_deadline_shown(app: Flask) -> None:
    meeting_id = _meeting(app, "Older People Consultative Group C7", ON_THE_5TH)
    public = app.test_client()
    page = public.get(f"/public/meetings/{meeting_id}").get_data(as_text=True)
    assert "Questions for this meeting closed at 5pm on Friday 27 February 2026 (rule C7)" in page
    assert "Send your question" not in page
    status, html = _ask(public, meeting_id, question="Too late?")
    assert status == 400
    assert (
        "Questions to the Older People Consultative Group C7 meeting on 5 March 2026 had to arrive by "
        "5pm on Friday 27 February 2026 (rule C7)"
    ) in html


def test_no_questions_for_a_private_meeting_or_another_kind_of_body(app: Flask) -> None:
    private = _meeting(app, "Closed Consultative Group C7", ON_THE_17TH, open_to_public=False)
    public = app.test_client()
    assert public.get(f"/public/meetings/{private}").status_code == 404
    token = csrf_token(public)
    refused = public.post(f"/public/meetings/{private}/questions", data={"csrf_token": token, "question": "Hello?"})
    assert refused.status_code == 404
    board = _meeting(app, "Open Partnership Board C7", ON_THE_17TH, kind="partnership_board", open_to_public=True)
    page = public.get(f"/public/meetings/{board}").get_data(as_text=True)
    assert "Questions from the public" not in page
    status, html = _ask(public, board, question="Hello?")
    assert status == 400 and "only meetings of a stakeholder conference or a consultative group" in html
