"""Reads and the figures computed from them: a start-up's stage."""

import datetime as dt
from decimal import Decimal

import pytest

from accelerator.models import MonthlyFigure
from accelerator.selectors import stage_from_figures


def figures(values):
    start = dt.date(2025, 1, 1)
    rows = []
    for i, (income, costs) in enumerate(values):
        month = dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        rows.append(MonthlyFigure(month=month, earned_income=Decimal(income), costs=Decimal(costs)))
    return rows


@pytest.mark.parametrize(
    ("values", "stage"),
    [
        ([(0, 100), (0, 100)], "pilot"),
        ([(0, 100), (50, 100)], "launched"),
        ([(100, 100), (120, 100), (90, 100), (100, 100), (110, 100)], "launched"),
        ([(50, 100), (100, 100), (120, 100), (101, 100)], "self_sustaining"),
    ],
)
def test_stage_from_figures(values, stage):
    assert stage_from_figures(figures(values)) == stage


def test_stage_needs_consecutive_calendar_months():
    rows = figures([(100, 100), (100, 100), (100, 100)])
    rows[2].month = dt.date(2025, 5, 1)  # a gap in April
    assert stage_from_figures(rows) == "launched"
