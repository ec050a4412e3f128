"""The public's pages (no sign-in) and the audit log as an auditor sees it."""

from __future__ import annotations

import re

from sqlalchemy import select

from projections.tables import agenda_items, meetings
from tests.browser.conftest import Site, Visit


def test_public_sees_only_public_items(visit: Visit, site: Site) -> None:
    with site.services.reading() as connection:
        exempt_titles = list(connection.scalars(select(agenda_items.c.title).where(agenda_items.c.public.is_(False))))
        private = connection.scalar(select(meetings.c.id).where(meetings.c.public.is_(False)).limit(1))
    assert exempt_titles, "the demo data should hold exempt items to check against"
    page = visit.page
    visit.go("/public/meetings?show=past")
    links = [a.get_attribute("href") for a in page.locator("main table tbody a").all()][:12]
    assert links, "past public meetings should be listed"
    for href in links:
        visit.go(href)
        html = page.content()
        assert not any(title in html for title in exempt_titles)
        assert "Exempt" not in html
    visit.go("/public/meetings")
    assert page.get_by_role("heading", name="Public meetings").is_visible()
    # A meeting not open to the public is not there at all; officers' pages ask for sign-in.
    if private is not None:
        assert page.goto(f"{site.url}/public/meetings/{private}").status == 404
    page.goto(f"{site.url}/dashboard")
    assert page.url.startswith(f"{site.url}/sign-in")
    visit.check()


def test_auditor_filters_the_audit_log_and_downloads_csv(visit: Visit) -> None:
    page = visit.page
    visit.sign_in("auditor")
    visit.go("/audit")
    assert page.get_by_role("heading", name="Audit log of governance changes").is_visible()
    visit.screenshot("audit-log", full_page=False)
    page.get_by_label("Kind of change").select_option(index=1)
    visit.fill_date("from", 1, 1, 2013)
    visit.submit("Apply filters")
    assert re.search(r"\d+ changes", page.inner_text("main"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these changes as CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("recorded_at,effective_date,subject_type")
    assert len(text.splitlines()) > 1
    # A body as at a date, both readings.
    visit.go("/bodies?kind=consultative_group")
    page.locator("main table tbody a").first.click()
    visit.check()
    page.get_by_role("link", name="This body as at a date").click()
    visit.check()
    visit.fill_date("date", 1, 1, 2026)
    visit.submit("Show")
    assert "by effective date" in page.inner_text("main")
    page.get_by_label("Recorded date").check()
    visit.submit("Show")
    assert "by recorded date" in page.inner_text("main")


def test_reminders_pages_pass_axe(visit: Visit) -> None:
    """The reminders blueprint's pages extend this layout; they are checked like every other page."""
    visit.sign_in("officer")
    for path in ("/reminders", "/reminders/preferences"):
        visit.go(path)
        assert visit.page.locator("h1").count() == 1, path
