"""Reads. Every queryset of tools starts from `tools_visible_to`, so tools of projects one may not see
answer 404, and lists run a fixed number of queries (relations are prefetched).

Nothing here writes, and nothing here imports the services: they build on these reads."""

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


def tools_changed_last(user, *, limit: int) -> QuerySet[ToolInstance]:
    """The tools changed last in the user's own organisations (the dashboard's list): a coordinator
    may see every tool, but this list is about one's own work."""
    return (
        tools_visible_to(user)
        .filter(project__organisation_id__in=user.organisation_ids)
        .order_by("-updated_at", "-id")[:limit]
    )


def tool_version(instance_id: int) -> int | None:
    """The version a tool has now in the database (None once it is deleted)."""
    return ToolInstance.objects.filter(pk=instance_id).values_list("version", flat=True).first()


def elements_visible_to(user, model) -> QuerySet:
    """Elements of tools (entries, outcomes, links, interventions, assumptions: `model`) of projects
    `user` may see, with their tool."""
    return model.objects.filter(instance__project__in=projects_visible_to(user)).select_related(
        "instance", "instance__template", "instance__project"
    )


def interventions_visible_to(user) -> QuerySet[Intervention]:
    """Interventions a canvas entry may point to: those of tools of projects `user` may see."""
    return Intervention.objects.filter(instance__project__in=projects_visible_to(user)).select_related(
        "instance"
    )


def snapshots_visible_to(user) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(instance__project__in=projects_visible_to(user))


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


def tool_with_content(instance_id: int) -> ToolInstance:
    """A tool as it is now in the database, with its content, whoever asks (for services and for
    answering a version conflict, whose caller already holds the tool)."""
    return with_content(ToolInstance.objects.filter(pk=instance_id)).get()


def snapshots_of(instance: ToolInstance) -> QuerySet[Snapshot]:
    return instance.snapshots.select_related("created_by").order_by("-number")


@dataclass
class Readiness:
    """What the accelerator asks of a project's tools."""

    sbmc: ToolInstance | None = None
    sbmc_complete: bool = False  # marked complete by the team (services.tool_update)
    sbmc_blocks_filled: int = 0  # blocks with at least one entry, as the board counts them
    sbmc_blocks_total: int = 0
    sbmc_empty_blocks: list[str] = field(default_factory=list)  # their labels, as the board names them
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
    sbmcs = [instance for (_project, slug), instance in newest.items() if slug == SBMC]
    blocks: dict[int, list[Block]] = {}  # template -> its blocks, in board order
    filled: dict[int, set[str]] = {}  # tool -> the blocks that hold an entry
    if sbmcs:  # two queries, however many projects
        for block in Block.objects.filter(
            template_id__in={instance.template_id for instance in sbmcs}
        ).order_by("order", "key"):
            blocks.setdefault(block.template_id, []).append(block)
        for instance_id, key in (
            Entry.objects.filter(instance__in=sbmcs).values_list("instance_id", "block_key").distinct()
        ):
            filled.setdefault(instance_id, set()).add(key)
    for (project_id, slug), instance in newest.items():
        readiness = result[project_id]
        if slug == SBMC:
            readiness.sbmc = instance
            readiness.sbmc_complete = instance.status == ToolInstance.Status.COMPLETE
            own = blocks.get(instance.template_id, [])
            empty = [block for block in own if block.key not in filled.get(instance.pk, set())]
            readiness.sbmc_blocks_total = len(own)
            readiness.sbmc_blocks_filled = len(own) - len(empty)
            readiness.sbmc_empty_blocks = [block.display_label for block in empty]
        else:
            readiness.toc = instance
            readiness.toc_errors = [finding.message for finding in findings(instance)]
    return result


def instance_state(instance: ToolInstance) -> dict:
    """The content of a tool as plain JSON: what a snapshot freezes and a diff compares. Reads
    prefetched relations when `with_content` was used."""
    state = {
        "template": {"slug": instance.template.slug, "version": instance.template.version},
        "title": instance.title,
        "status": instance.status,
        "version": instance.version,
        "blocks": {block.key: block.label for block in instance.template.blocks.all()},
    }
    if not instance.template.is_graph:
        state["entries"] = [
            {
                "id": e.pk,
                "block_key": e.block_key,
                "text": e.text,
                "order": e.order,
                "source": e.source,
                "client_label": e.client_label,
                "indicator_id": e.indicator_id,
                "intervention_id": e.intervention_id,
            }
            for e in sorted(instance.entries.all(), key=lambda e: (e.block_key, e.order, e.pk))
        ]
        return state
    state["outcomes"] = [
        {
            "id": o.pk,
            "text": o.text,
            "level": o.level,
            "above_ceiling": o.above_ceiling,
            "indicator_ids": sorted(i.pk for i in o.indicators.all()),
            "indicators": [
                {
                    "id": i.pk,
                    "name": i.name,
                    "baseline": _num(i.baseline),
                    "target": _num(i.target),
                    "unit": i.unit,
                }
                for i in sorted(o.indicators.all(), key=lambda i: i.pk)
            ],
        }
        for o in instance.outcomes.all()
    ]
    state["links"] = [
        {
            "id": link.pk,
            "source_id": link.source_id,
            "target_id": link.target_id,
            "rationale": link.rationale,
            "kind": link.kind,
        }
        for link in instance.links.all()
    ]
    state["interventions"] = [
        {
            "id": i.pk,
            "text": i.text,
            "outputs": i.outputs,
            "outcome_ids": sorted(o.pk for o in i.outcomes.all()),
        }
        for i in instance.interventions.all()
    ]
    state["assumptions"] = [
        {"id": a.pk, "text": a.text, "status": a.status, "link_id": a.link_id, "outcome_id": a.outcome_id}
        for a in instance.assumptions.all()
    ]
    return state


def _num(value):
    return None if value is None else str(value)


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
