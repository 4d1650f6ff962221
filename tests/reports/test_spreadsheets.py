"""The engine's CSV/XLSX helpers: one rule for text that a spreadsheet would run as a formula, applied
alike by Python and by the database (SQLite here, PostgreSQL in CI and in the `services` test)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection

from microprojects.models import Activity
from reports.renderers.spreadsheets import (
    FORMULA_GUARD,
    FORMULA_STARTS,
    copy_csv_rows,
    safe_text,
    safe_text_in_sql,
    write_csv_rows,
)

from ..conftest import require_service
from ..factories import ActivityFactory

TEXTS = [
    *(f"{start}SUM(A1:A9)" for start in FORMULA_STARTS),
    '=HYPERLINK("http://x")',
    "plain words",
    "a=b+c",
    " =not first",
    "'=already text",
    "",
]
COLUMNS = [("id", "ID"), ("title", "Title"), ("kind", "Kind")]


@pytest.fixture
def activities(project):
    for i, text in enumerate(TEXTS):
        ActivityFactory(project=project, date=dt.date(2025, 8, 1), title=text, kind="meeting" if i else "-x")
    return Activity.objects.filter(project=project, date=dt.date(2025, 8, 1)).order_by("id")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_safe_text_puts_the_guard_before_each_formula_start(start):
    assert safe_text(f"{start}1+1") == f"{FORMULA_GUARD}{start}1+1"


def test_safe_text_leaves_other_values_as_they_are():
    assert [safe_text(v) for v in ("a=b", " =x", "", None, -3, dt.date(2025, 1, 1))] == [
        "a=b", " =x", "", None, -3, dt.date(2025, 1, 1),
    ]  # fmt: skip


def test_the_database_defuses_text_as_python_does(activities):
    in_database = list(activities.annotate(safe=safe_text_in_sql("title")).values_list("title", "safe"))
    assert len(in_database) == len(TEXTS)
    assert [safe for _title, safe in in_database] == [safe_text(title) for title, _safe in in_database]
    assert sum(safe != title for title, safe in in_database) == len(FORMULA_STARTS) + 1  # + HYPERLINK


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_written_in_python_defuses_only_the_text_columns(activities):
    out = io.StringIO(newline="")
    write_csv_rows(activities, COLUMNS, csv.writer(out), text_fields={"title"})
    rows = read_csv(out.getvalue())
    assert [row[1] for row in rows] == [safe_text(text) for text in TEXTS]
    assert rows[0][2] == "-x"  # not a text column: left as it is


@pytest.mark.services
def test_the_csv_written_by_postgresql_is_the_csv_python_writes(activities):
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    by_database = io.BytesIO()
    copy_csv_rows(activities, COLUMNS, by_database, text_fields={"title"})
    by_python = io.StringIO(newline="")
    write_csv_rows(activities, COLUMNS, csv.writer(by_python), text_fields={"title"})
    assert read_csv(by_database.getvalue().decode()) == read_csv(by_python.getvalue())
    assert [row[1] for row in read_csv(by_database.getvalue().decode())] == [safe_text(t) for t in TEXTS]
