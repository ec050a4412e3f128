"""Rule A4 in the browser (Chromium, axe-core on every page): an officer adds two panel members, drafts and
publishes a consultation; the invitations go through the real mail outbox to an SMTP server; two panel
members respond through the links in their e-mails (one saves and comes back); the scheduler's job
closes it on schedule; the officer publishes the outcome, which is e-mailed to both; the public page
shows the results and the outcome with no personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from application.panel_links import PanelLinks
from application.reminders.commands import ReminderCommands
from application.reminders.outbox import Backoff, MailSender
from application.reminders.scheduler import ReminderRuntime
from application.reminders.smtp import SmtpSettings
from application.secret_key import secret_key
from tests.browser.conftest import Site, Visit
from tests.reminders.smtp_sink import SmtpSink

TITLE = "Weekend opening of day centres"
PEOPLE = (("Aisha Khan", "aisha.khan@example.org"), ("Tom Briggs", "tom.briggs@example.org"))


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _runtime(site: Site, smtp: SmtpSink) -> ReminderRuntime:
    """The scheduler's jobs over the site's own services, mailing the test's SMTP server."""
    services = site.services
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5.0, base_url=site.url)
    sender = MailSender(services.hub, services.read_models, services.users, settings,
                        backoff=Backoff(first=timedelta(seconds=1)), links=PanelLinks(secret_key()))  # fmt: skip
    return ReminderRuntime(services, ReminderCommands(services.hub, services.read_models, services.users), sender)


def _link(smtp: SmtpSink, email: str, path: str) -> str:
    for received in smtp.received:
        if email in received.envelope_to:
            body = received.message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
            found = re.search(r"https?://\S+(" + re.escape(path) + r"\S+)", body)
            if found:
                return found.group(1)
    raise AssertionError(f"no {path} link was mailed to {email}")


def test_a_consultation_from_draft_to_you_said_we_did(
    visit: Visit, second_visit: Visit, site: Site, smtp: SmtpSink
) -> None:
    officer, page = visit, visit.page
    runtime = _runtime(site, smtp)
    officer.sign_in("officer")
    officer.go("/consultations")
    page.get_by_role("link", name="See the panel's members").click()
    officer.check()
    for name, email in PEOPLE:
        page.get_by_role("link", name="Add a panel member").click()
        officer.check()
        page.get_by_label("Full name").fill(name)
        page.get_by_label("E-mail address").fill(email)
        officer.fill_date("consent_on", 1, 3, 2026)
        page.get_by_label("Interests (optional)").fill("Day services")
        officer.submit("Add to the panel")
        assert name in page.inner_text("main")
        officer.go("/panel")

    officer.go("/consultations/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary in plain English").fill("Should day centres open on Saturdays or Sundays?")
    page.get_by_label("Service or body it concerns").fill("Adult day services")
    page.get_by_label("The whole panel").check()
    officer.fill_date("opens_on", 2, 3, 2026)
    officer.fill_date("closes_on", 20, 3, 2026)
    officer.submit("Save the draft")
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    consultation_path = re.sub(r"^https?://[^/]+", "", page.url)
    questions = [
        ("Which days would you use?", "Choose any", "Saturday\nSunday", True),
        ("How well does the service meet your needs now?", "A scale from 1 to 5", "", False),
        ("Anything else you want to tell us?", "Free text", "", False),
    ]
    for text, kind, options, required in questions:
        page.get_by_role("link", name="Add a question").click()
        officer.check()
        page.get_by_label("Question", exact=True).fill(text)
        page.get_by_label(kind, exact=True).check()
        if options:
            page.get_by_label("Answers to choose from").fill(options)
        if required:
            page.get_by_label("An answer is required").check()
        officer.submit("Add the question")
    page.get_by_role("link", name="Publish the consultation").click()
    officer.check()
    officer.submit("Publish and send the invitations")
    assert "Open for responses" in page.inner_text("main") and "of 2 invited" in page.inner_text("main")

    # The invitations go through the mail outbox, each with its person's own link.
    assert runtime.send().sent == 2
    aisha = _link(smtp, PEOPLE[0][1], "/respond/")
    tom = _link(smtp, PEOPLE[1][1], "/respond/")
    assert aisha != tom

    member = second_visit
    member.go(aisha)
    member.page.get_by_label("Saturday").check()
    member.submit("Save and come back later")
    assert "Your answers are saved" in member.page.inner_text("main")
    member.page.context.clear_cookies()
    member.go(aisha)  # later, from the same e-mail
    assert member.page.get_by_label("Saturday").is_checked()
    member.page.get_by_label("Sunday").check()
    member.page.get_by_label("4", exact=True).check()
    member.page.get_by_label("3. Anything else you want to tell us? (optional)").fill("Please open until 6pm.")
    member.submit("Send my response")
    assert "Response sent" in member.page.inner_text("main")
    member.go(aisha)
    assert "already responded" in member.page.inner_text("main")

    member.page.context.clear_cookies()
    member.go(tom)
    member.page.get_by_label("Saturday").check()
    member.page.get_by_label("2", exact=True).check()
    member.submit("Send my response")
    assert "Response sent" in member.page.inner_text("main")

    # It closes on schedule: the scheduler's job, the day after its close date.
    site.clock.advance(days=19)
    try:
        closed, _reminded = runtime.consultations()
        assert len(closed) == 1
        member.go(tom)
        assert "closed on 20 March 2026" in member.page.inner_text("main")

        officer.go(consultation_path)
        assert "Closed" in page.locator("#stage").inner_text()
        page.get_by_role("link", name="See the results").click()
        officer.check()
        assert page.locator("svg.hub-chart").count() == 2  # the two questions with choices
        assert "Please open until 6pm." in page.inner_text("main")  # free text, for the officer
        officer.go(consultation_path)
        page.get_by_role("link", name="Publish the outcome").click()
        officer.check()
        page.get_by_label("What came of it (you said, we did)").fill(
            "You said Saturdays suit most of you: day centres will open on Saturdays from May."
        )
        officer.submit("Publish the outcome")
        assert "Outcome published" in page.inner_text("main")
        assert runtime.send().sent == 2  # "you said, we did" to both respondents
        assert _link(smtp, PEOPLE[1][1], "/public/consultations/")

        public = second_visit
        public.page.context.clear_cookies()
        public.go("/public/consultations")
        public.page.get_by_role("link", name=TITLE).click()
        public.check()
        text = public.page.inner_text("main")
        assert "You said, we did" in text and "open on Saturdays from May" in text
        assert "100%" in text and "50%" in text  # Saturday 2 of 2, Sunday 1 of 2
        html = public.page.content()
        for private in ("Aisha", "Khan", "Tom Briggs", "example.org", "Please open until 6pm."):
            assert private not in html
    finally:
        site.clock.advance(days=-19)
