"""Browser journeys: Debian's chromium driven by Playwright against pytest-django's live server.

- The browser is Debian's Chromium, found on PATH; nothing is downloaded. Its headless shell
  (package chromium-headless-shell, built from Debian's chromium source at the same version: the
  same Blink and V8) when installed, as in CI; else the `chromium` package's binary. Without either
  the tests skip, except under SEMPRE_REQUIRE_SERVICES=1, where they fail.
- Playwright's sync API runs an asyncio loop in this thread, so Django's "async unsafe" guard
  would refuse the ORM calls the tests make to arrange data; DJANGO_ALLOW_ASYNC_UNSAFE lifts it
  for the test process only.
- Every page a journey loads is checked with axe-core (vendored from the npm registry in
  vendor/): serious and critical violations fail the test, listed rule by rule. A page that was
  loaded but never checked fails the test too, so no page slips through.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import require_service
from ..factories import IndicatorFactory, MembershipFactory, MicroProjectFactory, UserFactory
from ..workers import Worker, delete_queue, redis_available, worker_database_url

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"
PASSWORD = "secret-pass-123"  # tests/factories.UserFactory's password
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
OUR_DISABLED_FEATURES = [
    # A new RenderFrameHost for every cross-document navigation (Chromium's RenderDocument) is how
    # Chromium isolates documents internally; a page behaves the same without it, and each of the
    # suite's some 600 page loads costs less CPU without it (docs/testing.md).
    "RenderDocument",
]
JS_FLAGS = "--js-flags=--no-opt --no-maglev"
# Debian's Chromium, first choice first. The headless shell is Chromium without the browser around
# the page: no window, tab strip or omnibox to keep up to date at every navigation, and no WebUI
# renderer for the omnibox's popup. Pages, scripts and axe-core run in the same Blink and V8 as in
# `chromium`; the journeys cost it about half the CPU (docs/testing.md, "The browser's own work, and
# the garbage collector").
BROWSERS = ("chromium-headless-shell", "chromium")


def browser_executable() -> str | None:
    """The path of the first of BROWSERS on PATH, or None. SEMPRE_BROWSER=chromium chooses one; a
    name that is not there (a typo) fails every journey rather than skipping them unseen."""
    chosen = os.environ.get("SEMPRE_BROWSER", "").strip()
    if chosen:
        path = shutil.which(chosen)
        if path is None:
            pytest.fail(f"SEMPRE_BROWSER={chosen}: no such browser on PATH (one of {', '.join(BROWSERS)})")
        return path
    return next(filter(None, map(shutil.which, BROWSERS)), None)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium keeps only the last --disable-features it is given, and ours comes after Playwright's:
    # so ours repeats Playwright's list (playwright-core's chromiumSwitches.ts, 1.65), or its
    # choices (PaintHolding off, no HTTPS upgrades, ...) would silently be undone.
    # test_browser_setup.py reads the command line Chromium ran with and names any one lost.
    "--disable-features=" + ",".join([*PLAYWRIGHT_DISABLED_FEATURES, *OUR_DISABLED_FEATURES]),
    # V8 without its optimising compilers (Maglev, TurboFan): a journey's document lives a second or
    # two, too short for what they compile to pay back, and on two cores their work is taken from
    # the tests. Scripts behave the same; Chromium used about a tenth less CPU on the same page
    # loads and axe checks (docs/testing.md).
    JS_FLAGS,
]
BLOCKING_IMPACTS = ("serious", "critical")
# Elements reaching past the right edge of a phone's viewport (or past the left edge, where a
# right-to-left page scrolls) whose parent does not: where to look when a page scrolls sideways
# (an absolutely positioned child can escape its parent's scroller).
WIDE_ELEMENTS = """
width => {
  const found = [];
  const outside = box => box.right > width + 1 || box.left < -1;
  for (const element of document.querySelectorAll("body *")) {
    const parent = element.parentElement;
    if (!outside(element.getBoundingClientRect())) continue;
    if (parent && outside(parent.getBoundingClientRect())) continue;
    found.push(element.tagName.toLowerCase() + "." + element.className);
  }
  return found.slice(0, 5).join(", ");
}
"""
# In every document, before the page's own scripts: what the page's Content-Security-Policy refused.
CSP_RECORDER = """
addEventListener("securitypolicyviolation", (event) => {
  const what = event.blockedURI || "inline";
  const where = `${event.sourceFile || "page"}:${event.lineNumber}`;
  (window.__sempreRefused ||= []).push(`${event.effectiveDirective} refused ${what} (${where})`);
});
"""


def checked_context(browser, **options):
    """A browser context for a journey: the pages keep their Content-Security-Policy (what it refuses
    is recorded and fails the journey), and axe-core is in every document the tab loads, before the
    page's own scripts: sent to the browser once per context rather than with each check (~500 KB a
    time, 40 % of the axe time). Both are init scripts, which the page's policy does not govern."""
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    context.add_init_script(script=CSP_RECORDER)
    context.add_init_script(path=str(AXE_JS))
    return context


# Run axe with the WCAG 2.x A/AA rules and the best practices it reports by default.
AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}
"""


@pytest.fixture(scope="session")
def browser():
    executable = browser_executable()
    require_service(executable is not None, "Debian's chromium (apt-get install chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    # Set only once a browser test runs, and for this test process only (see the module docstring).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


LOGIN_PAGES_CHECKED: set = set()


@dataclass
class Journey:
    """One person's browser tab, with the accessibility bookkeeping of the pages it visited."""

    page: object
    base_url: str
    checked: set = field(default_factory=set)
    loaded: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    too_wide: list = field(default_factory=list)
    refused: list = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, check: bool = True):
        """Load the page and check it with axe (check=False: the caller checks it once it is complete)."""
        response = self.page.goto(self.url(path))
        assert response is not None, f"GET {path} gave no response"
        assert response.ok, f"GET {path} answered {response.status}"
        if check:
            self.check()
        return response

    def login(self, username: str, password: str = PASSWORD):
        page = self.page
        page.goto(self.url("/accounts/login/"))
        # The empty login page is the same at every login: checked once per width and language in
        # this process (some 40 logins in the suite).
        seen = (page.viewport_size["width"], page.evaluate("() => document.documentElement.lang"))
        if seen in LOGIN_PAGES_CHECKED:
            self.checked.add("/accounts/login/")
        else:
            self.check()
            LOGIN_PAGES_CHECKED.add(seen)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login as {username} failed:\n{self.text()}"
        self.check()

    def logout(self):
        self.page.context.clear_cookies()

    def check(self, what: str = ""):
        """Run axe-core on the page as it is now and remember serious/critical violations."""
        page = self.page
        page.wait_for_load_state()
        found = page.evaluate(AXE_RUN)  # axe-core is an init script of the context (checked_context)
        path = urlsplit(page.url).path
        self.checked.add(path)
        refused = page.evaluate("() => window.__sempreRefused || []")
        self.refused.extend(f"{path}: {what_was_refused}" for what_was_refused in refused)
        for violation in found:
            self.violations.append((path + (f" ({what})" if what else ""), violation))
        # On a phone the page must fit its width: no sideways scrolling of the whole page.
        width = page.viewport_size["width"]
        if width <= PHONE["width"]:
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll_width > width:
                culprits = page.evaluate(WIDE_ELEMENTS, width)
                self.too_wide.append(f"{path}: {scroll_width} px wide on a {width} px phone: {culprits}")

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def report(self) -> str:
        lines = []
        for where, violation in self.violations:
            lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"    {node['target']}: {node['summary']}" for node in violation["nodes"])
        return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


@pytest.fixture
def open_journey(request, browser, live_server):
    """open_journey(viewport=LAPTOP, locale="en-GB") -> a Journey in a fresh browser context.

    At the end, every page loaded must have been checked with axe and have no serious or critical
    violation."""
    journeys = []

    def open_(viewport=LAPTOP, locale="en-GB"):
        context = checked_context(browser, viewport=viewport, locale=locale)
        page = context.new_page()
        journey = Journey(page=page, base_url=live_server.url)
        page.on(
            "load",
            lambda loaded: journey.loaded.append(urlsplit(loaded.url).path),
        )
        journeys.append(journey)
        return journey

    yield open_
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        for journey in journeys[-1:]:  # where the person was when it went wrong
            print(f"--- {journey.page.url} ---\n{journey.text()[:3000]}")
    problems = []
    for journey in journeys:
        unchecked = sorted(
            {path for path in journey.loaded if path not in journey.checked and not path.endswith(".pdf")}
        )
        if unchecked:
            problems.append("pages loaded but not checked with axe: " + ", ".join(unchecked))
        if journey.too_wide:
            problems.append("pages wider than the phone:\n" + "\n".join(journey.too_wide))
        if journey.violations:
            problems.append("serious or critical accessibility violations:\n" + journey.report())
        if journey.refused:
            refused = "\n".join(sorted(set(journey.refused)))
            problems.append("refused by the page's Content-Security-Policy:\n" + refused)
        journey.page.context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# A real Celery worker for the report journey ---------------------------------------------------


@pytest.fixture
def report_worker(settings, tmp_path):
    """With REDIS_URL set (CI): a `celery worker` subprocess on a queue of this test, pointed at the
    test database (PostgreSQL, committed data: the live server's transactional DB) and at the test's
    media folder; yields the worker's queue name. Without REDIS_URL: nothing to start, report tasks run
    in-process (eager) in the live server's thread; yields None."""
    import uuid

    from django.db import connection

    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        settings.CELERY_TASK_ALWAYS_EAGER = True
        yield None
        return
    require_service(redis_available(redis_url), "Redis (REDIS_URL)")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL) for a worker process")
    queue = f"sempre-browser-{uuid.uuid4().hex[:10]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SEMPRE_REPORT_QUEUE = queue
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "SEMPRE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # A moment per progress step: the report page is seen (and checked) while the report is made.
        "SEMPRE_REPORT_STEP_DELAY": "0.1",
    }
    worker = Worker(queue, tmp_path / "worker.log", env)
    try:
        yield queue
    finally:
        worker.stop()
        delete_queue(redis_url, queue)


# The people and the project of the journeys --------------------------------------------------------


@pytest.fixture
def anna(organisation):
    """The social worker of the journeys, in Luleå."""
    from sempre.models import Membership

    return MembershipFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Lind"),
        organisation=organisation,
        role=Membership.Role.SOCIAL_WORKER,
    ).user


@pytest.fixture
def fruit_bags(anna):
    """Anna's active project with one indicator (journey 1 shows how they are made)."""
    project = MicroProjectFactory(
        organisation=anna.memberships.get().organisation, title="Fruit bags for Luleå"
    )
    project.lead_social_workers.add(anna)
    IndicatorFactory(project=project, name="Members with earned income", unit="people", baseline=0, target=20)
    return project
