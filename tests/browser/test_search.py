"""Search in a real browser (Chromium, axe-core on every page): the header's box used from the keyboard,
an officer finding a decision, and the public never shown an exempt item (issue 17, part 7)."""

from __future__ import annotations

from sqlalchemy import select

from projections.tables import agenda_items, decisions
from tests.browser.conftest import Site, Visit


def _search_from_header(visit: Visit, words: str) -> None:
    """Types into the header's box and presses Enter: no mouse, no script needed."""
    box = visit.page.get_by_role("searchbox", name="Search the record")
    box.fill(words)
    box.press("Enter")
    visit.check()


def test_an_officer_finds_a_decision_and_the_public_never_sees_an_exempt_item(visit: Visit, site: Site) -> None:
    site.services.refresh()
    with site.services.reading() as connection:
        exempt = connection.execute(
            select(agenda_items.c.meeting_id, agenda_items.c.title).where(agenda_items.c.public.is_(False)).limit(1)
        ).first()
        decision = connection.execute(select(decisions.c.meeting_id, decisions.c.text).limit(1)).first()
    assert exempt is not None and decision is not None, "the demo data should hold exempt items and decisions"
    page = visit.page

    # The public, from the header of a public page: the exempt item's own title finds nothing of it.
    visit.go("/public/meetings")
    _search_from_header(visit, f'"{exempt.title}"')
    assert page.url.startswith(f"{site.url}/search?q=")
    assert exempt.title not in page.inner_text("main")
    visit.go("/public/search")
    page.get_by_label("Words to look for").fill(exempt.title)
    visit.submit("Search")
    assert exempt.title not in page.locator("main ol").all_inner_texts().__str__()

    # An empty search says what to fix, in the error summary, linked to the box.
    page.get_by_label("Words to look for").fill("")
    visit.submit("Search")
    assert page.get_by_role("link", name="Enter the words to search for").is_visible()

    # An officer finds the decision, marked, and follows it to its meeting.
    visit.sign_in("officer")
    visit.go("/dashboard")
    _search_from_header(visit, " ".join(decision.text.split()[:6]))
    results = page.locator("main ol li")
    assert results.count() >= 1
    assert page.locator("main ol li mark").count() >= 1
    assert "Decision" in page.inner_text("main ol")
    visit.screenshot("search-officer", full_page=False)
    # The officer also finds the exempt item, tagged as not public (the search page has the one box).
    assert page.get_by_role("searchbox", name="Search the record").count() == 0
    page.get_by_label("Words to look for").fill(f'"{exempt.title}"')
    visit.submit("Search")
    assert exempt.title in page.inner_text("main") and "Not public" in page.inner_text("main")
    page.locator("main ol li a").first.click()
    visit.check()
    assert page.url == f"{site.url}/meetings/{exempt.meeting_id}"
