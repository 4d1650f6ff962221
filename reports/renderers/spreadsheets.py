"""CSV and XLSX files for report kinds, written as streams so memory stays flat however many rows
there are: rows come from `values_list(...).iterator(chunk_size=...)` (a server-side cursor on
PostgreSQL) and go straight to the file (xlsxwriter in constant_memory mode, csv.writer, or
PostgreSQL's own COPY). Progress is saved every few seconds (`ProgressMeter`).

Text that a spreadsheet would run as a formula is defused by one rule, `FORMULA_STARTS` and
`FORMULA_GUARD`, applied in Python (`safe_text`) or by the database (`safe_text_in_sql`).
"""

import csv
import datetime
import itertools
import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce

import xlsxwriter
from django.db import connections
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .base import ProgressMeter, RenderContext

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets (a tab or a
# carriage return first is skipped by some of them, and what follows may be a formula again).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... and with this in front of it, it is text.
FORMULA_GUARD = "'"

CHUNK_SIZE = 2000  # rows fetched at a time
CSV_CHUNK_SIZE = 10000  # the CSV writes nothing but rows: bigger chunks

Columns = Sequence[tuple[str, str]]  # (field for values_list, heading)


def safe_text(value):
    """A text that a spreadsheet would run as a formula, as text; any other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + value
    return value


def safe_text_in_sql(field: str) -> Case:
    """`safe_text` of a text column, as an SQL expression, for when the database writes the file."""
    looks_like_a_formula = reduce(
        operator.or_, (Q(**{f"{field}__startswith": start}) for start in FORMULA_STARTS)
    )
    return Case(
        When(looks_like_a_formula, then=Concat(Value(FORMULA_GUARD), F(field))),
        default=F(field),
        output_field=CharField(),
    )


def rows_of(queryset: QuerySet, columns: Columns) -> Iterable[tuple]:
    """The columns' values of every row of `queryset`, fetched a chunk at a time."""
    return queryset.values_list(*(field for field, _heading in columns)).iterator(chunk_size=CHUNK_SIZE)


# CSV ---------------------------------------------------------------------------------------------


def write_csv(ctx: RenderContext, queryset: QuerySet, columns: Columns, *, text_fields: set[str]) -> None:
    """A CSV file (UTF-8 with a byte order mark, for Excel) of `queryset`: a heading row, then one
    row per object. Only `text_fields` can hold free text, so only they are defused.

    On PostgreSQL the database writes the rows itself (COPY ... TO STDOUT), several times faster
    than formatting them in Python; elsewhere Python writes them."""
    meter = ProgressMeter(ctx, queryset.count())
    with ctx.path.open("w", newline="", encoding="utf-8-sig") as out:
        csv.writer(out).writerow([heading for _field, heading in columns])
        if connections[queryset.db].vendor == "postgresql":
            out.flush()
            with meter.saved_by_a_thread():
                copy_csv_rows(queryset, columns, out.buffer, text_fields=text_fields, meter=meter)
        else:
            write_csv_rows(queryset, columns, csv.writer(out), text_fields=text_fields, progress=meter.update)
    meter.finish()


def copy_csv_rows(
    queryset: QuerySet, columns: Columns, out, *, text_fields: set[str], meter: ProgressMeter | None = None
) -> None:
    """The rows of `queryset` as CSV, written by PostgreSQL (COPY) to the binary file `out`. With a
    meter, `meter.done` follows the lines written (a text with a line break counts twice: the
    meter caps it at the total)."""
    fields = [field for field, _heading in columns]
    defused = {f"safe_{i}": safe_text_in_sql(field) for i, field in enumerate(fields) if field in text_fields}
    selected = [f"safe_{i}" if f"safe_{i}" in defused else field for i, field in enumerate(fields)]
    sql, params = queryset.annotate(**defused).values_list(*selected).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)
                if meter is not None:
                    meter.done += bytes(chunk).count(b"\n")


def write_csv_rows(
    queryset: QuerySet, columns: Columns, writer, *, text_fields: set[str], progress=None
) -> None:
    """The rows of `queryset`, written by Python to a csv.writer; `progress(rows done)` after each
    chunk."""
    text = [i for i, (field, _heading) in enumerate(columns) if field in text_fields]
    fields = [field for field, _heading in columns]
    done, batch = 0, []
    for row in queryset.values_list(*fields).iterator(chunk_size=CSV_CHUNK_SIZE):
        if any(safe_text(row[i]) != row[i] for i in text):  # rare: copy the row only then
            row = tuple(safe_text(value) if i in text else value for i, value in enumerate(row))
        batch.append(row)
        if len(batch) == CSV_CHUNK_SIZE:
            writer.writerows(batch)
            done += len(batch)
            batch.clear()
            if progress:
                progress(done)
    writer.writerows(batch)


# XLSX --------------------------------------------------------------------------------------------

# Excel's limits: rows in a sheet (the heading row included) and characters in a sheet's name. A
# longer sheet is split into numbered sheets (`write_xlsx`); the tests lower the row limit.
EXCEL_MAX_ROWS = 1_048_576
SHEET_TITLE_LENGTH = 31
NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PROGRESS_EVERY = 1000  # rows between two looks at the clock (ProgressMeter saves every ~2 s)
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # each row goes to disk when the next one starts
    # Text stays text, whatever it looks like (formulas are also defused, see `_write_text`).
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": DATE_FORMAT,  # dates are dates, shown as dates
}


@dataclass
class Sheet:
    title: str  # at most 31 characters are kept (Excel's limit)
    headings: Sequence[str]
    rows: Iterable[Sequence]  # values: text (defused when written), numbers, dates, None
    # How many rows, when known (it is for querysets): progress is then saved as the rows are
    # written, and a sheet too long for Excel is announced in the workbook's first sheet.
    count: int | None = None


def queryset_sheet(title: str, queryset: QuerySet, columns: Columns) -> Sheet:
    return Sheet(
        title=title,
        headings=[heading for _field, heading in columns],
        rows=rows_of(queryset, columns),
        count=queryset.count(),
    )


def write_xlsx(ctx: RenderContext, sheets: Iterable[Sheet], *, total: int | None = None) -> None:
    """An XLSX workbook of `sheets`, each with a bold, frozen heading row, written by xlsxwriter in
    constant_memory mode. Text is written as text and defused; dates are dates.

    A sheet with more rows than Excel allows (EXCEL_MAX_ROWS) continues in numbered sheets,
    "Activities (1)", "Activities (2)", ..., and when the sheets' counts are known the workbook
    starts with a sheet saying so. Progress is saved while rows are written when the total is
    known (`total`, or every sheet's count); otherwise the caller reports it."""
    sheets = list(sheets)
    if total is None and all(sheet.count is not None for sheet in sheets):
        total = sum(sheet.count for sheet in sheets)
    meter = ProgressMeter(ctx, total) if total is not None else None
    per_sheet = EXCEL_MAX_ROWS - 1  # below the heading row
    parts = [math.ceil(sheet.count / per_sheet) if sheet.count else 1 for sheet in sheets]
    workbook = xlsxwriter.Workbook(str(ctx.path), {**WORKBOOK_OPTIONS, "tmpdir": str(ctx.path.parent)})
    bold = workbook.add_format({"bold": True})
    with_time = workbook.add_format({"num_format": DATETIME_FORMAT})
    if any(count > 1 for count in parts):
        _write_split_notice(workbook, sheets, parts, per_sheet, bold)
    done = 0
    for sheet, planned in zip(sheets, parts, strict=True):
        for part, rows in enumerate(_in_parts(sheet.rows, per_sheet), start=1):
            title = _sheet_title(sheet.title, part if planned > 1 or part > 1 else None)
            worksheet = _add_worksheet(workbook, title, sheet.headings, bold, with_time)
            write_row, number = worksheet.write_row, 0
            for number, row in enumerate(rows, start=1):
                write_row(number, 0, row)
                if meter is not None and not number % PROGRESS_EVERY:
                    meter.update(done + number)
            done += number
    workbook.close()
    if meter is not None:
        meter.finish()


def _in_parts(rows: Iterable[Sequence], size: int) -> Iterator[Iterator[Sequence]]:
    """`rows` in parts of at most `size`, each to be read to its end before the next: always one
    part (empty when there are no rows), then one more for each row left after a full part."""
    rows = iter(rows)
    yield itertools.islice(rows, size)
    for first in rows:
        yield itertools.chain((first,), itertools.islice(rows, size - 1))


def _sheet_title(title: str, part: int | None) -> str:
    title = NOT_IN_SHEET_TITLES.sub(" ", str(title))
    if part is None:
        return title[:SHEET_TITLE_LENGTH]
    suffix = f" ({part})"
    return title[: SHEET_TITLE_LENGTH - len(suffix)] + suffix


def _add_worksheet(workbook, title, headings, bold, with_time):
    worksheet = workbook.add_worksheet(title)
    worksheet.add_write_handler(str, _write_text)
    worksheet.add_write_handler(datetime.datetime, _write_with_time(with_time))
    worksheet.freeze_panes(1, 0)
    worksheet.write_row(0, 0, [str(heading) for heading in headings], bold)
    return worksheet


def _write_text(worksheet, row, col, text, cell_format=None):
    """xlsxwriter's handler for every text cell: a formula's start gets the guard (`safe_text`)."""
    if text.startswith(FORMULA_STARTS):
        return worksheet.write_string(row, col, FORMULA_GUARD + text, cell_format)
    return None  # xlsxwriter goes on and writes it as text


def _write_with_time(with_time):
    def write(worksheet, row, col, value, cell_format=None):
        return worksheet.write_datetime(row, col, value, cell_format or with_time)

    return write


def _write_split_notice(workbook, sheets, parts, per_sheet, bold) -> None:
    """The first sheet, when a sheet is split: which sheets hold what."""
    notice = workbook.add_worksheet(_sheet_title(_("About this workbook"), None))
    notice.set_column(0, 0, 100)
    notice.write_string(0, 0, _("About this workbook"), bold)
    line = 1
    for sheet, count in zip(sheets, parts, strict=True):
        if count < 2:
            continue
        names = [_sheet_title(sheet.title, part) for part in range(1, count + 1)]
        notice.write_string(
            line,
            0,
            _(
                "%(title)s: %(rows)s rows, split over the sheets %(sheets)s "
                "(Excel holds at most %(limit)s rows in a sheet)."
            )
            % {
                "title": sheet.title,
                "rows": number_format(sheet.count, force_grouping=True),
                "sheets": ", ".join(names),
                "limit": number_format(per_sheet + 1, force_grouping=True),
            },
        )
        line += 1
