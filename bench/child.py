"""One heavy job in a fresh process, so its peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/child.py JOB [--country SE]

Prints one JSON object: {"job", "seconds", "cpu_seconds", "rows", "bytes", "max_rss_mb",
"baseline_rss_mb"}.
baseline_rss_mb is the process's peak before the job started (Python + Django loaded), so the
job's own share is the difference. Reports are rendered as the worker renders them: the report
kind's renderer from the registry (reports.kinds), into a temporary file.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django


def max_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    VmHWM rather than ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec,
    so a child of a large parent would report the parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def coordinator():
    from bench.seed_scale import COORDINATOR_USERNAME
    from sempre.models import User

    return User.objects.get(username=COORDINATOR_USERNAME)


def export_params(args) -> dict:
    return {"country": args.country} if args.country else {}


def activities_queryset(args):
    """The rows and columns the CSV export writes."""
    from microprojects.reports import activity_columns
    from microprojects.selectors import programme_activities

    activities = programme_activities(coordinator(), export_params(args))
    return activities.values_list(*[field for field, _label in activity_columns()])


def job_copy_csv(args, path: Path) -> int:
    """PostgreSQL's own COPY ... TO STDOUT WITH CSV of exactly the rows the CSV export writes."""
    import psycopg
    from django.db import connection

    sql, params = activities_queryset(args).query.sql_with_params()
    connection.ensure_connection()
    statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    rows = 0
    copy_sql = f"COPY ({statement}) TO STDOUT WITH CSV HEADER"
    with connection.cursor() as cursor, path.open("wb") as out, cursor.cursor.copy(copy_sql) as copy:
        for block in copy:
            out.write(block)
            rows += bytes(block).count(b"\n")
    return rows - 1  # the header


def render(kind: str, user, params: dict, path: Path) -> None:
    """Render report `kind` for `user` into `path`, as the worker does (without saving a job)."""
    from reports.kinds import get_kind
    from reports.models import ReportJob
    from reports.renderers.base import RenderContext

    job = ReportJob(kind=kind, requested_by=user, params={})  # unsaved: the templates only read it
    get_kind(kind).render(
        RenderContext(job=job, user=user, params=params, path=path, progress=lambda done, total: None)
    )


def job_export_csv(args, path: Path) -> int:
    render("programme_csv", coordinator(), export_params(args), path)
    with path.open("rb") as written:
        return sum(1 for _line in written) - 1


def job_export_xlsx(args, path: Path) -> int:
    from microprojects.selectors import (
        programme_activities,
        programme_indicators,
        programme_measurements,
        programme_projects,
    )

    user, params = coordinator(), export_params(args)
    render("programme_xlsx", user, params, path)
    # The rows of the workbook's four sheets (counted in SQL: reading 1.5 million cells back is slow).
    sheets = (programme_projects, programme_activities, programme_indicators, programme_measurements)
    return sum(sheet(user, params).count() for sheet in sheets)


def job_xlsx_floor(args, path: Path) -> int:
    """The floor for the XLSX export: the same rows (the programme XLSX's queries) read from a plain
    psycopg server-side cursor and written by xlsxwriter in constant_memory mode, no formatting,
    text taken as it is (bench/spreadsheet.py)."""
    import xlsxwriter
    from django.db import connection, transaction

    from microprojects.reports import programme_sheets

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(str(path), {**options, "tmpdir": str(path.parent)})
    rows = 0
    with transaction.atomic():  # a server-side cursor lives in a transaction
        connection.ensure_connection()
        for n, (title, queryset, columns) in enumerate(programme_sheets(coordinator(), export_params(args))):
            sql, params = queryset.values_list(*(field for field, _label in columns)).query.sql_with_params()
            worksheet = workbook.add_worksheet(str(title))
            worksheet.write_row(0, 0, [str(heading) for _field, heading in columns])
            with connection.connection.cursor(name=f"xlsx_floor_{n}") as cursor:
                cursor.itersize = 2000
                cursor.execute(sql, params)
                for number, row in enumerate(cursor, start=1):
                    worksheet.write_row(number, 0, row)
                    rows += 1
    workbook.close()
    return rows


def job_programme_pdf(args, path: Path) -> int:
    """The programme PDF as seen by the seed's bench-programme user, who sees 1,000 projects."""
    from bench.seed_scale import PROGRAMME_USERNAME
    from microprojects.selectors import projects_visible_to
    from sempre.models import User

    reader = User.objects.get(username=PROGRAMME_USERNAME)
    render("programme", reader, {}, path)
    return projects_visible_to(reader).count()


def job_ranking(args, path: Path) -> int:
    from accelerator.models import Round
    from accelerator.ranking import round_rank

    ranking = round_rank(round=Round.objects.order_by("id").first(), normalise=True, draws=2000, seed=1)
    return len(ranking.rows)


SUFFIXES = {
    "copy_csv": "csv",
    "export_csv": "csv",
    "export_xlsx": "xlsx",
    "xlsx_floor": "xlsx",
    "programme_pdf": "pdf",
}
JOBS = {
    "copy_csv": job_copy_csv,
    "export_csv": job_export_csv,
    "export_xlsx": job_export_xlsx,
    "xlsx_floor": job_xlsx_floor,
    "programme_pdf": job_programme_pdf,
    "ranking": job_ranking,
    "baseline": lambda args, path: 0,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("job", choices=sorted(JOBS))
    parser.add_argument("--country", default="")
    args = parser.parse_args(argv)
    setup_django("bench.settings")
    from django.db import connection

    connection.ensure_connection()
    baseline = max_rss_mb()
    with tempfile.TemporaryDirectory(prefix="sempre-bench-") as directory:
        path = Path(directory) / f"out.{SUFFIXES.get(args.job, 'out')}"
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = JOBS[args.job](args, path)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        size = path.stat().st_size if path.exists() else 0
    print(
        json.dumps(
            {
                "job": args.job,
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu_seconds, 3),  # this process's CPU: less sensitive to load
                "rows": rows,
                "bytes": size,
                "max_rss_mb": round(max_rss_mb(), 1),
                "baseline_rss_mb": round(baseline, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
