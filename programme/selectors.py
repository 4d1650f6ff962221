"""Reads of the framework catalogue and the programme totals per framework indicator.

The counting rules (docs/programme-reporting.md, "Counting rules") live here, once, for the
coordinator's page, the API and the programme reports:

1. A project's figure for a framework indicator comes from its candidates: the activities'
   participant counts (ACTIVITY_SOURCES, for the indicators that name one) and each of the project's
   indicators mapped to it (the latest measurement dated within the period, times the mapping's
   factor). The activities count as an equivalent measurement.
2. Nothing is counted twice within a project: only the candidates of the best relation count
   (equivalent before contributes to before proxy), and of those only the largest figure (two
   measurements of one characteristic may overlap; the larger one is the most that is certainly
   not counted twice).
3. The programme's figure is the sum of the projects' figures.
4. A figure nobody collected is None ("not collected"), never 0: no candidate with a value in any
   project (no field on the platform, no mapped indicator measured in the period, or a participant
   field left empty on every activity).
5. People and attendances are kept apart: participants_new counts people (each once, when they first
   take part), participants_total counts attendances and feeds no framework indicator. The gender
   and age figures of an activity describe its attendances; they count as people only from
   activities where every participant was new (participants_new = participants_total).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import pgettext_lazy

from microprojects.models import Activity, Indicator, Measurement, MicroProject
from microprojects.selectors import projects_visible_to

from .models import Framework, FrameworkIndicator, IndicatorMapping, plain_number

# How an indicator is read from activities (FrameworkIndicator.activity_source): the activities'
# field summed, and from which activities.
PEOPLE = "people"  # activities where everybody was new: their attendances are people
ALL = "all"  # every activity (participants_new counts people wherever it is filled)
RURAL = "rural"  # every activity of projects set in a rural area
ACTIVITY_SOURCES = {
    "participants_new": ("participants_new", ALL),
    "rural_participants_new": ("participants_new", RURAL),
    "age_under_18": ("age_under_18", PEOPLE),
    "age_18_29": ("age_18_29", PEOPLE),
    "age_55_plus": ("age_55_plus", PEOPLE),
}
# Breakdowns a framework may expect, and the activity fields that give them (PEOPLE activities).
BREAKDOWNS = {
    "gender": Activity.GENDER_FIELDS,
    "age": Activity.AGE_FIELDS,
}
BREAKDOWN_NAMES = {
    "gender": pgettext_lazy("breakdown", "By gender"),
    "age": pgettext_lazy("breakdown", "By age"),
}


def frameworks_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(
        indicator_count=Count("indicators", filter=Q(indicators__is_current=True))
    ).order_by("order", "slug")


def framework_indicators(framework: Framework) -> QuerySet[FrameworkIndicator]:
    return framework.indicators.filter(is_current=True).order_by("order", "code")


def framework_indicators_to_map() -> QuerySet[FrameworkIndicator]:
    """What a project indicator may be mapped to: every current indicator, with its framework."""
    return (
        FrameworkIndicator.objects.filter(is_current=True)
        .select_related("framework")
        .order_by("framework__order", "framework__slug", "order", "code")
    )


def mappings_visible_to(user) -> QuerySet[IndicatorMapping]:
    return IndicatorMapping.objects.filter(indicator__project__in=projects_visible_to(user)).select_related(
        "indicator__project", "framework_indicator__framework"
    )


def indicator_mappings(indicator: Indicator) -> QuerySet[IndicatorMapping]:
    return indicator.framework_mappings.select_related("framework_indicator__framework").order_by(
        "framework_indicator__framework__order", "framework_indicator__order"
    )


@dataclass
class MappedIndicator:
    pk: int
    name: str
    links: list[tuple[str, str]]  # (framework indicator's code, the relation's label)


def project_indicators_with_mappings(project: MicroProject) -> list[MappedIndicator]:
    """The project's indicators, each with the framework indicators it counts towards, for the
    project page (one query: the mappings joined to the indicators)."""
    rows = (
        Indicator.objects.filter(project=project)
        .order_by("name", "id", "framework_mappings__framework_indicator__framework__order")
        .values_list(
            "id", "name", "framework_mappings__framework_indicator__code", "framework_mappings__relation"
        )
    )
    indicators: dict[int, MappedIndicator] = {}
    for pk, name, code, relation in rows:
        indicator = indicators.setdefault(pk, MappedIndicator(pk=pk, name=name, links=[]))
        if code is not None:
            indicator.links.append((code, str(IndicatorMapping.Relation(relation).label)))
    return list(indicators.values())


# Totals ------------------------------------------------------------------------------------------


@dataclass
class Contribution:
    """One project's counted figure for one framework indicator, and where it came from."""

    project: MicroProject
    value: Decimal
    source: str  # "activities" or "indicator"
    relation: str = IndicatorMapping.Relation.EQUIVALENT
    indicator: Indicator | None = None
    factor: Decimal = Decimal(1)
    measured_on: date | None = None

    @property
    def display_value(self):
        return plain_number(self.value)

    @property
    def relation_label(self) -> str:
        return str(IndicatorMapping.Relation(self.relation).label)


@dataclass
class TotalRow:
    indicator: FrameworkIndicator
    value: Decimal | None = None  # None: not collected
    contributions: list[Contribution] = field(default_factory=list)
    breakdowns: dict[str, dict[str, int | None]] = field(default_factory=dict)

    @property
    def is_collected(self) -> bool:
        return self.value is not None

    @property
    def display_value(self):
        return plain_number(self.value)

    @property
    def breakdown_labels(self) -> list[tuple[str, list[tuple[str, int | None]] | None]]:
        """[(the breakdown's name, [(label of the activity field, figure or None), ...], or None when
        no figure of it was collected)], for pages."""
        return [
            (
                str(BREAKDOWN_NAMES[name]),
                [(str(Activity._meta.get_field(key).verbose_name), value) for key, value in values.items()]
                if any(value is not None for value in values.values())
                else None,
            )
            for name, values in self.breakdowns.items()
        ]


def _period(queryset, date_from, date_to, field_name="date"):
    if date_from:
        queryset = queryset.filter(**{f"{field_name}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field_name}__lte": date_to})
    return queryset


def totals_projects(user, *, country: str = "", organisation=None) -> QuerySet[MicroProject]:
    projects = projects_visible_to(user)
    if country:
        projects = projects.filter(country=country)
    if organisation:
        projects = projects.filter(organisation=organisation)
    return projects


def _activity_figures(projects, date_from, date_to) -> dict[int, dict]:
    """Per project: for each activity field, (sum, number of activities where it is filled), over every
    activity and over the activities where everybody was new (one query)."""
    activities = _period(Activity.objects.filter(project__in=projects), date_from, date_to)
    people = Q(participants_new=F("participants_total"))
    fields = {"participants_new", *Activity.GENDER_FIELDS, *Activity.AGE_FIELDS}
    aggregates = {}
    for name in sorted(fields):
        aggregates[f"all__{name}"] = Sum(name)
        aggregates[f"all__{name}__n"] = Count(name)
        aggregates[f"people__{name}"] = Sum(name, filter=people)
        aggregates[f"people__{name}__n"] = Count(name, filter=people)
    rows = activities.order_by().values("project_id").annotate(**aggregates)
    return {row["project_id"]: row for row in rows}


def _mapped(framework, projects, date_from, date_to) -> list[IndicatorMapping]:
    """The framework's mappings in `projects`, each with the latest measurement in the period (one query)."""
    latest = _period(
        Measurement.objects.filter(indicator=OuterRef("indicator_id")), date_from, date_to
    ).order_by("-date", "-id")
    return list(
        IndicatorMapping.objects.filter(
            framework_indicator__framework=framework, indicator__project__in=projects
        )
        .select_related("indicator")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
        )
        .order_by("id")
    )


def _activity_candidate(indicator, project, figures) -> Contribution | None:
    source = ACTIVITY_SOURCES.get(indicator.activity_source)
    if source is None or figures is None:
        return None
    field_name, which = source
    if which == RURAL and project.setting != MicroProject.Setting.RURAL:
        return None
    prefix = "people" if which == PEOPLE else "all"
    if not figures[f"{prefix}__{field_name}__n"]:
        return None  # left empty on every activity: not collected
    return Contribution(
        project=project, value=Decimal(figures[f"{prefix}__{field_name}"]), source="activities"
    )


def _best(candidates: list[Contribution]) -> Contribution | None:
    """Counting rule 2: the best relation, then the largest figure; ties to the first."""
    for relation in IndicatorMapping.PRECEDENCE:
        same = [c for c in candidates if c.relation == relation]
        if same:
            return max(same, key=lambda c: c.value)
    return None


def _breakdowns(indicator, projects, figures_by_project) -> dict[str, dict[str, int | None]]:
    """The framework's breakdowns from the activities where everybody was new; None: not collected."""
    result = {}
    if not indicator.activity_source or ACTIVITY_SOURCES[indicator.activity_source][1] != ALL:
        return {name: dict.fromkeys(BREAKDOWNS[name]) for name in indicator.breakdowns if name in BREAKDOWNS}
    for name in indicator.breakdowns:
        if name not in BREAKDOWNS:
            continue
        values = {}
        for field_name in BREAKDOWNS[name]:
            rows = [figures_by_project.get(p.pk) for p in projects]
            rows = [r for r in rows if r and r[f"people__{field_name}__n"]]
            values[field_name] = sum(r[f"people__{field_name}"] for r in rows) if rows else None
        result[name] = values
    return result


def framework_totals(
    user,
    framework: Framework,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    country: str = "",
    organisation=None,
) -> list[TotalRow]:
    """The programme's figure for every current indicator of `framework`, from the projects `user` may
    see (coordinators: all), in the period and country; each contributing project listed (4 queries,
    whatever the programme's size)."""
    projects = list(
        totals_projects(user, country=country, organisation=organisation)
        .only("id", "title", "country", "setting")
        .order_by("title", "id")
    )
    by_id = {p.pk: p for p in projects}
    figures = _activity_figures([p.pk for p in projects], date_from, date_to) if projects else {}
    mappings = _mapped(framework, list(by_id), date_from, date_to) if projects else []
    indicators = list(framework_indicators(framework))

    candidates: dict[tuple[int, int], list[Contribution]] = {}
    for mapping in mappings:
        if mapping.latest_value is None:
            continue  # not measured in the period
        project = by_id[mapping.indicator.project_id]
        candidates.setdefault((mapping.framework_indicator_id, project.pk), []).append(
            Contribution(
                project=project,
                value=mapping.latest_value * mapping.factor,
                source="indicator",
                relation=mapping.relation,
                indicator=mapping.indicator,
                factor=mapping.factor,
                measured_on=mapping.latest_date,
            )
        )

    rows = []
    for indicator in indicators:
        row = TotalRow(indicator=indicator)
        for project in projects:
            found = list(candidates.get((indicator.pk, project.pk), ()))
            from_activities = _activity_candidate(indicator, project, figures.get(project.pk))
            if from_activities is not None:
                found.insert(0, from_activities)
            best = _best(found)
            if best is not None:
                row.contributions.append(best)
        if row.contributions:
            row.value = sum((c.value for c in row.contributions), Decimal(0))
        row.breakdowns = _breakdowns(indicator, projects, figures)
        rows.append(row)
    return rows
