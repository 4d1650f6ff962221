"""What every tool page shares: looking the tool up (404 when one may not see it, 403 when one may
see but not change it), rendering the canvas board or the Theory of Change editor, and answering a
write (the refreshed board, a redirect, 409 on a stale version, 400 on invalid input)."""

import json

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from sempre.rules import require

from ..diagram import toc_svg
from ..forms import AssumptionForm, EntryForm, InterventionForm, LinkForm, OutcomeForm, ToolUpdateForm
from ..models import Entry, Outcome, ToolInstance
from ..selectors import tool_detail
from ..services import VersionConflict
from ..validation import completeness, findings, status_warning


def tool_or_404(request, pk) -> ToolInstance:
    return get_object_or_404(tool_detail(request.user), pk=pk)


def tool_to_change(request, pk) -> ToolInstance:
    """The tool, for a view that changes it: 404 when one may not see it, 403 when one may see but
    not change it (a coordinator), before any input is looked at."""
    instance = tool_or_404(request, pk)
    require(request.user, "toolkit.change_toolinstance", instance)
    return instance


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for errors in error.error_dict.values() for e in errors for m in e.messages]
    return [str(m) for m in error.messages]


def form_errors(form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}: {m}".lstrip(": ")
        for f, ms in form.errors.items()
        for m in ms
    ]


def _board_context(request, instance: ToolInstance, **extra) -> dict:
    can_edit = request.user.has_perm("toolkit.change_toolinstance", instance)
    found = findings(instance)
    context = {
        "instance": instance,
        "project": instance.project,
        "template": instance.template,
        "can_edit": can_edit,
        "completeness": completeness(instance),
        "findings": [(finding, _fix_url(instance, finding)) for finding in found],
        "status_warning": status_warning(instance, found),
        "status_form": ToolUpdateForm(
            initial={"title": instance.title, "status": instance.status, "version": instance.version}
        ),
        **extra,
    }
    if instance.template.is_graph:
        context["diagram"] = toc_svg(instance)
        context.update(_toc_forms(instance, extra.get("bound_forms", {})))
        outcomes = list(instance.outcomes.all())
        context["outcomes_by_level"] = [
            (level, label, [o for o in outcomes if o.level == level])
            for level, label in Outcome.Level.choices
        ]
        context["outcome_names"] = {o.pk: o.text for o in outcomes}
    else:
        grouped: dict[str, list[Entry]] = {}
        for entry in instance.entries.all():
            grouped.setdefault(entry.block_key, []).append(entry)
        context["blocks"] = [
            {"block": block, "text": block.text(), "entries": grouped.get(block.key, [])}
            for block in instance.template.blocks.all()
        ]
        context["entry_form"] = EntryForm(instance=instance)
    return context


def _fix_url(instance: ToolInstance, finding) -> str:
    """Where to fix a finding: the edit page of the element it names first, or the add form."""
    for kind, key in finding.elements:
        if kind in ("outcome", "link"):
            return reverse("toolkit:toc-edit", args=[instance.pk, kind, key])
        if kind == "block":
            return f"#add-{key}"
    return "#add-heading" if instance.template.is_graph else ""


def _toc_forms(instance, bound: dict) -> dict:
    version = {"version": instance.version}
    return {
        "outcome_form": bound.get("outcome")
        or OutcomeForm(instance=instance, initial=version, prefix="outcome"),
        "link_form": bound.get("link") or LinkForm(instance=instance, initial=version, prefix="link"),
        "intervention_form": bound.get("intervention")
        or InterventionForm(instance=instance, initial=version, prefix="intervention"),
        "assumption_form": bound.get("assumption")
        or AssumptionForm(instance=instance, initial=version, prefix="assumption"),
    }


def render_tool(request, pk, *, status=200, **extra):
    """The tool page, or with htmx its board (canvas) or editor (Theory of Change) alone."""
    instance = tool_or_404(request, pk)
    context = _board_context(request, instance, **extra)
    if request.htmx:
        partial = "toolkit/_toc_editor.html" if instance.template.is_graph else "toolkit/_board.html"
        response = render(request, partial, context, status=status)
        if extra.get("focus"):  # toolkit.js moves the keyboard focus back to where the person was
            response["HX-Trigger-After-Settle"] = json.dumps({"tkFocus": {"id": extra["focus"]}})
        return response
    return render(request, "toolkit/tool_detail.html", context, status=status)


def write(
    request, instance: ToolInstance, action, *, anchor="", conflict_extra=None, error_extra=None, **extra
):
    """Run a service call and answer: the refreshed board/editor (htmx) or a redirect; on a stale
    version a 409 with the message; on invalid input a 400 with the errors."""
    try:
        action()
    except VersionConflict as conflict:
        return render_tool(request, instance.pk, status=409, conflict=str(conflict), **(conflict_extra or {}))
    except ValidationError as error:
        return render_tool(
            request, instance.pk, status=400, errors=error_messages(error), **(error_extra or {})
        )
    if not request.htmx:
        return redirect(reverse("toolkit:tool", args=[instance.pk]) + (f"#{anchor}" if anchor else ""))
    return render_tool(request, instance.pk, **extra)
