"""The XLSX template an organisation fills: an instructions sheet in the person's language, one
sheet per kind of record with its column headings, drop-down lists for every column with a closed
set of values (from a hidden sheet "choices").

The headings and the choice values are the same in every language (the import reads them), so a
file filled in Riga can be imported by a colleague in Gdańsk; the instructions name each column in
the reader's words. `workbook_bytes(rows)` fills the template (docs/sample-import.xlsx, tests).
"""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import files, sheets

BOLD = Font(bold=True)


def _instructions(worksheet) -> None:
    worksheet.title = _("Instructions")[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Instructions"
    lines = [
        (_("Bringing your data into SEMPRE"), BOLD),
        (
            _("1. Fill the sheets projects, activities, indicators and measurements: one row per record."),
            None,
        ),
        (
            _(
                "2. Give every row an external_id: your own key for it (for example P-01, A-2024-017). "
                "Upload the same file again later and SEMPRE changes only the rows whose values changed."
            ),
            None,
        ),
        (
            _(
                "3. Refer to a project by its external_id or by its title exactly as in SEMPRE, and "
                "to an indicator by its external_id."
            ),
            None,
        ),
        (_("4. Dates: date cells, or text written as YYYY-MM-DD (2025-03-31)."), None),
        (_("5. Values only: formulas are refused. Copy the cells and paste them as values."), None),
        (
            _("6. At most %(rows)s rows per sheet and %(size)s MB per file.")
            % {"rows": files.MAX_ROWS, "size": files.MAX_BYTES // 1024 // 1024},
            None,
        ),
        (
            _(
                "7. Upload the file on the page Import data. SEMPRE checks it first and shows what "
                "it would create or change, and every error by row and column; nothing is saved "
                "until you confirm."
            ),
            None,
        ),
        ("", None),
    ]
    for text, font in lines:
        worksheet.append([text])
        if font:
            worksheet.cell(row=worksheet.max_row, column=1).font = font
    worksheet.append([_("Sheet"), _("Column"), _("Meaning"), _("Required"), _("Notes")])
    for cell in worksheet[worksheet.max_row]:
        cell.font = BOLD
    for name, columns in sheets.SHEETS.items():
        for column in columns:
            choices = column.choices()
            notes = str(column.help)
            if choices and len(choices) <= sheets.LISTED_CHOICES:
                listed = ", ".join(f"{value} ({label})" for value, label in choices)
                notes = f"{notes} {_('Choices:')} {listed}".strip()
            elif choices:
                notes = f"{notes} {_('Choices: see the drop-down list.')}".strip()
            worksheet.append(
                [
                    name,
                    column.key,
                    sheets.column_label(column.key),
                    _("yes") if column.required else "",
                    notes,
                ]
            )
    for letter, width in zip("ABCDE", (14, 20, 28, 10, 80), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows(min_row=1, max_row=9):
        row[0].alignment = Alignment(wrap_text=False)


def build() -> Workbook:
    """The empty template, in the active language."""
    workbook = Workbook()
    _instructions(workbook.active)
    choices_sheet = workbook.create_sheet("choices")
    choice_ranges = {}
    column_index = 0
    for columns in sheets.SHEETS.values():
        for column in columns:
            values = [value for value, _label in column.choices()]
            if not values or column.key in choice_ranges:
                continue
            column_index += 1
            letter = get_column_letter(column_index)
            choices_sheet.cell(row=1, column=column_index, value=column.key).font = BOLD
            for row, value in enumerate(values, start=2):
                choices_sheet.cell(row=row, column=column_index, value=value)
            choice_ranges[column.key] = (
                f"{quote_sheetname('choices')}!${letter}$2:${letter}${len(values) + 1}",
                column.kind == "target_groups",
            )
    for name, columns in sheets.SHEETS.items():
        worksheet = workbook.create_sheet(name)
        worksheet.append([column.key for column in columns])
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            heading = worksheet.cell(row=1, column=index)
            heading.font = BOLD
            worksheet.column_dimensions[letter].width = max(12, len(column.key) + 2)
            cells = f"{letter}2:{letter}{files.MAX_ROWS + 1}"
            if column.key in choice_ranges:
                formula, several = choice_ranges[column.key]
                validation = DataValidation(
                    type="list",
                    formula1=formula,
                    allow_blank=True,
                    showErrorMessage=not several,  # several target groups are separated by commas
                    errorTitle=_("Not one of the choices"),
                    error=_("Choose a value from the list."),
                )
                validation.add(cells)
                worksheet.add_data_validation(validation)
    choices_sheet.sheet_state = "hidden"
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_bytes() -> bytes:
    return to_bytes(build())


def workbook_bytes(rows: dict[str, list[dict]]) -> bytes:
    """The template filled with `rows` (sheet -> rows, each column key -> value)."""
    workbook = build()
    for name, sheet_rows in rows.items():
        worksheet = workbook[name]
        keys = [cell.value for cell in worksheet[1]]
        for row in sheet_rows:
            worksheet.append([row.get(key) for key in keys])
            for cell in worksheet[worksheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    return to_bytes(workbook)
