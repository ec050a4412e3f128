"""Governance in the browser, every page checked by axe-core: an officer proposes a change, a Portfolio
Holder approves it and it takes effect from its date, another is rejected; time-limited groups past their
end date are extended and closed; the dashboard leads with coming meetings; the audit log is filtered by
body and shows who joined and left."""

from __future__ import annotations

import re
from datetime import date, time
from uuid import UUID

from domain.actor import Actor
from domain.body import Decision
from tests.browser.conftest import Site, Visit

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")


def _body(site: Site, name: str, kind: str = "partnership_board", **kw: object) -> str:
    body_id = site.services.hub.establish_body(
        OFFICER, name=name, kind=kind, decision=Decision("Set up", date(2012, 1, 1)), **kw
    )
    site.services.read_models.catch_up()
    return f"/bodies/{body_id}"


def _propose_end(visit: Visit, path: str, reason: str) -> None:
    visit.go(path)
    visit.page.get_by_role("link", name="Propose a change").first.click()
    visit.check()
    visit.page.get_by_label("Change proposed").select_option("end_body")
    visit.page.get_by_label("Reason for the change").fill(reason)
    visit.fill_date("effective_date", 1, 9, 2026)
    visit.submit("Propose the change")


def test_propose_approve_and_reject(visit: Visit, second_visit: Visit, site: Site) -> None:
    approved = _body(site, "Browser Approval Board")
    rejected = _body(site, "Browser Rejection Board")
    officer = visit
    officer.sign_in("officer")
    _propose_end(officer, approved, "Its work passes to the Adult Stakeholder Conference")
    main = officer.page.inner_text("main")
    assert "awaits a decision" in main and "Awaiting a decision (1)" in main
    _propose_end(officer, rejected, "Little used")
    officer.go("/dashboard")
    assert officer.page.get_by_role("link", name="Browser Approval Board").first.is_visible()

    holder = second_visit
    holder.sign_in("care-holder")
    for path, outcome, note in ((approved, "Approved", ""), (rejected, "Rejected", "Carers asked to keep it")):
        holder.go(path)
        holder.page.get_by_role("link", name="Record a decision").click()
        holder.check()
        holder.page.get_by_label("Proposal").select_option("1")
        holder.page.get_by_label(outcome, exact=True).check()
        holder.page.get_by_label("Who decided").fill("Portfolio Holder for Care Services")
        holder.page.get_by_label("Decision reference").fill("CS26/021")
        if note:
            holder.page.get_by_label("How it was amended, or why rejected or deferred").fill(note)
        holder.submit("Record the decision")
        assert "Decision on proposal 1" in holder.page.inner_text("main")
    assert "Carers asked to keep it" in holder.page.inner_text("main")
    assert "Active" in holder.page.inner_text("main")

    # The approved end takes effect on its date: before it the body stood active, from it ended.
    officer.go(approved + "/as-at")
    officer.fill_date("date", 31, 8, 2026)
    officer.submit("Show")
    assert "Ended" not in officer.page.inner_text("main")
    officer.fill_date("date", 1, 9, 2026)
    officer.submit("Show")
    assert "Ended" in officer.page.inner_text("main")


def test_time_limited_groups_past_their_end(visit: Visit, site: Site) -> None:
    extended = _body(site, "Browser Mobility Group", "task_and_finish_group", until=date(2014, 3, 31))
    closed = _body(site, "Browser Carers Strategy Group", "task_and_finish_group", until=date(2014, 3, 31))
    visit.sign_in("officer")
    visit.go("/dashboard")
    assert visit.page.locator("#past_end_date + p + table").get_by_text("Browser Mobility Group").is_visible()
    visit.go(extended)
    assert "past its end date" in visit.page.inner_text("main")
    visit.page.get_by_role("link", name="extend it").click()
    visit.check()
    visit.fill_date("until", 31, 3, 2027)
    visit.page.get_by_label("Reason for the change").fill("The review of mobility services continues")
    visit.submit("Extend the end date")
    assert "Time-limited until 31 March 2027" in visit.page.inner_text("main")
    visit.go(closed)
    visit.page.get_by_role("link", name="close it with a completion report").click()
    visit.check()
    visit.page.get_by_label("Completion report").fill("The carers' strategy was written and adopted.")
    visit.page.get_by_label("Reason for the change").fill("Its task is done")
    visit.submit("Close the group")
    main = visit.page.inner_text("main")
    assert "Closed with its completion report" in main and "The carers' strategy was written and adopted." in main


def test_dashboard_coming_meetings_and_the_audit_log_by_body(visit: Visit, site: Site) -> None:
    path = _body(site, "Browser Audit Board")
    body_id = path.rsplit("/", 1)[1]
    hub = site.services.hub
    hub.schedule_meeting(
        OFFICER, UUID(body_id), meeting_date=date(2026, 3, 4), start_time=time(14), place="Civic Centre"
    )
    hub.add_member(
        OFFICER,
        UUID(body_id),
        member_id="lw",
        person="Lena Whitaker",
        role="member",
        representation="service_user",
        effective_date=date(2026, 2, 1),
    )
    hub.remove_member(OFFICER, UUID(body_id), member_id="lw", effective_date=date(2026, 2, 27), reason="Moved away")
    site.services.read_models.catch_up()
    visit.sign_in("officer")
    visit.go("/dashboard")
    headings = [h.inner_text() for h in visit.page.locator("main h2").all()]
    assert headings[0] == "Coming meetings"
    coming = visit.page.locator("#coming_meetings + p + table")
    assert coming.get_by_text("Browser Audit Board").is_visible()
    assert re.search(r"This week", coming.inner_text())
    visit.go("/audit")
    visit.page.get_by_label("Body").select_option(label="Browser Audit Board")
    visit.submit("Apply filters")
    main = visit.page.inner_text("main")
    assert "Lena Whitaker joined as member representing service user" in main
    assert "Lena Whitaker left as member representing service user: Moved away" in main
    assert "Showing Browser Audit Board only" in main


def test_the_childrens_trust_board_function_given_with_its_decision(visit: Visit, site: Site) -> None:
    """Rule A11: the form (its defaults filled in), a refusal without the decision's reference, then the body
    page and "as at" showing who holds the function; every page checked by axe-core."""
    path = _body(site, "Browser Children's Conference", "stakeholder_conference")
    visit.sign_in("officer")
    visit.go(f"{path}/assign-statutory-function")
    assert visit.page.get_by_label("Statutory function").input_value() == "Children's Trust Board"
    visit.page.get_by_label("Reason for the change").fill("The Children Act duty stands")
    visit.fill_date("effective_date", 1, 9, 2026)
    visit.page.get_by_label("Who decided").fill("Council Executive")
    visit.submit("Record the statutory function")
    assert "Give the reference of the decision giving this function (rule A11)" in visit.page.inner_text("main")
    visit.page.get_by_label("Decision reference").fill("EX26/044")
    visit.submit("Record the statutory function")
    held = "Children's Trust Board (Children Act 2004, section 12A) since 1 September 2026"
    visit.go(path)
    assert held in visit.page.inner_text("main")
    visit.go(f"{path}/as-at?date-day=1&date-month=9&date-year=2026")
    assert held in visit.page.inner_text("main")
