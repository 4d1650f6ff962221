"""The benchmark harness: measurements register here, run, and come out as rows with goals.

Kept free of Django so it can be tested on its own (tests/bench/test_harness.py).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Row:
    section: str
    name: str
    figures: dict = field(default_factory=dict)  # label -> number or text, in display order
    goal: str = ""
    passed: bool | None = None  # None: no goal, or nothing to judge
    status: str = "ok"  # ok | error
    note: str = ""
    key: str = ""  # the measurement that produced the row (set by Registry.run)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Measurement:
    key: str
    section: str
    title: str
    function: Callable


class Registry:
    def __init__(self):
        self.measurements: list[Measurement] = []

    def register(self, key: str, section: str, title: str):
        def decorate(function):
            if any(m.key == key for m in self.measurements):
                raise ValueError(f"measurement {key!r} registered twice")
            self.measurements.append(Measurement(key, section, title, function))
            return function

        return decorate

    def measurement_keys(self) -> list[str]:
        return [m.key for m in self.measurements]

    def run(self, context, only: list[str] | None = None, progress=print) -> list[Row]:
        """Run each measurement; one that fails yields an error row, and the others still run."""
        rows: list[Row] = []
        for measurement in self.measurements:
            if only and measurement.key not in only:
                continue
            progress(f"-- {measurement.section}: {measurement.title}")
            try:
                produced = measurement.function(context)
            except Exception as error:  # a broken measurement must not hide the others
                traceback.print_exc()
                produced = [
                    Row(
                        measurement.section,
                        measurement.title,
                        status="error",
                        note=f"{type(error).__name__}: {error}",
                    )
                ]
            produced = [produced] if isinstance(produced, Row) else list(produced)
            for row in produced:
                row.key = measurement.key
                progress("   " + one_line(row))
            rows.extend(produced)
        return rows


# bench/measure.py and the modules it lists in MODULES register their measurements here.
REGISTRY = Registry()


# Goals -------------------------------------------------------------------------------------------


def within(value: float | None, reference: float | None, factor: float) -> bool | None:
    """value <= factor x reference (e.g. peak memory within 15 % of another); None if either is missing."""
    if value is None or reference is None:
        return None
    return value <= factor * reference


def at_least(value: float | None, minimum: float) -> bool | None:
    return None if value is None else value >= minimum


def at_most(value: float | None, maximum: float) -> bool | None:
    return None if value is None else value <= maximum


def all_of(*checks: bool | None) -> bool | None:
    """True when every check that could be made passed; None when none could be made."""
    made = [c for c in checks if c is not None]
    if not made:
        return None
    return all(made)


# Output ------------------------------------------------------------------------------------------


def verdict(row: Row) -> str:
    if row.status != "ok":
        return row.status
    if row.passed is None:
        return "-"
    return "PASS" if row.passed else "FAIL"


def format_value(value) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def figures_text(row: Row) -> str:
    return "; ".join(f"{label} {format_value(value)}" for label, value in row.figures.items())


def one_line(row: Row) -> str:
    text = f"{row.name}: {figures_text(row) or row.note}"
    if row.goal:
        text += f"  [goal: {row.goal}]"
    return f"{text}  => {verdict(row)}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[Row], *, title: str = "Benchmark results", preamble: list[str] = ()) -> str:
    lines = [f"# {title}", "", *preamble]
    if preamble:
        lines.append("")
    sections: dict[str, list[Row]] = {}
    for row in rows:
        sections.setdefault(row.section, []).append(row)
    for section, section_rows in sections.items():
        lines += [
            f"## {section}",
            "",
            "| measured | figures | goal | result | note |",
            "|---|---|---|---|---|",
        ]
        for row in section_rows:
            cells = (row.name, figures_text(row), row.goal, verdict(row), row.note)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    passed = sum(1 for r in rows if r.status == "ok" and r.passed is True)
    failed = sum(1 for r in rows if r.status == "ok" and r.passed is False)
    errors = sum(1 for r in rows if r.status == "error")
    lines.append(f"**{passed} goals met, {failed} missed, {errors} errors.**")
    return "\n".join(lines) + "\n"


def table(rows: list[Row]) -> str:
    """A plain-text table for the terminal."""
    header = ("section", "measured", "figures", "goal", "result")
    body = [(r.section.split(" ", 1)[0], r.name, figures_text(r) or r.note, r.goal, verdict(r)) for r in rows]
    limits = (8, 48, 120, 26, 18)
    widths = [min(limits[i], max(len(str(line[i])) for line in [header, *body])) for i in range(len(header))]

    def fmt(line):
        return "  ".join(str(c)[: widths[i]].ljust(widths[i]) for i, c in enumerate(line)).rstrip()

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(line) for line in body)])


def merge(previous: list[Row], fresh: list[Row], order: list[str]) -> list[Row]:
    """previous rows with those of the measurements run again replaced by fresh ones, in registry order."""
    rerun = {row.key for row in fresh}
    kept = [row for row in previous if row.key not in rerun]
    rank = {key: n for n, key in enumerate(order)}
    return sorted(kept + fresh, key=lambda row: rank.get(row.key, len(rank)))


def rows_from_json(data: dict) -> list[Row]:
    return [Row(**row) for row in data.get("rows", [])]
