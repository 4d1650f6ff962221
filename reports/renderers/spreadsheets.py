"""CSV and XLSX files for report kinds, written as streams so memory stays flat however many rows
there are: rows come from `values_list(...).iterator(chunk_size=...)` (a server-side cursor on
PostgreSQL) and go straight to the file (openpyxl's write-only mode, csv.writer, or PostgreSQL's
own COPY).

Text that a spreadsheet would run as a formula is defused by one rule, `FORMULA_STARTS` and
`FORMULA_GUARD`, applied in Python (`safe_text`) or by the database (`safe_text_in_sql`).
"""

import csv
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from django.db import connections
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .base import RenderContext

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets (a tab or a
# carriage return first is skipped by some of them, and what follows may be a formula again).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... and with this in front of it, it is text.
FORMULA_GUARD = "'"

CHUNK_SIZE = 2000  # rows fetched at a time, and rows between two progress updates
CSV_CHUNK_SIZE = 10000  # the CSV writes nothing but rows: bigger chunks, fewer progress updates

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
    total = queryset.count()
    ctx.progress(0, total)
    with ctx.path.open("w", newline="", encoding="utf-8-sig") as out:
        csv.writer(out).writerow([heading for _field, heading in columns])
        if connections[queryset.db].vendor == "postgresql":
            out.flush()
            copy_csv_rows(queryset, columns, out.buffer, text_fields=text_fields)
        else:
            write_csv_rows(
                queryset, columns, csv.writer(out), text_fields=text_fields, progress=_every_chunk(ctx, total)
            )
    ctx.progress(total, total)


def copy_csv_rows(queryset: QuerySet, columns: Columns, out, *, text_fields: set[str]) -> None:
    """The rows of `queryset` as CSV, written by PostgreSQL (COPY) to the binary file `out`."""
    fields = [field for field, _heading in columns]
    defused = {f"safe_{i}": safe_text_in_sql(field) for i, field in enumerate(fields) if field in text_fields}
    selected = [f"safe_{i}" if f"safe_{i}" in defused else field for i, field in enumerate(fields)]
    sql, params = queryset.annotate(**defused).values_list(*selected).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)


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


def _every_chunk(ctx: RenderContext, total: int):
    return lambda done: ctx.progress(done, total)


# XLSX --------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str  # at most 31 characters are kept (Excel's limit)
    headings: Sequence[str]
    rows: Iterable[Sequence]  # values; text is defused


def queryset_sheet(title: str, queryset: QuerySet, columns: Columns) -> Sheet:
    return Sheet(
        title=title, headings=[heading for _field, heading in columns], rows=rows_of(queryset, columns)
    )


def write_xlsx(ctx: RenderContext, sheets: Iterable[Sheet], *, total: int | None = None) -> None:
    """An XLSX workbook of `sheets`, each with a bold, frozen heading row. With `total` (the rows of
    all sheets), progress is reported every CHUNK_SIZE rows; without it the caller reports it."""
    if total is not None:
        ctx.progress(0, total)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    done = 0
    for sheet in sheets:
        written = workbook.create_sheet(title=sheet.title[:31])
        written.freeze_panes = "A2"
        headings = []
        for heading in sheet.headings:
            cell = WriteOnlyCell(written, value=heading)
            cell.font = bold
            headings.append(cell)
        written.append(headings)
        for row in sheet.rows:
            written.append([safe_text(value) for value in row])
            done += 1
            if total is not None and done % CHUNK_SIZE == 0:
                ctx.progress(done, total)
    workbook.save(str(ctx.path))
    if total is not None:
        ctx.progress(total, total)
