"""The toolkit's part of the micro projects' project report: the project's latest Social Business
Model Canvas and Theory of Change, as the toolkit prints them. Added as a section of the report
(`reports.sections`) by `register_report_sections()`, from ToolkitConfig.ready(), so the project
report, which the micro projects app renders, needs no import of the toolkit."""

import re

from django.utils.safestring import mark_safe

from reports.sections import Section, register_section

from .export import board_css, board_html
from .models import ToolInstance
from .selectors import SBMC, THEORY_OF_CHANGE, with_content


def register_report_sections() -> None:
    register_section(report="project", name="toolkit_boards", sections=project_boards)


def project_boards(project) -> list[Section]:
    """The project's latest canvas and Theory of Change, when it has them (newest first is the
    model's ordering)."""
    latest = {}
    for instance in with_content(
        ToolInstance.objects.filter(project=project, template__slug__in=[SBMC, THEORY_OF_CHANGE])
    ):
        latest.setdefault(instance.template.slug, instance)
    css = _board_css() if latest else ""
    return [
        Section(
            title=latest[slug].display_title,
            html=mark_safe(board_html(latest[slug])),  # noqa: S308 - the toolkit's own template
            css=css,
        )
        for slug in (SBMC, THEORY_OF_CHANGE)
        if slug in latest
    ]


def _board_css() -> str:
    """The toolkit's print styles for boards, without their page size: in a report, boards go on
    A3 landscape pages of their own (see `@page board` in reports/pdf.css)."""
    return re.sub(r"@page\s*\{[^}]*\}", "", board_css())
