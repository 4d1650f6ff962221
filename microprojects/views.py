"""Web pages for micro projects, their activities and indicators. Thin: reads come from the
selectors (so other organisations' projects answer 404), writes go through the services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from reports.renderers.spreadsheets import write_csv_rows
from sempre import charts, formats, panels
from sempre.forms import add_service_errors
from sempre.rules import require

from . import services
from .forms import (
    ActivityForm,
    IndicatorForm,
    MeasurementForm,
    ProjectActivityFilter,
    ProjectFilter,
    ProjectForm,
    TransitionForm,
)
from .models import Activity, Indicator, Measurement, MicroProject
from .offline import offline_strings
from .panels import participation_chart
from .reports import FREE_TEXT_FIELDS, activity_columns
from .selectors import (
    activities_visible_to,
    indicator_is_off_track,
    indicators_visible_to,
    measurements_visible_to,
    project_activity_counts,
    project_activity_list,
    project_history_page,
    project_participation_by_month,
    projects_visible_to,
    with_progress,
)
from .selectors import project_list as project_list_selector

PAGE_SIZE = 20
ACTIVITY_PAGE_SIZE = 20
HISTORY_LENGTH = 25


def _visible_project(user, pk) -> MicroProject:
    # No role check here: the selector decides, so a project one may not see answers 404.
    return get_object_or_404(projects_visible_to(user).select_related("organisation"), pk=pk)


def _detail_url(project) -> str:
    return reverse("microprojects:detail", args=[project.pk])


# Projects -----------------------------------------------------------------------------------------


@login_required
def project_list(request):
    require(
        request.user,
        "microprojects.view_project_list",
        message=_("Only organisation staff and coordinators see micro projects."),
    )
    queryset = project_list_selector(request.user)
    filterset = ProjectFilter(request.GET or None, queryset=queryset, request=request)
    projects = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if not projects.query.order_by or not request.GET.get("ordering"):
        projects = projects.order_by("title", "pk")
    else:
        projects = projects.order_by(*projects.query.order_by, "pk")  # a stable order for pages
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "is_filtered": bool(filterset.is_bound and any(v for k, v in request.GET.items() if k != "page")),
        "can_create": request.user.has_perm("microprojects.add_microproject"),
    }
    # htmx asks for the results only; a history restore (back button after the cache expired) and
    # every request without JavaScript get the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "microprojects/_project_results.html" if partial else "microprojects/project_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def project_detail(request, pk):
    project = _visible_project(request.user, pk)
    user = request.user
    filterset = ProjectActivityFilter(
        request.GET or None, queryset=project_activity_list(user, project), request=request
    )
    # Wrong filters show their errors (all at once) and no list, rather than a list they did not ask for.
    activities = filterset.qs if not filterset.is_bound or filterset.is_valid() else Activity.objects.none()
    page = Paginator(activities, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    indicators = list(with_progress(project.indicators.select_related("project")))
    for indicator in indicators:
        indicator.is_off_track = indicator_is_off_track(indicator)
    can_change = user.has_perm("microprojects.change_microproject", project)
    context = {
        "project": project,
        "activity_filter": filterset,
        "activity_page": page,
        "activity_counts": project_activity_counts(project),
        "indicators": indicators,
        "indicator_chart": _indicator_chart(indicators),
        "participation_chart": _participation_chart(project),
        "history": project_history_page(project, size=HISTORY_LENGTH).entries,
        "can_change": can_change,
        "can_delete": user.has_perm("microprojects.delete_microproject", project),
        "transitions": [MicroProject.Status(s) for s in services.project_transitions_for(project, user)],
        "panels": panels.PROJECT.panels_for(request, project=project),
    }
    return render(request, "microprojects/project_detail.html", context)


@login_required
@require_GET
def project_activities_csv(request, pk):
    """The project's activities, as its page filters them, as CSV: counts and hours, no notes and
    nobody's name; text a spreadsheet would run as a formula is defused as in the programme export."""
    project = _visible_project(request.user, pk)
    filterset = ProjectActivityFilter(
        request.GET or None, queryset=project_activity_list(request.user, project), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        # The page shows what is wrong with the filters.
        return redirect(f"{_detail_url(project)}?{filterset.query}#activities")
    filename = f"activities-{slugify(project.title) or project.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )
    response.write("\ufeff")  # a byte order mark, so Excel reads UTF-8
    columns, writer = activity_columns(), csv.writer(response)
    writer.writerow([heading for _field, heading in columns])
    write_csv_rows(filterset.qs, columns, writer, text_fields=FREE_TEXT_FIELDS)
    return response


def _indicator_chart(indicators):
    if not indicators:
        return ""
    title = _("Progress towards target")
    items = [(i.name, i.progress) for i in indicators]
    table = charts.data_table(
        caption=title,
        labels=[i.name for i in indicators],
        series={
            _("Progress (%)"): [None if i.progress is None else round(float(i.progress)) for i in indicators]
        },
        label_heading=_("Indicator"),
    )
    return charts.figure(svg=charts.progress_bars(title=title, items=items), table=table)


def _participation_chart(project):
    """Participants and activities per month within the project's period (one query)."""
    rows = project_participation_by_month(project)
    if len(rows) < 2:  # one month is no line
        return ""
    return participation_chart(rows, title=_("Participants and activities per month"))


@login_required
def project_create(request):
    user = request.user
    require(
        user,
        "microprojects.add_microproject",
        message=_("Only members of an organisation can register projects."),
    )
    form = ProjectForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project “%(title)s” was registered.") % {"title": project.title})
            return redirect(_detail_url(project))
    return render(request, "microprojects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, pk):
    project = _visible_project(request.user, pk)
    require(request.user, "microprojects.change_microproject", project)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, by=request.user, **form.service_data())
        except ValidationError as error:
            project.refresh_from_db()  # the service set the refused values on it
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(_detail_url(project))
    return render(request, "microprojects/project_form.html", {"form": form, "project": project})


@login_required
def project_delete(request, pk):
    project = _visible_project(request.user, pk)
    require(request.user, "microprojects.delete_microproject", project)
    if request.method == "POST":
        title = project.title
        try:
            services.project_delete(project=project, by=request.user)
        except ValidationError as error:
            # e.g. an accelerator application refers to it: say so on the project page, no 500.
            for message in error.messages:
                messages.error(request, message)
            return redirect(_detail_url(project))
        messages.success(request, _("The project “%(title)s” was deleted.") % {"title": title})
        return redirect("microprojects:list")
    return render(
        request,
        "microprojects/confirm_delete.html",
        {
            "project": project,
            "object": project,
            "what": _("the project “%(title)s”") % {"title": project.title},
            "consequence": _("Its activities, indicators and measurements are deleted with it."),
            "cancel_url": _detail_url(project),
        },
    )


TRANSITION_CONFIRMATIONS = {
    MicroProject.Status.COMPLETED: (
        gettext_lazy("Mark “%(title)s” as completed?"),
        gettext_lazy(
            "It then counts as completed on every page and in the programme's figures and reports. "
            "Only an admin of %(organisation)s can make it active again."
        ),
        gettext_lazy("Yes, mark it as completed"),
    ),
    MicroProject.Status.DISCONTINUED: (
        gettext_lazy("Discontinue “%(title)s”?"),
        gettext_lazy(
            "It then counts as discontinued on every page and in the programme's figures and reports. "
            "Only an admin of %(organisation)s can make it active again."
        ),
        gettext_lazy("Yes, discontinue it"),
    ),
}


@login_required
def project_transition(request, pk):
    """Change a project's status. Completing or discontinuing it asks first (GET, or a POST
    without `confirm`, shows the question; the confirmation page's POST does it)."""
    project = _visible_project(request.user, pk)
    require(request.user, "microprojects.change_microproject", project)
    form = TransitionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        if request.method == "POST":
            messages.error(request, _("Choose a valid status."))
        return redirect(_detail_url(project))
    status = form.cleaned_data["status"]
    if status in TRANSITION_CONFIRMATIONS and (request.method != "POST" or not request.POST.get("confirm")):
        question, consequence, button = TRANSITION_CONFIRMATIONS[status]
        names = {"title": project.title, "organisation": project.organisation.name}
        return render(
            request,
            "microprojects/confirm_transition.html",
            {
                "project": project,
                "status": status,
                "question": question % names,
                "consequence": consequence % names,
                "button": button,
                "cancel_url": _detail_url(project),
            },
        )
    if request.method != "POST":
        return redirect(_detail_url(project))
    try:
        project = services.project_transition(
            project=project, by=request.user, status=status, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, project.status_sentence)
    return redirect(_detail_url(project))


# Activities ---------------------------------------------------------------------------------------


def _activity_form_page(request, *, form, project, activity=None):
    return render(
        request,
        "microprojects/activity_form.html",
        {
            "form": form,
            "project": project,
            "activity": activity,
            # The quick log works without a signal (docs/offline.md); a correction needs one.
            "offline_strings": offline_strings() if activity is None else None,
        },
    )


@login_required
def activity_create(request, pk):
    project = _visible_project(request.user, pk)
    require(request.user, "microprojects.log_activity", project)
    form = ActivityForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            activity, _created = services.activity_log_once(
                project=project, by=request.user, **{"client_uuid": None, **form.service_data()}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity “%(title)s” logged.") % {"title": activity.title})
            return redirect(_detail_url(project))
    return _activity_form_page(request, form=form, project=project)


@login_required
def activity_quick_log(request):
    """Log an activity from anywhere (the dashboard, a phone in the field): pick the project here."""
    require(
        request.user,
        "microprojects.quick_log_activity",
        message=_("Only members of an organisation can log activities."),
    )
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.cleaned_data["project"]
        require(request.user, "microprojects.log_activity", project)
        try:
            # A second tap on "Log the activity" (the same client_uuid) logs nothing twice.
            activity, _created = services.activity_log_once(
                project=project, by=request.user, **{"client_uuid": None, **form.service_data()}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Activity “%(title)s” logged for %(project)s.")
                % {"title": activity.title, "project": project},
            )
            return redirect(_detail_url(project))
    return _activity_form_page(request, form=form, project=None)


def _visible_activity(user, pk) -> Activity:
    return get_object_or_404(activities_visible_to(user), pk=pk)


@login_required
def activity_edit(request, pk):
    activity = _visible_activity(request.user, pk)
    project = activity.project
    require(request.user, "microprojects.log_activity", project)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.service_data())
        except ValidationError as error:
            activity.refresh_from_db()  # the service set the refused values on it
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was updated."))
            return redirect(_detail_url(project))
    return _activity_form_page(request, form=form, project=project, activity=activity)


@login_required
def activity_delete(request, pk):
    activity = _visible_activity(request.user, pk)
    project = activity.project
    require(request.user, "microprojects.log_activity", project)
    if request.method == "POST":
        services.activity_delete(activity=activity, by=request.user)
        messages.success(request, _("The activity was deleted."))
        return redirect(_detail_url(project))
    return render(
        request,
        "microprojects/confirm_delete.html",
        {
            "project": project,
            "object": activity,
            "what": _("the activity “%(title)s” of %(date)s")
            % {"title": activity.title, "date": activity.date},
            "consequence": _("Its participant counts no longer count towards the project's totals."),
            "cancel_url": _detail_url(project),
        },
    )


# Indicators and measurements ----------------------------------------------------------------------


def _visible_indicator(user, pk) -> Indicator:
    return get_object_or_404(indicators_visible_to(user), pk=pk)


@login_required
def indicator_create(request, pk):
    project = _visible_project(request.user, pk)
    require(request.user, "microprojects.manage_indicators", project)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(project=project, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator “%(name)s” added.") % {"name": indicator.name})
            return redirect(_detail_url(project) + "#indicators")
    return render(
        request, "microprojects/indicator_form.html", {"form": form, "project": project, "indicator": None}
    )


@login_required
def indicator_edit(request, pk):
    indicator = _visible_indicator(request.user, pk)
    project = indicator.project
    require(request.user, "microprojects.manage_indicators", project)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, by=request.user, **form.service_data())
        except ValidationError as error:
            indicator.refresh_from_db()  # the service set the refused values on it
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator was updated."))
            return redirect(_detail_url(project) + "#indicators")
    return render(
        request,
        "microprojects/indicator_form.html",
        {"form": form, "project": project, "indicator": indicator},
    )


@login_required
def indicator_delete(request, pk):
    indicator = _visible_indicator(request.user, pk)
    project = indicator.project
    require(request.user, "microprojects.manage_indicators", project)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator, by=request.user)
        messages.success(request, _("The indicator was deleted."))
        return redirect(_detail_url(project) + "#indicators")
    return render(
        request,
        "microprojects/confirm_delete.html",
        {
            "project": project,
            "object": indicator,
            "what": _("the indicator “%(name)s”") % {"name": indicator.name},
            "consequence": _("Its measurements are deleted with it."),
            "cancel_url": _detail_url(project) + "#indicators",
        },
    )


@login_required
def measurement_create(request, pk):
    indicator = _visible_indicator(request.user, pk)
    project = indicator.project
    require(request.user, "microprojects.manage_indicators", project)
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_record(indicator=indicator, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Measurement for “%(name)s” recorded.") % {"name": indicator.name})
            return redirect(_detail_url(project) + "#indicators")
    return _measurement_page(request, form, indicator)


def _measurement_page(request, form, indicator, measurement=None):
    """The value form (new, or correcting `measurement`) above the indicator's last ten values."""
    recent = list(indicator.measurements.select_related("created_by")[:10])
    context = {"form": form, "project": indicator.project, "indicator": indicator, "recent": recent}
    return render(request, "microprojects/measurement_form.html", {**context, "measurement": measurement})


def _visible_measurement(user, pk) -> Measurement:
    return get_object_or_404(
        measurements_visible_to(user).select_related("indicator__project__organisation"), pk=pk
    )


@login_required
def measurement_edit(request, pk):
    measurement = _visible_measurement(request.user, pk)
    indicator = measurement.indicator
    project = indicator.project
    require(request.user, "microprojects.manage_indicators", project)
    form = MeasurementForm(request.POST or None, instance=measurement)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(measurement=measurement, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value of “%(name)s” was corrected.") % {"name": indicator.name})
            return redirect("microprojects:measurement_create", pk=indicator.pk)
    return _measurement_page(request, form, indicator, measurement)


@login_required
def measurement_delete(request, pk):
    measurement = _visible_measurement(request.user, pk)
    indicator = measurement.indicator
    project = indicator.project
    require(request.user, "microprojects.manage_indicators", project)
    cancel_url = reverse("microprojects:measurement_create", args=[indicator.pk])
    if request.method == "POST":
        services.measurement_delete(measurement=measurement, by=request.user)
        messages.success(request, _("The value was deleted."))
        return redirect(cancel_url)
    return render(
        request,
        "microprojects/confirm_delete.html",
        {
            "project": project,
            "object": measurement,
            "what": _("the value %(value)s of “%(name)s” from %(date)s")
            % {
                "value": formats.number(measurement.value),
                "name": indicator.name,
                "date": date_format(measurement.date),
            },
            "consequence": _("The indicator's latest value and progress are worked out again without it."),
            "cancel_url": cancel_url,
        },
    )
