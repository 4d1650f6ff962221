"""The benchmark harness: registry, goals and output (no database)."""

import pytest

from bench import harness
from bench.common import percentile
from bench.harness import Registry, Row


def test_percentile_interpolates_between_ranks():
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([7], 95) == 7


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_registry_turns_a_crash_into_an_error_row_and_carries_on():
    registry = Registry()

    @registry.register("broken", "S", "broken")
    def broken(ctx):
        raise KeyError("project")

    @registry.register("fine", "S", "works")
    def fine(ctx):
        return Row("S", "works", {"seconds": 1.5}, goal="< 2 s", passed=True)

    rows = registry.run(None, progress=lambda text: None)

    assert [r.status for r in rows] == ["error", "ok"]
    assert "KeyError" in rows[0].note
    assert rows[1].figures == {"seconds": 1.5}


def test_registry_runs_only_the_keys_asked_for():
    registry = Registry()
    ran = []
    for key in ("a", "b"):
        registry.register(key, "S", key)(lambda ctx, key=key: ran.append(key) or [])

    registry.run(None, only=["b"], progress=lambda text: None)

    assert ran == ["b"]


def test_registering_a_key_twice_is_refused():
    registry = Registry()
    registry.register("a", "S", "a")(lambda ctx: [])
    with pytest.raises(ValueError, match="twice"):
        registry.register("a", "S", "again")(lambda ctx: [])


@pytest.mark.parametrize(
    ("value", "reference", "factor", "expected"),
    [(19, 10, 2, True), (21, 10, 2, False), (None, 10, 2, None), (5, None, 2, None)],
)
def test_within(value, reference, factor, expected):
    assert harness.within(value, reference, factor) is expected


def test_all_of_ignores_checks_that_could_not_be_made():
    assert harness.all_of(True, None) is True
    assert harness.all_of(True, False) is False
    assert harness.all_of(None, None) is None


def test_markdown_shows_goal_verdict_and_summary():
    rows = [
        Row(
            "1. Queries",
            "GET /api/v1/projects/",
            {"queries @10": 6, "queries @100": 6},
            goal="equal",
            passed=True,
        ),
        Row(
            "1. Queries",
            "GET /api/v1/activities/",
            {"queries @10": 4, "queries @100": 104},
            goal="equal",
            passed=False,
        ),
        Row("5. Ranking", "round_rank", status="error", note="no round | yet"),
    ]

    text = harness.markdown(rows)

    assert "| GET /api/v1/projects/ | queries @10 6; queries @100 6 | equal | PASS |" in text
    assert "queries @100 104 | equal | FAIL |" in text
    assert "no round \\| yet" in text  # a pipe in a note does not break the table
    assert "**1 goals met, 1 missed, 1 errors.**" in text


def test_table_lists_every_row():
    rows = [
        Row("2. Latency", "project detail", {"p50 ms": 12.345}),
        Row("4. PDF", "pdf", status="error", note="x"),
    ]

    text = harness.table(rows)

    assert "project detail" in text
    assert "p50 ms 12.35" in text
    assert "error" in text.splitlines()[-1]


def test_registry_marks_rows_with_their_measurement_key():
    registry = Registry()
    registry.register("pdf", "4", "pdf")(lambda ctx: Row("4", "pdf"))

    (row,) = registry.run(None, progress=lambda text: None)

    assert row.key == "pdf"


def test_merge_replaces_rerun_measurements_and_keeps_the_rest_in_order():
    previous = [
        Row("1", "a", key="queries"),
        Row("2", "old latency", key="latency"),
        Row("4", "pdf", key="pdf"),
    ]
    fresh = [Row("2", "new latency", key="latency")]

    merged = harness.merge(previous, fresh, ["queries", "latency", "pdf"])

    assert [r.name for r in merged] == ["a", "new latency", "pdf"]


def test_rows_survive_a_round_trip_through_json():
    row = Row("5", "ranking", {"seconds": 1.0}, goal="< 2 s", passed=True, key="ranking")

    assert harness.rows_from_json({"rows": [row.as_dict()]}) == [row]
