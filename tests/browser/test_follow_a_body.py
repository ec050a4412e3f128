"""A member of the public follows a body, confirms through the e-mailed link, and gets the notice when an
officer publishes its agenda; then stops following with the link in that e-mail. Real Chromium with
axe-core on every page, and a real SMTP server (aiosmtpd): the mail goes by the scheduler's own jobs
(``ReminderRuntime.scan`` and ``send``) over the site's services."""

from __future__ import annotations

import re
from datetime import time, timedelta

from application.authority import Role
from application.reminders.commands import ReminderCommands
from application.reminders.outbox import MailSender
from application.reminders.scheduler import ReminderRuntime
from application.reminders.smtp import SmtpSettings
from domain.actor import Actor
from domain.body import Decision
from domain.vocabulary import BodyKind
from tests.browser.conftest import Site, Visit
from tests.reminders.smtp_sink import SmtpSink

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
NAME = "Kinship Carers Voice"


def _runtime(site: Site, smtp: SmtpSink) -> ReminderRuntime:
    services = site.services
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5.0, base_url=site.url)
    followers = services.followers
    sender = MailSender(
        services.hub, services.read_models, services.users, settings, worker="browser-test", followers=followers
    )
    return ReminderRuntime(services, ReminderCommands(services.hub, services.read_models, services.users), sender)


def _link(text: str, site: Site, kind: str) -> str:
    found = re.search(rf"{re.escape(site.url)}(/public/{kind}\S+)", text)
    assert found, text
    return found.group(1)


def test_a_member_of_the_public_follows_a_body_and_hears_of_its_agenda(
    visit: Visit, second_visit: Visit, site: Site
) -> None:
    hub, clock = site.services.hub, site.clock
    body = hub.establish_body(
        OFFICER,
        name=NAME,
        kind=BodyKind.CONSULTATIVE_GROUP,
        purpose="Kinship carers advising the council on support for the children they bring up.",
        open_to_public=True,
        decision=Decision(reason="the framework sets it up", effective_date=clock.now.date()),
    )
    meeting = hub.schedule_meeting(
        OFFICER, body, meeting_date=clock.now.date() + timedelta(days=21), start_time=time(18), place="Family Hub"
    )
    hub.add_agenda_item(OFFICER, meeting, title="Support groups in the school holidays")
    site.services.refresh()
    smtp = SmtpSink().start()
    try:
        runtime = _runtime(site, smtp)
        page = visit.page
        # From the public meetings page to the body's page.
        visit.go("/public/meetings")
        page.get_by_role("link", name="See every partnership body").click()
        visit.check()
        page.get_by_label("Search by name").fill(NAME)
        visit.submit("Find bodies")
        page.get_by_role("link", name=NAME).click()
        visit.check()
        assert page.get_by_role("heading", name=NAME, level=1).is_visible()
        visit.screenshot("public-body")
        feed = page.get_by_role("link", name=re.compile("Add this body’s public meetings to your calendar"))
        assert feed.is_visible()

        # A mistyped address is refused with what to fix, then the right one accepted.
        page.get_by_label("Your e-mail address").fill("sam at example.org")
        visit.submit("Follow this body")
        assert page.get_by_role("link", name="enter an e-mail address, like name@example.com").is_visible()
        page.get_by_label("Your e-mail address").fill("sam@example.org")
        visit.submit("Follow this body")
        assert page.get_by_role("heading", name="Check your e-mail").is_visible()

        runtime.send()
        assert len(smtp.received) == 1
        confirmation = smtp.received[0].message
        assert confirmation["To"] == "sam@example.org"
        visit.go(_link(confirmation.get_content(), site, "follow/confirm/"))
        visit.submit("Confirm")
        assert page.get_by_role("heading", name=f"You are following {NAME}").is_visible()

        # The officer publishes the agenda; the scheduler's scan and sender tell the follower.
        second_visit.sign_in("officer")
        second_visit.go(f"/meetings/{meeting}/publish-agenda")
        second_visit.submit("Publish agenda and papers")
        runtime.scan()
        runtime.send()
        notices = [r.message for r in smtp.received if str(r.message["Subject"]).startswith("Agenda published")]
        assert len(notices) == 1, [str(r.message["Subject"]) for r in smtp.received]
        notice = notices[0]
        assert notice["To"] == "sam@example.org" and NAME in notice["Subject"]
        assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = notice.get_content()

        visit.go(_link(text, site, "meetings/"))
        assert page.get_by_text("Support groups in the school holidays").is_visible()

        visit.go(_link(text, site, "follow/unsubscribe/"))
        visit.submit("Stop following")
        assert page.get_by_role("heading", name=f"You have stopped following {NAME}").is_visible()
        assert site.services.followers.count(body) == 0
    finally:
        smtp.stop()
