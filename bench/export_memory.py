"""Peak memory of the streamed programme exports at N and 10 N activity rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sempre .venv/bin/python bench/export_memory.py [N]

Creates a throwaway database (bench_export_memory_<name>, dropped at the end), fills it with N, then 10 N
activities, and renders `programme_csv` and `programme_xlsx` as the worker would. Peak memory is
Python's (tracemalloc) during the render, so the table shows what grows with the rows: with the
streamed export (COPY on PostgreSQL, values_list().iterator(chunk_size) into csv.writer or xlsxwriter's
constant_memory mode otherwise) the peak stays flat while the rows grow tenfold. For contrast, the
"list" rows load every row first. A benchmark, not a test: it prints a table and exits 0.
"""

import csv
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

BATCH = 5000


def fill(project, count: int) -> None:
    from microprojects.models import Activity

    start = dt.date(2020, 1, 1)
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        Activity.objects.bulk_create(
            Activity(
                project=project,
                date=start + dt.timedelta(days=(made + i) % 1500),
                title=f"Workshop {made + i} with a reasonably long title, as people write them",
                participants_total=10,
                participants_new=3,
                women=5,
                men=5,
            )
            for i in range(size)
        )
        made += size


def measure(render, user) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export"
        tracemalloc.start()
        tracemalloc.reset_peak()
        began = time.perf_counter()
        render(user, path)
        seconds = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 2**20, seconds, path.stat().st_size


def render_kind(kind: str):
    """Render report `kind` as the worker does (bench/child.py)."""
    from bench.child import render

    return lambda user, path: render(kind, user, {}, path)


def render_csv_from_a_list(user, path: Path) -> None:
    """The naive export, for contrast: every row in memory before writing."""
    from microprojects.reports import activity_columns
    from microprojects.selectors import programme_activities

    fields = [field for field, _label in activity_columns()]
    rows = list(programme_activities(user, {}).values_list(*fields))
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerows(rows)


def main() -> None:
    base = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # A database of its own, never the test suite's (test_<name>) nor the data's.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_export_memory_{old_name}"[:63]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from microprojects.models import MicroProject
        from reports.renderers.spreadsheets import CHUNK_SIZE
        from sempre.models import Organisation, User

        organisation = Organisation.objects.create(name="Bench", country="SE")
        project = MicroProject.objects.create(organisation=organisation, title="Bench", country="SE")
        user = User.objects.create(username="bench-coordinator", is_coordinator=True)
        renders = [
            ("programme_csv (streamed)", render_kind("programme_csv")),
            ("programme_xlsx (streamed)", render_kind("programme_xlsx")),
            ("csv from a list (contrast)", render_csv_from_a_list),
        ]
        results = {}
        filled = 0
        for rows in (base, base * 10):
            fill(project, rows - filled)
            filled = rows
            for name, render in renders:
                results[(name, rows)] = measure(render, user)

        print(f"\nPeak Python memory while exporting ({connection.vendor}), N = {base}\n")
        print(f"{'export':<28} {'rows':>8} {'peak MiB':>9} {'seconds':>8} {'file MiB':>9} {'peak 10N/N':>10}")
        for name, _render in renders:
            for rows in (base, base * 10):
                peak, seconds, size = results[(name, rows)]
                ratio = f"{peak / results[(name, base)][0]:.2f}x" if rows != base else ""
                print(f"{name:<28} {rows:>8} {peak:>9.2f} {seconds:>8.2f} {size / 2**20:>9.2f} {ratio:>10}")
        print("\nFlat means the streamed rows stay near 1.0x while the rows grow 10x.")
        if base < CHUNK_SIZE:
            print(f"Note: N is below the chunk size ({CHUNK_SIZE} rows): at N the export is one chunk.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
