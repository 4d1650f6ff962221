"""Reads of reporting periods and progress reports: every queryset starts from
`reports_visible_to(user)`; the figures of a report are computed here, once, for the pages, the API,
the PDF and the snapshot an approval freezes."""

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microprojects.models import Activity, Measurement, MicroProject
from microprojects.selectors import project_visible_to, projects_visible_to

from ..models import EvidenceFile, ProgressReport, ReportingPeriod

GENDER = ("women", "men", "non_binary", "gender_not_stated")
AGE = ("age_under_18", "age_18_29", "age_30_54", "age_55_plus", "age_not_stated")

# The figures a correction to an earlier period is looked for in, with their labels.
FIGURE_LABELS = {
    "activities": _("Activities"),
    "attendances": _("Attendances (participants counted at every activity)"),
    "new_participants": _("New participants"),
    "staff_hours": _("Staff hours"),
    "volunteer_hours": _("Volunteer hours"),
    "women": _("Women"),
    "men": _("Men"),
    "non_binary": _("Non-binary"),
    "gender_not_stated": _("Gender not stated"),
    "age_under_18": _("Under 18"),
    "age_18_29": _("18-29"),
    "age_30_54": _("30-54"),
    "age_55_plus": _("55 and over"),
    "age_not_stated": _("Age not stated"),
}


def periods_list() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.order_by("start", "id")


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    """Progress reports of the projects `user` may see (coordinators: all; reviewers: none)."""
    if not user.is_authenticated:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(project_visible_to(user, through="project__"))


def report_list(user) -> QuerySet[ProgressReport]:
    """As the list pages and the API list them: with the period, the project and its organisation,
    and the number of evidence files, in one query."""
    return (
        reports_visible_to(user)
        .select_related("period", "project", "project__organisation")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-period__start", "project__title", "id")
    )


def report_detail(user, pk: int) -> ProgressReport:
    """One report for its page: raises ProgressReport.DoesNotExist when `user` may not see it."""
    return report_list(user).get(pk=pk)


def evidence_visible_to(user) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(report__in=reports_visible_to(user)).select_related(
        "report", "report__project", "uploaded_by"
    )


def report_events(report: ProgressReport):
    return report.events.select_related("by").order_by("at", "id")


# Lateness ----------------------------------------------------------------------------------------


def days_late(report: ProgressReport, *, today: date | None = None) -> int | None:
    """Days past the due date of a report that is not submitted (a draft or a returned one),
    else None. A report submitted after the due date is no longer late (`submitted_late_days`)."""
    today = today or timezone.now().date()
    if report.status in ProgressReport.EDITABLE and today > report.period.due:
        return (today - report.period.due).days
    return None


def submitted_late_days(report: ProgressReport) -> int | None:
    """How many days after the due date the report was (last) submitted, if it was late."""
    if report.submitted_at is None:
        return None
    late = (report.submitted_at.date() - report.period.due).days
    return late if late > 0 else None


# The coordinator's table: projects x periods -----------------------------------------------------


@dataclass
class TableRow:
    project: MicroProject
    cells: list = field(default_factory=list)  # one per period: a report or None


@dataclass
class ProgressTable:
    periods: list
    rows: list
    counts: dict  # status -> number of reports, and "late"


def progress_table(user, *, today: date | None = None) -> ProgressTable:
    """Every project with a report, by every period: the report (with `days_late`) or None. Two
    queries whatever the size (the periods; the reports with their projects)."""
    today = today or timezone.now().date()
    periods = list(periods_list())
    column = {period.pk: index for index, period in enumerate(periods)}
    rows: dict[int, TableRow] = {}
    counts = dict.fromkeys([*ProgressReport.Status.values, "late"], 0)
    reports = (
        reports_visible_to(user)
        .select_related("period", "project", "project__organisation")
        .order_by("project__country", "project__title", "project_id")
    )
    for report in reports:
        row = rows.get(report.project_id)
        if row is None:
            row = rows[report.project_id] = TableRow(project=report.project, cells=[None] * len(periods))
        report.days_late = days_late(report, today=today)
        row.cells[column[report.period_id]] = report
        counts[report.status] += 1
        if report.days_late is not None:
            counts["late"] += 1
    return ProgressTable(periods=periods, rows=list(rows.values()), counts=counts)


# Figures -----------------------------------------------------------------------------------------


def _text(value) -> str | None:
    """Decimals as text in the stored figures (JSON keeps them exact)."""
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")  # 10, not 1E+1


def _breakdown(sums: dict, fields: tuple[str, ...], prefix: str) -> dict | None:
    """A breakdown (gender or age): None when no activity of the period collected it ("not
    collected", never 0); else each count, and the attendances of activities that did not."""
    if not sums[f"{prefix}_collected"]:
        return None
    values = {name: sums[f"sum_{name}"] or 0 for name in fields}
    values["not_collected"] = sums[f"{prefix}_not_collected"] or 0
    return values


def activity_figures(project: MicroProject, start: date, end: date) -> dict:
    """The project's activities from `start` to `end` (both included), in one query: their number,
    hours, attendances, new participants (None when never collected), and the gender and age
    breakdowns (see `_breakdown`)."""
    gender = Q()
    for name in GENDER:
        gender |= Q(**{f"{name}__isnull": False})
    age = Q()
    for name in AGE:
        age |= Q(**{f"{name}__isnull": False})
    sums = (
        Activity.objects.filter(project=project, date__gte=start, date__lte=end)
        .order_by()
        .aggregate(
            activities=Count("pk"),
            staff_hours=Sum("staff_hours"),
            volunteer_hours=Sum("volunteer_hours"),
            attendances=Sum("participants_total"),
            new_participants=Sum("participants_new"),
            new_collected=Count("pk", filter=Q(participants_new__isnull=False)),
            gender_collected=Count("pk", filter=gender),
            gender_not_collected=Sum("participants_total", filter=~gender),
            age_collected=Count("pk", filter=age),
            age_not_collected=Sum("participants_total", filter=~age),
            **{f"sum_{name}": Sum(name, filter=gender) for name in GENDER},
            **{f"sum_{name}": Sum(name, filter=age) for name in AGE},
        )
    )
    return {
        "activities": sums["activities"],
        "staff_hours": _text(sums["staff_hours"] or 0),
        "volunteer_hours": _text(sums["volunteer_hours"] or 0),
        "attendances": sums["attendances"] or 0,
        "new_participants": sums["new_participants"] if sums["new_collected"] else None,
        "gender": _breakdown(sums, GENDER, "gender"),
        "age": _breakdown(sums, AGE, "age"),
    }


def indicator_figures(project: MicroProject, start: date, end: date) -> list[dict]:
    """Each indicator of the project: the latest value recorded in the period, how many values were,
    and the latest value up to the period's end (the cumulative one) against baseline and target,
    with the progress in per cent. One query."""
    up_to_end = Measurement.objects.filter(indicator=OuterRef("pk"), date__lte=end).order_by("-date", "-id")
    in_period = up_to_end.filter(date__gte=start)
    indicators = project.indicators.order_by("name", "id").annotate(
        period_value=Subquery(in_period.values("value")[:1]),
        cumulative_value=Subquery(up_to_end.values("value")[:1]),
        period_count=Count(
            "measurements", filter=Q(measurements__date__gte=start, measurements__date__lte=end)
        ),
    )
    rows = []
    for indicator in indicators:
        progress = None
        value, baseline, target = indicator.cumulative_value, indicator.baseline, indicator.target
        if value is not None and baseline is not None and target is not None and target != baseline:
            progress = round((value - baseline) * 100 / (target - baseline), 1)
        rows.append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "code": indicator.code,
                "unit": indicator.unit,
                "baseline": _text(baseline),
                "target": _text(target),
                "period_value": _text(indicator.period_value),
                "period_count": indicator.period_count,
                "cumulative_value": _text(value),
                "progress": _text(progress),
            }
        )
    return rows


def framework_contributions(project: MicroProject, start: date, end: date) -> list[dict]:
    """What the project contributes to each framework indicator in the period, counted as the
    programme's totals count them (programme.selectors.framework_totals: the same sources, the
    same precedence of relations, "not collected" left out), for this one project. Two queries per
    framework and one for the activities."""
    from .. import selectors as frameworks

    figures = frameworks._activity_figures([project.pk], start, end).get(project.pk)
    rows = []
    for framework in frameworks.frameworks_list():
        mapped: dict[int, list] = {}
        for mapping in frameworks._mapped(framework, [project.pk], start, end):
            if mapping.latest_value is None:
                continue  # not measured in the period
            mapped.setdefault(mapping.framework_indicator_id, []).append(
                frameworks._mapping_candidate(mapping, project)
            )
        for indicator in frameworks.framework_indicators(framework):
            found = list(mapped.get(indicator.pk, ()))
            from_activities = frameworks._activity_candidate(indicator, project, figures)
            if from_activities is not None:
                found.insert(0, from_activities)
            best = frameworks._best(found)
            if best is None:
                continue
            rows.append(
                {
                    "framework": framework.slug,
                    "framework_name": framework.display_name(),
                    "code": indicator.code,
                    "name": indicator.display_name(),
                    "value": _text(best.value),
                    # a whole count of people, shown as "<5" from 1 to 4 where it leaves the platform
                    "people": int(best.value)
                    if indicator.counts_people and best.value == int(best.value)
                    else None,
                    "counts_people": indicator.counts_people,
                    "source": best.source,
                    "relation": best.relation,
                }
            )
    return rows


def report_figures(report: ProgressReport) -> dict:
    """What the platform fills into the report, computed now."""
    period = report.period
    return {
        "computed_at": timezone.now().isoformat(),
        **activity_figures(report.project, period.start, period.end),
        "indicators": indicator_figures(report.project, period.start, period.end),
        "frameworks": framework_contributions(report.project, period.start, period.end),
    }


def report_shown(report: ProgressReport) -> dict:
    """The figures, the narrative and the corrections a report shows: as approved for an approved
    report (frozen); for a submitted one the figures as submitted (what the coordinator approves);
    else the figures as of now. The narrative as it stands, until approved."""
    if report.is_frozen and report.approved_snapshot:
        snapshot = report.approved_snapshot
        return {
            **snapshot,
            "figures": _named_in_reader_language(snapshot.get("figures") or {}),
            "corrections": _labelled(snapshot.get("corrections") or []),
            "is_frozen": True,
        }
    submitted = report.status == ProgressReport.Status.SUBMITTED and report.submitted_figures
    return {
        "figures": _named_in_reader_language(report.submitted_figures)
        if submitted
        else report_figures(report),
        "narrative": {name: getattr(report, name) for name in ProgressReport.NARRATIVE_FIELDS},
        "corrections": corrections_to_earlier_periods(report),
        "is_frozen": False,
    }


def _named_in_reader_language(figures: dict) -> dict:
    """The framework rows with their framework's and indicator's names in the reader's language
    (stored figures keep the language they were computed in), one query."""
    if not figures.get("frameworks"):
        return figures
    from ..models import FrameworkIndicator

    figures = copy.deepcopy(figures)  # the stored figures stay as stored
    rows = figures["frameworks"]

    wanted = Q()
    for row in rows:
        wanted |= Q(framework__slug=row["framework"], code=row["code"])
    names = {
        (item.framework.slug, item.code): (item.framework.display_name(), item.display_name())
        for item in FrameworkIndicator.objects.filter(wanted).select_related("framework")
    }
    for row in rows:
        row["framework_name"], row["name"] = names.get(
            (row["framework"], row["code"]), (row["framework_name"], row["name"])
        )
    return figures


def _labelled(corrections: list[dict]) -> list[dict]:
    """The corrections with their figures and periods named in the reader's language (a snapshot
    keeps the names of the language it was approved in)."""
    if not corrections:
        return []
    corrections = copy.deepcopy(corrections)  # the snapshot stays as stored
    periods = {
        report.pk: str(report.period)
        for report in ProgressReport.objects.filter(pk__in=[c["report"] for c in corrections])
    }
    for correction in corrections:
        correction["period"] = periods.get(correction["report"], correction["period"])
        for change in correction["changes"]:
            if change["figure"] in FIGURE_LABELS:
                change["label"] = str(FIGURE_LABELS[change["figure"]])
    return corrections


def _flat(figures: dict) -> dict[str, tuple[str, object]]:
    """key -> (label, value) of every figure a correction is looked for in."""
    flat = {}
    for key in ("activities", "attendances", "new_participants", "staff_hours", "volunteer_hours"):
        flat[key] = (str(FIGURE_LABELS[key]), figures.get(key))
    for group in ("gender", "age"):
        values = figures.get(group) or {}
        for key in GENDER if group == "gender" else AGE:
            flat[key] = (str(FIGURE_LABELS[key]), values.get(key))
    for row in figures.get("indicators") or []:
        flat[f"indicator:{row['id']}"] = (row["name"], row["cumulative_value"])
    return flat


def _number(value):
    return None if value is None else Decimal(str(value))


def corrections_to_earlier_periods(report: ProgressReport) -> list[dict]:
    """The project's earlier approved reports whose figures have changed since their approval
    (activities corrected, logged late or deleted; measurements corrected): per period, each
    figure as approved, as it is now, and the difference. A query or two per earlier period
    (a project has a handful)."""
    earlier = (
        ProgressReport.objects.filter(
            project_id=report.project_id,
            status=ProgressReport.Status.APPROVED,
            period__start__lt=report.period.start,
        )
        .select_related("period", "project")
        .order_by("period__start")
    )
    corrections = []
    for approved in earlier:
        frozen = (approved.approved_snapshot or {}).get("figures") or {}
        now = {
            **activity_figures(approved.project, approved.period.start, approved.period.end),
            "indicators": indicator_figures(approved.project, approved.period.start, approved.period.end),
        }
        before, after = _flat(frozen), _flat(now)
        changes = []
        for key, (label, value) in after.items():
            old = before.get(key, (label, None))[1]
            if _number(old) != _number(value):
                difference = None
                if old is not None and value is not None:
                    difference = _text(_number(value) - _number(old))
                changes.append(
                    {"figure": key, "label": label, "approved": old, "now": value, "difference": difference}
                )
        if changes:
            corrections.append({"report": approved.pk, "period": str(approved.period), "changes": changes})
    return corrections


# What needs a project's attention (the dashboard panel) -------------------------------------------


def reports_to_write(user) -> QuerySet[ProgressReport]:
    """The reports of `user`'s organisations' projects that wait for the team: drafts and
    returned ones, earliest due first."""
    return (
        ProgressReport.objects.filter(
            project__in=projects_visible_to(user).filter(organisation_id__in=user.organisation_ids),
            status__in=ProgressReport.EDITABLE,
        )
        .select_related("period", "project")
        .order_by("period__due", "project__title", "id")
    )
