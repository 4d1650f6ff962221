"""Pages on phones (issue #15, section 1): Lighthouse against the platform served as in production.

    .venv/bin/python bench/run.py --only lighthouse --output /tmp/lighthouse

What it does, all on 127.0.0.1:
1. installs npm `lighthouse` at the exact version in bench/package.json into bench/node_modules
   (git-ignored; `npm install --no-package-lock`, so no lock file with registry addresses is written);
   the browser is Debian's /usr/bin/chromium (CHROME_PATH), never a downloaded one;
2. in a child interpreter (`bench/lighthouse.py prepare`): migrates the demo database (the bench
   database's name + "_pages", e.g. sempre_bench_pages; BENCH_PAGES_DATABASE_URL overrides), loads the
   demo story (`seed_demo`, idempotent), collects the static files with production's storage
   (whitenoise's CompressedManifestStaticFilesStorage: hashed names, gzip and brotli copies) into a
   temporary STATIC_ROOT, and names the pages to measure;
3. starts gunicorn with SEMPRE_ENV=production and DEBUG off (bench/lighthouse_settings.py); only what
   plain http on loopback needs is changed, in gunicorn's environment: no redirect to https;
4. logs in through the login form as the demo people (a social worker, the coordinator) and runs
   Lighthouse (default mobile profile, simulated throttling) on each page RUNS times with the session
   cookie in --extra-headers; each figure is the median of the runs;
5. measures a repeat visit in chromium with Playwright: the page is opened once, then opened again
   in the same browser context (its HTTP cache kept, as a person coming back to the page), and the
   bytes received on the wire the second time are summed from the DevTools protocol
   (Network.loadingFinished encodedDataLength: headers and compressed bodies);
6. the "village link": the quick log and the client invite page again, with Lighthouse's simulated
   throttling at 400 kbps, 400 ms round trip and CPU 4x slower; goal LCP <= 2.5 s.

Environment knobs for development: BENCH_LIGHTHOUSE_RUNS (default 3), BENCH_LIGHTHOUSE_PAGES
(comma-separated page keys, default all), BENCH_LIGHTHOUSE_PORT (default: a free port).

Timings (scores, LCP, TBT) depend on the machine's load: Lighthouse's simulation starts from the
tasks it observed, so a busy machine shows a longer TBT. Byte counts do not depend on load.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

if __name__ == "__main__":  # `bench/lighthouse.py prepare`, run in a child interpreter
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, ROOT, database_url
from bench.harness import REGISTRY, Row, all_of, at_least, at_most
from bench.processes import Gunicorn

SECTION = "8. Pages on phones (Lighthouse, mobile)"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
LIGHTHOUSE = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))

# Goals (issue #15)
PERFORMANCE, ACCESSIBILITY, BEST_PRACTICES = 95, 100, 95
LCP_SECONDS, TBT_MS = 2.0, 100
FIRST_LOAD_KB, LIGHT_FIRST_LOAD_KB, REPEAT_VISIT_KB = 150, 100, 20
# The light pages (quick log, client page: opened on cheap phones on 3G) come back with 10 KB at
# most (issue #18 §3: the service worker's and the browser's cache keep the rest).
LIGHT_REPEAT_VISIT_KB = 10
VILLAGE_LCP_SECONDS = 2.5
VILLAGE_THROTTLING = (
    "--throttling.rttMs=400",
    "--throttling.throughputKbps=400",
    "--throttling.cpuSlowdownMultiplier=4",
)

# key -> (title, who is logged in: a demo username or None, first-load goal in KB, on the village link)
PAGES = {
    "login": ("login", None, FIRST_LOAD_KB, False),
    "worker_dashboard": ("social worker dashboard", "anna", FIRST_LOAD_KB, False),
    "project": ("project page", "anna", FIRST_LOAD_KB, False),
    "quick_log": ("quick log", "anna", LIGHT_FIRST_LOAD_KB, True),
    "canvas": ("canvas board", "anna", FIRST_LOAD_KB, False),
    "toc": ("Theory of Change editor", "anna", FIRST_LOAD_KB, False),
    "invite_ar": ("client invite page (Arabic)", None, LIGHT_FIRST_LOAD_KB, True),
    "moderation": ("moderation queue", "anna", FIRST_LOAD_KB, False),
    "coordinator_dashboard": ("coordinator dashboard", "coordinator", FIRST_LOAD_KB, False),
    "ranking": ("ranking", "coordinator", FIRST_LOAD_KB, False),
    "reports": ("reports page", "coordinator", FIRST_LOAD_KB, False),
}


def pages_database_url() -> str:
    """The demo data's own database, beside the bench's: sempre_bench -> sempre_bench_pages."""
    if os.environ.get("BENCH_PAGES_DATABASE_URL"):
        return os.environ["BENCH_PAGES_DATABASE_URL"]
    parts = urllib.parse.urlsplit(database_url())
    name = parts.path.lstrip("/")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}_pages"))


# --- installing Lighthouse ----------------------------------------------------------------------


def pinned_version() -> str:
    return json.loads((BENCH_DIR / "package.json").read_text())["dependencies"]["lighthouse"]


def installed_version() -> str | None:
    package = BENCH_DIR / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else None


def install_lighthouse() -> str:
    version = pinned_version()
    if installed_version() != version or not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if not npm:
            raise RuntimeError("npm is needed to install Lighthouse (apt-get install npm)")
        subprocess.run(  # noqa: S603 - npm from PATH, fixed arguments
            [npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", str(BENCH_DIR)],
            check=True,
            cwd=BENCH_DIR,
        )
    if installed_version() != version:
        raise RuntimeError(f"lighthouse {version} was not installed (found {installed_version()})")
    return version


# --- the production-like server -----------------------------------------------------------------


def production_env(static_root: Path) -> dict:
    return {
        "SEMPRE_ENV": "production",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.urandom(32).hex(),
        # Plain http on 127.0.0.1: no redirect to https. Secure cookies stay secure (Chromium keeps
        # them on http://127.0.0.1, a secure context; the session cookie goes in --extra-headers).
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": pages_database_url(),
        "SEMPRE_BENCH_STATIC_ROOT": str(static_root),
        "REDIS_URL": "",
    }


def prepare(env: dict) -> dict:
    """Seed the demo data and collect the static files in a child interpreter; the pages to measure."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(Path(__file__).resolve()), "prepare"],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.lighthouse_settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing the demo data failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare_in_child() -> None:
    """`bench/lighthouse.py prepare`: runs with the environment of production_env()."""
    from bench.common import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from accelerator.models import Round
    from demo.cocreation import demo_token
    from demo.people import DEMO_PASSWORD
    from toolkit.cocreation.models import Invite
    from toolkit.models import ToolInstance

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--allow-production", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", verbosity=0, interactive=False, clear=True)

    anna_tools = ToolInstance.objects.filter(project__organisation__memberships__user__username="anna")
    canvas = (
        anna_tools.filter(template__slug="sbmc").annotate(n=Count("entries")).order_by("-n", "pk").first()
    )
    toc = anna_tools.filter(template__slug="theory-of-change").order_by("pk").first()
    invite = Invite.objects.filter(language="ar").select_related("tool__project", "tool__template").first()
    paths = {
        "login": "/accounts/login/",
        "worker_dashboard": "/",
        "project": f"/projects/{canvas.project_id}/",
        "quick_log": "/projects/log/",
        "canvas": f"/tools/{canvas.pk}/",
        "toc": f"/tools/{toc.pk}/",
        "invite_ar": f"/c/{demo_token(invite.tool)}/",
        "moderation": "/co-creation/",
        "coordinator_dashboard": "/",
        "ranking": f"/accelerator/rounds/{Round.objects.order_by('pk').first().pk}/ranking/",
        "reports": "/reports/",
    }
    print(json.dumps({"paths": paths, "password": DEMO_PASSWORD}))


def log_in(server: Gunicorn, username: str, password: str) -> str:
    """The session cookie ("sessionid=...") of a login through the login form, as a person does."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    body = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"the login page answered {response.status}")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    connection.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    session = re.search(r"sessionid=([^;]+)", ", ".join(response.headers.get_all("Set-Cookie") or []))
    if response.status != 302 or not session:
        raise RuntimeError(f"login as {username} failed ({response.status})")
    return f"sessionid={session.group(1)}"


# --- Lighthouse ---------------------------------------------------------------------------------


def lighthouse(url: str, cookie: str, workdir: Path, extra: tuple[str, ...] = ()) -> dict:
    """One Lighthouse run (mobile, simulated throttling); its report as a dict."""
    output = workdir / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices",
        "--quiet",
        *extra,
    ]
    if cookie:
        headers = workdir / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        command.append(f"--extra-headers={headers}")
    for attempt in (1, 2):  # Chromium now and then fails to start on a busy machine: once more
        done = subprocess.run(  # noqa: S603 - the Lighthouse installed above
            command,
            env={**os.environ, "CHROME_PATH": CHROME_PATH},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"Lighthouse failed on {url}: {done.stderr.strip()[-800:]}")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse: {report['runtimeError'].get('message')}")
    return report


def figures_of(report: dict) -> dict:
    audits, categories = report["audits"], report["categories"]

    def score(category):
        value = categories[category]["score"]
        return None if value is None else round(value * 100)

    items = audits["total-byte-weight"].get("details", {}).get("items", [])
    failing = sorted(
        key
        for category in ("accessibility", "best-practices")
        for ref in categories[category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1)
        for key in [ref["id"]]
    )
    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "best_practices": score("best-practices"),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "transfer_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "dom_elements": audits["dom-size"].get("numericValue"),
        "largest": [(short(item["url"]), item["totalBytes"] / 1024) for item in items[:4]],
        "failing": failing,
    }


def short(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    return path if len(path) < 40 else "…" + path[-38:]


def median_figures(runs: list[dict]) -> dict:
    """Each figure's median over the runs (the largest resources and failing audits: of the median
    performance run)."""
    middle = sorted(runs, key=lambda f: f["performance"] or 0)[len(runs) // 2]
    result = dict(middle)
    for key in (
        "performance",
        "accessibility",
        "best_practices",
        "lcp_s",
        "tbt_ms",
        "transfer_kb",
        "dom_elements",
    ):
        values = [f[key] for f in runs if f[key] is not None]
        result[key] = statistics.median(values) if values else None
    result["performance_runs"] = [f["performance"] for f in runs]
    return result


# --- the repeat visit ---------------------------------------------------------------------------


def repeat_visits(base: str, pages: dict[str, tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """key -> (KB on the wire at a first visit, KB on the wire at a second visit, cache kept)."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROME_PATH,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            for key, (path, cookie) in pages.items():
                context = browser.new_context(viewport={"width": 360, "height": 740})
                if cookie:
                    name, value = cookie.split("=", 1)
                    context.add_cookies([{"name": name, "value": value, "url": base}])
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                received = []
                cdp.on(
                    "Network.loadingFinished",
                    lambda event, into=received: into.append(event["encodedDataLength"]),
                )
                cdp.send("Network.enable")
                response = page.goto(base + path, wait_until="networkidle")
                if response is None or response.status != 200:
                    raise RuntimeError(f"{path} answered {response and response.status}, not 200")
                first = sum(received) / 1024
                received.clear()
                page.goto(base + path, wait_until="networkidle")  # coming back: a link, not a reload
                results[key] = (first, sum(received) / 1024)
                context.close()
        finally:
            browser.close()
    return results


# --- the measurement ----------------------------------------------------------------------------


@REGISTRY.register("lighthouse", SECTION, "Lighthouse (mobile) on the demo data, served as in production")
def measure(ctx) -> list[Row]:
    version = install_lighthouse()
    wanted = [k.strip() for k in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",") if k.strip()]
    keys = [k for k in PAGES if not wanted or k in wanted]
    with tempfile.TemporaryDirectory(prefix="sempre-lighthouse-") as folder:
        workdir = Path(folder)
        env = production_env(workdir / "static")
        prepared = prepare(env)
        server = Gunicorn(workers=2, settings="bench.lighthouse_settings", env=env)
        if os.environ.get("BENCH_LIGHTHOUSE_PORT"):
            server.port = int(os.environ["BENCH_LIGHTHOUSE_PORT"])
        server.start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            cookies = {None: ""}
            for key in keys:
                user = PAGES[key][1]
                if user not in cookies:
                    cookies[user] = log_in(server, user, prepared["password"])
            rows = []
            targets = {key: (prepared["paths"][key], cookies[PAGES[key][1]]) for key in keys}
            visits = repeat_visits(base, targets)
            for key in keys:
                title, _user, first_goal, village = PAGES[key]
                path, cookie = targets[key]
                try:
                    runs = [figures_of(lighthouse(base + path, cookie, workdir)) for _ in range(RUNS)]
                    rows.append(page_row(title, path, median_figures(runs), visits[key], first_goal, version))
                    if village:
                        slow = [
                            figures_of(lighthouse(base + path, cookie, workdir, VILLAGE_THROTTLING))
                            for _ in range(RUNS)
                        ]
                        rows.append(village_row(title, median_figures(slow)))
                except RuntimeError as error:  # one page's failure leaves the others measured
                    rows.append(Row(SECTION, title, status="error", note=f"{path}: {error}"))
            return rows
        finally:
            server.stop()


def page_row(title, path, m, visit, first_goal, version) -> Row:
    first_kb, repeat_kb = visit
    repeat_goal = LIGHT_REPEAT_VISIT_KB if first_goal == LIGHT_FIRST_LOAD_KB else REPEAT_VISIT_KB
    figures = {
        "performance": m["performance"],
        "accessibility": m["accessibility"],
        "best practices": m["best_practices"],
        "LCP s": m["lcp_s"],
        "TBT ms": m["tbt_ms"],
        "first load KB": m["transfer_kb"],
        "repeat visit KB": repeat_kb,
        "DOM elements": m["dom_elements"],
    }
    passed = all_of(
        at_least(m["performance"], PERFORMANCE),
        at_least(m["accessibility"], ACCESSIBILITY),
        at_least(m["best_practices"], BEST_PRACTICES),
        at_most(m["lcp_s"], LCP_SECONDS),
        at_most(m["tbt_ms"], TBT_MS),
        at_most(m["transfer_kb"], first_goal),
        at_most(repeat_kb, repeat_goal),
    )
    largest = ", ".join(f"{url} {kb:.1f} KB" for url, kb in m["largest"])
    note = (
        f"{path}; performance of the {len(m['performance_runs'])} runs {m['performance_runs']}; "
        f"largest: {largest}; first visit in chromium {first_kb:.1f} KB; Lighthouse {version}"
    )
    if m["failing"]:
        note += "; audits not passed: " + ", ".join(m["failing"])
    return Row(
        SECTION,
        title,
        figures,
        goal=(
            f"perf >= {PERFORMANCE}, a11y {ACCESSIBILITY}, best practices >= {BEST_PRACTICES}, "
            f"LCP <= {LCP_SECONDS} s, TBT <= {TBT_MS} ms, first load <= {first_goal} KB, "
            f"repeat <= {repeat_goal} KB"
        ),
        passed=passed,
        note=note,
    )


def village_row(title, m) -> Row:
    return Row(
        SECTION,
        f"{title}, village link (400 kbps, 400 ms RTT, CPU 4x)",
        {"LCP s": m["lcp_s"], "performance": m["performance"], "TBT ms": m["tbt_ms"]},
        goal=f"LCP <= {VILLAGE_LCP_SECONDS} s",
        passed=at_most(m["lcp_s"], VILLAGE_LCP_SECONDS),
        note=f"performance of the runs {m['performance_runs']}",
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: bench/lighthouse.py prepare (called by bench/run.py --only lighthouse)")
    prepare_in_child()
