"""An officer's meeting from start to end in the browser: schedule it, put an agenda together with a
public and an exempt item, attach and publish a paper, then (on the meeting day) record the draft
minutes, record the chair's clearance and publish them; the public then sees only public items."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select

from projections.tables import bodies, meetings
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
    # The group already has its two ordinary meetings in 2026 (rule C1): a third is refused, naming them.
    summary = page.locator(".govuk-error-summary")
    assert "already has its 2 ordinary meetings in 2026" in summary.inner_text()
    assert "(rule C1)" in summary.inner_text()
    # Called as an additional meeting, with the lead officer's agreement and its reason (C2), it is scheduled.
    page.get_by_label("This is an additional meeting").check()
    page.get_by_label("Lead officer who agreed the additional meeting").fill("Jo Lead")
    page.get_by_label("Why the additional meeting is called").fill("The short breaks review cannot wait")
    visit.submit("Schedule meeting")
    assert f"Schedule a meeting for {body_name}: done." in page.inner_text("main")
    assert "Additional meeting: The short breaks review cannot wait" in page.inner_text("main")
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

    # Attendance, ticked against the members on the day: a name missed is refused, then all ticked.
    page.get_by_role("link", name="Record attendance").click()
    visit.check()
    present = page.locator('input[type="radio"][value="present"]')
    members = present.count()
    assert members >= 2
    for n in range(members - 1):
        present.nth(n).check()
    visit.submit("Record attendance")
    assert "was present, sent apologies or was absent" in page.locator(".govuk-error-summary").inner_text()
    page.locator('input[type="radio"][value="apologies"]').nth(members - 1).check()
    page.get_by_label("Guests (optional)").fill("Jo Nobody")
    visit.submit("Record attendance")
    turnout = page.locator("#turnout").inner_text()
    assert "Voting members present" in turnout and "Quorate" in turnout
    assert "Jo Nobody: Guest (does not count)" in page.inner_text("main")
    assert "Held" in page.inner_text("main")
    page.get_by_role("link", name="Record an action").click()
    visit.check()
    page.get_by_label("The action").fill("Write to families about the review")
    page.get_by_label("Who owns it").fill("Jo Lead")
    visit.fill_date("due", 30, 4, 2026)
    visit.submit("Save")
    assert "Add an agenda item" not in page.inner_text("main")  # before the meeting only
    visit.screenshot("meeting-held")

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

    # The body's next meeting approves these minutes and closes the matter arising (C5, C8).
    with site.services.reading() as connection:
        following = connection.execute(
            select(meetings.c.id, meetings.c.meeting_date)
            .where(
                meetings.c.body_id == UUID(body_id),
                meetings.c.meeting_date > date(2026, 3, 23),
                meetings.c.status == "scheduled",
            )
            .order_by(meetings.c.meeting_date)
            .limit(1)
        ).first()
    assert following is not None
    days_on = (following.meeting_date - site.clock.now.date()).days
    site.clock.advance(days=days_on)
    try:
        visit.go(f"/meetings/{following.id}")
        page.get_by_role("link", name="Approve the previous meeting’s minutes").click()
        visit.check()
        options = page.locator("#previous_meeting_id option")
        assert options.count() == 2  # "Choose" and the one previous meeting with minutes out
        page.get_by_label("Previous meeting").select_option(meeting_path.rsplit("/", 1)[1])
        visit.submit("Record approval")
        page.get_by_role("link", name="Close a matter arising").click()
        visit.check()
        page.get_by_label("Matter arising").select_option(index=1)
        page.get_by_label("What was reported done").fill("Letters sent to all families")
        visit.submit("Close matter arising")
        assert "closed at this meeting, Letters sent to all families" in page.inner_text("main")
        visit.go(meeting_path)
        text = page.inner_text("main")
        assert "Held, minutes approved" in text and "Letters sent to all families" in text
    finally:
        site.clock.advance(days=-days_on)
    site.clock.advance(days=-21, hours=-9)
    assert site.clock.now.date() - timedelta(days=0) >= site.clock.now.date()


def test_officer_previews_the_years_meetings_then_confirms(visit: Visit, site: Site) -> None:
    page = visit.page
    visit.sign_in("officer")
    visit.go("/calendar/plan")
    page.get_by_label("Year").fill("2030")
    page.get_by_label("Place", exact=True).fill("Civic Centre")
    visit.submit("Plan the year")
    assert page.get_by_role("heading", level=1, name="Check the meetings for 2030 before planning them").is_visible()
    summary = page.locator("#plan-summary").inner_text()
    found = re.search(r"Would create (\d+) meetings", summary)
    assert found and int(found.group(1)) > 0, summary
    created = int(found.group(1))
    rows = page.locator("#plan-preview tbody tr")
    assert rows.count() >= 1
    visit.screenshot("planner-preview")
    with site.services.reading() as connection:
        before = connection.execute(select(meetings.c.id).where(meetings.c.meeting_date >= date(2030, 1, 1))).all()
    assert before == [], "the preview saved nothing"
    visit.submit(f"Create {created} meetings")
    assert f"Created {created} meetings" in page.inner_text("main")

    # Planning again changes nothing, and says so.
    visit.go("/calendar/plan")
    page.get_by_label("Year").fill("2030")
    page.get_by_label("Place", exact=True).fill("Civic Centre")
    visit.submit("Plan the year")
    assert "Would create 0 meetings" in page.locator("#plan-summary").inner_text()
    assert page.locator("#nothing-to-plan").is_visible()


def test_officer_records_a_past_meeting_afterwards(visit: Visit, site: Site) -> None:
    page = visit.page
    body_id, _name = open_group_with_chair(site)
    visit.sign_in("officer")
    visit.go(f"/bodies/{body_id}")
    page.get_by_role("link", name="Record a meeting that already took place").click()
    visit.check()
    visit.fill_date("meeting_date", 14, 11, 2023)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Old Town Hall")
    visit.submit("Record the meeting")
    assert page.locator("#recorded-afterwards").is_visible()
    page.get_by_role("link", name="Add an agenda item").click()
    visit.check()
    page.get_by_label("Title").fill("Review of the year")
    page.get_by_label("For decision").check()
    page.get_by_label("Who presents it (optional)").fill("The chair")
    visit.submit("Add item")
    text = page.inner_text("main")
    assert "Review of the year" in text and "For decision" in text and "Presented by The chair" in text
