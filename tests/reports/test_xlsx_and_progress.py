"""The engine's XLSX writer (xlsxwriter): text stays text and is defused, dates are dates, a sheet
longer than Excel allows is split and announced; and long renders save their progress every few
seconds, not every row."""

import csv
import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import load_workbook

from reports.renderers import base, spreadsheets
from reports.renderers.base import ProgressMeter, RenderContext
from reports.renderers.spreadsheets import FORMULA_GUARD, FORMULA_STARTS, Sheet, write_csv, write_xlsx
from reports.services import ClaimLost

from ..conftest import require_service
from ..factories import ActivityFactory


def context(path: Path, progress=None) -> RenderContext:
    return RenderContext(
        job=None, user=None, params={}, path=path, progress=progress or (lambda done, total: None)
    )


def read(path: Path):
    return load_workbook(path, read_only=True)


def values(worksheet) -> list[tuple]:
    return list(worksheet.iter_rows(values_only=True))


def numbered(count: int) -> list[tuple]:
    return [(n, f"row {n}") for n in range(1, count + 1)]


# What the cells hold --------------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_text_with_the_guard(tmp_path):
    texts = [*(f"{start}SUM(A1:A9)" for start in FORMULA_STARTS), "plain", "a=b", "http://example.org"]
    path = tmp_path / "out.xlsx"
    write_xlsx(context(path), [Sheet("Texts", ["Text"], [(text,) for text in texts])])
    # xlsxwriter writes a carriage return as Excel's escape _x000D_ (Excel reads it back as \r).
    written = [row[0].replace("_x000D_", "\r") for row in values(read(path)["Texts"])[1:]]
    assert written == [FORMULA_GUARD + text for text in texts[: len(FORMULA_STARTS)]] + texts[6:]
    for row in read(path)["Texts"].iter_rows(min_row=2):
        assert row[0].data_type == "s"  # a string, never a formula


def test_dates_are_dates_and_numbers_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    row = (dt.date(2025, 8, 1), dt.datetime(2025, 8, 1, 14, 30), 3, 2.5, None, "x")
    write_xlsx(context(path), [Sheet("Mixed", ["a", "b", "c", "d", "e", "f"], [row])])
    worksheet = read(path)["Mixed"]
    assert values(worksheet)[1] == (
        dt.datetime(2025, 8, 1),
        dt.datetime(2025, 8, 1, 14, 30),
        3,
        2.5,
        None,
        "x",
    )
    cells = next(worksheet.iter_rows(min_row=2))
    assert cells[0].is_date
    assert cells[0].number_format == "yyyy-mm-dd"
    assert cells[1].is_date
    assert cells[1].number_format == "yyyy-mm-dd hh:mm:ss"


def test_headings_are_a_frozen_first_row(tmp_path):
    path = tmp_path / "out.xlsx"
    write_xlsx(context(path), [Sheet("Items", ["ID", "Name"], numbered(2))])
    workbook = load_workbook(path)  # not read-only: freeze panes and fonts are read
    assert workbook.sheetnames == ["Items"]
    assert workbook["Items"].freeze_panes == "A2"
    assert workbook["Items"]["A1"].font.bold


# Excel's row limit ---------------------------------------------------------------------------------


@pytest.fixture
def four_rows_a_sheet(monkeypatch):
    """Excel's limit lowered to a heading and three rows."""
    monkeypatch.setattr(spreadsheets, "EXCEL_MAX_ROWS", 4)


def test_a_sheet_up_to_the_limit_is_not_split(tmp_path, four_rows_a_sheet):
    path = tmp_path / "out.xlsx"
    write_xlsx(context(path), [Sheet("Items", ["ID", "Name"], numbered(3), count=3)])
    assert read(path).sheetnames == ["Items"]


def test_a_longer_sheet_is_split_and_the_first_sheet_names_the_parts(tmp_path, four_rows_a_sheet):
    path = tmp_path / "out.xlsx"
    sheets = [
        Sheet("Projects", ["ID"], [(1,)], count=1),
        Sheet("Activities", ["ID", "Name"], numbered(7), count=7),
    ]
    write_xlsx(context(path), sheets)
    workbook = read(path)
    assert workbook.sheetnames == [
        "About this workbook", "Projects", "Activities (1)", "Activities (2)", "Activities (3)",
    ]  # fmt: skip
    notice = [row[0] for row in values(workbook["About this workbook"])]
    assert notice[1] == (
        "Activities: 7 rows, split over the sheets Activities (1), Activities (2), Activities (3) "
        "(Excel holds at most 4 rows in a sheet)."
    )
    parts = [values(workbook[f"Activities ({n})"]) for n in (1, 2, 3)]
    assert all(part[0] == ("ID", "Name") for part in parts)  # each part has the headings
    assert [row for part in parts for row in part[1:]] == numbered(7)
    assert [len(part) - 1 for part in parts] == [3, 3, 1]


def test_a_sheet_of_exactly_two_sheets_of_rows_makes_no_empty_third(tmp_path, four_rows_a_sheet):
    path = tmp_path / "out.xlsx"
    write_xlsx(context(path), [Sheet("Items", ["ID", "Name"], iter(numbered(6)), count=6)])
    assert read(path).sheetnames == ["About this workbook", "Items (1)", "Items (2)"]


def test_a_sheet_of_unknown_length_continues_in_numbered_sheets(tmp_path, four_rows_a_sheet):
    path = tmp_path / "out.xlsx"
    write_xlsx(context(path), [Sheet("Items", ["ID", "Name"], iter(numbered(5)))])
    workbook = read(path)
    assert workbook.sheetnames == ["Items", "Items (2)"]
    assert values(workbook["Items (2)"])[1:] == numbered(5)[3:]


def test_numbered_titles_stay_within_excels_31_characters(tmp_path, four_rows_a_sheet):
    path = tmp_path / "out.xlsx"
    title = "Measurements of every indicator of the programme"
    write_xlsx(context(path), [Sheet(title, ["ID", "Name"], numbered(4), count=4)])
    names = read(path).sheetnames[1:]
    assert names == [f"{title[:27]} (1)", f"{title[:27]} (2)"]


def test_the_programme_xlsx_splits_its_activities(make_report, coordinator, project, monkeypatch):
    monkeypatch.setattr(spreadsheets, "EXCEL_MAX_ROWS", 3)  # two activities a sheet; the project has 2
    ActivityFactory(project=project, title="A third one")
    job = make_report(coordinator, "programme_xlsx", {})
    assert job.status == "succeeded", job.error
    with job.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    assert workbook.sheetnames[:4] == ["About this workbook", "Projects", "Activities (1)", "Activities (2)"]
    assert len(values(workbook["Activities (2)"])) == 2  # the heading and the third activity


# Progress ------------------------------------------------------------------------------------------


class Clock:
    """time.monotonic for base.ProgressMeter, moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(base.time, "monotonic", fake)
    return fake


def test_the_meter_saves_at_most_once_an_interval(clock):
    saved = []
    meter = ProgressMeter(context(Path("unused"), lambda done, total: saved.append(done)), 100)
    for done in range(1, 25):
        meter.update(done)
        clock.now += 0.25  # 24 rows in 6 s: saved after 2 and after 4 seconds
    meter.finish()
    assert saved == [0, 9, 17, 100]


def test_the_meter_caps_an_estimate_at_the_total(monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0)
    saved = []
    meter = ProgressMeter(context(Path("unused"), lambda done, total: saved.append((done, total))), 10)
    meter.update(12)
    assert saved[-1] == (10, 10)


def test_the_xlsx_saves_progress_while_it_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 2)
    saved = []
    sheets = [Sheet("A", ["ID", "Name"], numbered(5), count=5), Sheet("B", ["ID"], numbered(4), count=4)]
    write_xlsx(context(tmp_path / "out.xlsx", lambda done, total: saved.append((done, total))), sheets)
    assert saved == [(0, 9), (2, 9), (4, 9), (7, 9), (9, 9), (9, 9)]


def test_without_a_known_total_the_xlsx_leaves_progress_to_its_caller(tmp_path):
    saved = []
    write_xlsx(context(tmp_path / "out.xlsx", lambda *done: saved.append(done)), [Sheet("A", ["x"], [(1,)])])
    assert saved == []


def test_a_thread_saves_the_progress_of_a_block_that_holds_the_connection(monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0.01)
    saved, seen = [], threading.Event()

    def progress(done, total):
        saved.append((done, total))
        if done == 5:
            seen.set()

    meter = ProgressMeter(context(Path("unused"), progress), 10)
    with meter.saved_by_a_thread():
        meter.done = 5
        assert seen.wait(timeout=30)  # saved while the block still runs
    assert saved[0] == (0, 10)
    assert (5, 10) in saved


def test_a_lost_claim_seen_by_the_thread_is_raised_after_the_block(monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0.01)
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) > 1:
            raise ClaimLost(1)

    meter = ProgressMeter(context(Path("unused"), progress), 10)

    def copy_until_the_thread_saved_twice():
        with meter.saved_by_a_thread():
            while len(calls) < 2:
                threading.Event().wait(0.01)

    with pytest.raises(ClaimLost):
        copy_until_the_thread_saved_twice()


@pytest.mark.django_db(transaction=True)  # on PostgreSQL a thread saves it, on its own connection
def test_the_programme_csv_saves_progress_in_the_job(make_report, coordinator, project, monkeypatch):
    from reports import services

    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(spreadsheets, "CSV_CHUNK_SIZE", 1)
    saved = []
    report_progress = services.report_progress

    def spy(**kwargs):
        report_progress(**kwargs)
        saved.append(services.ReportJob.objects.values_list("progress_done", "progress_total").get())

    monkeypatch.setattr(services, "report_progress", spy)
    job = make_report(coordinator, "programme_csv", {})
    assert job.status == "succeeded", job.error
    total = 2  # the project's activities
    assert saved[0] == (0, total)
    assert saved[-1] == (total, total)
    if connection.vendor != "postgresql":  # Python writes the rows: saved after each (1-row) chunk
        assert (1, total) in saved


def test_the_programme_xlsx_saves_progress_during_the_render(make_report, coordinator, project, monkeypatch):
    from reports import services

    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 1)
    saved = []
    report_progress = services.report_progress
    monkeypatch.setattr(
        services,
        "report_progress",
        lambda **kwargs: (report_progress(**kwargs), saved.append(kwargs["done"])),
    )
    job = make_report(coordinator, "programme_xlsx", {})
    assert job.status == "succeeded", job.error
    assert saved[0] == 0
    assert saved[-1] == job.progress_total
    assert any(0 < done < job.progress_total for done in saved)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_csv_written_by_postgresql_saves_progress_from_a_thread(tmp_path, project, monkeypatch):
    """During COPY the connection can run nothing else: a thread saves the lines counted so far."""
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    from microprojects.models import Activity

    monkeypatch.setattr(base, "PROGRESS_INTERVAL_SECONDS", 0.01)
    saved = []
    path = tmp_path / "out.csv"
    write_csv(
        context(path, lambda done, total: saved.append((done, total))),
        Activity.objects.order_by("id"),
        [("id", "ID"), ("title", "Title")],
        text_fields={"title"},
    )
    total = Activity.objects.count()
    assert saved[0] == (0, total)
    assert saved[-1] == (total, total)
    assert len(list(csv.reader(path.open(encoding="utf-8-sig")))) == total + 1
