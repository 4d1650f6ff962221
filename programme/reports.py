"""What the programme app adds to the micro projects' programme reports (registered from apps.py
through reports.sections, so microprojects never imports programme): a framework summary in the
programme PDF and one sheet per framework in the programme XLSX. Both leave the platform: figures
of 1 to 4 people are shown as "<5"."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.renderers.base import small_count
from reports.renderers.spreadsheets import Sheet
from reports.sections import Section, register_section, register_sheets

from .models import plain_number
from .selectors import framework_totals, frameworks_list


def _figure(value, counts_people: bool):
    if value is None:
        return _("not collected")
    value = plain_number(value) if isinstance(value, Decimal) else value
    return small_count(value) if counts_people else value


def _framework_totals(subject, framework):
    params = subject["params"]
    return framework_totals(
        subject["user"],
        framework,
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
        country=params.get("country") or "",
        organisation=params.get("organisation"),
    )


def _totals(subject):
    for framework in frameworks_list():
        yield framework, _framework_totals(subject, framework)


def framework_summary(subject) -> list[Section]:
    frameworks = [
        {
            "framework": framework,
            "rows": [
                {
                    "code": row.indicator.code,
                    "name": row.indicator.display_name(),
                    "unit": row.indicator.text("unit"),
                    "value": _figure(row.value, row.indicator.counts_people),
                    "projects": len(row.contributions),
                }
                for row in rows
            ],
        }
        for framework, rows in _totals(subject)
    ]
    html = render_to_string("programme/pdf/_framework_summary.html", {"frameworks": frameworks})
    return [Section(title=_("Indicator frameworks"), html=html)]


def framework_sheets(subject) -> list[Sheet]:
    headings = [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Programme total"),
        _("Project ID"),
        _("Project"),
        _("Country"),
        _("Project's figure"),
        _("Counted from"),
        _("Relation"),
        _("Conversion factor"),
    ]
    sheets = []
    for framework in frameworks_list():
        # One framework's figures in memory at a time: counted now (the workbook announces each
        # sheet's length and saves progress by it) and made again, line by line, as the sheet is
        # written. Kept for every framework at once, with every project of a national programme
        # they were most of the workbook's memory (bench: the XLSX's peak memory, one country
        # against all).
        count = sum(1 + len(row.contributions) for row in _framework_totals(subject, framework))
        sheets.append(
            Sheet(
                title=framework.display_name()[:31],
                headings=headings,
                rows=_framework_lines(subject, framework),
                count=count,
            )
        )
    return sheets


def _framework_lines(subject, framework):
    """A line per indicator with the programme's figure, then one per contributing project."""
    for row in _framework_totals(subject, framework):
        people = row.indicator.counts_people
        name, unit = row.indicator.display_name(), row.indicator.text("unit")
        yield [row.indicator.code, name, unit, _figure(row.value, people), *[None] * 7]
        for item in row.contributions:
            source = _("activities") if item.source == "activities" else item.indicator.name
            yield [
                row.indicator.code,
                name,
                unit,
                None,
                item.project.pk,
                item.project.title,
                str(item.project.country),
                _figure(item.value, people),
                source,
                item.relation_label,
                plain_number(item.factor),
            ]


def register() -> None:
    register_section(report="programme", name="programme_frameworks", sections=framework_summary)
    register_sheets(report="programme_xlsx", name="programme_frameworks", sheets=framework_sheets)
