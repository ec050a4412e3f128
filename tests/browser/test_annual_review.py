"""The annual review of the arrangements (rule H1) in the browser: an officer opens the year's review, records
findings for a body and overall, links the proposal made on the body, and completes it; axe-core on each page."""

from __future__ import annotations

import re

from tests.browser.conftest import Site, Visit


def test_an_officer_does_the_annual_review(visit: Visit, site: Site) -> None:
    page = visit.page
    visit.sign_in("officer")
    visit.go("/reviews")
    page.get_by_role("link", name="Open the annual review").click()
    visit.check()
    page.get_by_label("Year the financial year starts in").fill("2026")
    visit.submit("Open the review")
    assert page.get_by_role("heading", level=1, name="Annual review of the arrangements 2026-27").is_visible()
    assert "Annual review opened" in page.inner_text("main")
    review_path = re.sub(r"^https?://[^/]+", "", page.url)

    # Opening it twice is refused with what to do instead, at the top of the form.
    visit.go("/reviews/new")
    page.get_by_label("Year the financial year starts in").fill("2026")
    visit.submit("Open the review")
    assert "already opened on 2 March 2026; carry on with that one (rule H1)" in page.inner_text("main")

    visit.go(review_path)
    page.get_by_role("link", name="Record findings for a body").click()
    visit.check()
    page.get_by_label("Body reviewed").select_option(label="Carers Forum")
    page.get_by_label("What the review found").fill("Well attended; it speaks for carers at both conferences.")
    visit.submit("Record findings")
    assert "Well attended; it speaks for carers at both conferences." in page.inner_text("#bodies ~ dl")

    # The change it leads to is proposed on the body's page (rule F4) ...
    page.get_by_role("link", name="Carers Forum", exact=True).first.click()
    visit.check()
    page.get_by_role("link", name="Propose a change").click()
    visit.check()
    page.get_by_label("Change proposed").select_option("maintain_body")
    page.get_by_label("Reason for the change").fill("The annual review found it works well")
    visit.submit("Propose the change")

    # ... and linked to the review.
    visit.go(review_path)
    page.get_by_role("link", name="Link a proposal").click()
    visit.check()
    page.get_by_label("Body").select_option(label="Carers Forum")
    # The imported record already holds the report's decided proposals (F4): the new one is the pending one.
    pending = page.locator("#number option", has_text="Maintain the body (pending)").get_attribute("value")
    page.get_by_label("Proposal").select_option(pending)
    visit.submit("Link the proposal")
    assert re.search(r"Maintain the body\s+Pending", page.inner_text("#proposals ~ table"))

    page.get_by_role("link", name="Record the overall findings").click()
    visit.check()
    page.get_by_label("How well the arrangements are working").fill("The framework works; carers are heard.")
    visit.submit("Record overall findings")
    page.get_by_role("link", name="Complete the review").click()
    visit.check()
    visit.submit("Complete the review")
    main = page.inner_text("main")
    assert "Completed on 2 March 2026" in main and "completed; its reminder is met." in main
    page.get_by_text("History of the review").click()
    visit.check()
    assert "Annual review completed on 2 March 2026, on time (due by 31 March 2026)" in page.inner_text("main")
