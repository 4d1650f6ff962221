"""Web pages of the crosswalk (mapping a project's indicator) and the coordinator's framework totals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from microprojects.selectors import indicators_to_record
from sempre.forms import add_service_errors
from sempre.rules import require

from . import services
from .forms import MappingForm, TotalsForm
from .models import Framework
from .selectors import framework_totals, frameworks_list, indicator_mappings, mappings_visible_to


def _project_url(project) -> str:
    return reverse("microprojects:detail", args=[project.pk]) + "#frameworks"


@login_required
def indicator_frameworks(request, pk):
    """The framework indicators one project indicator is mapped to, and a form to map another."""
    indicator = get_object_or_404(indicators_to_record(request.user), pk=pk)
    require(request.user, "programme.map_indicator", indicator)
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.mapping_set(indicator=indicator, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(indicator)s” now counts towards %(code)s.")
                % {"indicator": indicator.name, "code": mapping.framework_indicator.code},
            )
            return redirect("programme:indicator_frameworks", pk=indicator.pk)
    context = {
        "indicator": indicator,
        "project": indicator.project,
        "mappings": list(indicator_mappings(indicator)),
        "form": form,
    }
    return render(request, "programme/indicator_frameworks.html", context)


@login_required
@require_POST
def mapping_remove(request, pk):
    mapping = get_object_or_404(mappings_visible_to(request.user), pk=pk)
    services.mapping_remove(mapping=mapping, by=request.user)
    messages.success(request, _("The mapping was removed."))
    return redirect("programme:indicator_frameworks", pk=mapping.indicator_id)


@login_required
@require_GET
def framework_list(request):
    require(request.user, "programme.view_exact_framework_totals")
    return render(request, "programme/framework_list.html", {"frameworks": frameworks_list()})


@login_required
@require_GET
def framework_totals_page(request, slug):
    """The coordinator's totals table: exact figures (only coordinators open it; what leaves the
    platform, the API and the reports, shows 1 to 4 as "<5")."""
    require(request.user, "programme.view_exact_framework_totals")
    framework = get_object_or_404(Framework, slug=slug)
    form = TotalsForm(request.GET or None)
    rows = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        date_from, date_to = data.get("period") or (None, None)
        rows = framework_totals(
            request.user, framework, date_from=date_from, date_to=date_to, country=data.get("country") or ""
        )
    context = {"framework": framework, "form": form, "rows": rows}
    return render(request, "programme/framework_totals.html", context)
