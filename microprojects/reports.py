"""The micro projects' report kinds: a project report (PDF), a programme report (PDF) and the
programme's data (XLSX, CSV). Registered with the report engine by `register_report_kinds()`, from
MicroprojectsConfig.ready().

PDFs have SVG charts drawn on the server (sempre.charts), laid out by WeasyPrint, in the job's
language (the engine wraps the renderer in `translation.override`). Exports hold raw numbers for
analysis; notes are left out, as they are free text that may name people. Other apps add sections
to the project report through `reports.sections` (the toolkit: the project's boards).
"""

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from reports.kinds import CSV, PDF, XLSX, ReportKind, register
from reports.params import ProgrammeParams, ReportParamsForm
from reports.renderers.base import RenderContext, small_count, write_pdf
from reports.renderers.spreadsheets import queryset_sheet, write_csv, write_xlsx
from reports.sections import sections_for, sheets_for
from sempre import charts
from sempre.rules import is_coordinator, is_org_staff

from . import selectors
from .models import Activity, MicroProject


class ProjectParams(ReportParamsForm):
    legend = gettext_lazy("For a project report")
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy("There is no such project among the projects you can see.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["project"].queryset = selectors.projects_visible_to(user).order_by("title")


def register_report_kinds() -> None:
    register(
        ReportKind(
            name="project",
            label=gettext_lazy("Project report (PDF)"),
            file_format=PDF,
            params_form=ProjectParams,
            render=render_project_pdf,
            may_request=is_org_staff | is_coordinator,
            description=gettext_lazy(
                "Summary, activities, participants by gender and age, indicators against targets."
            ),
        )
    )
    register(
        ReportKind(
            name="programme",
            label=gettext_lazy("Programme report (PDF)"),
            file_format=PDF,
            params_form=ProgrammeParams,
            render=render_programme_pdf,
            may_request=is_coordinator,
            description=gettext_lazy(
                "Totals by country and target group, participants over time, indicators, projects."
            ),
            monthly_digest=True,
        )
    )
    register(
        ReportKind(
            name="programme_xlsx",
            label=gettext_lazy("Programme data (Excel)"),
            file_format=XLSX,
            params_form=ProgrammeParams,
            render=render_programme_xlsx,
            may_request=is_coordinator,
            description=gettext_lazy("Sheets of projects, activities, indicators and measurements."),
        )
    )
    register(
        ReportKind(
            name="programme_csv",
            label=gettext_lazy("Programme activities (CSV)"),
            file_format=CSV,
            params_form=ProgrammeParams,
            render=render_programme_csv,
            may_request=is_coordinator,
            description=gettext_lazy("One row per activity, for spreadsheets and statistics software."),
        )
    )


# PDF: charts and tables ---------------------------------------------------------------------------


def _gender_labels():
    return {
        field: str(Activity._meta.get_field(field).verbose_name).capitalize()
        for field in Activity.GENDER_FIELDS
    }


def _age_labels():
    return {
        field: str(Activity._meta.get_field(field).verbose_name).capitalize() for field in Activity.AGE_FIELDS
    }


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
    rows = selectors.participation_by_month(activities)
    months = [row["month"] for row in rows]
    by_month = {row["month"]: row for row in rows}
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
    context.update(_indicator_context(selectors.with_progress(project.indicators.select_related("project"))))
    # What other apps add (the toolkit: the latest canvas and Theory of Change), each on a page of
    # its own (the template's "board" sections).
    sections = sections_for("project", project)
    context["boards"] = [{"title": section.title, "html": section.html} for section in sections]
    ctx.progress(3, steps)
    extra_css = list(dict.fromkeys(section.css for section in sections if section.css))  # each once
    write_pdf(ctx, "reports/pdf/project.html", context, extra_css=extra_css)
    ctx.progress(steps, steps)


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
    # Every project counts in its country and groups, with or without activities in the period.
    by_country = _with_small_counts(selectors.participation_by_country(projects, activities), breakdown)
    by_group = _with_small_counts(selectors.participation_by_target_group(projects, activities), breakdown)
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
            labels=[str(row["label"]) for row in by_country],
            series={_("Participants"): [row["participants_total"] for row in by_country]},
        )
        if by_country
        else ""
    )
    context["group_chart"] = (
        charts.bar_chart(
            title=_("Participants by target group"),
            labels=[row["label"] for row in by_group],
            series={_("Participants"): [row["participants_total"] for row in by_group]},
            horizontal=True,
        )
        if by_group
        else ""
    )
    ctx.progress(2, steps)
    context.update(_participant_charts(activities))
    ctx.progress(3, steps)
    indicators = list(
        selectors.with_progress(selectors.programme_indicators(ctx.user, params).select_related("project"))
    )
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
    # What other apps add about the same selection (the programme app: the framework summary); the
    # subject is {"user", "params"} (reports.sections).
    sections = sections_for("programme", {"user": ctx.user, "params": params})
    context["sections"] = [{"title": section.title, "html": section.html} for section in sections]
    extra_css = list(dict.fromkeys(section.css for section in sections if section.css))
    ctx.progress(5, steps)
    write_pdf(ctx, "reports/pdf/programme.html", context, extra_css=extra_css)
    ctx.progress(steps, steps)


# Exports: XLSX and CSV ----------------------------------------------------------------------------

# The columns that hold free text, which a spreadsheet might run as a formula.
FREE_TEXT_FIELDS = {"title", "project__title", "project__organisation__name"}


def activity_columns():
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


def render_programme_csv(ctx: RenderContext) -> None:
    activities = selectors.programme_activities(ctx.user, ctx.params)
    write_csv(ctx, activities, activity_columns(), text_fields=FREE_TEXT_FIELDS)


def programme_sheets(user, params: dict) -> list[tuple[str, QuerySet, list]]:
    """(title, queryset, columns) of each sheet of the programme XLSX (also read by the bench)."""
    return [
        (_("Projects"), selectors.programme_projects(user, params).order_by("id"), _project_columns()),
        (_("Activities"), selectors.programme_activities(user, params), activity_columns()),
        (_("Indicators"), selectors.programme_indicators(user, params), _indicator_columns()),
        (_("Measurements"), selectors.programme_measurements(user, params), _measurement_columns()),
    ]


def render_programme_xlsx(ctx: RenderContext) -> None:
    """The sheets count their rows first: progress while writing, and the split of a sheet longer
    than Excel allows is announced in the first sheet."""
    write_xlsx(
        ctx,
        [
            *(
                queryset_sheet(title, queryset, columns)
                for title, queryset, columns in programme_sheets(ctx.user, ctx.params)
            ),
            # Sheets other apps add (the programme app: one per indicator framework).
            *sheets_for("programme_xlsx", {"user": ctx.user, "params": ctx.params}),
        ],
    )
