"""The Theory of Change editor's elements: add, edit and delete outcomes, links, interventions and
assumptions (`kind` in the URL), and the diagram as SVG."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..diagram import toc_svg
from ..forms import AssumptionForm, InterventionForm, LinkEditForm, LinkForm, OutcomeForm
from ..models import Assumption, CausalLink, Intervention, Outcome
from ..selectors import tool_version
from ..services import VersionConflict
from .common import render_tool, tool_or_404, tool_to_change, write

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
    data[f"{kind}-version"] = str(tool_version(instance.pk))
    return form_class(data, instance=instance, prefix=kind)


@login_required
@require_POST
def toc_add_view(request, pk, kind):
    instance = tool_to_change(request, pk)
    if kind not in TOC_FORMS or not instance.template.is_graph:
        raise Http404
    form = TOC_FORMS[kind](request.POST, instance=instance, prefix=kind)
    focus = f"id_{kind}-{FIRST_FIELD[kind]}"
    if not form.is_valid():
        return render_tool(request, pk, status=400, bound_forms={kind: form}, focus=focus)
    keep = {"bound_forms": {kind: _rebound(TOC_FORMS[kind], request, instance, kind)}, "focus": focus}
    return write(
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
    "outcome": lambda element, *, by, expected_version: services.outcome_delete(
        outcome=element, by=by, expected_version=expected_version
    ),
    "link": lambda element, *, by, expected_version: services.link_delete(
        link=element, by=by, expected_version=expected_version
    ),
    "intervention": lambda element, *, by, expected_version: services.intervention_delete(
        intervention=element, by=by, expected_version=expected_version
    ),
    "assumption": lambda element, *, by, expected_version: services.assumption_delete(
        assumption=element, by=by, expected_version=expected_version
    ),
}


@login_required
@require_POST
def toc_delete_view(request, pk, kind, element_id):
    instance = tool_to_change(request, pk)
    if kind not in TOC_MODELS:
        raise Http404
    element = get_object_or_404(TOC_MODELS[kind].objects.filter(instance=instance), pk=element_id)
    element.instance = instance
    return write(
        request,
        instance,
        lambda: TOC_DELETE[kind](element, by=request.user, expected_version=request.POST.get("version")),
        anchor=f"{kind}-list",
        focus=f"{kind}-list",
    )


# Per kind: the edit form, its initial values from the element, and the update service.
TOC_EDIT = {
    "outcome": (
        OutcomeForm,
        lambda o: {
            "text": o.text,
            "level": o.level,
            "above_ceiling": o.above_ceiling,
            "indicators": [i.pk for i in o.indicators.all()],
        },
        lambda o, d, *, by, expected_version: services.outcome_update(
            outcome=o,
            text=d["text"],
            level=d["level"],
            above_ceiling=d["above_ceiling"],
            indicators=d["indicators"],
            by=by,
            expected_version=expected_version,
        ),
    ),
    "link": (
        LinkEditForm,
        lambda link: {"rationale": link.rationale, "kind": link.kind},
        lambda link, d, *, by, expected_version: services.link_update(
            link=link, rationale=d["rationale"], kind=d["kind"], by=by, expected_version=expected_version
        ),
    ),
    "intervention": (
        InterventionForm,
        lambda i: {"text": i.text, "outputs": i.outputs, "outcomes": [o.pk for o in i.outcomes.all()]},
        lambda i, d, *, by, expected_version: services.intervention_update(
            intervention=i,
            text=d["text"],
            outputs=d["outputs"],
            outcomes=d["outcomes"],
            by=by,
            expected_version=expected_version,
        ),
    ),
    "assumption": (
        AssumptionForm,
        lambda a: {"text": a.text, "status": a.status, "outcome": a.outcome_id, "link": a.link_id},
        lambda a, d, *, by, expected_version: services.assumption_update(
            assumption=a,
            text=d["text"],
            status=d["status"],
            outcome=d["outcome"],
            link=d["link"],
            by=by,
            expected_version=expected_version,
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def toc_edit_view(request, pk, kind, element_id):
    """Change one element of the Theory of Change: an outcome (text, level, ceiling, indicators), a
    link (rationale, kind), an intervention (text, outputs, outcomes) or an assumption."""
    instance = tool_to_change(request, pk)
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
    instance = tool_or_404(request, pk)
    if not instance.template.is_graph:
        raise Http404
    return HttpResponse(toc_svg(instance), content_type="image/svg+xml")
