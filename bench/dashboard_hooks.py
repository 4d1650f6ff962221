"""The coordinator dashboard's aggregates (written by another area, found lazily) next to the
equivalent hand-written SQL (bench.floor.DASHBOARD_SQL)."""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

from bench.harness import NotAvailable

CHART_FUNCTIONS = ("figure", "bar_chart", "line_chart_by_month", "data_table")


def find():
    try:
        from sempre import views
    except ImportError as error:
        raise NotAvailable(f"sempre.views: {error}") from error
    function = getattr(views, "_programme_panels", None)
    if function is None:
        raise NotAvailable("sempre.views._programme_panels (the coordinator's figures) does not exist yet")
    return "sempre.views._programme_panels", function


def require_dashboard() -> None:
    find()


@contextmanager
def charts_off():
    """Draw no SVG while timing: the comparison is about the aggregates, not pygal."""
    from sempre import charts

    saved = {name: getattr(charts, name) for name in CHART_FUNCTIONS if hasattr(charts, name)}
    try:
        for name in saved:
            setattr(charts, name, lambda *args, **kwargs: "")
        yield
    finally:
        for name, function in saved.items():
            setattr(charts, name, function)


def compare(user, *, repetitions: int = 5) -> tuple[float, float, str]:
    """(platform seconds, hand-written SQL seconds, note): medians over repetitions, after a warm-up."""
    from bench.floor import DASHBOARD_SQL, dashboard_params, fetch

    name, function = find()
    platform, handwritten = [], []
    with charts_off():
        function(user)
        fetch(DASHBOARD_SQL, dashboard_params())
        for _ in range(repetitions):
            started = time.perf_counter()
            function(user)
            platform.append(time.perf_counter() - started)
            started = time.perf_counter()
            fetch(DASHBOARD_SQL, dashboard_params())
            handwritten.append(time.perf_counter() - started)
    return (
        statistics.median(platform),
        statistics.median(handwritten),
        f"{name}(user), charts off, vs bench.floor.DASHBOARD_SQL (one statement)",
    )
