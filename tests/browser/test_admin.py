"""The administrator's area in Chromium: every page passes axe-core, works from the keyboard, and runs under
the Content-Security-Policy with no violation reported by the browser (the GOV.UK script carries its nonce)."""

from __future__ import annotations

from tests.browser.conftest import Site, Visit


def test_an_administrator_creates_an_account_and_issues_a_token_by_keyboard(visit: Visit, site: Site) -> None:
    page = visit.page
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text
            else None)  # fmt: skip
    visit.sign_in("admin")
    visit.go("/accounts")
    assert page.locator("body.js-enabled.govuk-frontend-supported").count() == 1, "the nonce'd script ran"
    page.get_by_role("link", name="Create an account").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/new")
    visit.check()

    visit.submit("Create account")  # nothing filled in: each field says what to enter
    assert page.locator(".govuk-error-summary").count() == 1
    page.get_by_label("User name").fill("sam.keys")
    page.get_by_label("Full name").fill("Sam Keys")
    page.get_by_label("Email address").fill("sam@council.gov.uk")
    page.get_by_label("Auditor").check()
    page.get_by_label("Password").fill("a keyboard password")
    page.get_by_label("Password").press("Enter")  # submits the form
    page.wait_for_url("**/accounts/*-*")
    visit.check()
    assert "Sam Keys (sam.keys)" in page.inner_text("h1")

    page.get_by_role("link", name="Issue an API token").click()
    visit.check()
    page.get_by_label("What the token is for").fill("reports")
    visit.submit("Issue token")
    token = page.locator("#token").inner_text()
    assert token.startswith("phub_")
    page.get_by_role("link", name="Back to the account").click()
    visit.check()
    assert token not in page.content()
    for link in ("Change the role", "Reset the password", "Sign out everywhere", "Deactivate the account",
                 "Revoke an API token"):  # fmt: skip
        visit.go(page.get_by_role("link", name=link).get_attribute("href"))
        visit.page.go_back()
    assert violations == [], violations
