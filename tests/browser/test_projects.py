"""Commissioning in the browser: a Portfolio Holder commissions a project with its brief, the Executive
Director agrees the brief (rule D3), and the project's lead submits a progress report and sees the chart."""

from __future__ import annotations

import re

from tests.browser.conftest import Site, Visit

TITLE = "Short breaks for disabled children review"


def test_commission_agree_and_report(visit: Visit, second_visit: Visit, site: Site) -> None:
    page = visit.page
    visit.sign_in("care-holder")
    visit.go("/projects/new")
    page.get_by_label("Project title").fill(TITLE)
    page.get_by_label("Project lead").select_option("demo-lead-1")
    page.get_by_label("Aims and objectives").fill("Review the short breaks offer with families.")
    page.get_by_label("Outcomes", exact=True).fill("A revised offer agreed with families.")
    visit.fill_date("brief__start_date", 2, 3, 2026)
    visit.fill_date("brief__end_date", 31, 12, 2026)
    page.get_by_label("Resources").fill("Officer time and £5,000")
    page.get_by_label("Key risks").fill("Families may not have time to take part.")
    visit.submit("Commission project")
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    project_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert "Awaiting agreement" in page.inner_text("main")
    # A Portfolio Holder does not agree briefs: no link, and the form itself is refused.
    assert page.get_by_role("link", name="Agree the brief").count() == 0
    assert page.goto(site.url + project_path + "/agree-brief").status == 403
    visit.check()

    director = second_visit
    director.sign_in("director")
    director.go(project_path)
    # The Director reads the whole brief on the project and again on the form that agrees it (D2, D3).
    for part in ("Aims and objectives", "Outcomes expected", "Timeframe", "Resources", "Key risks"):
        assert director.page.locator("#brief").get_by_text(part, exact=True).is_visible()
    director.page.get_by_role("link", name="Agree the brief").click()
    director.check()
    assert "The brief you are agreeing" in director.page.inner_text("main")
    assert "Families may not have time to take part." in director.page.inner_text("main")
    director.submit("Agree the brief")
    assert "Agreed" in director.page.inner_text("main")

    # Three months on, the lead reports on their own project.
    site.clock.advance(days=95)
    try:
        lead = visit
        page.context.clear_cookies()
        lead.sign_in("demo-lead-1")
        lead.go("/projects")
        page.get_by_role("link", name=TITLE).click()
        lead.check()
        page.get_by_role("link", name="Submit a progress report").click()
        lead.check()
        lead.fill_date("period_start", 2, 3, 2026)
        lead.fill_date("period_end", 31, 5, 2026)
        page.get_by_label("Amber").check()
        page.get_by_label("Percentage complete").fill("35")
        page.get_by_label("Milestones achieved").fill("Families surveyed; two workshops held.")
        page.get_by_label("Issues and concerns").fill("Fewer replies than hoped from fathers.")
        lead.submit("Submit report")
        chart = page.locator("svg.hub-chart")
        assert chart.is_visible()
        assert "35% complete, amber" in (chart.locator("desc").text_content() or "")
        row = page.locator("#progress-table tbody tr").first
        assert "35%" in row.inner_text() and "Amber" in row.inner_text()
        lead.screenshot("project-page")
    finally:
        site.clock.advance(days=-95)
