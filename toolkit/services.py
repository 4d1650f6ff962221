"""Writes on tools: plain functions, keyword-only, atomic, permission-checked.

Every content write takes `expected_version` (the `ToolInstance.version` the writer last saw). When
given, the write only goes through if nobody changed the tool since: a conditional
`UPDATE ... SET version = version + 1 WHERE version = expected` that exactly one writer can win;
the loser gets `VersionConflict` (409 in the API, a friendly message in forms). Without it (e.g.
internal callers adding an element, which never overwrites anyone) the version is still bumped.

The status is what a person chose: an edit never changes it (accepting a client's contribution
included). Completeness is computed from the content (`validation.completeness`); a tool marked
complete whose content no longer passes (an entry deleted since) is flagged where it is shown
(`validation.status_warning`), and the accelerator does not count it as complete.

Errors are `ValidationError` keyed by field name, or `PermissionDenied`. Reads (the content of a
tool, `instance_state`, its current version) are the selectors'.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microprojects.models import Indicator, MicroProject
from sempre.rules import require

from .models import (
    Assumption,
    CausalLink,
    Entry,
    Intervention,
    Outcome,
    Snapshot,
    ToolInstance,
    ToolTemplate,
)
from .selectors import instance_state, tool_version, tool_with_content
from .validation import findings

MAX_TEXT = 2000
# Blocks whose entries may point to other parts of the system.
INDICATOR_BLOCK = "impact_measures"
INTERVENTION_BLOCK = "key_activities"


class VersionConflict(Exception):
    """Somebody else changed the tool after `expected_version`."""

    def __init__(self, instance: ToolInstance, expected_version: int):
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = tool_version(instance.pk)
        super().__init__(
            _(
                "Someone else changed this tool while you were working on it (you had version %(expected)s, "
                "it is now version %(current)s). Nothing was saved: check the current content and try again."
            )
            % {"expected": expected_version, "current": self.current_version}
        )


# What someone who may not change a tool is told; lazy, so in the language of the request.
REFUSED = gettext_lazy("You may not change this tool.")


def parse_version(value) -> int | None:
    """A version from a form field, an If-Match header value or an int; None when absent."""
    if value is None or value == "" or value == "*":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit():
        raise ValidationError({"version": _("“%(value)s” is not a tool version.") % {"value": value}})
    return int(text)


def _touch(instance: ToolInstance, expected_version) -> ToolInstance:
    """Claim the next version (or fail with VersionConflict). Called first in every write, so a
    conflict leaves nothing half-written; a later ValidationError rolls the claim back."""
    expected = parse_version(expected_version)
    rows = ToolInstance.objects.filter(pk=instance.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        raise VersionConflict(instance, expected)
    instance.refresh_from_db(fields=["version", "status", "updated_at"])
    return instance


def _clean_text(value, field="text", *, max_length=MAX_TEXT) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("Please write something.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please keep it under %(max)d characters (now %(length)d).")
                % {"max": max_length, "length": len(text)}
            }
        )
    return text


def _require_graph(instance: ToolInstance):
    if not instance.template.is_graph:
        raise ValidationError(
            {"template": _("Only a Theory of Change has outcomes, links and interventions.")}
        )


def _require_canvas(instance: ToolInstance):
    if instance.template.is_graph:
        raise ValidationError({"template": _("A Theory of Change holds outcomes, not entries.")})


# Tools --------------------------------------------------------------------------------------------


@transaction.atomic
def tool_create(*, project: MicroProject, template: ToolTemplate | str, by, title: str = "") -> ToolInstance:
    require(by, "toolkit.add_toolinstance", project, message=REFUSED)
    if isinstance(template, str):
        found = ToolTemplate.objects.filter(slug=template).first()
        if found is None:
            raise ValidationError({"template": _("There is no tool “%(slug)s”.") % {"slug": template}})
        template = found
    instance = ToolInstance(project=project, template=template, title=(title or "").strip(), created_by=by)
    instance.full_clean(exclude=["project", "template", "created_by"])
    instance.save()
    return instance


@transaction.atomic
def tool_update(
    *, instance: ToolInstance, by, expected_version=None, title: str | None = None, status: str | None = None
) -> ToolInstance:
    """Rename, or move between draft and complete. Completing is refused with the list of findings
    while any remain. Repeating the current values is a no-op."""
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    changes = {}
    if title is not None and title.strip() != instance.title:
        changes["title"] = title.strip()
    if status is not None and status != instance.status:
        if status not in ToolInstance.Status.values:
            raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
        changes["status"] = status
    if not changes:
        return instance
    if len(changes.get("title", "")) > 200:
        raise ValidationError({"title": _("Please keep the title under 200 characters.")})
    _touch(instance, expected_version)
    if changes.get("status") == ToolInstance.Status.COMPLETE:
        problems = findings(tool_with_content(instance.pk))
        if problems:
            raise ValidationError(
                {"status": [_("This tool cannot be marked complete yet:"), *(p.message for p in problems)]}
            )
    ToolInstance.objects.filter(pk=instance.pk).update(**changes)
    for field, value in changes.items():
        setattr(instance, field, value)
    return instance


@transaction.atomic
def tool_delete(*, instance: ToolInstance, by, expected_version=None) -> None:
    require(by, "toolkit.delete_toolinstance", instance, message=REFUSED)
    _touch(instance, expected_version)
    try:
        instance.delete()
    except ProtectedError:
        # e.g. a snapshot an accelerator application holds on to
        raise ValidationError(
            {"instance": _("This tool is part of an accelerator application (its snapshot), so it is kept.")}
        ) from None


# Canvas entries -----------------------------------------------------------------------------------


def _check_entry_links(instance: ToolInstance, block_key: str, indicator, intervention):
    if indicator is not None:
        if block_key != INDICATOR_BLOCK:
            raise ValidationError({"indicator": _("Only impact measures can point to an indicator.")})
        if indicator.project_id != instance.project_id:
            raise ValidationError({"indicator": _("Choose an indicator of this project.")})
    if intervention is not None:
        if block_key != INTERVENTION_BLOCK:
            raise ValidationError({"intervention": _("Only key activities can point to an intervention.")})
        if intervention.instance.project_id != instance.project_id:
            raise ValidationError(
                {"intervention": _("Choose an intervention of this project's Theory of Change.")}
            )


@transaction.atomic
def entry_add(
    *,
    instance: ToolInstance,
    block_key: str,
    text: str,
    by,
    source: str = Entry.Source.STAFF,
    client_label: str = "",
    expected_version=None,
    language: str = "",
    indicator: Indicator | None = None,
    intervention: Intervention | None = None,
) -> Entry:
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _require_canvas(instance)
    _touch(instance, expected_version)
    if not instance.template.blocks.filter(key=block_key).exists():
        raise ValidationError({"block_key": _("This tool has no block “%(key)s”.") % {"key": block_key}})
    if source not in Entry.Source.values:
        raise ValidationError({"source": _("Unknown source “%(source)s”.") % {"source": source}})
    _check_entry_links(instance, block_key, indicator, intervention)
    last = instance.entries.filter(block_key=block_key).aggregate(last=Max("order"))["last"] or 0
    entry = Entry(
        instance=instance,
        block_key=block_key,
        text=_clean_text(text),
        order=last + 1,
        author=by,
        source=source,
        client_label=(client_label or "").strip()[:80],
        language=language or "",
        indicator=indicator,
        intervention=intervention,
    )
    entry.save()
    return entry


UNSET = object()


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    by,
    expected_version=None,
    text: str | None = None,
    indicator=UNSET,
    intervention=UNSET,
) -> Entry:
    """Change an entry's text or links (indicator/intervention: pass None to unlink)."""
    instance = entry.instance
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _touch(instance, expected_version)
    if text is not None:
        entry.text = _clean_text(text)
    if indicator is not UNSET:
        entry.indicator = indicator
    if intervention is not UNSET:
        entry.intervention = intervention
    _check_entry_links(instance, entry.block_key, entry.indicator, entry.intervention)
    entry.save()
    return entry


@transaction.atomic
def entry_move(*, entry: Entry, by, direction: str, expected_version=None) -> Entry:
    """Move an entry one place up or down within its block (keyboard-friendly reordering)."""
    instance = entry.instance
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move “up” or “down”.")})
    _touch(instance, expected_version)
    siblings = list(instance.entries.filter(block_key=entry.block_key).order_by("order", "id"))
    index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            Entry.objects.filter(pk=sibling.pk).update(order=order)
        if sibling.pk == entry.pk:
            entry.order = order
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, by, expected_version=None) -> None:
    require(by, "toolkit.change_toolinstance", entry.instance, message=REFUSED)
    _touch(entry.instance, expected_version)
    entry.delete()


# Theory of Change ---------------------------------------------------------------------------------


def _check_level(level):
    if level not in Outcome.Level.values:
        raise ValidationError(
            {
                "level": _("Choose one of: %(levels)s.")
                % {"levels": ", ".join(str(label) for label in Outcome.Level.labels)}
            }
        )


def _check_indicators(instance, indicators) -> list[Indicator]:
    indicators = list(indicators)
    if any(indicator.project_id != instance.project_id for indicator in indicators):
        raise ValidationError({"indicators": _("Choose indicators of this project.")})
    return indicators


def _check_outcomes(instance, outcomes, field="outcomes") -> list[Outcome]:
    outcomes = list(outcomes)
    if any(outcome.instance_id != instance.pk for outcome in outcomes):
        raise ValidationError({field: _("Choose outcomes of this Theory of Change.")})
    return outcomes


@transaction.atomic
def outcome_add(
    *,
    instance: ToolInstance,
    text: str,
    level: str,
    by,
    above_ceiling: bool | None = None,
    indicators=(),
    expected_version=None,
) -> Outcome:
    """Add an outcome. `above_ceiling` defaults to True for the impact only."""
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _require_graph(instance)
    _touch(instance, expected_version)
    _check_level(level)
    indicators = _check_indicators(instance, indicators)
    last = instance.outcomes.aggregate(last=Max("order"))["last"] or 0
    outcome = Outcome.objects.create(
        instance=instance,
        text=_clean_text(text, max_length=300),
        level=level,
        above_ceiling=(level == Outcome.Level.IMPACT) if above_ceiling is None else above_ceiling,
        order=last + 1,
    )
    outcome.indicators.set(indicators)
    return outcome


@transaction.atomic
def outcome_update(
    *, outcome: Outcome, by, expected_version=None, text=None, level=None, above_ceiling=None, indicators=None
) -> Outcome:
    instance = outcome.instance
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _touch(instance, expected_version)
    if text is not None:
        outcome.text = _clean_text(text, max_length=300)
    if level is not None:
        _check_level(level)
        outcome.level = level
    if above_ceiling is not None:
        outcome.above_ceiling = above_ceiling
    outcome.save()
    if indicators is not None:
        outcome.indicators.set(_check_indicators(instance, indicators))
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, by, expected_version=None) -> None:
    """Delete an outcome with its links and the assumptions attached to them."""
    require(by, "toolkit.change_toolinstance", outcome.instance, message=REFUSED)
    _touch(outcome.instance, expected_version)
    outcome.delete()


@transaction.atomic
def link_add(
    *,
    instance: ToolInstance,
    source: Outcome,
    target: Outcome,
    by,
    rationale: str = "",
    kind: str = CausalLink.Kind.CAUSAL,
    expected_version=None,
) -> CausalLink:
    """Link two outcomes: `source` leads to `target`. A link that closes a cycle is allowed here and
    reported by the validation (as a warning in draft), unless it is marked as a feedback link."""
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _require_graph(instance)
    _touch(instance, expected_version)
    _check_outcomes(instance, [source], "source")
    _check_outcomes(instance, [target], "target")
    if kind not in CausalLink.Kind.values:
        raise ValidationError({"kind": _("A link is causal or feedback.")})
    if CausalLink.objects.filter(source=source, target=target).exists():
        raise ValidationError(
            {
                "target": _("%(source)s already leads to %(target)s.")
                % {"source": f"“{source}”", "target": f"“{target}”"}
            }
        )
    return CausalLink.objects.create(
        instance=instance, source=source, target=target, rationale=(rationale or "").strip(), kind=kind
    )


@transaction.atomic
def link_update(*, link: CausalLink, by, expected_version=None, rationale=None, kind=None) -> CausalLink:
    require(by, "toolkit.change_toolinstance", link.instance, message=REFUSED)
    _touch(link.instance, expected_version)
    if rationale is not None:
        link.rationale = rationale.strip()
    if kind is not None:
        if kind not in CausalLink.Kind.values:
            raise ValidationError({"kind": _("A link is causal or feedback.")})
        link.kind = kind
    link.save()
    return link


@transaction.atomic
def link_delete(*, link: CausalLink, by, expected_version=None) -> None:
    require(by, "toolkit.change_toolinstance", link.instance, message=REFUSED)
    _touch(link.instance, expected_version)
    link.delete()


@transaction.atomic
def intervention_add(
    *, instance: ToolInstance, text: str, by, outputs: str = "", outcomes=(), expected_version=None
) -> Intervention:
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _require_graph(instance)
    _touch(instance, expected_version)
    outcomes = _check_outcomes(instance, outcomes)
    last = instance.interventions.aggregate(last=Max("order"))["last"] or 0
    intervention = Intervention.objects.create(
        instance=instance,
        text=_clean_text(text, max_length=300),
        outputs=(outputs or "").strip(),
        order=last + 1,
    )
    intervention.outcomes.set(outcomes)
    return intervention


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, by, expected_version=None, text=None, outputs=None, outcomes=None
) -> Intervention:
    instance = intervention.instance
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _touch(instance, expected_version)
    if text is not None:
        intervention.text = _clean_text(text, max_length=300)
    if outputs is not None:
        intervention.outputs = outputs.strip()
    intervention.save()
    if outcomes is not None:
        intervention.outcomes.set(_check_outcomes(instance, outcomes))
    return intervention


@transaction.atomic
def intervention_delete(*, intervention: Intervention, by, expected_version=None) -> None:
    require(by, "toolkit.change_toolinstance", intervention.instance, message=REFUSED)
    _touch(intervention.instance, expected_version)
    intervention.delete()


def _check_attachment(instance, link, outcome):
    if (link is None) == (outcome is None):
        raise ValidationError({"link": _("Attach the assumption either to a link or to an outcome.")})
    if link is not None and link.instance_id != instance.pk:
        raise ValidationError({"link": _("Choose a link of this Theory of Change.")})
    if outcome is not None:
        _check_outcomes(instance, [outcome], "outcome")


@transaction.atomic
def assumption_add(
    *,
    instance: ToolInstance,
    text: str,
    by,
    link: CausalLink | None = None,
    outcome: Outcome | None = None,
    status: str = Assumption.Status.UNTESTED,
    expected_version=None,
) -> Assumption:
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _require_graph(instance)
    _touch(instance, expected_version)
    _check_attachment(instance, link, outcome)
    if status not in Assumption.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    return Assumption.objects.create(
        instance=instance, text=_clean_text(text), link=link, outcome=outcome, status=status
    )


@transaction.atomic
def assumption_update(
    *, assumption: Assumption, by, expected_version=None, text=None, status=None, link=UNSET, outcome=UNSET
) -> Assumption:
    instance = assumption.instance
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    _touch(instance, expected_version)
    if text is not None:
        assumption.text = _clean_text(text)
    if status is not None:
        if status not in Assumption.Status.values:
            raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
        assumption.status = status
    if link is not UNSET:
        assumption.link = link
    if outcome is not UNSET:
        assumption.outcome = outcome
    _check_attachment(instance, assumption.link, assumption.outcome)
    assumption.save()
    return assumption


@transaction.atomic
def assumption_delete(*, assumption: Assumption, by, expected_version=None) -> None:
    require(by, "toolkit.change_toolinstance", assumption.instance, message=REFUSED)
    _touch(assumption.instance, expected_version)
    assumption.delete()


# Snapshots ----------------------------------------------------------------------------------------


@transaction.atomic
def snapshot_create(*, instance: ToolInstance, by, note: str = "") -> Snapshot:
    """Freeze the tool's current content. Idempotent: when the newest snapshot already holds this
    version with the same note, that snapshot is returned."""
    require(by, "toolkit.change_toolinstance", instance, message=REFUSED)
    locked = ToolInstance.objects.select_for_update().get(pk=instance.pk)
    note = (note or "").strip()[:300]
    latest = locked.snapshots.order_by("-number").first()
    if latest is not None and latest.instance_version == locked.version and latest.note == note:
        return latest
    return Snapshot.objects.create(
        instance=locked,
        number=(latest.number + 1) if latest else 1,
        note=note,
        instance_version=locked.version,
        data=instance_state(tool_with_content(instance.pk)),
        created_by=by,
    )


# Adapting another project's tool ----------------------------------------------------------------


def _frozen_text(value, max_length=MAX_TEXT) -> str:
    """A text read from a snapshot: valid when frozen, cut to what the field holds now."""
    return (value or "").strip()[:max_length]


@transaction.atomic
def tool_adapt_from_snapshot(
    *, snapshot: Snapshot, project: MicroProject, by, adapted_from: str
) -> ToolInstance:
    """A new tool in `project` holding the content of `snapshot` (another project's frozen tool),
    marked as adapted from it (`adapted_from`: in words, such as the practice case's title).

    What is copied is the team's own work: a canvas's staff entries (never a client's
    contribution, never an author or a pseudonym), a Theory of Change's outcomes, links,
    interventions and assumptions. Indicators belong to the other project and are not copied; the
    new team sets its own. The caller checks that `by` may read the snapshot."""
    require(by, "toolkit.add_toolinstance", project, message=REFUSED)
    state = snapshot.data or {}
    template = snapshot.instance.template
    title = (state.get("title") or "").strip()[:200]
    instance = ToolInstance.objects.create(
        project=project,
        template=template,
        title=title,
        created_by=by,
        adapted_from=(adapted_from or "").strip()[:300],
        adapted_from_snapshot=snapshot,
    )
    if not template.is_graph:
        keys = set(template.blocks.values_list("key", flat=True))
        Entry.objects.bulk_create(
            Entry(
                instance=instance,
                block_key=e["block_key"],
                text=_frozen_text(e.get("text")),
                order=e.get("order", 0),
                author=by,
                source=Entry.Source.STAFF,
            )
            for e in state.get("entries", [])
            if e.get("source", Entry.Source.STAFF) == Entry.Source.STAFF
            and e.get("block_key") in keys
            and (e.get("text") or "").strip()
        )
        return instance
    outcomes = {}
    for order, o in enumerate(state.get("outcomes", []), start=1):
        outcomes[o["id"]] = Outcome.objects.create(
            instance=instance,
            text=_frozen_text(o.get("text"), 300),
            level=o.get("level") if o.get("level") in Outcome.Level.values else Outcome.Level.EARLY,
            above_ceiling=bool(o.get("above_ceiling")),
            order=order,
        )
    links, pairs = {}, set()
    for link in state.get("links", []):
        source, target = outcomes.get(link.get("source_id")), outcomes.get(link.get("target_id"))
        if source is None or target is None or source == target or (source, target) in pairs:
            continue
        pairs.add((source, target))
        links[link["id"]] = CausalLink.objects.create(
            instance=instance,
            source=source,
            target=target,
            rationale=_frozen_text(link.get("rationale")),
            kind=link.get("kind") if link.get("kind") in CausalLink.Kind.values else CausalLink.Kind.CAUSAL,
        )
    for i in state.get("interventions", []):
        intervention = Intervention.objects.create(
            instance=instance, text=_frozen_text(i.get("text"), 300), outputs=_frozen_text(i.get("outputs"))
        )
        intervention.outcomes.set([outcomes[pk] for pk in i.get("outcome_ids", []) if pk in outcomes])
    for a in state.get("assumptions", []):
        link, outcome = links.get(a.get("link_id")), outcomes.get(a.get("outcome_id"))
        if link is None and outcome is None:
            continue
        Assumption.objects.create(
            instance=instance,
            text=_frozen_text(a.get("text")),
            status=a.get("status")
            if a.get("status") in Assumption.Status.values
            else Assumption.Status.UNTESTED,
            link=link,
            outcome=None if link is not None else outcome,
        )
    return instance
