"""Web views (thin): the project's tools, the canvas board, the Theory of Change editor, snapshots
and diffs, PDFs. Every write posts a form (works without JavaScript); with htmx the board or the
editor is swapped in place. A stale version answers 409 with a friendly message and the current
content, keeping what the person typed."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microprojects.selectors import projects_visible_to

from . import services
from .diagram import toc_svg
from .export import blank_pdf, tool_pdf
from .forms import (
    AssumptionForm,
    EntryForm,
    InterventionForm,
    LinkEditForm,
    LinkForm,
    MoveForm,
    OutcomeForm,
    SnapshotForm,
    ToolCreateForm,
    ToolUpdateForm,
)
from .models import Assumption, CausalLink, Entry, Intervention, Outcome, ToolInstance
from .selectors import (
    snapshots_of,
    templates_available,
    tool_detail,
    tool_diff,
    tools_of_project,
    tools_visible_to,
)
from .services import UNSET, VersionConflict
from .validation import completeness, findings


def _tool(request, pk) -> ToolInstance:
    return get_object_or_404(tool_detail(request.user), pk=pk)


def _can_edit(user, instance) -> bool:
    return user.has_perm("toolkit.change_toolinstance", instance)


def _tool_to_change(request, pk) -> ToolInstance:
    """The tool, for a view that changes it: 404 when one may not see it, 403 when one may see but
    not change it (a coordinator), before any input is looked at."""
    instance = _tool(request, pk)
    if not _can_edit(request.user, instance):
        raise PermissionDenied
    return instance


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for errors in error.error_dict.values() for e in errors for m in e.messages]
    return [str(m) for m in error.messages]


# Project tools ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_tools(request, project_id):
    project = get_object_or_404(projects_visible_to(request.user), pk=project_id)
    can_create = request.user.has_perm("toolkit.add_toolinstance", project)
    form = ToolCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                instance = services.tool_create(
                    project=project,
                    template=form.cleaned_data["template"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The tool was created."))
                return redirect("toolkit:tool", pk=instance.pk)
    tools = tools_of_project(request.user, project)
    return render(
        request,
        "toolkit/project_tools.html",
        {
            "project": project,
            "tools": tools,
            "form": form,
            "can_create": can_create,
            "templates": templates_available(),
        },
    )


RECENT_TOOLS_LENGTH = 6


@login_required
@require_GET
def project_tools_panel(request, project_id):
    """The tools part of the project page (loaded by htmx, so the page's own queries stay fixed)."""
    project = get_object_or_404(projects_visible_to(request.user), pk=project_id)
    tools = tools_of_project(request.user, project)
    return render(
        request,
        "toolkit/_project_tools_panel.html",
        {
            "project": project,
            "tools": tools,
            "can_create": request.user.has_perm("toolkit.add_toolinstance", project),
        },
    )


@login_required
@require_GET
def recent_tools_panel(request):
    """The dashboard's list of the tools changed last in the user's organisations."""
    tools = (
        tools_visible_to(request.user)
        .filter(project__organisation_id__in=request.user.organisation_ids)
        .order_by("-updated_at", "-id")[:RECENT_TOOLS_LENGTH]
    )
    return render(request, "toolkit/_recent_tools_panel.html", {"tools": tools})


# Board and editor ---------------------------------------------------------------------------------


def _board_context(request, instance: ToolInstance, **extra) -> dict:
    can_edit = _can_edit(request.user, instance)
    context = {
        "instance": instance,
        "project": instance.project,
        "template": instance.template,
        "can_edit": can_edit,
        "completeness": completeness(instance),
        "findings": [(finding, _fix_url(instance, finding)) for finding in findings(instance)],
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


def _render_tool(request, pk, *, status=200, **extra):
    instance = _tool(request, pk)
    context = _board_context(request, instance, **extra)
    if request.htmx:
        partial = "toolkit/_toc_editor.html" if instance.template.is_graph else "toolkit/_board.html"
        response = render(request, partial, context, status=status)
        if extra.get("focus"):  # toolkit.js moves the keyboard focus back to where the person was
            response["HX-Trigger-After-Settle"] = json.dumps({"tkFocus": {"id": extra["focus"]}})
        return response
    return render(request, "toolkit/tool_detail.html", context, status=status)


@login_required
@require_GET
def tool_detail_view(request, pk):
    return _render_tool(request, pk)


def _write(
    request, instance: ToolInstance, action, *, anchor="", conflict_extra=None, error_extra=None, **extra
):
    """Run a service call and answer: the refreshed board/editor (htmx) or a redirect; on a stale
    version a 409 with the message; on invalid input a 400 with the errors."""
    try:
        action()
    except VersionConflict as conflict:
        return _render_tool(
            request, instance.pk, status=409, conflict=str(conflict), **(conflict_extra or {})
        )
    except ValidationError as error:
        return _render_tool(
            request, instance.pk, status=400, errors=_error_messages(error), **(error_extra or {})
        )
    if not request.htmx:
        return redirect(reverse("toolkit:tool", args=[instance.pk]) + (f"#{anchor}" if anchor else ""))
    return _render_tool(request, instance.pk, **extra)


@login_required
@require_POST
def tool_update_view(request, pk):
    instance = _tool_to_change(request, pk)
    form = ToolUpdateForm(request.POST)
    if not form.is_valid():
        return _render_tool(request, pk, status=400, errors=[_("Please choose a status.")])
    return _write(
        request,
        instance,
        lambda: services.tool_update(
            instance=instance,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
        ),
        focus="tool-status",
    )


@login_required
@require_POST
def tool_delete_view(request, pk):
    instance = _tool_to_change(request, pk)
    project_id = instance.project_id
    try:
        services.tool_delete(instance=instance, by=request.user, expected_version=request.POST.get("version"))
    except VersionConflict as conflict:
        return _render_tool(request, pk, status=409, conflict=str(conflict))
    except ValidationError as error:
        return _render_tool(request, pk, status=400, errors=_error_messages(error))
    messages.success(request, _("The tool was deleted."))
    return redirect("toolkit:project-tools", project_id=project_id)


# Canvas entries -----------------------------------------------------------------------------------


@login_required
@require_POST
def entry_add_view(request, pk):
    instance = _tool_to_change(request, pk)
    form = EntryForm(request.POST, instance=instance)
    block_key = request.POST.get("block_key", "")
    draft = {"drafts": {block_key: request.POST.get("text", "")}, "focus": f"add-{block_key}"}
    if not form.is_valid():
        return _render_tool(request, pk, status=400, errors=_form_errors(form), **draft)
    data = form.cleaned_data
    return _write(
        request,
        instance,
        lambda: services.entry_add(
            instance=instance,
            block_key=data["block_key"],
            text=data["text"],
            by=request.user,
            expected_version=data["version"],
            indicator=data.get("indicator"),
            intervention=data.get("intervention"),
        ),
        anchor=f"block-{block_key}",
        conflict_extra=draft,
        error_extra=draft,
        focus=f"add-{block_key}",
    )


def _entry(instance, entry_id) -> Entry:
    entry = next((e for e in instance.entries.all() if e.pk == entry_id), None)
    if entry is None:
        raise Http404
    entry.instance = instance
    return entry


def _form_errors(form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}: {m}".lstrip(": ")
        for f, ms in form.errors.items()
        for m in ms
    ]


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit_view(request, pk, entry_id):
    instance = _tool_to_change(request, pk)
    entry = _entry(instance, entry_id)
    if request.method == "GET":
        form = EntryForm(
            instance=instance,
            initial={
                "text": entry.text,
                "version": instance.version,
                "indicator": entry.indicator_id,
                "intervention": entry.intervention_id,
                "block_key": entry.block_key,
            },
        )
        context = {"instance": instance, "entry": entry, "form": form, "project": instance.project}
        template = "toolkit/_entry_form.html" if request.htmx else "toolkit/entry_edit.html"
        return render(request, template, context)
    form = EntryForm(request.POST, instance=instance)
    draft = {"editing": entry.pk, "editing_text": request.POST.get("text", ""), "focus": f"edit-{entry.pk}"}
    if not form.is_valid():
        return _render_tool(request, pk, status=400, errors=_form_errors(form), **draft)
    data = form.cleaned_data
    return _write(
        request,
        instance,
        lambda: services.entry_update(
            entry=entry,
            by=request.user,
            expected_version=data["version"],
            text=data["text"],
            indicator=data.get("indicator") if "indicator" in request.POST else UNSET,
            intervention=data.get("intervention") if "intervention" in request.POST else UNSET,
        ),
        anchor=f"entry-{entry.pk}",
        conflict_extra=draft,
        error_extra=draft,
        focus=f"edit-link-{entry.pk}",
    )


@login_required
@require_POST
def entry_move_view(request, pk, entry_id):
    instance = _tool_to_change(request, pk)
    entry = _entry(instance, entry_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _render_tool(request, pk, status=400, errors=_form_errors(form))
    direction = form.cleaned_data["direction"]
    return _write(
        request,
        instance,
        lambda: services.entry_move(
            entry=entry, by=request.user, direction=direction, expected_version=form.cleaned_data["version"]
        ),
        anchor=f"entry-{entry.pk}",
        focus=f"move-{direction}-{entry.pk}",
    )


@login_required
@require_POST
def entry_delete_view(request, pk, entry_id):
    instance = _tool_to_change(request, pk)
    entry = _entry(instance, entry_id)
    block_key = entry.block_key
    return _write(
        request,
        instance,
        lambda: services.entry_delete(
            entry=entry, by=request.user, expected_version=request.POST.get("version")
        ),
        anchor=f"block-{block_key}",
        focus=f"heading-{block_key}",
    )


# Theory of Change ---------------------------------------------------------------------------------

FIRST_FIELD = {"outcome": "text", "link": "source", "intervention": "text", "assumption": "text"}
TOC_FORMS = {
    "outcome": OutcomeForm,
    "link": LinkForm,
    "intervention": InterventionForm,
    "assumption": AssumptionForm,
}


def _toc_add(kind, instance, data, by):
    version = data["version"]
    if kind == "outcome":
        return services.outcome_add(
            instance=instance,
            text=data["text"],
            level=data["level"],
            above_ceiling=data["above_ceiling"] or data["level"] == Outcome.Level.IMPACT,
            indicators=data["indicators"],
            by=by,
            expected_version=version,
        )
    if kind == "link":
        return services.link_add(
            instance=instance,
            source=data["source"],
            target=data["target"],
            rationale=data["rationale"],
            kind=data["kind"],
            by=by,
            expected_version=version,
        )
    if kind == "intervention":
        return services.intervention_add(
            instance=instance,
            text=data["text"],
            outputs=data["outputs"],
            outcomes=data["outcomes"],
            by=by,
            expected_version=version,
        )
    return services.assumption_add(
        instance=instance,
        text=data["text"],
        outcome=data["outcome"],
        link=data["link"],
        status=data["status"],
        by=by,
        expected_version=version,
    )


def _rebound(form_class, request, instance, kind):
    """The person's input again, with the current version, to review and resubmit."""
    data = request.POST.copy()
    data[f"{kind}-version"] = str(ToolInstance.objects.values_list("version", flat=True).get(pk=instance.pk))
    return form_class(data, instance=instance, prefix=kind)


@login_required
@require_POST
def toc_add_view(request, pk, kind):
    instance = _tool_to_change(request, pk)
    if kind not in TOC_FORMS or not instance.template.is_graph:
        raise Http404
    form = TOC_FORMS[kind](request.POST, instance=instance, prefix=kind)
    focus = f"id_{kind}-{FIRST_FIELD[kind]}"
    if not form.is_valid():
        return _render_tool(request, pk, status=400, bound_forms={kind: form}, focus=focus)
    keep = {"bound_forms": {kind: _rebound(TOC_FORMS[kind], request, instance, kind)}, "focus": focus}
    return _write(
        request,
        instance,
        lambda: _toc_add(kind, instance, form.cleaned_data, request.user),
        anchor=f"add-{kind}",
        conflict_extra=keep,
        error_extra=keep,
        focus=focus,
    )


TOC_MODELS = {"outcome": Outcome, "link": CausalLink, "intervention": Intervention, "assumption": Assumption}
TOC_DELETE = {
    "outcome": lambda element, **kw: services.outcome_delete(outcome=element, **kw),
    "link": lambda element, **kw: services.link_delete(link=element, **kw),
    "intervention": lambda element, **kw: services.intervention_delete(intervention=element, **kw),
    "assumption": lambda element, **kw: services.assumption_delete(assumption=element, **kw),
}


@login_required
@require_POST
def toc_delete_view(request, pk, kind, element_id):
    instance = _tool_to_change(request, pk)
    if kind not in TOC_MODELS:
        raise Http404
    element = get_object_or_404(TOC_MODELS[kind].objects.filter(instance=instance), pk=element_id)
    element.instance = instance
    return _write(
        request,
        instance,
        lambda: TOC_DELETE[kind](element, by=request.user, expected_version=request.POST.get("version")),
        anchor=f"{kind}-list",
        focus=f"{kind}-list",
    )


TOC_EDIT = {
    "outcome": (
        OutcomeForm,
        lambda o: {
            "text": o.text,
            "level": o.level,
            "above_ceiling": o.above_ceiling,
            "indicators": [i.pk for i in o.indicators.all()],
        },
        lambda o, d, **kw: services.outcome_update(
            outcome=o,
            text=d["text"],
            level=d["level"],
            above_ceiling=d["above_ceiling"],
            indicators=d["indicators"],
            **kw,
        ),
    ),
    "link": (
        LinkEditForm,
        lambda link: {"rationale": link.rationale, "kind": link.kind},
        lambda link, d, **kw: services.link_update(link=link, rationale=d["rationale"], kind=d["kind"], **kw),
    ),
    "intervention": (
        InterventionForm,
        lambda i: {"text": i.text, "outputs": i.outputs, "outcomes": [o.pk for o in i.outcomes.all()]},
        lambda i, d, **kw: services.intervention_update(
            intervention=i, text=d["text"], outputs=d["outputs"], outcomes=d["outcomes"], **kw
        ),
    ),
    "assumption": (
        AssumptionForm,
        lambda a: {"text": a.text, "status": a.status, "outcome": a.outcome_id, "link": a.link_id},
        lambda a, d, **kw: services.assumption_update(
            assumption=a, text=d["text"], status=d["status"], outcome=d["outcome"], link=d["link"], **kw
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def toc_edit_view(request, pk, kind, element_id):
    """Change one element of the Theory of Change: an outcome (text, level, ceiling, indicators), a
    link (rationale, kind), an intervention (text, outputs, outcomes) or an assumption."""
    instance = _tool_to_change(request, pk)
    if kind not in TOC_EDIT:
        raise Http404
    form_class, initial, update = TOC_EDIT[kind]
    element = get_object_or_404(TOC_MODELS[kind].objects.filter(instance=instance), pk=element_id)
    element.instance = instance
    context = {"instance": instance, "project": instance.project, "element": element, "kind": kind}
    if request.method == "GET":
        form = form_class(instance=instance, initial={**initial(element), "version": instance.version})
        return render(request, "toolkit/toc_edit.html", {**context, "form": form})
    form = form_class(request.POST, instance=instance)
    if form.is_valid():
        try:
            update(element, form.cleaned_data, by=request.user, expected_version=form.cleaned_data["version"])
        except VersionConflict as conflict:
            data = request.POST.copy()
            data["version"] = str(conflict.current_version)
            form = form_class(data, instance=instance)
            return render(
                request,
                "toolkit/toc_edit.html",
                {**context, "form": form, "conflict": str(conflict)},
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("toolkit:tool", args=[instance.pk]) + f"#{kind}-{element.pk}")
    return render(request, "toolkit/toc_edit.html", {**context, "form": form}, status=400)


@login_required
@require_GET
def diagram_svg(request, pk):
    instance = _tool(request, pk)
    if not instance.template.is_graph:
        raise Http404
    return HttpResponse(toc_svg(instance), content_type="image/svg+xml")


# Snapshots, diffs, PDFs ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def snapshots_view(request, pk):
    instance = _tool(request, pk)
    can_edit = _can_edit(request.user, instance)
    form = SnapshotForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            snapshot = services.snapshot_create(
                instance=instance, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Snapshot #%(number)s saved.") % {"number": snapshot.number})
            return redirect("toolkit:snapshots", pk=instance.pk)
    return render(
        request,
        "toolkit/snapshots.html",
        {
            "instance": instance,
            "project": instance.project,
            "snapshots": snapshots_of(instance),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
@require_GET
def diff_view(request, pk):
    instance = _tool(request, pk)
    snapshots = list(snapshots_of(instance))
    start, end = request.GET.get("from"), request.GET.get("to") or "now"
    diff, error = None, None
    if snapshots:
        try:
            diff = tool_diff(instance, start, end)
        except ValidationError as problem:
            error = " ".join(_error_messages(problem))
        except Http404 as problem:
            error = str(problem)
    names = _element_names(instance, snapshots)
    return render(
        request,
        "toolkit/diff.html",
        {
            "instance": instance,
            "project": instance.project,
            "snapshots": snapshots,
            "diff": diff,
            "error": error,
            "selected_from": str(diff["from"]).lstrip("#") if diff else "",
            "selected_to": str(diff["to"]).lstrip("#") if diff else "now",
            "names": names,
            "blocks": {b.key: b.display_label for b in instance.template.blocks.all()},
            "levels": dict(Outcome.Level.choices),
        },
    )


def _element_names(instance, snapshots) -> dict[int, str]:
    """Outcome texts by id, from now and every snapshot (so removed outcomes are still named)."""
    names = {}
    for snapshot in reversed(snapshots):
        names.update({o["id"]: o["text"] for o in snapshot.data.get("outcomes", [])})
    names.update({o.pk: o.text for o in instance.outcomes.all()})
    return names


@login_required
@require_GET
def export_pdf(request, pk):
    instance = _tool(request, pk)
    response = HttpResponse(tool_pdf(instance), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tool-{instance.pk}-v{instance.version}.pdf"'
    return response


@login_required
@require_GET
def blank_pdf_view(request, slug):
    template = get_object_or_404(templates_available(), slug=slug)
    response = HttpResponse(blank_pdf(template), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{template.slug}-blank.pdf"'
    return response


@login_required
@require_GET
def templates_view(request):
    return render(request, "toolkit/templates.html", {"templates": templates_available()})
