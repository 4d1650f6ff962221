"""A frozen tool (a snapshot's `data`, see `selectors.instance_state`) as unsaved model objects, so
what reads a live tool (the diagram, the findings, completeness) reads a snapshot the same way,
without a query: the relations are filled in as if prefetched."""

from __future__ import annotations

from decimal import Decimal

from microprojects.models import Indicator

from .models import Assumption, CausalLink, Entry, Intervention, Outcome, ToolInstance, ToolTemplate


def _prefetched(instance, name: str, objects: list) -> None:
    """Make `instance.<name>.all()` return `objects` without a query (as prefetch_related does)."""
    manager = getattr(instance, name)  # its prefetch cache is keyed by the accessor's name
    queryset = manager.model._default_manager.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def instance_from_state(state: dict, *, template: ToolTemplate, pk: int) -> ToolInstance:
    """An unsaved ToolInstance holding the frozen content. `pk` names it (the diagram's element ids):
    give the snapshot's id. `template` with its blocks prefetched (`blocks.all()` is read)."""
    instance = ToolInstance(
        pk=pk, template=template, title=state.get("title", ""), status=state.get("status", "")
    )
    if not template.is_graph:
        _prefetched(
            instance,
            "entries",
            [
                Entry(pk=e["id"], block_key=e["block_key"], text=e["text"], order=e.get("order", 0))
                for e in state.get("entries", [])
            ],
        )
        return instance
    outcomes = {}
    for o in state.get("outcomes", []):
        outcome = Outcome(
            pk=o["id"], text=o["text"], level=o["level"], above_ceiling=o.get("above_ceiling", False)
        )
        _prefetched(
            outcome,
            "indicators",
            [
                Indicator(
                    pk=i["id"],
                    name=i["name"],
                    unit=i.get("unit", ""),
                    baseline=_decimal(i.get("baseline")),
                    target=_decimal(i.get("target")),
                )
                for i in o.get("indicators", [])
            ],
        )
        outcomes[outcome.pk] = outcome
    links = [
        CausalLink(
            pk=link["id"],
            source=outcomes[link["source_id"]],
            target=outcomes[link["target_id"]],
            rationale=link.get("rationale", ""),
            kind=link.get("kind", CausalLink.Kind.CAUSAL),
        )
        for link in state.get("links", [])
        if link["source_id"] in outcomes and link["target_id"] in outcomes
    ]
    interventions = []
    for i in state.get("interventions", []):
        intervention = Intervention(pk=i["id"], text=i["text"], outputs=i.get("outputs", ""))
        _prefetched(
            intervention, "outcomes", [outcomes[pk] for pk in i.get("outcome_ids", []) if pk in outcomes]
        )
        interventions.append(intervention)
    assumptions = [
        Assumption(
            pk=a["id"],
            text=a["text"],
            status=a.get("status", ""),
            link_id=a.get("link_id"),
            outcome_id=a.get("outcome_id"),
        )
        for a in state.get("assumptions", [])
    ]
    _prefetched(instance, "outcomes", list(outcomes.values()))
    _prefetched(instance, "links", links)
    _prefetched(instance, "interventions", interventions)
    _prefetched(instance, "assumptions", assumptions)
    return instance
