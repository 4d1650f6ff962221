"""Programme exports: XLSX (projects, activities, indicators, measurements) and CSV (activities).

Both are streamed: rows come from `values_list(...).iterator(chunk_size=...)` (a server-side cursor
on PostgreSQL) and go straight to the file (openpyxl's write-only mode, csv.writer), so memory stays
flat however many rows there are. Exports hold raw numbers for analysis; notes are left out, as
they are free text that may name people.
"""

import csv

from django.db import connections
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .. import selectors
from .base import RenderContext, safe_text

CHUNK_SIZE = 2000


def _activity_columns():
    return [
        ("date", _("Date")),
        ("project_id", _("Project ID")),
        ("project__title", _("Project")),
        ("project__organisation__name", _("Organisation")),
        ("project__country", _("Country")),
        ("kind", _("Kind")),
        ("title", _("Title")),
        ("staff_hours", _("Staff hours")),
        ("volunteer_hours", _("Volunteer hours")),
        ("participants_total", _("Participants")),
        ("participants_new", _("Of which new")),
        ("women", _("Women")),
        ("men", _("Men")),
        ("non_binary", _("Non-binary")),
        ("gender_not_stated", _("Gender not stated")),
        ("age_under_18", _("Under 18")),
        ("age_18_29", _("18-29")),
        ("age_30_54", _("30-54")),
        ("age_55_plus", _("55 and over")),
        ("age_not_stated", _("Age not stated")),
    ]


def _project_columns():
    return [
        ("id", _("Project ID")),
        ("title", _("Title")),
        ("organisation__name", _("Organisation")),
        ("country", _("Country")),
        ("region", _("Region")),
        ("setting", _("Rural or urban")),
        ("status", _("Status")),
        ("start_date", _("Start date")),
        ("end_date", _("End date")),
        ("budget_eur", _("Budget (EUR)")),
    ]


def _indicator_columns():
    return [
        ("id", _("Indicator ID")),
        ("project_id", _("Project ID")),
        ("project__title", _("Project")),
        ("name", _("Indicator")),
        ("code", _("Code")),
        ("unit", _("Unit")),
        ("baseline", _("Baseline")),
        ("target", _("Target")),
        ("target_date", _("Target date")),
        ("direction", _("Direction")),
    ]


def _measurement_columns():
    return [
        ("id", _("Measurement ID")),
        ("indicator_id", _("Indicator ID")),
        ("indicator__project_id", _("Project ID")),
        ("indicator__name", _("Indicator")),
        ("date", _("Date")),
        ("value", _("Value")),
    ]


def _rows(queryset, columns):
    fields = [field for field, _label in columns]
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)


class _Progress:
    """Counts rows and reports every CHUNK_SIZE rows, so progress costs one UPDATE per chunk."""

    def __init__(self, ctx: RenderContext, total: int):
        self.ctx, self.total, self.done = ctx, total, 0
        ctx.progress(0, total)

    def step(self):
        self.done += 1
        if self.done % CHUNK_SIZE == 0:
            self.ctx.progress(self.done, self.total)

    def finish(self):
        self.ctx.progress(self.total, self.total)


CSV_CHUNK_SIZE = 10000
FREE_TEXT_FIELDS = {"title", "project__title", "project__organisation__name"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_programme_csv(ctx: RenderContext) -> None:
    activities = selectors.programme_activities(ctx.user, ctx.params)
    columns = _activity_columns()
    total = activities.count()
    ctx.progress(0, total)
    fields = [field for field, _label in columns]
    with ctx.path.open("w", newline="", encoding="utf-8-sig") as out:
        csv.writer(out).writerow([label for _field, label in columns])
        if connections[activities.db].vendor == "postgresql":
            out.flush()
            _copy_csv(activities, fields, out.buffer)
        else:
            _write_csv(ctx, activities, fields, total, csv.writer(out))
    ctx.progress(total, total)


def _copy_csv(activities, fields, out) -> None:
    """PostgreSQL writes the CSV itself (COPY ... TO STDOUT): several times faster than
    formatting rows in Python, still streamed in chunks. Free-text cells that a spreadsheet would
    run as a formula get their leading apostrophe in SQL, as `safe_text` does in Python."""
    escaped = {
        f"safe_{i}": Case(
            When(**{f"{field}__regex": r"^[-=+@\t\r]"}, then=Concat(Value("'"), F(field))),
            default=F(field),
            output_field=CharField(),
        )
        for i, field in enumerate(fields)
        if field in FREE_TEXT_FIELDS
    }
    columns = [f"safe_{i}" if f"safe_{i}" in escaped else field for i, field in enumerate(fields)]
    sql, params = activities.annotate(**escaped).values_list(*columns).query.sql_with_params()
    with connections[activities.db].cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)


def _write_csv(ctx, activities, fields, total, writer) -> None:
    # Only free-text columns can hold something a spreadsheet would run as a formula.
    text = [i for i, field in enumerate(fields) if field in FREE_TEXT_FIELDS]
    done = 0
    batch = []
    for row in activities.values_list(*fields).iterator(chunk_size=CSV_CHUNK_SIZE):
        for i in text:
            value = row[i]
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                row = tuple(safe_text(v) for v in row)
                break
        batch.append(row)
        if len(batch) == CSV_CHUNK_SIZE:
            writer.writerows(batch)
            done += len(batch)
            batch.clear()
            ctx.progress(done, total)
    writer.writerows(batch)


def render_programme_xlsx(ctx: RenderContext) -> None:
    sheets = [
        (
            _("Projects"),
            selectors.programme_projects(ctx.user, ctx.params).order_by("id"),
            _project_columns(),
        ),
        (_("Activities"), selectors.programme_activities(ctx.user, ctx.params), _activity_columns()),
        (_("Indicators"), selectors.programme_indicators(ctx.user, ctx.params), _indicator_columns()),
        (_("Measurements"), selectors.programme_measurements(ctx.user, ctx.params), _measurement_columns()),
    ]
    progress = _Progress(ctx, sum(queryset.count() for _title, queryset, _columns in sheets))
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, queryset, columns in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        header = []
        for _field, label in columns:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in _rows(queryset, columns):
            sheet.append([safe_text(value) for value in row])
            progress.step()
    workbook.save(str(ctx.path))
    progress.finish()
