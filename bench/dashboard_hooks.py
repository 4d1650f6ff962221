"""The coordinator dashboard's aggregates, found lazily (the dashboard is written by another area),
and the equivalent hand-written SQL (bench.floor.DASHBOARD_SQL)."""

from __future__ import annotations

import importlib
import statistics
import time

from bench.harness import NotAvailable

# Where the dashboard's figures may live: (module, function taking the user).
CANDIDATES = [
    ("sempre.selectors", "dashboard_figures"),
    ("sempre.selectors", "coordinator_dashboard"),
    ("sempre.dashboard", "dashboard_figures"),
    ("microprojects.selectors", "dashboard_figures"),
    ("microprojects.selectors", "programme_figures"),
]


def find():
    for module_name, function_name in CANDIDATES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, function_name, None)
        if function is not None:
            return f"{module_name}.{function_name}", function
    raise NotAvailable(
        "no dashboard aggregates function yet (looked for "
        + ", ".join(f"{m}.{f}" for m, f in CANDIDATES)
        + ")"
    )


def require_dashboard() -> None:
    find()


def _evaluate(value):
    """Force lazy results (querysets, generators) so their SQL runs inside the timing."""
    if isinstance(value, dict):
        return {k: _evaluate(v) for k, v in value.items()}
    if hasattr(value, "__iter__") and not isinstance(value, str | bytes):
        return [_evaluate(v) for v in value]
    return value


def compare(user, *, repetitions: int = 5) -> tuple[float, float, str]:
    """(platform seconds, hand-written SQL seconds, note): medians over repetitions, after a warm-up."""
    from bench.floor import DASHBOARD_SQL, fetch

    name, function = find()
    platform, handwritten = [], []
    _evaluate(function(user))
    fetch(DASHBOARD_SQL, {})
    for _ in range(repetitions):
        started = time.perf_counter()
        _evaluate(function(user))
        platform.append(time.perf_counter() - started)
        started = time.perf_counter()
        fetch(DASHBOARD_SQL, {})
        handwritten.append(time.perf_counter() - started)
    return (
        statistics.median(platform),
        statistics.median(handwritten),
        f"{name}(user) vs bench.floor.DASHBOARD_SQL",
    )
