"""PDF reports: a project report and a programme report, with SVG charts drawn on the server
(sempre.charts) and laid out by WeasyPrint. Rendered in the job's language (the caller wraps the
renderer in `translation.override`)."""

import re
from datetime import date

from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

from microprojects.models import Activity, MicroProject
from sempre import charts

from .. import selectors
from .base import RenderContext, small_count, write_pdf


def _gender_labels():
    return {
        field: str(Activity._meta.get_field(field).verbose_name).capitalize()
        for field in Activity.GENDER_FIELDS
    }


def _age_labels():
    return {
        field: str(Activity._meta.get_field(field).verbose_name).capitalize() for field in Activity.AGE_FIELDS
    }


def _months_between(first: date, last: date) -> list[date]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _monthly(rows: list[dict]) -> tuple[list[date], dict[date, dict]]:
    """Every month from the first to the last with activities, so gaps show as zero."""
    by_month = {_as_date(row["month"]): row for row in rows}
    if not by_month:
        return [], {}
    return _months_between(min(by_month), max(by_month)), by_month


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _series(months, by_month, fields: dict) -> dict:
    return {label: [by_month.get(m, {}).get(field, 0) for m in months] for field, label in fields.items()}


def _disaggregated_rows(months, by_month, fields):
    """Rows for a month-by-breakdown table, small counts hidden."""
    rows = []
    for month in months:
        row = by_month.get(month, {})
        rows.append(
            {
                "label": charts.month_label(month),
                "total": small_count(row.get("participants_total", 0)),
                "cells": [small_count(row.get(field, 0)) for field in fields],
            }
        )
    return rows


def _participant_charts(activities):
    months, by_month = _monthly(selectors.participants_by_month(activities))
    gender, age = _gender_labels(), _age_labels()
    labels = [charts.month_label(m) for m in months]
    return {
        "months": months,
        "gender_headings": list(gender.values()),
        "age_headings": list(age.values()),
        "gender_rows": _disaggregated_rows(months, by_month, gender),
        "age_rows": _disaggregated_rows(months, by_month, age),
        "gender_chart": charts.stacked_bar_chart(
            title=_("Participants by gender, per month"),
            labels=labels,
            series=_series(months, by_month, gender),
        )
        if months
        else "",
        "age_chart": charts.stacked_bar_chart(
            title=_("Participants by age, per month"), labels=labels, series=_series(months, by_month, age)
        )
        if months
        else "",
        "total_chart": charts.line_chart_by_month(
            title=_("Participants per month"),
            months=months,
            series=_series(
                months, by_month, {"participants_total": _("Participants"), "participants_new": _("New")}
            ),
        )
        if months
        else "",
    }


def _indicator_context(indicators):
    indicators = list(indicators)
    return {
        "indicators": indicators,
        "indicator_chart": charts.progress_bars(
            title=_("Progress towards the targets"),
            items=[
                (f"{i.name}" if len(indicators) < 30 else f"{i.project.title}: {i.name}", i.progress)
                for i in indicators
            ],
        )
        if indicators
        else "",
    }


def render_project_pdf(ctx: RenderContext) -> None:
    steps = 5
    ctx.progress(0, steps)
    project = (
        MicroProject.objects.select_related("organisation")
        .prefetch_related("target_groups", "lead_social_workers")
        .get(pk=ctx.params["project"].pk)
    )
    activities = project.activities.all()
    context = {
        "project": project,
        "totals": selectors.activity_totals(activities),
        "activities": list(activities.order_by("date", "id")),
    }
    ctx.progress(1, steps)
    context.update(_participant_charts(activities))
    ctx.progress(2, steps)
    context.update(_indicator_context(selectors.indicators_with_progress(project.indicators.all())))
    context["boards"] = _toolkit_boards(project)
    ctx.progress(3, steps)
    write_pdf(ctx, "reports/pdf/project.html", context, extra_css=[_board_css()] if context["boards"] else ())
    ctx.progress(steps, steps)


def _toolkit_boards(project) -> list[dict]:
    """The project's latest Social Business Model Canvas and Theory of Change, when it has them,
    as the toolkit prints them (`toolkit.export.board_html`)."""
    from toolkit.export import board_html
    from toolkit.models import ToolInstance
    from toolkit.selectors import SBMC, THEORY_OF_CHANGE, with_content

    latest = {}
    for instance in with_content(
        ToolInstance.objects.filter(project=project, template__slug__in=[SBMC, THEORY_OF_CHANGE])
    ):
        latest.setdefault(instance.template.slug, instance)  # newest first (the model's ordering)
    return [
        {"title": latest[slug].display_title, "html": mark_safe(board_html(latest[slug]))}  # noqa: S308 - the toolkit's template
        for slug in (SBMC, THEORY_OF_CHANGE)
        if slug in latest
    ]


def _board_css() -> str:
    """The toolkit's print styles for boards, without its page size: boards go on A3 landscape
    pages of their own (see `@page board` in pdf.css)."""
    from toolkit.export import board_css

    return re.sub(r"@page\s*\{[^}]*\}", "", board_css())


def _filters_description(params: dict) -> list[tuple[str, str]]:
    described = []
    if params.get("country"):
        described.append((_("Country"), str(countries.name(params["country"]))))
    if params.get("organisation"):
        described.append((_("Organisation"), str(params["organisation"])))
    if params.get("date_from"):
        described.append((_("From"), formats.date_format(params["date_from"])))
    if params.get("date_to"):
        described.append((_("To"), formats.date_format(params["date_to"])))
    return described


def _with_small_counts(rows: list[dict], fields) -> list[dict]:
    for row in rows:
        row["shown"] = [small_count(row.get(field, 0)) for field in fields]
    return rows


def _indicator_bands(indicators) -> dict:
    bands = {"reached": 0, "halfway": 0, "started": 0, "no_data": 0}
    for indicator in indicators:
        if indicator.progress is None:
            bands["no_data"] += 1
        elif indicator.progress >= 100:
            bands["reached"] += 1
        elif indicator.progress >= 50:
            bands["halfway"] += 1
        else:
            bands["started"] += 1
    return bands


def render_programme_pdf(ctx: RenderContext) -> None:
    steps = 6
    ctx.progress(0, steps)
    params = ctx.params
    projects = selectors.programme_projects(ctx.user, params)
    activities = selectors.programme_activities(ctx.user, params)
    breakdown = ("participants_total", *Activity.GENDER_FIELDS)
    by_country = _with_small_counts(selectors.participants_by_country(activities), breakdown)
    for row in by_country:
        row["country_name"] = str(countries.name(row["project__country"]))
    by_group = _with_small_counts(selectors.participants_by_target_group(activities), breakdown)
    context = {
        "filters": _filters_description(params),
        "totals": selectors.activity_totals(activities),
        "project_count": projects.count(),
        "breakdown_headings": [_("Participants"), *_gender_labels().values()],
        "by_country": by_country,
        "by_group": by_group,
    }
    ctx.progress(1, steps)
    context["country_chart"] = (
        charts.bar_chart(
            title=_("Participants by country"),
            labels=[row["country_name"] for row in by_country],
            series={_("Participants"): [row["participants_total"] for row in by_country]},
        )
        if by_country
        else ""
    )
    context["group_chart"] = (
        charts.bar_chart(
            title=_("Participants by target group"),
            labels=[row["project__target_groups__name"] for row in by_group],
            series={_("Participants"): [row["participants_total"] for row in by_group]},
            horizontal=True,
        )
        if by_group
        else ""
    )
    ctx.progress(2, steps)
    context.update(_participant_charts(activities))
    ctx.progress(3, steps)
    indicators = list(selectors.indicators_with_progress(selectors.programme_indicators(ctx.user, params)))
    bands = _indicator_bands(indicators)
    band_labels = {
        "reached": _("Target reached"),
        "halfway": _("Half way or more"),
        "started": _("Less than half way"),
        "no_data": _("No measurement yet"),
    }
    context["indicator_count"] = len(indicators)
    context["indicator_bands"] = [(band_labels[key], count) for key, count in bands.items()]
    context["indicator_chart"] = (
        charts.bar_chart(
            title=_("Indicator achievement"),
            labels=list(band_labels.values()),
            series={_("Indicators"): list(bands.values())},
        )
        if indicators
        else ""
    )
    ctx.progress(4, steps)
    per_project: dict[int, list] = {}
    for indicator in indicators:
        per_project.setdefault(indicator.project_id, []).append(indicator)
    context["projects"] = list(selectors.projects_with_totals(projects, params))
    for project in context["projects"]:
        mine = per_project.get(project.pk, [])
        project.indicator_count = len(mine)
        project.indicators_reached = _indicator_bands(mine)["reached"]
    ctx.progress(5, steps)
    write_pdf(ctx, "reports/pdf/programme.html", context)
    ctx.progress(steps, steps)
