"""Rule C7 in the browser: a member of the public, not signed in, puts a question to a public meeting before
its deadline and is refused after it; the officer records the answer, the minutes are published, and the
public page shows the question with its answer. axe-core on every page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from domain.actor import Actor
from domain.body import Decision
from tests.browser.conftest import Site, Visit

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")


def _meeting(site: Site, name: str, day: date) -> object:
    services = site.services
    body_id = services.hub.establish_body(
        OFFICER, name=name, kind="consultative_group", decision=Decision("Set up", date(2013, 9, 1))
    )
    meeting_id = services.hub.schedule_meeting(OFFICER, body_id, meeting_date=day, start_time=time(14), place="Hall")
    services.read_models.catch_up()
    return meeting_id


def test_a_question_from_the_public_before_and_after_its_deadline_and_published_with_its_answer(
    visit: Visit, second_visit: Visit, site: Site
) -> None:
    page = visit.page
    late = _meeting(site, "Parent Voice C7 browser", date(2026, 3, 5))  # closed 5pm Friday 27 February
    visit.go(f"/public/meetings/{late}")
    assert "Questions for this meeting closed at 5pm on Friday 27 February 2026 (rule C7)" in page.inner_text("main")
    assert page.get_by_role("button", name="Send your question").count() == 0

    meeting = _meeting(site, "Learning Disability C7 browser", date(2026, 3, 17))  # closes 5pm Wednesday 11 March
    visit.go(f"/public/meetings/{meeting}")
    assert "Questions must arrive by 5pm on Wednesday 11 March 2026" in page.inner_text("#questions ~ p")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_label("Your question").fill("Will the easy-read papers come out with the agenda?")
    visit.submit("Send your question")
    assert "There is a problem" in page.inner_text("main")  # the error summary, then the field
    page.get_by_label("Your email address").fill("sam@example.com")
    page.get_by_label("My name may be published with my question and its answer").check()
    visit.submit("Send your question")
    assert "Your question was received." in page.inner_text("main")

    officer = second_visit
    officer.sign_in("officer")
    officer.go(f"/meetings/{meeting}")
    assert "Questions from the public (1)" in officer.page.inner_text("main")
    kept = site.clock.now
    site.clock.now = datetime(2026, 3, 17, 18, tzinfo=UTC)
    try:
        officer.go(f"/meetings/{meeting}")  # on the meeting day, what happens at it can be recorded
        officer.page.get_by_role("link", name="Record the answer to a question from the public").click()
        officer.check()
        question = officer.page.locator("#question_id option", has_text="easy-read").get_attribute("value")
        officer.page.get_by_label("Question").select_option(question)
        officer.page.get_by_label("The answer given at the meeting").fill("Yes, from the next meeting on.")
        officer.submit("Record the answer")
        assert "Yes, from the next meeting on." in officer.page.inner_text("main")
        services = site.services
        minutes = services.hub.upload_file(OFFICER, b"Minutes of the meeting", "minutes.txt")
        services.hub.record_draft_minutes(OFFICER, meeting, file=minutes)
        services.hub.clear_minutes(OFFICER, meeting, chair="Ann Carer")
        services.hub.publish_minutes(OFFICER, meeting)
        services.read_models.catch_up()
    finally:
        site.clock.now = kept
    visit.go(f"/public/meetings/{meeting}")
    published = page.inner_text("main")
    assert re.search(r"Question 1, from Sam Resident", published)
    assert "Yes, from the next meeting on." in published and "sam@example.com" not in page.content()
