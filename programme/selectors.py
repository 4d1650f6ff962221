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
from functools import lru_cache
from typing import NamedTuple

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
BREAKDOWN_FIELDS = sorted({field_name for fields in BREAKDOWNS.values() for field_name in fields})
# Rows fetched at a time when the totals read activities' figures and mappings as a stream.
STREAM_CHUNK = 500
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


class ProjectRef(NamedTuple):
    """What the totals show of a contributing project: a fifth of a model instance's memory."""

    pk: int
    title: str
    country: str  # the code
    setting: str


@dataclass(slots=True)
class Contribution:
    """One project's counted figure for one framework indicator, and where it came from."""

    project: MicroProject | ProjectRef
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


def _activity_figure_rows(projects, date_from, date_to) -> QuerySet:
    """A row per project: for each activity field, its sum and the number of activities where it is
    filled, over every activity and over the activities where everybody was new (one query)."""
    activities = _period(Activity.objects.filter(project__in=projects), date_from, date_to)
    people = Q(participants_new=F("participants_total"))
    fields = {"participants_new", *Activity.GENDER_FIELDS, *Activity.AGE_FIELDS}
    aggregates = {}
    for name in sorted(fields):
        aggregates[f"all__{name}"] = Sum(name)
        aggregates[f"all__{name}__n"] = Count(name)
        aggregates[f"people__{name}"] = Sum(name, filter=people)
        aggregates[f"people__{name}__n"] = Count(name, filter=people)
    return activities.order_by().values("project_id").annotate(**aggregates)


def _activity_figures(projects, date_from, date_to) -> dict[int, dict]:
    """_activity_figure_rows by project id."""
    return {row["project_id"]: row for row in _activity_figure_rows(projects, date_from, date_to)}


def _mapped(framework, projects, date_from, date_to) -> QuerySet[IndicatorMapping]:
    """The framework's mappings in `projects`, each with the latest measurement in the period and the
    mapped indicator's name (one query)."""
    latest = _period(
        Measurement.objects.filter(indicator=OuterRef("indicator_id")), date_from, date_to
    ).order_by("-date", "-id")
    return (
        IndicatorMapping.objects.filter(
            framework_indicator__framework=framework, indicator__project__in=projects
        )
        .select_related("indicator")
        .only("framework_indicator_id", "relation", "factor", "indicator__name", "indicator__project_id")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
        )
        .order_by("id")
    )


def _mapping_candidate(mapping: IndicatorMapping, project) -> Contribution:
    """A mapped indicator's latest measurement in the period (`_mapped`), times the mapping's factor."""
    return Contribution(
        project=project,
        value=mapping.latest_value * mapping.factor,
        source="indicator",
        relation=mapping.relation,
        indicator=mapping.indicator,
        factor=mapping.factor,
        measured_on=mapping.latest_date,
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
        project=project, value=_decimal(figures[f"{prefix}__{field_name}"]), source="activities"
    )


@lru_cache(maxsize=4096)
def _decimal(whole: int) -> Decimal:
    """One Decimal per sum of people: tens of thousands of projects' figures share a few hundred
    values (a Decimal is immutable)."""
    return Decimal(whole)


def _best(candidates: list[Contribution]) -> Contribution | None:
    """Counting rule 2: the best relation, then the largest figure; ties to the first."""
    for relation in IndicatorMapping.PRECEDENCE:
        same = [c for c in candidates if c.relation == relation]
        if same:
            return max(same, key=lambda c: c.value)
    return None


def _breakdowns(indicator, people_sums: dict[str, int]) -> dict[str, dict[str, int | None]]:
    """The framework's breakdowns from the activities where everybody was new (`people_sums`: each
    field's sum over the projects where it was filled at least once); None: not collected."""
    if not indicator.activity_source or ACTIVITY_SOURCES[indicator.activity_source][1] != ALL:
        return {name: dict.fromkeys(BREAKDOWNS[name]) for name in indicator.breakdowns if name in BREAKDOWNS}
    return {
        name: {field_name: people_sums.get(field_name) for field_name in BREAKDOWNS[name]}
        for name in indicator.breakdowns
        if name in BREAKDOWNS
    }


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
    whatever the programme's size).

    A national programme's totals are read with the memory of what they count: the projects as
    plain rows, the activities' figures and the mappings as a stream (a chunk of rows at a time,
    each reduced at once to what it contributes), one slot per indicator and project for the
    activities' candidates (bench: the programme XLSX's peak memory, one country against all)."""
    rows = totals_projects(user, country=country, organisation=organisation).order_by("title", "id")
    projects = [ProjectRef(*row) for row in rows.values_list("id", "title", "country", "setting")]
    position = {project.pk: index for index, project in enumerate(projects)}
    indicators = list(framework_indicators(framework))
    # The mappings' candidates, by (framework indicator, project's position): few, next to the
    # activities' candidates, one per indicator and project at most (`from_activities`).
    mapped: dict[tuple[int, int], list[Contribution]] = {}
    from_activities = [[None] * len(projects) for _indicator in indicators]
    people_sums: dict[str, int] = {}
    if projects:
        for mapping in _mapped(framework, list(position), date_from, date_to).iterator(
            chunk_size=STREAM_CHUNK
        ):
            if mapping.latest_value is None:
                continue  # not measured in the period
            at = position[mapping.indicator.project_id]
            mapped.setdefault((mapping.framework_indicator_id, at), []).append(
                _mapping_candidate(mapping, projects[at])
            )
        figure_rows = _activity_figure_rows(list(position), date_from, date_to)
        for figures in figure_rows.iterator(chunk_size=STREAM_CHUNK):
            at = position[figures["project_id"]]
            for column, indicator in zip(from_activities, indicators, strict=True):
                column[at] = _activity_candidate(indicator, projects[at], figures)
            for field_name in BREAKDOWN_FIELDS:
                if figures[f"people__{field_name}__n"]:
                    people_sums[field_name] = (
                        people_sums.get(field_name, 0) + figures[f"people__{field_name}"]
                    )

    totals = []
    for index, indicator in enumerate(indicators):
        row = TotalRow(indicator=indicator)
        column, from_activities[index] = from_activities[index], None  # freed as the rows are made
        for at, activities in enumerate(column):
            found = mapped.pop((indicator.pk, at), [])
            if activities is not None:  # counted as an equivalent measurement, first in line
                found.insert(0, activities)
            best = _best(found)
            if best is not None:
                row.contributions.append(best)
        if row.contributions:
            row.value = sum((c.value for c in row.contributions), Decimal(0))
        row.breakdowns = _breakdowns(indicator, people_sums)
        totals.append(row)
    return totals
