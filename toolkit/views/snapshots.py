"""Snapshots of a tool (take one, list them) and what changed between two of them, or since one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sempre.rules import require

from .. import services
from ..forms import SnapshotForm
from ..models import Outcome
from ..selectors import snapshots_of, tool_diff
from .common import error_messages, tool_or_404


@login_required
@require_http_methods(["GET", "POST"])
def snapshots_view(request, pk):
    instance = tool_or_404(request, pk)
    form = SnapshotForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "toolkit.change_toolinstance", instance)
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
            "can_edit": request.user.has_perm("toolkit.change_toolinstance", instance),
        },
    )


@login_required
@require_GET
def diff_view(request, pk):
    instance = tool_or_404(request, pk)
    snapshots = list(snapshots_of(instance))
    start, end = request.GET.get("from"), request.GET.get("to") or "now"
    diff, error = None, None
    if snapshots:
        try:
            diff = tool_diff(instance, start, end)
        except ValidationError as problem:
            error = " ".join(error_messages(problem))
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
