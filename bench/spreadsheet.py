"""The programme XLSX against its floor (issue #15, "Exports near the limit").

The floor is the same rows, from the same queries (microprojects.reports.programme_sheets), read
from a plain psycopg server-side cursor and written by xlsxwriter in constant_memory mode with no
formatting (bench/child.py job xlsx_floor). Floor and export run alternately, each in a fresh child
process, XLSX_PAIRS times, and the fastest export is judged against the fastest floor (the fastest
run is the one the machine's other work disturbed least). The ratio of each pair and the ratio of
rows per CPU second of the child process are shown too: CPU time moves much less than wall time
when others share the machine.

    .venv/bin/python bench/run.py --only xlsx --output /tmp/xlsx
"""

from __future__ import annotations

import statistics

from bench.harness import REGISTRY, Row, all_of, at_least, at_most, within
from bench.measure import (
    EXPORT_FLAT_TOLERANCE,
    EXPORT_MEMORY_MB,
    EXPORT_SAMPLE_COUNTRY,
    Context,
    export_figures,
    export_job,
)
from bench.processes import run_child

SECTION = "3. Exports of the activities"
XLSX_SHARE_OF_FLOOR = 0.60  # issue #15
XLSX_PAIRS = 2  # floor, export, floor, export: the first pair is shared with the other export rows


def rate(result: dict, seconds: str = "seconds") -> float:
    return result["rows"] / result[seconds] if result[seconds] else 0.0


def pairs(ctx: Context) -> list[tuple[dict, dict]]:
    """(floor, export) results, run alternately; the first pair is cached in the run's context."""
    if "xlsx pairs" not in ctx.exports:
        measured = [(export_job(ctx, "xlsx_floor"), export_job(ctx, "export_xlsx"))]
        for _pair in range(XLSX_PAIRS - 1):
            measured.append((run_child("xlsx_floor"), run_child("export_xlsx")))
        ctx.exports["xlsx pairs"] = measured
    return ctx.exports["xlsx pairs"]


@REGISTRY.register("xlsx-floor", SECTION, "xlsxwriter constant_memory from a plain cursor (XLSX floor)")
def xlsx_floor(ctx: Context):
    floors = [floor for floor, _export in pairs(ctx)]
    best = max(floors, key=rate)
    figures = export_figures(best)
    figures["CPU s"] = best["cpu_seconds"]
    figures["rows/s of each run"] = ", ".join(f"{rate(f):,.0f}" for f in floors)
    return Row(
        SECTION,
        "XLSX floor: same rows, plain cursor, xlsxwriter constant_memory, no formatting",
        figures,
        note="the floor for the XLSX export; the fastest of its runs is shown",
    )


@REGISTRY.register("xlsx-vs-floor", SECTION, "programme XLSX vs its floor, alternately")
def xlsx_vs_floor(ctx: Context):
    measured = pairs(ctx)
    wall = [rate(export) / rate(floor) for floor, export in measured]
    cpu = [rate(export, "cpu_seconds") / rate(floor, "cpu_seconds") for floor, export in measured]
    fastest_export = max(rate(export) for _floor, export in measured)
    share = fastest_export / max(rate(floor) for floor, _export in measured)
    sample = export_job(ctx, "export_xlsx", "--country", EXPORT_SAMPLE_COUNTRY)
    peak = max(export["max_rss_mb"] for _floor, export in measured)
    figures = {
        "rows": measured[0][1]["rows"],
        "rows/s of each run": ", ".join(f"{rate(export):,.0f}" for _floor, export in measured),
        "rows/s (fastest)": fastest_export,
        "share of the floor's rows/s (fastest of each)": share,
        "share in each pair": ", ".join(f"{w:.0%}" for w in wall),
        "share of the floor's rows per CPU s (median of pairs)": statistics.median(cpu),
        "peak MB (all)": peak,
        f"peak MB ({sample['rows']:,} rows)": sample["max_rss_mb"],
    }
    return Row(
        SECTION,
        "XLSX export (reports renderer) vs its floor, whole programme",
        figures,
        goal=(
            f">= {XLSX_SHARE_OF_FLOOR:.0%} of the floor's rows/s; peak < {EXPORT_MEMORY_MB} MB and "
            f"within {EXPORT_FLAT_TOLERANCE - 1:.0%} of the country sample's"
        ),
        passed=all_of(
            at_least(share, XLSX_SHARE_OF_FLOOR),
            at_most(peak, EXPORT_MEMORY_MB),
            within(peak, sample["max_rss_mb"], EXPORT_FLAT_TOLERANCE),
        ),
        note=(
            f"{len(measured)} pairs, floor then export, each in a fresh process; "
            f"sample: country={EXPORT_SAMPLE_COUNTRY}. No sheet passes Excel's 1,048,576 rows: longer "
            "ones are split (tests/reports/test_xlsx_and_progress.py)"
        ),
    )
