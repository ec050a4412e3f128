"""An officer's meeting from start to end in the browser: schedule it, put an agenda together with a
public and an exempt item, attach and publish a paper, then (on the meeting day) record the draft
minutes, record the chair's clearance and publish them; the public then sees only public items."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from projections.tables import bodies
from tests.browser.conftest import Site, Visit

PUBLIC_ITEM = "Review of the short breaks offer"
EXEMPT_ITEM = "Contract award to a named provider"
PAPER = "Short breaks review paper"


def open_group_with_chair(site: Site) -> tuple[str, str]:
    with site.services.reading() as connection:
        row = connection.execute(
            select(bodies.c.id, bodies.c.name)
            .where(
                bodies.c.kind == "consultative_group",
                bodies.c.status == "active",
                bodies.c.open_to_public.is_(True),
                bodies.c.chair.is_not(None),
            )
            .order_by(bodies.c.name)
            .limit(1)
        ).first()
    assert row is not None, "the demo data should hold a consultative group with a chair"
    return str(row.id), row.name


def test_officer_schedules_publishes_and_clears_minutes(visit: Visit, site: Site, tmp_path) -> None:
    page = visit.page
    body_id, body_name = open_group_with_chair(site)
    visit.sign_in("officer")
    assert page.url.endswith("/dashboard")
    assert page.get_by_role("heading", name="What needs doing this week").is_visible()
    visit.screenshot("dashboard")

    visit.go(f"/bodies/{body_id}")
    assert page.get_by_role("heading", level=1, name=body_name).is_visible()
    visit.screenshot("body-page")

    # Schedule: a mistake first (no place, impossible date), then put right; what was typed is kept.
    page.get_by_role("link", name="Schedule a meeting").click()
    visit.check()
    visit.fill_date("meeting_date", 31, 2, 2026)
    page.get_by_label("Start time").fill("14:00")
    visit.submit("Schedule meeting")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "real date" in summary.inner_text()
    assert "Enter where the meeting is held" in summary.inner_text()
    assert page.get_by_label("Start time").input_value() == "14:00"
    visit.fill_date("meeting_date", 23, 3, 2026)
    page.get_by_label("Place").fill("Civic Centre, Committee Room 2")
    visit.submit("Schedule meeting")
    assert f"Schedule a meeting for {body_name}: done." in page.inner_text("main")
    meeting_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/meetings/[0-9a-f-]{36}", meeting_path)

    # The agenda: one public item, one exempt (Schedule 12A paragraph 3).
    page.get_by_role("link", name="Add an agenda item").click()
    visit.check()
    page.get_by_label("Title").fill(PUBLIC_ITEM)
    visit.submit("Add item")
    page.get_by_role("link", name="Add an agenda item").click()
    visit.check()
    page.get_by_label("Title").fill(EXEMPT_ITEM)
    page.get_by_label("Exempt under Schedule 12A").select_option("3")
    visit.submit("Add item")
    assert page.get_by_text("Exempt, paragraph 3").is_visible()

    paper = tmp_path / "short-breaks-review.txt"
    paper.write_text("The short breaks offer, reviewed with families.\n", encoding="utf-8")
    page.get_by_role("link", name="Attach a paper").click()
    visit.check()
    page.get_by_label("Agenda item").select_option("1")
    page.get_by_label("Title of the paper").fill(PAPER)
    page.get_by_label("The paper", exact=True).set_input_files(str(paper))
    page.get_by_label("Plain-English summary").fill("What families told us about short breaks.")
    page.get_by_label("The paper is in an accessible format").check()
    visit.submit("Attach paper")
    assert page.get_by_role("link", name=re.compile(PAPER)).is_visible()

    page.get_by_role("link", name="Publish the agenda and papers").click()
    visit.check()
    visit.submit("Publish agenda and papers")
    assert "Published" in page.inner_text("main")

    # The meeting day, in the evening: draft minutes, the chair's clearance, publication.
    site.clock.advance(days=21, hours=9)
    visit.go(meeting_path)
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Minutes of the meeting. Present: the members. Item 1 was discussed.\n", encoding="utf-8")
    page.get_by_role("link", name="Record draft minutes").click()
    visit.check()
    page.get_by_label("The draft minutes").set_input_files(str(minutes))
    visit.submit("Upload draft minutes")
    page.get_by_role("link", name="Record that the chair cleared the minutes").click()
    visit.check()
    visit.submit("Record clearance")
    assert "Cleared" in page.inner_text("main")
    page.get_by_role("link", name="Publish the minutes").click()
    visit.check()
    visit.submit("Publish minutes")
    assert "Published" in page.inner_text("main")

    # What the public sees of it: the public item, its paper and the minutes; never the exempt item.
    public = visit.page.context.browser.new_context()
    try:
        anonymous = Visit(public.new_page(), site, visit.log)
        anonymous.go("/public/meetings/" + meeting_path.rsplit("/", 1)[1])
        text = anonymous.page.inner_text("main")
        assert PUBLIC_ITEM in text and PAPER in text
        assert EXEMPT_ITEM not in anonymous.page.content()
        assert anonymous.page.get_by_role("link", name=re.compile("Download the minutes")).is_visible()
        with anonymous.page.expect_download() as download:
            anonymous.page.get_by_role("link", name=PAPER).click()
        assert download.value.suggested_filename == "short-breaks-review.txt"
    finally:
        public.close()
    site.clock.advance(days=-21, hours=-9)
    assert site.clock.now.date() - timedelta(days=0) >= site.clock.now.date()
