"""Reads of the exchange: the methods library (and, beside it, the practice cases).

Methods are the programme's shared knowledge: everybody signed in reads them. What a method page
says about its use (the projects that used it) starts from `projects_visible_to(user)`, so it
counts and links only what the reader may see.
"""

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from microprojects.models import Indicator, MicroProject, TargetGroup
from microprojects.selectors import projects_visible_to, with_progress
from toolkit.models import Outcome, Snapshot
from toolkit.stories.selectors import quotable_stories

from .models import Case, CaseMessage, CaseThread, Method

# How many projects a method page lists by name (the count says how many there are).
METHOD_PROJECTS_SHOWN = 20


def methods_available() -> QuerySet[Method]:
    """Every method, in the library's order, with what its card shows."""
    return Method.objects.select_related("tool_template").prefetch_related(
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("order", "name"))
    )


def methods_suiting(need: str) -> Q:
    """The condition that a method has advice for an accessibility need (a METHOD_TEXT_FIELDS name)."""
    return ~Q(**{need: ""})


def method_projects(method: Method, user) -> QuerySet[MicroProject]:
    """The projects `user` may see that used `method`: those with a tool of its tool template.
    A method with no tool template is not traced through tools (empty)."""
    if method.tool_template_id is None:
        return MicroProject.objects.none()
    return (
        projects_visible_to(user)
        .filter(tools__template_id=method.tool_template_id)
        .distinct()
        .order_by("title", "pk")
    )


def method_cases(method: Method, user) -> QuerySet[Case]:
    """The published cases that used `method`, as far as `user` may read them (every staff member:
    all of them; others: none), newest first. Drafts of the reader's own team are not counted."""
    return (
        cases_visible_to(user)
        .filter(status=Case.Status.PUBLISHED, methods=method)
        .order_by("-published_at", "-pk")
    )


def method_use(method: Method, user) -> dict:
    """What the method page says about its use: {"project_count", "projects", "case_count",
    "cases"} (the first METHOD_PROJECTS_SHOWN of each: projects by title, cases newest first).
    Four queries."""
    projects = method_projects(method, user)
    cases = method_cases(method, user)
    return {
        "project_count": projects.count(),
        "projects": list(projects.only("pk", "title")[:METHOD_PROJECTS_SHOWN]),
        "case_count": cases.count(),
        "cases": list(cases.only("pk", "title")[:METHOD_PROJECTS_SHOWN]),
    }


# Practice cases ------------------------------------------------------------------------------------
# Which cases a person may see is one rule, `cases_visible_to` (the query form of
# exchange.rules.can_view_case): the team and coordinators see every state; every staff member of
# every organisation sees the published ones; reviewers without a membership and anonymous
# visitors see none.

# Texts the list's search reads (full-text on PostgreSQL, icontains elsewhere).
CASE_SEARCH_FIELDS = ("title", "summary", "problem", "what_we_did", "what_changed", "lessons")


def cases_visible_to(user) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_coordinator:
        return Case.objects.all()
    if not user.organisation_ids:
        return Case.objects.none()
    return Case.objects.filter(
        Q(project__organisation_id__in=user.organisation_ids) | Q(status=Case.Status.PUBLISHED)
    )


def _with_card(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case's card shows: its project's country and organisation, its methods (2 queries)."""
    return cases.select_related("project__organisation").prefetch_related(
        Prefetch("methods", queryset=Method.objects.order_by("order", "slug"))
    )


def published_cases(*, method: Method | None = None, language: str | None = None) -> QuerySet[Case]:
    """Every published case, newest first, with what a card shows: the handbook's and the method
    page's reading (published cases are readable by every organisation's staff)."""
    cases = Case.objects.filter(status=Case.Status.PUBLISHED)
    if method is not None:
        cases = cases.filter(methods=method)
    if language:
        cases = cases.filter(language=language)
    return _with_card(cases).order_by("-published_at", "-pk")


def published_case_counts() -> dict[int, int]:
    """{method id: how many published cases used it}, in one query ("used in" on the method page)."""
    rows = (
        Case.methods.through.objects.filter(case__status=Case.Status.PUBLISHED)
        .values("method_id")
        .annotate(count=Count("case_id", distinct=True))
    )
    return {row["method_id"]: row["count"] for row in rows}


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*CASE_SEARCH_FIELDS, config="simple")
        return cases.annotate(search=vector).filter(search=SearchQuery(text, config="simple"))
    condition = Q()
    for field in CASE_SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": text})
    return cases.filter(condition)


def case_list(
    user,
    *,
    status: str = "",
    country: str = "",
    target_group: str = "",
    method: str = "",
    outcome: str = "",
    language: str = "",
    search: str = "",
) -> QuerySet[Case]:
    """The cases `user` may see, filtered, newest first, with what a card shows (3 queries with
    the count of a page). `outcome` is words of the outcome area: matched in the texts of the ToC
    outcomes the case links to; `method` and `target_group` are slugs; `country` an ISO code."""
    cases = cases_visible_to(user)
    if status:
        cases = cases.filter(status=status)
    if country:
        cases = cases.filter(project__country=country.upper())
    if language:
        cases = cases.filter(language=language)
    if target_group:
        cases = cases.filter(project__target_groups__slug=target_group)
    if method:
        cases = cases.filter(methods__slug=method)
    if outcome:
        cases = cases.filter(outcomes__text__icontains=outcome)
    if search:
        cases = _search(cases, search)
    if target_group or method or outcome:
        cases = Case.objects.filter(pk__in=cases.values("pk"))  # one row per case, whatever the joins
    return _with_card(cases).order_by("-published_at", "-updated_at", "-pk")


def case_detail(user, pk) -> Case:
    """The case `user` may see (404 otherwise), with everything its page shows."""
    return get_object_or_404(
        _with_card(cases_visible_to(user))
        .select_related("canvas_snapshot__instance__template", "toc_snapshot__instance__template")
        .prefetch_related("photos", "outcomes"),
        pk=pk,
    )


def case_quotes(case: Case) -> list:
    """The clients' stories the case quotes, as of now: those its team chose that
    `quotable_stories(project, "cases")` still offers (not withdrawn, still consented for cases).
    Every place that shows a case (its page, the API, the handbook) reads them here, at render
    time, so a withdrawn or narrowed story disappears from all of them at once. One query."""
    return list(quotable_stories(case.project, "cases").filter(quoted_in_cases=case))


def quotable_for_case(project: MicroProject):
    """The stories of `project` a case may quote (the form's and the service's choices)."""
    return quotable_stories(project, "cases")


def case_figures(case: Case) -> list[dict]:
    """The case's indicators with their figures (baseline, target, latest measurement), counts from 1
    to 4 shown as "<5" as in the reports (the report engine's small-count suppression). One query."""
    from reports.renderers.base import small_count

    rows = []
    for indicator in with_progress(case.indicators.order_by("name", "pk")):
        rows.append(
            {
                "pk": indicator.pk,
                "name": indicator.name,
                "code": indicator.code,
                "unit": indicator.unit,
                "baseline": _figure(indicator.baseline, small_count),
                "target": _figure(indicator.target, small_count),
                "latest": _figure(indicator.latest_value, small_count),
                "latest_date": indicator.latest_date,
            }
        )
    return rows


def _figure(value, small_count):
    if value is None:
        return None
    value = value.normalize() if hasattr(value, "normalize") else value
    if value == int(value):
        value = int(value)
        return small_count(value) if value >= 0 else value
    return str(value)


def case_project_choices(user, case: Case | None = None) -> dict:
    """What a case's form offers from its project: its ToC outcomes, indicators and snapshots."""
    project = case.project if case is not None else None
    if project is None:
        return {"outcomes": Outcome.objects.none(), "indicators": Indicator.objects.none()}
    return {
        "outcomes": Outcome.objects.filter(instance__project=project).order_by("instance_id", "order", "pk"),
        "indicators": Indicator.objects.filter(project=project).order_by("name", "pk"),
        "snapshots": Snapshot.objects.filter(instance__project=project).select_related("instance__template"),
    }


def projects_to_adapt_into(user) -> QuerySet[MicroProject]:
    """The projects a person may copy a case's tools into: their own organisations' open projects."""
    if not user.is_authenticated:
        return MicroProject.objects.none()
    return MicroProject.objects.filter(
        organisation_id__in=user.organisation_ids,
        status__in=(MicroProject.Status.DRAFT, MicroProject.Status.ACTIVE),
    ).order_by("title", "pk")


def case_threads(user, case: Case) -> QuerySet[CaseThread]:
    """The conversations about `case` that `user` takes part in: every one for the case's team,
    their own organisations' for anybody else (coordinators read only as a team member would)."""
    threads = CaseThread.objects.filter(case=case).select_related("organisation")
    if case.project.organisation_id in user.organisation_ids:
        return threads
    return threads.filter(organisation_id__in=user.organisation_ids)


def threads_visible_to(user) -> QuerySet[CaseThread]:
    if not user.is_authenticated or not user.organisation_ids:
        return CaseThread.objects.none()
    return CaseThread.objects.filter(
        Q(organisation_id__in=user.organisation_ids)
        | Q(case__project__organisation_id__in=user.organisation_ids)
    ).select_related("case__project", "organisation")


def thread_messages(thread: CaseThread) -> QuerySet[CaseMessage]:
    return thread.messages.select_related("author").order_by("created_at", "pk")
