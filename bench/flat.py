"""Costs that stay flat as the data grows (issue #15, section 2): the pages people use daily, at two
scales of the same programme, in one run.

    .venv/bin/python bench/run.py --only flat --output /tmp/flat
    BENCH_FLAT_PROJECTS=1000,10000 BENCH_FLAT_SEED=1 .venv/bin/python bench/run.py --only flat

Two databases beside the run's own, `<run database>_1x` and `<run database>_10x` (e.g.
sempre_bench_1x and sempre_bench_10x; created when missing), are seeded by bench/seed_scale.py
with BENCH_FLAT_PROJECTS projects (default 1,000 and 10,000) when they do not hold exactly that many
projects, or always with BENCH_FLAT_SEED=1. Then, for every page in PAGES:

- SQL queries: a child process per database (`bench/flat.py pages`, Django's test client and
  CaptureQueriesContext, as section 1 counts them) logs in as the page's role and counts the
  queries of one request (after one warm-up request). Goal: the same number at both scales.
- p50 and p95 over gunicorn (one sync worker per database, DEBUG off), the two scales requested
  alternately so a change in machine load hits both alike. Goal: p95 at 10x <= 1.25 x p95 at 1x.

The same child picks comparable samples at both scales: the project in the middle of the ids (each
has 100 activities and 5 indicators), a social worker of the first organisation (20 projects at
either scale), the first reviewer (about 100 reviews at either scale) and the first canvas.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, ROOT, database_name, database_url, ensure_database, percentile
from bench.harness import REGISTRY, Row, all_of, within

SECTION = "7. Costs that stay flat as the data grows"
P95_FACTOR = 1.25
DEFAULT_SCALES = (1000, 10000)
SEED_TIMEOUT = 1800


# (label, role, URL name, kwargs sample kind, query string, accept)
PAGES = (
    ("social worker dashboard", "staff", "dashboard", None, "", "text/html"),
    ("coordinator dashboard", "coordinator", "dashboard", None, "", "text/html"),
    ("reviewer dashboard", "reviewer", "dashboard", None, "", "text/html"),
    ("reviewer's reviews", "reviewer", "accelerator:inbox", None, "", "text/html"),
    (
        "project list (active, page 2)",
        "coordinator",
        "microprojects:list",
        None,
        "status=active&page=2",
        "text/html",
    ),
    (
        "API project list (active, page 2 of 25)",
        "coordinator",
        "api:project-list",
        None,
        "status=active&page=2&page_size=25",
        "application/json",
    ),
    ("social worker's project list", "staff", "microprojects:list", None, "", "text/html"),
    ("project page", "coordinator", "microprojects:detail", "pk=project", "", "text/html"),
    ("API project detail", "coordinator", "api:project-detail", "pk=project", "", "application/json"),
    (
        "API activities of a project (page of 25)",
        "coordinator",
        "api:project-activity-list",
        "project_pk=project",
        "page_size=25",
        "application/json",
    ),
    ("API project history", "coordinator", "api:project-history", "pk=project", "", "application/json"),
    ("canvas", "coordinator", "toolkit:tool", "pk=tool", "", "text/html"),
    ("ranking page (first page)", "coordinator", "accelerator:ranking", "pk=round", "", "text/html"),
    (
        "API ranking (page of 50)",
        "coordinator",
        "api:round-ranking",
        "pk=round",
        "page_size=50",
        "application/json",
    ),
    ("moderation queue", "staff", "cocreation:queue", None, "", "text/html"),
    ("reports page", "coordinator", "reports:index", None, "", "text/html"),
)


def scales() -> tuple[int, ...]:
    text = os.environ.get("BENCH_FLAT_PROJECTS", "")
    return tuple(int(n) for n in text.split(",")) if text else DEFAULT_SCALES


def scale_url(base_url: str, factor: int) -> str:
    """The run's database URL with `_<factor>x` appended to the database's name."""
    parts = urlsplit(base_url)
    # Run against one of the two (DATABASE_URL=.../sempre_bench_1x) and its sibling is found too.
    name = f"{re.sub(r'_[0-9]+x$', '', database_name(base_url))}_{factor}x"
    if "bench" not in name:
        raise ValueError(f"{name!r} is not a benchmark database name (it is emptied when seeded)")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def child_env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
    }


def project_count(url: str) -> int | None:
    """Projects in the database at `url`; None when it holds no platform tables yet."""
    import psycopg

    from bench.common import psycopg_conninfo

    with psycopg.connect(psycopg_conninfo(url)) as connection:
        exists = connection.execute("SELECT to_regclass('microprojects_microproject')").fetchone()[0]
        if exists is None:
            return None
        return connection.execute("SELECT count(*) FROM microprojects_microproject").fetchone()[0]


def seed_if_needed(url: str, projects: int) -> str:
    ensure_database(url)
    if os.environ.get("BENCH_FLAT_SEED") != "1" and project_count(url) == projects:
        return "kept"
    print(f"   seeding {database_name(url)} with {projects} projects ...", flush=True)
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(BENCH_DIR / "seed_scale.py"), "--projects", str(projects)],
        env=child_env(url),
        cwd=ROOT,
        check=True,
        timeout=SEED_TIMEOUT,
    )
    return "seeded"


def pages_in_child(url: str) -> dict:
    """The child's answer for one database: sessions per role, and per page its path and queries."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(Path(__file__).resolve()), "pages"],
        env=child_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench/flat.py pages failed: {done.stderr.strip().splitlines()[-3:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@REGISTRY.register("flat", SECTION, "daily pages at 1x and 10x the data: p95 and SQL queries")
def flat_pages(ctx):
    from bench.processes import Gunicorn

    sizes = scales()
    small, large = sizes[0], sizes[-1]
    factor = large // small
    urls = {size: scale_url(database_url(), 1 if size == small else factor) for size in (small, large)}
    seeded = {size: seed_if_needed(urls[size], size) for size in (small, large)}
    answers = {size: pages_in_child(urls[size]) for size in (small, large)}
    servers = {}
    try:
        for size in (small, large):
            servers[size] = Gunicorn(workers=1, env={"DATABASE_URL": urls[size]})
            servers[size].start()
        rows = []
        for label, *_rest in PAGES:
            rows.append(measure_page(ctx, label, servers, answers, small, large))
    finally:
        for gunicorn in servers.values():
            gunicorn.stop()
    for row in rows:
        row.note = (row.note + f" {small:,} vs {large:,} projects ({seeded[small]}/{seeded[large]}).").strip()
    return rows


def measure_page(ctx, label, servers, answers, small, large) -> Row:
    pages = {size: answers[size]["pages"][label] for size in (small, large)}
    errors = [f"{size:,}: {page['error']}" for size, page in pages.items() if page.get("error")]
    if errors:
        return Row(SECTION, label, status="error", note="; ".join(errors))
    cookies = {size: answers[size]["cookies"][pages[size]["role"]] for size in (small, large)}
    accept = pages[small]["accept"]

    def get(size):
        status, body, seconds = servers[size].get(pages[size]["path"], cookies[size], accept)
        if status != 200:
            raise RuntimeError(f"GET {pages[size]['path']} at {size:,} projects answered {status}")
        return seconds * 1000, len(body)

    for _ in range(2):  # warm-up: connections, caches, first-use imports
        get(small)
        get(large)
    timings: dict[int, list[float]] = {small: [], large: []}
    sizes = {}
    started = time.monotonic()
    for n in range(ctx.args.requests):
        if n >= 3 and time.monotonic() - started > ctx.args.budget:
            break
        order = (small, large) if n % 2 == 0 else (large, small)  # neither always goes first
        for size in order:
            milliseconds, sizes[size] = get(size)
            timings[size].append(milliseconds)
    p95 = {size: percentile(values, 95) for size, values in timings.items()}
    queries = {size: pages[size]["queries"] for size in (small, large)}
    figures = {
        "p50 ms @1x": percentile(timings[small], 50),
        "p95 ms @1x": p95[small],
        "p50 ms @10x": percentile(timings[large], 50),
        "p95 ms @10x": p95[large],
        "p95 ratio": p95[large] / p95[small],
        # Information: on a shared machine p95 of a few dozen requests is close to the slowest one.
        "p50 ratio": percentile(timings[large], 50) / percentile(timings[small], 50),
        "queries @1x": queries[small],
        "queries @10x": queries[large],
        "KB @1x": sizes[small] / 1024,
        "KB @10x": sizes[large] / 1024,
    }
    return Row(
        SECTION,
        label,
        figures,
        goal=f"p95 @10x <= {P95_FACTOR:g}x p95 @1x; queries equal",
        passed=all_of(within(p95[large], p95[small], P95_FACTOR), queries[small] == queries[large]),
        note=f"{pages[small]['role']}: {pages[small]['path']}, {len(timings[small])} requests each.",
    )


# --- the child: runs against one database --------------------------------------------------------


def child_pages() -> dict:
    """Log in as each role, choose the samples, and count each page's queries (after a warm-up)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accelerator.models import Round
    from bench.seed_scale import COORDINATOR_USERNAME
    from microprojects.models import MicroProject
    from sempre.models import User
    from toolkit.models import ToolInstance

    call_command("migrate", verbosity=0, interactive=False)
    users = {
        "coordinator": User.objects.get(username=COORDINATOR_USERNAME),
        "staff": User.objects.filter(memberships__role="social_worker").order_by("id").first(),
        "reviewer": User.objects.filter(is_reviewer=True).order_by("id").first(),
    }
    ids = list(MicroProject.objects.order_by("id").values_list("id", flat=True))
    samples = {
        "project": ids[len(ids) // 2],
        "tool": ToolInstance.objects.filter(template__slug="sbmc").order_by("id").first().pk,
        "round": Round.objects.order_by("id").first().pk,
    }
    clients, cookies = {}, {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = {}
    for label, role, name, kwargs, query, accept in PAGES:
        values = {}
        if kwargs:
            key, kind = kwargs.split("=")
            values[key] = samples[kind]
        path = reverse(name, kwargs=values or None) + (f"?{query}" if query else "")
        page = {"role": role, "path": path, "accept": accept}
        clients[role].get(path, HTTP_ACCEPT=accept)  # warm-up: per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(path, HTTP_ACCEPT=accept)
        if response.status_code != 200:
            page["error"] = f"GET {path} as {role} answered {response.status_code}"
        page["queries"] = len(queries)
        pages[label] = page
    return {"cookies": cookies, "pages": pages, "samples": samples}


def main(argv: list[str]) -> int:
    if argv[:1] != ["pages"]:
        print(__doc__)
        return 2
    from bench.common import setup_django

    setup_django("bench.settings")
    print(json.dumps(child_pages()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
