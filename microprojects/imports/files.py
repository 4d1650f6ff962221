"""An uploaded file read into rows, or refused with one plain message (FileRefused).

What a file is comes from its content, never from its name: an XLSX is a ZIP package holding
[Content_Types].xml; a password-protected XLSX (and an old .xls) is an OLE2 compound document;
a CSV is UTF-8 text. Limits keep one upload from taking a worker's memory or an hour: the size of
the file, the size of what the ZIP unpacks to, and the number of rows of a sheet.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sempre import formats

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 2000
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the heading is row 1
    values: dict  # column heading -> cell value (str, int, float, date, datetime or None)
    cells: dict  # column heading -> the cell's reference, "C7"


@dataclass
class Sheet:
    name: str
    headings: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def kind_of(content: bytes) -> str:
    """ "xlsx" or "csv" by the content, or FileRefused naming what the file is not."""
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it into smaller files.")
            % {
                "size": formats.number(round(len(content) / 1024 / 1024, 1)),
                "limit": formats.number(MAX_BYTES // 1024 // 1024),
            }
        )
    if not content.strip():
        raise FileRefused(_("The file is empty."))
    if content.startswith(OLE2_SIGNATURE):
        raise FileRefused(
            _(
                "This file is protected with a password (or it is an old .xls file). Remove the "
                "password, save it as an Excel workbook (.xlsx) and upload it again."
            )
        )
    if content.startswith(ZIP_SIGNATURE):
        return "xlsx"
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise FileRefused(
            _(
                "This is not a file SEMPRE can read. Upload the SEMPRE spreadsheet (.xlsx) or a "
                "KoboToolbox export saved as CSV (UTF-8)."
            )
        )
    return "csv"


def _too_many_rows(sheet_name: str):
    return FileRefused(
        _("The sheet “%(sheet)s” has more than %(limit)s rows. Split it into smaller files.")
        % {"sheet": sheet_name, "limit": formats.number(MAX_ROWS)}
    )


def _heading(value) -> str:
    return str(value).strip().lower() if value is not None else ""


def read_xlsx(content: bytes, sheet_names) -> dict[str, Sheet]:
    """The sheets named `sheet_names` that the workbook has (headings lower-cased), each row with
    its cells' references. A formula anywhere in them is refused: the import reads values, and a
    formula's value is whatever the program that saved the file last computed, if anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise FileRefused(_("The file is damaged: it could not be opened as an Excel workbook.")) from error
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise FileRefused(_("This ZIP file is not an Excel workbook. Upload the SEMPRE spreadsheet (.xlsx)."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The workbook is too large once unpacked. Split it into smaller files."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged package; each means the same
        raise FileRefused(_("The file is damaged: it could not be opened as an Excel workbook.")) from error
    sheets = {}
    try:
        by_name = {name.strip().lower(): name for name in workbook.sheetnames}
        for wanted in sheet_names:
            if wanted not in by_name:
                continue
            sheets[wanted] = _read_worksheet(workbook[by_name[wanted]], wanted)
    finally:
        workbook.close()
    return sheets


def _read_worksheet(worksheet, name: str) -> Sheet:
    sheet = Sheet(name=name)
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        if number == 1:
            sheet.headings = [_heading(cell.value) for cell in cells]
            continue
        values, references = {}, {}
        for index, cell in enumerate(cells):
            heading = sheet.headings[index] if index < len(sheet.headings) else ""
            reference = f"{get_column_letter(index + 1)}{number}"
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                raise FileRefused(
                    _(
                        "Cell %(cell)s of the sheet “%(sheet)s” holds a formula. Copy the cells and "
                        "paste them as values, then upload the file again."
                    )
                    % {"cell": reference, "sheet": name}
                )
            if heading:
                values[heading] = value
                references[heading] = reference
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue  # an empty row: spreadsheets keep formatted rows nobody filled
        if len(sheet.rows) >= MAX_ROWS:
            raise _too_many_rows(name)
        sheet.rows.append(Row(number=number, values=values, cells=references))
    return sheet


def read_csv(content: bytes, name: str = "csv") -> Sheet:
    """A CSV's rows (UTF-8, with or without a byte order mark; comma or semicolon, as KoboToolbox
    exports either), headings as they are written."""
    text = content.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    sheet = Sheet(name=name)
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1:
                sheet.headings = [str(cell).strip() for cell in cells]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows(name)
            values, references = {}, {}
            for index, cell in enumerate(cells):
                if index < len(sheet.headings) and sheet.headings[index]:
                    values[sheet.headings[index]] = cell
                    references[sheet.headings[index]] = f"{get_column_letter(index + 1)}{number}"
            sheet.rows.append(Row(number=number, values=values, cells=references))
    except csv.Error as error:
        raise FileRefused(_("The CSV file could not be read: %(problem)s") % {"problem": error}) from error
    if not sheet.headings or not any(sheet.headings):
        raise FileRefused(_("The CSV file has no heading row."))
    return sheet
