"""The measurements of `make bench` (bench/run.py) and the run that writes bench/results.*

    .venv/bin/python bench/run.py                 # everything, against DATABASE_URL (default sempre_bench)
    .venv/bin/python bench/run.py --only queries latency
    .venv/bin/python bench/run.py --seed 200      # (re)fill the database with 200 projects first

Each measurement is a small function registered below with @bench.register(key, section, title). It
returns harness.Row(s) with its figures, its goal (if it has one) and whether the goal holds; one
that fails is reported as an error row and the others still run. Results go to bench/results.json
and bench/results.md, and the table is printed.

Pages are timed next to a floor (bench/floor.py: the same rows from one raw SQL query) in the same
run. The ratio is shown as information; the old goal "within 2x of the floor" is retired (issue #14).

When the database holds no projects it is seeded first (bench/seed_scale.py, --projects, default
10,000). Latency is measured over a gunicorn started here on a free 127.0.0.1 port and stopped at the
end; heavy jobs (exports, PDF) run in a child process (bench/child.py) so their peak memory is theirs
(both started and stopped by bench/processes.py).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.urls import reverse

from bench import harness
from bench.common import (
    BENCH_DIR,
    ROOT,
    database_name,
    database_url,
    ensure_database,
    percentile,
    setup_django,
)
from bench.harness import Row, all_of, at_least, at_most, within
from bench.processes import Gunicorn, TooSlow, run_child

bench = harness.REGISTRY
# Measurements kept in their own modules register on the same registry when main() imports them.
MODULES = ("flat", "lighthouse", "spreadsheet")

LIST_PAGE_SIZES = (10, 100)
DASHBOARD_FACTOR = 1.5  # the programme figures within 1.5x of the same figures in hand-written SQL
CSV_SHARE_OF_COPY = 0.80  # issue #15 (was 0.40 under #8)
EXPORT_MEMORY_MB = 300
EXPORT_FLAT_TOLERANCE = 1.15  # "the same" peak memory at 100,000 and 1,000,000 rows: within 15 %
PDF_SECONDS, PDF_MEMORY_MB = 60, 600
RANKING_SECONDS = 2.0
SLOW_REQUEST_SECONDS = 5.0  # a page this slow is not warmed up: its first answer was the warm-up
MIN_REQUESTS = 3
EXPORT_SAMPLE_COUNTRY = "SE"  # 1/8 of the projects: about 125,000 activities at full scale


@dataclass
class Context:
    args: argparse.Namespace
    coordinator: object = None
    reviewer: object = None
    staff: object = None  # a social worker of one organisation
    session_cookie: str = ""
    samples: dict = field(default_factory=dict)  # kind -> an id to put in URLs
    server: Gunicorn | None = None
    exports: dict = field(default_factory=dict)  # child job results, shared by export rows


# --- helpers -------------------------------------------------------------------------------------


class ServerError(Exception):
    """A page answered with a server error."""


def result_count(body: bytes) -> int | None:
    """Items in an answer: a page's results, a plain JSON list, or the rows of a ranking."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    if isinstance(data, list):
        return len(data)
    for key in ("rows", "ranking", "applications"):
        if isinstance(data, dict) and isinstance(data.get(key), list):
            return len(data[key])
    return None


# --- 1. SQL queries per list endpoint ------------------------------------------------------------


def api_routes() -> list[tuple[str, list[str]]]:
    """(name, URL kwargs) of every named route under the api namespace."""
    from django.urls import get_resolver

    _prefix, api = get_resolver().namespace_dict["api"]
    routes = []
    for name in api.reverse_dict:
        if not isinstance(name, str):
            continue
        possibilities = api.reverse_dict.getlist(name)[0][0]
        routes.append((name, list(possibilities[0][1])))
    return sorted(routes)


def sample_for(route: str, kwarg: str, samples: dict) -> int | str | None:
    """An id for a URL kwarg: project_pk -> a project; pk -> the route's own kind (project-history)."""
    kind = route.split("-")[0] if kwarg == "pk" else kwarg.removesuffix("_pk").removesuffix("_id")
    kind = kind.replace("_", "")
    for key, value in samples.items():
        if kind == key or kind.startswith(key) or key.startswith(kind):
            return value
    return None


@bench.register(
    "queries", "1. SQL queries per list request", "every API list endpoint at page size 10 and 100"
)
def queries_per_list_endpoint(ctx: Context):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = []
    for role, user in (
        ("coordinator", ctx.coordinator),
        ("reviewer", ctx.reviewer),
        ("social worker", ctx.staff),
    ):
        client = Client(raise_request_exception=False)  # a failing endpoint is a row, not the end
        client.force_login(user)
        clients.append((role, client))

    def measure(client, path, size):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"page_size": size}, HTTP_ACCEPT="application/json")
        items = result_count(response.content) if response.status_code == 200 else None
        return response.status_code, len(queries), items

    def measure_list(client, path):
        """(queries, items) by page size; None when the answer is not a list the role may read."""
        counts, items = {}, {}
        for size in LIST_PAGE_SIZES:
            status, counts[size], items[size] = measure(client, path, size)
            if status >= 500:
                raise ServerError(f"GET {path}?page_size={size} answered {status}")
            if status != 200 or items[size] is None:
                return None
        if len(set(counts.values())) > 1:
            # The first request of an endpoint may fill per-process caches; count it once more.
            _status, counts[LIST_PAGE_SIZES[0]], _items = measure(client, path, LIST_PAGE_SIZES[0])
        return counts, items

    rows = []
    for name, kwargs in api_routes():
        values = {k: sample_for(name, k, ctx.samples) for k in kwargs}
        if any(v is None for v in values.values()):
            continue  # a detail route of something the seed does not make: not a list anyway
        path = reverse(f"api:{name}", kwargs=values or None)
        # As the coordinator, or, where the coordinator's list is short (a reviewer's own reviews,
        # say), as the first role whose list fills the larger page.
        measured = None
        for role, client in clients:
            try:
                result = measure_list(client, path)
            except ServerError as error:
                rows.append(
                    Row("1. SQL queries per list request", f"GET {path}", status="error", note=str(error))
                )
                measured = None
                break
            if result is None:
                continue
            if measured is None or result[1][LIST_PAGE_SIZES[-1]] > measured[1][LIST_PAGE_SIZES[-1]]:
                measured = (*result, role)
            if result[1][LIST_PAGE_SIZES[-1]] > LIST_PAGE_SIZES[0]:
                break
        if measured is None:
            continue  # not a list (a detail or an action), or not readable by these roles
        counts, items, role = measured
        figures = {}
        for size in LIST_PAGE_SIZES:
            figures[f"queries @{size}"] = counts[size]
            figures[f"items @{size}"] = items[size]
        small, large = items[LIST_PAGE_SIZES[0]], items[LIST_PAGE_SIZES[-1]]
        if large > small:
            note = ""
        elif small > LIST_PAGE_SIZES[0]:
            note = "not paginated: the whole list at both sizes"
        else:
            note = "the list is short: sizes not told apart"
        if role != "coordinator":
            note = f"as a {role}. {note}".strip()
        rows.append(
            Row(
                "1. SQL queries per list request",
                f"GET {path}",
                figures,
                goal="equal",
                passed=len(set(counts.values())) == 1,
                note=note,
            )
        )
    if not rows:
        raise RuntimeError("no API list endpoint answered 200 to any of the roles")
    return rows


# --- 2. latency over gunicorn --------------------------------------------------------------------


def server(ctx: Context) -> Gunicorn:
    if ctx.server is None:
        ctx.server = Gunicorn(workers=1)
        ctx.server.start()
    return ctx.server


def latency_row(ctx: Context, title: str, path: str, floor_path: str, *, accept="application/json"):
    """p50 and p95 of a page and of its floor, requested alternately; the ratio is information."""
    gunicorn = server(ctx)
    status, _body, _seconds = gunicorn.get(path, ctx.session_cookie, accept)
    if status != 200:
        return Row("2. Latency over gunicorn", title, status="error", note=f"GET {path} answered {status}")
    real, floor = [], []
    if _seconds < SLOW_REQUEST_SECONDS:
        for _ in range(3):  # warm-up: connections, caches, first-use imports
            gunicorn.get(path, ctx.session_cookie, accept)
            gunicorn.get(floor_path)
    real_rows = floor_rows = None
    started = time.monotonic()
    for _ in range(ctx.args.requests):  # interleaved, so drift in machine load hits both alike
        if len(real) >= MIN_REQUESTS and time.monotonic() - started > ctx.args.budget:
            break  # a page that takes seconds gets fewer samples, so the run stays bounded
        _status, body, seconds = gunicorn.get(path, ctx.session_cookie, accept)
        real.append(seconds * 1000)
        real_rows = result_count(body)
        _status, body, seconds = gunicorn.get(floor_path)
        floor.append(seconds * 1000)
        floor_rows = result_count(body)
    p50, p95 = percentile(real, 50), percentile(real, 95)
    f50, f95 = percentile(floor, 50), percentile(floor, 95)
    figures = {
        "p50 ms": p50,
        "p95 ms": p95,
        "floor p50 ms": f50,
        "floor p95 ms": f95,
        "x floor (p50)": p50 / f50,
    }
    if real_rows is not None:
        figures["rows"] = real_rows
        figures["floor rows"] = floor_rows
    return Row(
        "2. Latency over gunicorn",
        title,
        figures,
        note=f"{path} vs {floor_path}, {len(real)} requests each",
    )


@bench.register("latency-project-list", "2. Latency over gunicorn", "project list (filtered, page 50)")
def latency_project_list(ctx: Context):
    from microprojects.models import MicroProject

    matching = MicroProject.objects.filter(status="active").count()
    page = max(1, min(50, -(-matching // 25)))
    query = f"?status=active&page={page}&page_size=25"
    return latency_row(
        ctx,
        f"project list (status=active, page {page})",
        reverse("api:project-list") + query,
        "/bench-floor/projects/" + query,
    )


@bench.register("latency-project-detail", "2. Latency over gunicorn", "project detail")
def latency_project_detail(ctx: Context):
    pk = ctx.samples["project"]
    path = reverse("api:project-detail", kwargs={"pk": pk})
    return latency_row(ctx, "project detail", path, f"/bench-floor/projects/{pk}/")


@bench.register("latency-activities", "2. Latency over gunicorn", "activities of a project")
def latency_activities(ctx: Context):
    pk = ctx.samples["project"]
    return latency_row(
        ctx,
        "activities of a project (page 1 of 25)",
        reverse("api:project-activity-list", kwargs={"project_pk": pk}) + "?page_size=25",
        f"/bench-floor/projects/{pk}/activities/?page_size=25",
    )


@bench.register("latency-dashboard", "2. Latency over gunicorn", "coordinator dashboard")
def latency_dashboard(ctx: Context):
    return latency_row(
        ctx,
        "coordinator dashboard (HTML)",
        reverse("dashboard"),
        "/bench-floor/dashboard/",
        accept="text/html",
    )


@bench.register("latency-ranking", "2. Latency over gunicorn", "round ranking")
def latency_ranking(ctx: Context):
    pk = ctx.samples["round"]
    path = reverse("api:round-ranking", kwargs={"pk": pk})
    return latency_row(ctx, "round ranking", path, f"/bench-floor/rounds/{pk}/ranking/")


# --- 3. exports ----------------------------------------------------------------------------------


def export_job(ctx: Context, job: str, *extra: str) -> dict:
    key = " ".join((job, *extra))
    if key not in ctx.exports:
        ctx.exports[key] = run_child(job, *extra)
    return ctx.exports[key]


def export_figures(result: dict) -> dict:
    return {
        "rows": result["rows"],
        "seconds": result["seconds"],
        "rows/s": result["rows"] / result["seconds"] if result["seconds"] else 0.0,
        "peak MB": result["max_rss_mb"],
        "of which before the job": result["baseline_rss_mb"],
    }


CSV_PAIRS = 3  # COPY and the CSV export, alternately: the fastest of each is compared


def csv_pairs(ctx: Context) -> list[tuple[dict, dict]]:
    """(COPY, CSV export) results, run alternately in fresh child processes, so that a moment of load
    from elsewhere on the machine does not decide the ratio (the first pair is the run's cached one)."""
    if "csv pairs" not in ctx.exports:  # measured once per run, shared by the COPY and CSV rows
        measured = [(export_job(ctx, "copy_csv"), export_job(ctx, "export_csv"))]
        while len(measured) < CSV_PAIRS:
            measured.append((run_child("copy_csv"), run_child("export_csv")))
        ctx.exports["csv pairs"] = measured
    return ctx.exports["csv pairs"]


def _rate(result: dict) -> float:
    return result["rows"] / result["seconds"] if result["seconds"] else 0.0


@bench.register(
    "export-copy", "3. Exports of the activities", "PostgreSQL COPY TO STDOUT WITH CSV (the floor)"
)
def export_copy(ctx: Context):
    fastest = max((floor for floor, _csv in csv_pairs(ctx)), key=_rate)
    return Row(
        "3. Exports of the activities",
        "COPY (same query) TO STDOUT WITH CSV, all activities",
        export_figures(fastest),
        note=f"the floor for the CSV export; the fastest of {CSV_PAIRS} runs, alternating with the export",
    )


@bench.register("export-csv", "3. Exports of the activities", "CSV export, all activities")
def export_csv(ctx: Context):
    measured = csv_pairs(ctx)
    result = max((csv for _floor, csv in measured), key=_rate)
    figures = export_figures(result)
    figures["peak MB"] = max(csv["max_rss_mb"] for _floor, csv in measured)  # the worst run's
    share = _rate(result) / max(_rate(floor) for floor, _csv in measured)
    figures["share of COPY rows/s"] = share
    figures["share in each pair"] = ", ".join(f"{_rate(csv) / _rate(floor):.2f}" for floor, csv in measured)
    return Row(
        "3. Exports of the activities",
        "CSV export (reports renderer), all activities",
        figures,
        goal=f">= {CSV_SHARE_OF_COPY:.0%} of COPY rows/s; peak < {EXPORT_MEMORY_MB} MB",
        passed=all_of(at_least(share, CSV_SHARE_OF_COPY), at_most(figures["peak MB"], EXPORT_MEMORY_MB)),
        note=f"the fastest of {CSV_PAIRS} runs of each, COPY and export alternately; the highest peak",
    )


@bench.register(
    "export-memory-flat", "3. Exports of the activities", "peak memory at ~100,000 vs 1,000,000 rows"
)
def export_memory_flat(ctx: Context):
    rows = []
    for job in ("export_csv", "export_xlsx"):
        small = export_job(ctx, job, "--country", EXPORT_SAMPLE_COUNTRY)
        large = export_job(ctx, job)
        figures = {
            "rows (sample)": small["rows"],
            "peak MB (sample)": small["max_rss_mb"],
            "rows (all)": large["rows"],
            "peak MB (all)": large["max_rss_mb"],
        }
        rows.append(
            Row(
                "3. Exports of the activities",
                f"{job.split('_')[1].upper()} peak memory: one country vs all",
                figures,
                goal=f"< {EXPORT_MEMORY_MB} MB and within {EXPORT_FLAT_TOLERANCE - 1:.0%} of each other",
                passed=all_of(
                    at_most(large["max_rss_mb"], EXPORT_MEMORY_MB),
                    within(large["max_rss_mb"], small["max_rss_mb"], EXPORT_FLAT_TOLERANCE),
                ),
                note=f"sample: country={EXPORT_SAMPLE_COUNTRY}",
            )
        )
    return rows


@bench.register("export-xlsx", "3. Exports of the activities", "XLSX export, all activities")
def export_xlsx(ctx: Context):
    result = export_job(ctx, "export_xlsx")
    return Row(
        "3. Exports of the activities",
        "XLSX export (reports renderer), whole programme",
        export_figures(result),
        goal=f"peak < {EXPORT_MEMORY_MB} MB",
        passed=at_most(result["max_rss_mb"], EXPORT_MEMORY_MB),
        note="the workbook holds projects, activities, indicators and measurements: rows counts all sheets",
    )


# --- 4. the programme PDF ------------------------------------------------------------------------


@bench.register("pdf", "4. Programme PDF", "programme PDF for 1,000 projects")
def programme_pdf(ctx: Context):
    limit = PDF_SECONDS * 5
    try:
        result = run_child("programme_pdf", timeout=limit)
    except TooSlow as error:
        return Row(
            "4. Programme PDF",
            "programme PDF (reports renderer)",
            {"seconds": f"> {limit}"},
            goal=f"< {PDF_SECONDS} s, < {PDF_MEMORY_MB} MB",
            passed=False,
            note=str(error),
        )
    figures = {
        "projects": result["rows"],
        "seconds": result["seconds"],
        "peak MB": result["max_rss_mb"],
        "pages KB": result["bytes"] / 1024,
    }
    return Row(
        "4. Programme PDF",
        "programme PDF (reports renderer)",
        figures,
        goal=f"< {PDF_SECONDS} s, < {PDF_MEMORY_MB} MB",
        passed=all_of(at_most(result["seconds"], PDF_SECONDS), at_most(result["max_rss_mb"], PDF_MEMORY_MB)),
    )


# --- 5. ranking ----------------------------------------------------------------------------------


@bench.register("ranking", "5. Ranking with stability", "round_rank(draws=2000) for the seeded round")
def ranking(ctx: Context):
    from accelerator.models import Round
    from accelerator.ranking import round_inputs, round_rank

    the_round = Round.objects.get(pk=ctx.samples["round"])
    loads, totals = [], []
    for repetition in range(3):
        started = time.perf_counter()
        criteria, applications, reviews = round_inputs(the_round)
        loads.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = round_rank(round=the_round, normalise=True, draws=2000, seed=repetition + 1)
        totals.append(time.perf_counter() - started)
    median = statistics.median(totals)
    figures = {
        "applications": len(applications),
        "reviews": len(reviews),
        "criteria": len(criteria),
        "seconds (median of 3)": median,
        "of which loading": statistics.median(loads),
        "rows ranked": len(result.rows),
    }
    return Row(
        "5. Ranking with stability",
        "round_rank(normalise=True, draws=2000)",
        figures,
        goal=f"< {RANKING_SECONDS:g} s",
        passed=at_most(median, RANKING_SECONDS),
    )


# --- 6. dashboard aggregates ---------------------------------------------------------------------


@bench.register(
    "dashboard-aggregates", "6. Dashboard aggregates", "the programme figures vs hand-written SQL"
)
def dashboard_aggregates(ctx: Context):
    from bench.floor import PROGRAMME_FIGURES_SQL, fetch
    from microprojects.selectors import programme_figures

    platform, handwritten = [], []
    programme_figures(ctx.coordinator)  # warm-up
    fetch(PROGRAMME_FIGURES_SQL, {})
    for _ in range(5):
        started = time.perf_counter()
        programme_figures(ctx.coordinator)
        platform.append(time.perf_counter() - started)
        started = time.perf_counter()
        fetch(PROGRAMME_FIGURES_SQL, {})
        handwritten.append(time.perf_counter() - started)
    platform_seconds, sql_seconds = statistics.median(platform), statistics.median(handwritten)
    return Row(
        "6. Dashboard aggregates",
        "coordinator's programme figures",
        {
            "platform ms (median)": platform_seconds * 1000,
            "hand-written SQL ms (median)": sql_seconds * 1000,
            "ratio": platform_seconds / sql_seconds,
        },
        goal=f"<= {DASHBOARD_FACTOR:g}x hand-written SQL",
        passed=within(platform_seconds, sql_seconds, DASHBOARD_FACTOR),
        note="microprojects.selectors.programme_figures(user) vs bench.floor.PROGRAMME_FIGURES_SQL, 5 each",
    )


# --- the run -------------------------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    from django.db import connection

    from accelerator.models import Application, Review, Score
    from microprojects.models import Activity, Indicator, Measurement, MicroProject
    from sempre.models import Organisation
    from toolkit.models import Entry, ToolInstance

    models = (Organisation, MicroProject, Activity, Indicator, Measurement, ToolInstance, Entry)
    models += (Application, Review, Score)
    counts = {}
    with connection.cursor() as cursor:
        for model in models:
            # Exact counts: the planner's estimate could be stale right after a seed.
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            counts[model.__name__] = cursor.fetchone()[0]
    return counts


def machine() -> dict:
    from django.db import connection

    meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0] if Path("/proc/meminfo").exists() else ""
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    return {
        "nproc": os.cpu_count(),
        "memory": meminfo.replace("MemTotal:", "").strip(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": postgres,
        "commit": commit,
        "platform": platform.platform(),
    }


def prepare(args) -> Context:
    from django.core.management import call_command

    from accelerator.models import Application, Criterion, Round, StartUp
    from bench import seed_scale
    from microprojects.models import Activity, Indicator, MicroProject
    from sempre.models import Organisation, User
    from toolkit.models import ToolInstance

    call_command("migrate", verbosity=0, interactive=False)
    if args.seed or not MicroProject.objects.exists():
        projects = args.seed or args.projects
        print(f"Seeding {projects} projects ...")
        seed_scale.run(seed_scale.Plan(projects=projects), migrate=False)
    ctx = Context(args=args)
    ctx.coordinator = User.objects.get(username=seed_scale.COORDINATOR_USERNAME)
    ctx.reviewer = User.objects.filter(is_reviewer=True).order_by("id").first() or ctx.coordinator
    ctx.staff = (
        User.objects.filter(memberships__role="social_worker").order_by("id").first() or ctx.coordinator
    )
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(ctx.coordinator)
    ctx.session_cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    project = MicroProject.objects.order_by("id")[MicroProject.objects.count() // 2]
    ctx.samples = {
        "project": project.pk,
        "microproject": project.pk,
        "organisation": Organisation.objects.order_by("id").values_list("id", flat=True).first(),
        "indicator": Indicator.objects.filter(project=project).values_list("id", flat=True).first(),
        "activity": Activity.objects.filter(project=project).values_list("id", flat=True).first(),
    }
    for kind, model in (
        ("round", Round),
        ("application", Application),
        ("tool", ToolInstance),
        ("instance", ToolInstance),
        ("startup", StartUp),
        ("criterion", Criterion),
    ):
        pk = model.objects.order_by("id").values_list("id", flat=True).first()
        if pk is not None:  # the seed makes no start-ups
            ctx.samples[kind] = pk
    return ctx


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure SEMPRE at programme scale.")
    parser.add_argument("--only", nargs="*", metavar="KEY", help="measurements (or key prefixes) to run")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page and per floor")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of timed requests per page, at most"
    )
    parser.add_argument(
        "--projects", type=int, default=10000, help="projects to seed when the database is empty"
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="re-seed with N projects before measuring"
    )
    parser.add_argument("--output", default=str(BENCH_DIR / "results"), help="results path without extension")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other measurements' rows from the previous results file",
    )
    args = parser.parse_args(argv)
    for module in MODULES:
        importlib.import_module(f"bench.{module}")
    if args.list:
        for m in bench.measurements:
            print(f"{m.key:24} {m.section}: {m.title}")
        return 0
    url = database_url()
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs against PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    setup_django("bench.settings")
    ctx = prepare(args)
    only = None
    if args.only:
        only = [k for k in bench.measurement_keys() if any(k == o or k.startswith(o) for o in args.only)]
    started = datetime.now(UTC)
    try:
        rows = bench.run(ctx, only=only)
    finally:
        if ctx.server:
            ctx.server.stop()
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    previous_path = Path(args.output + ".json")
    if args.merge and previous_path.exists():
        previous = json.loads(previous_path.read_text())
        rows = harness.merge(harness.rows_from_json(previous), rows, bench.measurement_keys())
        earlier = previous.get("meta", {})
        command = f"{earlier.get('command', '?')} (from {earlier.get('started', '?')}); then {command}"
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "database": database_name(url),
        "data": table_counts(),
        "machine": machine(),
        "requests_per_page": args.requests,
        "command": command,
    }
    Path(args.output + ".json").write_text(
        json.dumps({"meta": meta, "rows": [r.as_dict() for r in rows]}, indent=2, default=str) + "\n"
    )
    preamble = [
        f"Run {meta['started']} on {meta['machine']['nproc']} cores, {meta['machine']['memory']} "
        f"({meta['machine']['cpu']}), PostgreSQL {meta['machine']['postgresql']}, "
        f"commit {meta['machine']['commit']}.",
        "",
        "Data: " + ", ".join(f"{k} {v:,}" for k, v in meta["data"].items()) + ".",
        "",
        f"Command: {meta['command']}",
    ]
    Path(args.output + ".md").write_text(harness.markdown(rows, preamble=preamble))
    print()
    print(harness.table(rows))
    print(f"\nWritten {args.output}.json and {args.output}.md")
    return 0
