"""Reads. Every queryset of tools starts from `tools_visible_to`, so tools of projects one may not see
answer 404, and lists run a fixed number of queries (relations are prefetched)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from microprojects.selectors import aggregate_per_row, projects_visible_to

from .diff import state_diff
from .models import (
    Assumption,
    Block,
    CausalLink,
    Entry,
    Intervention,
    Outcome,
    Snapshot,
    ToolInstance,
    ToolTemplate,
)
from .services import instance_state
from .validation import findings

SBMC = "sbmc"
THEORY_OF_CHANGE = "theory-of-change"


def templates_available() -> QuerySet[ToolTemplate]:
    return ToolTemplate.objects.prefetch_related(Prefetch("blocks", queryset=Block.objects.order_by("order")))


def tools_visible_to(user) -> QuerySet[ToolInstance]:
    return ToolInstance.objects.filter(project__in=projects_visible_to(user)).select_related(
        "project", "project__organisation", "template"
    )


def tool_list(user) -> QuerySet[ToolInstance]:
    """For lists: with counts of what each tool holds (subqueries: joining both entries and
    outcomes would multiply the rows before counting them)."""
    return tools_visible_to(user).annotate(
        entry_count=aggregate_per_row(Entry.objects.filter(instance=OuterRef("pk")), "instance", Count("pk")),
        outcome_count=aggregate_per_row(
            Outcome.objects.filter(instance=OuterRef("pk")), "instance", Count("pk")
        ),
    )


def tools_of_project(user, project) -> QuerySet[ToolInstance]:
    """A project's tools for its tools page and panel: by template, newest first."""
    return tool_list(user).filter(project=project).order_by("template__order", "-created_at", "-id")


def content_prefetches() -> list:
    return [
        Prefetch("template__blocks", queryset=Block.objects.order_by("order", "key")),
        Prefetch(
            "entries",
            queryset=Entry.objects.select_related("author", "indicator", "intervention").order_by(
                "block_key", "order", "id"
            ),
        ),
        Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("indicators").order_by("order", "id")),
        Prefetch("links", queryset=CausalLink.objects.order_by("id")),
        Prefetch(
            "interventions",
            queryset=Intervention.objects.prefetch_related("outcomes").order_by("order", "id"),
        ),
        Prefetch("assumptions", queryset=Assumption.objects.order_by("id")),
    ]


def with_content(tools: QuerySet[ToolInstance]) -> QuerySet[ToolInstance]:
    """Everything a board, an editor, a snapshot or the validation reads, in a fixed number of queries."""
    return tools.select_related("template", "project").prefetch_related(*content_prefetches())


def tool_detail(user) -> QuerySet[ToolInstance]:
    return with_content(tools_visible_to(user))


def snapshots_of(instance: ToolInstance) -> QuerySet[Snapshot]:
    return instance.snapshots.select_related("created_by").order_by("-number")


@dataclass
class Readiness:
    """What the accelerator asks of a project's tools."""

    sbmc: ToolInstance | None = None
    sbmc_complete: bool = False
    toc: ToolInstance | None = None
    toc_errors: list[str] = field(default_factory=list)


def readiness_by_project(project_ids) -> dict[int, Readiness]:
    """The newest SBMC and Theory of Change of each project, whether the SBMC is complete and what
    the Theory of Change's validation still finds (plain-words messages; empty = valid). A fixed
    number of queries whatever the number of projects. No permission check: callers pass projects
    their user may see."""
    project_ids = list(project_ids)
    result = {pk: Readiness() for pk in project_ids}
    instances = (
        ToolInstance.objects.filter(project_id__in=project_ids, template__slug__in=[SBMC, THEORY_OF_CHANGE])
        .select_related("template")
        .order_by("project_id", "-created_at", "-id")
    )
    newest: dict[tuple[int, str], ToolInstance] = {}
    for instance in instances:
        newest.setdefault((instance.project_id, instance.template.slug), instance)
    tocs = [instance for (_project, slug), instance in newest.items() if slug == THEORY_OF_CHANGE]
    prefetch_related_objects(tocs, *content_prefetches()[2:])
    for (project_id, slug), instance in newest.items():
        readiness = result[project_id]
        if slug == SBMC:
            readiness.sbmc = instance
            readiness.sbmc_complete = instance.status == ToolInstance.Status.COMPLETE
        else:
            readiness.toc = instance
            readiness.toc_errors = [finding.message for finding in findings(instance)]
    return result


def _resolve_state(instance: ToolInstance, reference, field: str) -> tuple[str, dict]:
    """("#3", data) for snapshot number 3, ("now", the current state) for "now"."""
    if reference in (None, "", "now"):
        return "now", instance_state(instance)
    try:
        number = int(reference)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a snapshot number or “now”.")}) from None
    snapshot = instance.snapshots.filter(number=number).first()
    if snapshot is None:
        raise Http404(_("There is no snapshot #%(number)s of this tool.") % {"number": number})
    return f"#{number}", snapshot.data


def tool_diff(instance: ToolInstance, start=None, end=None) -> dict:
    """What changed from snapshot `start` (default: the newest) to `end` (a number or "now")."""
    if start in (None, ""):
        newest = instance.snapshots.order_by("-number").first()
        if newest is None:
            raise ValidationError({"from": _("This tool has no snapshot yet.")})
        start = newest.number
    start_label, old = _resolve_state(instance, start, "from")
    end_label, new = _resolve_state(instance, end, "to")
    return {"from": start_label, "to": end_label, **state_diff(old, new)}
