"""Sections that one app adds to a report of another app, so that neither imports the other: the
toolkit adds the project's boards (canvas, Theory of Change) to the micro projects' project report,
though micro projects sit below the toolkit.

The app that adds a section registers a function from its `AppConfig.ready()`; the renderer of the
report asks for the sections of its subject when it renders:

    register_section(report="project", name="toolkit_boards", sections=project_boards)  # toolkit
    sections = sections_for("project", project)  # the project report's renderer
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    title: str
    html: str  # an HTML fragment the adding app rendered from its own template (marked safe)
    css: str = ""  # print styles the fragment needs, added to the report's once


SectionSource = Callable[[Any], list[Section]]  # (the report's subject) -> its sections, maybe none

SOURCES: dict[str, dict[str, SectionSource]] = {}


def register_section(*, report: str, name: str, sections: SectionSource) -> None:
    """Add the sections that `sections(subject)` returns to every report `report` (a kind's name, or
    a name the report's renderer asks for). Registering `name` again replaces it."""
    SOURCES.setdefault(report, {})[name] = sections


def sections_for(report: str, subject) -> list[Section]:
    """The sections the apps add to `report` about `subject`, in the order they were registered."""
    return [section for source in SOURCES.get(report, {}).values() for section in source(subject)]


# Sheets that one app adds to another app's workbook (the programme app: one sheet per indicator
# framework in the micro projects' programme XLSX), the same way as sections.

SheetSource = Callable[[Any], list[Any]]  # (the report's subject) -> reports.renderers.spreadsheets.Sheet

SHEET_SOURCES: dict[str, dict[str, SheetSource]] = {}


def register_sheets(*, report: str, name: str, sheets: SheetSource) -> None:
    """Add the sheets that `sheets(subject)` returns to every workbook `report`. Registering `name`
    again replaces it."""
    SHEET_SOURCES.setdefault(report, {})[name] = sheets


def sheets_for(report: str, subject) -> list[Any]:
    """The sheets the apps add to `report` about `subject`, in the order they were registered."""
    return [sheet for source in SHEET_SOURCES.get(report, {}).values() for sheet in source(subject)]
