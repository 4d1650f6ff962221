"""Findings about a tool instance, in plain words naming the elements involved.

For the Theory of Change: causal links form no cycle (feedback links excepted), exactly one impact,
every outcome leads to the impact, no orphans, every outcome below the ceiling of accountability has
an indicator with a baseline and a target, every link has a rationale. For canvases: no empty block.
In a draft these are shown as warnings; marking the tool complete is refused while any remain.

The functions read `instance.outcomes.all()` etc., so with `selectors.with_content` prefetched they
run no query at all.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CausalLink, Outcome, ToolInstance


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    # ("outcome", id), ("link", id), ("block", key) ... so a UI can point at them.
    elements: tuple = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "elements": [list(e) for e in self.elements]}


@dataclass(frozen=True)
class Completeness:
    filled: int
    total: int
    empty_blocks: list  # Block objects, in template order

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 100

    @property
    def empty_labels(self) -> list[str]:
        return [block.display_label for block in self.empty_blocks]

    def as_dict(self) -> dict:
        return {
            "filled": self.filled,
            "total": self.total,
            "percent": self.percent,
            "empty_blocks": [{"key": b.key, "label": b.display_label} for b in self.empty_blocks],
        }


def q(text) -> str:
    """An element's text as quoted in a finding."""
    return f"“{text}”"


def completeness(instance: ToolInstance) -> Completeness:
    """Blocks with at least one element / all blocks, naming the empty ones. For the Theory of Change
    the blocks are the outcome levels, interventions and assumptions."""
    blocks = list(instance.template.blocks.all())
    if instance.template.is_graph:
        filled_keys = {outcome.level for outcome in instance.outcomes.all()}
        if instance.interventions.all():
            filled_keys.add("interventions")
        if instance.assumptions.all():
            filled_keys.add("assumptions")
    else:
        filled_keys = {entry.block_key for entry in instance.entries.all()}
    empty = [block for block in blocks if block.key not in filled_keys]
    return Completeness(filled=len(blocks) - len(empty), total=len(blocks), empty_blocks=empty)


def canvas_status_warning(*, total: int, empty_labels: list[str]) -> str:
    """What a canvas marked complete says once some of its blocks are empty again, in the facts its
    board shows; the accelerator's eligibility check quotes the same sentence."""
    return ngettext(
        "Marked complete, but %(empty)s of its %(total)s blocks is empty now: %(blocks)s.",
        "Marked complete, but %(empty)s of its %(total)s blocks are empty now: %(blocks)s.",
        len(empty_labels),
    ) % {"empty": len(empty_labels), "total": total, "blocks": ", ".join(empty_labels)}


def status_warning(instance: ToolInstance, found: list[Finding] | None = None) -> str:
    """ "" unless the tool is marked complete and its content no longer passes (an entry deleted
    since, a contribution withdrawn): the status a person chose stays, and this says so plainly."""
    if not instance.is_complete:
        return ""
    if not instance.template.is_graph:
        state = completeness(instance)
        if not state.empty_blocks:
            return ""
        return canvas_status_warning(total=state.total, empty_labels=state.empty_labels)
    found = findings(instance) if found is None else found
    if not found:
        return ""
    return ngettext(
        "Marked complete, but the check now finds %(count)s problem to fix.",
        "Marked complete, but the check now finds %(count)s problems to fix.",
        len(found),
    ) % {"count": len(found)}


def findings(instance: ToolInstance) -> list[Finding]:
    if instance.template.is_graph:
        return toc_findings(instance)
    return canvas_findings(instance)


def canvas_findings(instance: ToolInstance) -> list[Finding]:
    return [
        Finding(
            "empty_block",
            _("The block %(block)s is still empty.") % {"block": q(block.display_label)},
            (("block", block.key),),
        )
        for block in completeness(instance).empty_blocks
    ]


def _ordered_cycle(component: set[int], graph: dict[int, list[int]], rank) -> list[int]:
    """A cycle inside a strongly connected component, starting at its first outcome."""
    start = min(component, key=rank)
    path, seen = [start], {start}

    def walk(node) -> bool:
        for nxt in sorted(graph[node], key=rank):
            if nxt == start:
                return True
            if nxt in component and nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                if walk(nxt):
                    return True
                path.pop()
        return False

    walk(start)
    return path


def _strongly_connected(nodes: list[int], graph: dict[int, list[int]]) -> list[set[int]]:
    """Tarjan's algorithm, iterative (graphs may be deep)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                result.append(component)
    return result


def toc_findings(instance: ToolInstance) -> list[Finding]:
    outcomes = list(instance.outcomes.all())
    links = list(instance.links.all())
    interventions = list(instance.interventions.all())
    by_id = {o.pk: o for o in outcomes}
    position = {o.pk: i for i, o in enumerate(outcomes)}

    def rank(pk):
        return position.get(pk, len(position))

    result: list[Finding] = []
    causal = [link for link in links if link.kind == CausalLink.Kind.CAUSAL]
    graph: dict[int, list[int]] = defaultdict(list)
    incoming: dict[int, list[int]] = defaultdict(list)
    for link in causal:
        graph[link.source_id].append(link.target_id)
        incoming[link.target_id].append(link.source_id)

    # 1. No cycles among causal links.
    for link in causal:
        if link.source_id == link.target_id:
            result.append(
                Finding(
                    "self_loop",
                    _("%(outcome)s is linked to itself. Remove that link.")
                    % {"outcome": q(by_id[link.source_id])},
                    (("link", link.pk), ("outcome", link.source_id)),
                )
            )
    components = _strongly_connected(sorted(by_id, key=rank), graph)
    for component in sorted((c for c in components if len(c) > 1), key=lambda c: min(map(rank, c))):
        cycle = _ordered_cycle(component, graph, rank)
        names = " → ".join(q(by_id[pk]) for pk in [*cycle, cycle[0]])
        result.append(
            Finding(
                "cycle",
                _(
                    "These outcomes lead round in a circle: %(cycle)s. Remove one of these links or mark it "
                    "as a feedback link."
                )
                % {"cycle": names},
                tuple(("outcome", pk) for pk in cycle),
            )
        )

    # 2. Exactly one impact.
    impacts = [o for o in outcomes if o.level == Outcome.Level.IMPACT]
    if not impacts:
        result.append(
            Finding(
                "no_impact",
                _(
                    "There is no impact yet: add the one long-term change the project "
                    "contributes to, at the level “Impact”."
                ),
            )
        )
    elif len(impacts) > 1:
        result.append(
            Finding(
                "several_impacts",
                ngettext(
                    "There is %(count)d impact (%(names)s); a Theory of Change has exactly one. "
                    "Keep one and make the others long-term outcomes.",
                    "There are %(count)d impacts (%(names)s); a Theory of Change has exactly one. "
                    "Keep one and make the others long-term outcomes.",
                    len(impacts),
                )
                % {"count": len(impacts), "names": ", ".join(q(o) for o in impacts)},
                tuple(("outcome", o.pk) for o in impacts),
            )
        )

    # 3. Every outcome has a path to the impact.
    if impacts:
        reached = {o.pk for o in impacts}
        frontier = list(reached)
        while frontier:
            node = frontier.pop()
            for source in incoming[node]:
                if source not in reached:
                    reached.add(source)
                    frontier.append(source)
        cut_off = [o for o in outcomes if o.pk not in reached]
        if cut_off:
            result.append(
                Finding(
                    "no_path_to_impact",
                    ngettext(
                        "%(names)s does not lead to the impact %(impact)s: link it into the chain.",
                        "%(names)s do not lead to the impact %(impact)s: link them into the chain.",
                        len(cut_off),
                    )
                    % {"names": ", ".join(q(o) for o in cut_off), "impact": q(impacts[0])},
                    tuple(("outcome", o.pk) for o in cut_off),
                )
            )

    # 4. No orphans.
    served = {outcome.pk for intervention in interventions for outcome in intervention.outcomes.all()}
    for outcome in outcomes:
        if outcome.level == Outcome.Level.EARLY:
            if outcome.pk not in served:
                result.append(
                    Finding(
                        "early_without_intervention",
                        _(
                            "No intervention works towards the early outcome %(outcome)s: "
                            "add one or attach an existing one."
                        )
                        % {"outcome": q(outcome)},
                        (("outcome", outcome.pk),),
                    )
                )
        elif not [s for s in incoming[outcome.pk] if s != outcome.pk]:
            result.append(
                Finding(
                    "orphan",
                    _("Nothing leads to %(outcome)s: link an outcome from the level below to it.")
                    % {"outcome": q(outcome)},
                    (("outcome", outcome.pk),),
                )
            )

    # 5. Indicators below the ceiling of accountability.
    for outcome in outcomes:
        if outcome.above_ceiling:
            continue
        indicators = list(outcome.indicators.all())
        if not indicators:
            result.append(
                Finding(
                    "missing_indicator",
                    _("%(outcome)s has no indicator: how will you know it happened?")
                    % {"outcome": q(outcome)},
                    (("outcome", outcome.pk),),
                )
            )
        elif not any(i.baseline is not None and i.target is not None for i in indicators):
            result.append(
                Finding(
                    "indicator_incomplete",
                    _("The indicator %(indicator)s of %(outcome)s needs a baseline and a target.")
                    % {"indicator": ", ".join(q(i) for i in indicators), "outcome": q(outcome)},
                    (("outcome", outcome.pk), *(("indicator", i.pk) for i in indicators)),
                )
            )

    # 6. Every link has a rationale.
    for link in links:
        if not link.rationale.strip():
            result.append(
                Finding(
                    "missing_rationale",
                    _(
                        "The link from %(source)s to %(target)s has no rationale: "
                        "say why the one leads to the other."
                    )
                    % {"source": q(by_id[link.source_id]), "target": q(by_id[link.target_id])},
                    (("link", link.pk),),
                )
            )
    return result
