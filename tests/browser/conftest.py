"""The site for browser tests: the real app in a real server thread on 127.0.0.1, over a real SQLite
file holding the imported framework and demo data, driven by Debian's Chromium through Playwright.

Chromium missing is a failure, never a skip. Every page a test visits goes through ``Visit.check``,
which runs axe-core on it and records any violation; the session fails if there were any.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from application.bootstrap import Services, build
from application.importer import import_framework
from application.settings import Settings, sqlite_url
from application.users import DEMO_PASSWORD_SUFFIX, Users, ensure_demo_users
from demo.seed import seed_demo
from tests.conftest import Clock
from web import create_app
from web.security_headers import RequestHandler

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
# "Today" for the whole site: a Monday, so meeting deadlines in the tests fall on working days.
TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Site:
    url: str
    clock: Clock
    services: Services

    def password(self, user_id: str) -> str:
        return f"{user_id}{DEMO_PASSWORD_SUFFIX}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    settings = Settings.for_url(sqlite_url(root / "hub.sqlite3"), files_dir=root / "files")
    clock = Clock(TODAY)
    services = build(settings, clock=clock)
    import_framework(services.dispatcher)
    seed_demo(services.dispatcher, bodies=8, seed=2026, today=TODAY.date())
    ensure_demo_users(Users(settings.database_url))
    app = create_app({"DEVELOPMENT": True}, services=services)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield Site(url=f"http://127.0.0.1:{server.server_port}", clock=clock, services=services)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        services.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class AxeLog:
    axe: Axe = field(default_factory=Axe)
    checked: list[str] = field(default_factory=list)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@pytest.fixture(scope="session")
def axe_log() -> Iterator[AxeLog]:
    log = AxeLog()
    yield log
    # Summarised once more at the end; each test also fails on its own violations.
    print(f"\naxe-core checked {len(log.checked)} page views; violations on {len(log.violations)}")


class Visit:
    """One person's browser session on the site: visit pages, check each with axe-core."""

    def __init__(self, page: Page, site: Site, log: AxeLog) -> None:
        self.page = page
        self.site = site
        self.log = log

    def go(self, path: str) -> Page:
        self.page.goto(self.site.url + path)
        self.check()
        return self.page

    def check(self) -> None:
        """axe-core on the page as it is now; violations are kept against its path and fail the test."""
        self.page.wait_for_load_state("load")
        results = self.log.axe.run(self.page)
        path = self.page.url.removeprefix(self.site.url)
        self.log.checked.append(path)
        found = results.response["violations"]
        if found:
            self.log.violations[path] = found
        assert not found, f"axe-core violations on {path}:\n{results.generate_report()}"

    def sign_in(self, user_id: str) -> None:
        self.go("/sign-in")
        self.page.get_by_label("User name").fill(user_id)
        self.page.get_by_label("Password").fill(self.site.password(user_id))
        self.page.get_by_role("button", name="Sign in").click()
        self.check()

    def submit(self, name: str) -> Page:
        self.page.get_by_role("button", name=name).click()
        self.check()
        return self.page

    def fill_date(self, name: str, day: int, month: int, year: int) -> None:
        self.page.locator(f"#{name}-day").fill(str(day))
        self.page.locator(f"#{name}-month").fill(str(month))
        self.page.locator(f"#{name}-year").fill(str(year))

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def visit(browser: Browser, site: Site, axe_log: AxeLog) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visit(page, site, axe_log)
    context.close()


@pytest.fixture
def second_visit(browser: Browser, site: Site, axe_log: AxeLog) -> Iterator[Visit]:
    """Another person, in a browser context of their own (their own cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visit(page, site, axe_log)
    context.close()
