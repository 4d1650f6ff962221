"""A canvas's entries: add, edit (text and links), move up or down, delete."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import EntryForm, MoveForm
from ..models import Entry
from .common import form_errors, render_tool, tool_to_change, write


@login_required
@require_POST
def entry_add_view(request, pk):
    instance = tool_to_change(request, pk)
    form = EntryForm(request.POST, instance=instance)
    block_key = request.POST.get("block_key", "")
    draft = {"drafts": {block_key: request.POST.get("text", "")}, "focus": f"add-{block_key}"}
    if not form.is_valid():
        return render_tool(request, pk, status=400, errors=form_errors(form), **draft)
    data = form.cleaned_data
    return write(
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


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit_view(request, pk, entry_id):
    instance = tool_to_change(request, pk)
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
        return render_tool(request, pk, status=400, errors=form_errors(form), **draft)
    data = form.cleaned_data
    return write(
        request,
        instance,
        lambda: services.entry_update(
            entry=entry,
            by=request.user,
            expected_version=data["version"],
            text=data["text"],
            indicator=data.get("indicator") if "indicator" in request.POST else services.UNSET,
            intervention=data.get("intervention") if "intervention" in request.POST else services.UNSET,
        ),
        anchor=f"entry-{entry.pk}",
        conflict_extra=draft,
        error_extra=draft,
        focus=f"edit-link-{entry.pk}",
    )


@login_required
@require_POST
def entry_move_view(request, pk, entry_id):
    instance = tool_to_change(request, pk)
    entry = _entry(instance, entry_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return render_tool(request, pk, status=400, errors=form_errors(form))
    direction = form.cleaned_data["direction"]
    return write(
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
    instance = tool_to_change(request, pk)
    entry = _entry(instance, entry_id)
    block_key = entry.block_key
    return write(
        request,
        instance,
        lambda: services.entry_delete(
            entry=entry, by=request.user, expected_version=request.POST.get("version")
        ),
        anchor=f"block-{block_key}",
        focus=f"heading-{block_key}",
    )
