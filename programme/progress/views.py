"""Web pages of progress reports: the list (the team) and the table (the coordinator), a report's
page, the narrative form, evidence, submitting, and the coordinator's decision. Thin: selectors
read (404 for a report one may not see), services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sempre.forms import add_service_errors
from sempre.languages import language_of
from sempre.rules import require

from ..models import EvidenceFile, ProgressReport
from . import selectors, services
from .files import evidence_response
from .forms import DecisionForm, EvidenceForm, NarrativeForm, PeriodForm


def _report(user, pk) -> ProgressReport:
    try:
        return selectors.report_detail(user, pk)
    except ProgressReport.DoesNotExist as error:
        raise Http404(_("There is no such progress report among the reports you may see.")) from error


def _evidence(user, pk) -> EvidenceFile:
    try:
        return selectors.evidence_visible_to(user).get(pk=pk)
    except EvidenceFile.DoesNotExist as error:
        raise Http404(_("There is no such file among the files you may see.")) from error


@login_required
@require_GET
def report_index(request):
    """Coordinators: every project by every period, with status and lateness, and the periods.
    The team: their organisations' reports, newest period first."""
    user = request.user
    require(
        user,
        "programme.view_progressreport_list",
        message=_("Progress reports are for project teams and coordinators."),
    )
    context = {"periods": list(selectors.periods_list())}
    if user.is_coordinator:
        context["table"] = selectors.progress_table(user)
        context["period_form"] = PeriodForm()
    else:
        reports = list(selectors.report_list(user))
        for report in reports:
            report.days_late = selectors.days_late(report)
        context["reports"] = reports
    return render(request, "programme/progress/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request):
    require(
        request.user,
        "programme.manage_reportingperiods",
        message=_("Only coordinators set reporting periods."),
    )
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = period.reports.count()
            messages.success(
                request,
                ngettext(
                    "The reporting period %(period)s was set; %(count)s project reports on it.",
                    "The reporting period %(period)s was set; %(count)s projects report on it.",
                    count,
                )
                % {"period": period, "count": count},
            )
            return redirect("programme:progress_reports")
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/progress/period_form.html", {"form": form}, status=status)


def _detail_context(request, report, **extra) -> dict:
    user = request.user
    shown = selectors.report_shown(report)
    report.days_late = selectors.days_late(report)
    may_change = user.has_perm("programme.change_progressreport", report) and report.is_editable
    may_decide = (
        user.has_perm("programme.decide_progressreport", report)
        and report.status == ProgressReport.Status.SUBMITTED
    )
    context = {
        "report": report,
        "shown": shown,
        "figures": shown["figures"],
        "narrative": shown["narrative"],
        "corrections": shown["corrections"],
        "evidence": list(report.evidence.select_related("uploaded_by").order_by("uploaded_at", "id")),
        "events": list(selectors.report_events(report)),
        "may_change": may_change,
        "may_decide": may_decide,
        "evidence_form": EvidenceForm() if may_change else None,
        "decision_form": DecisionForm() if may_decide else None,
        "pdf_language": language_of(user, fallback=request.LANGUAGE_CODE),
        "late_submission": selectors.submitted_late_days(report),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def report_detail(request, pk):
    report = _report(request.user, pk)
    return render(request, "programme/progress/detail.html", _detail_context(request, report))


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report(request.user, pk)
    require(
        request.user,
        "programme.change_progressreport",
        report,
        message=_("Only the project's team writes its report."),
    )
    if not report.is_editable:
        messages.info(request, _("This report cannot be changed now."))
        return redirect("programme:progress_report", pk=report.pk)
    form = NarrativeForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("then") == "submit":
                return _submit(request, report)
            messages.success(
                request, _("Your report was saved. You can come back to it before you submit it.")
            )
            return redirect("programme:progress_report", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/progress/edit.html", {"report": report, "form": form}, status=status)


def _submit(request, report):
    try:
        services.report_submit(report=report, by=request.user)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            label = NarrativeForm.base_fields[field].label if field in NarrativeForm.base_fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect("programme:progress_report", pk=report.pk)
    messages.success(request, _("Your report was submitted. The coordinator will read it."))
    return redirect("programme:progress_report", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request.user, pk)
    require(
        request.user,
        "programme.change_progressreport",
        report,
        message=_("Only the project's team submits its report."),
    )
    return _submit(request, report)


@login_required
@require_POST
def report_decide(request, pk):
    report = _report(request.user, pk)
    require(
        request.user,
        "programme.decide_progressreport",
        report,
        message=_("Only coordinators approve or return reports."),
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                services.report_approve(report=report, by=request.user, comment=comment)
                messages.success(request, _("The report was approved. It is now frozen as approved."))
            else:
                services.report_return(report=report, by=request.user, comment=comment)
                messages.success(request, _("The report was returned to the team with your comments."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("programme:progress_report", pk=report.pk)
    report = _report(request.user, pk)
    context = _detail_context(request, report, decision_form=form)
    return render(request, "programme/progress/detail.html", context, status=400)


@login_required
@require_POST
def evidence_upload(request, pk):
    report = _report(request.user, pk)
    require(
        request.user,
        "programme.change_progressreport",
        report,
        message=_("Only the project's team adds evidence."),
    )
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                report=report,
                by=request.user,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added to the report.") % {"name": evidence.filename})
            return redirect("programme:progress_report", pk=report.pk)
    report = _report(request.user, pk)
    context = _detail_context(request, report, evidence_form=form)
    return render(request, "programme/progress/detail.html", context, status=400)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = _evidence(request.user, pk)
    response = evidence_response(evidence, by=request.user, request=request)
    if response is None:
        return HttpResponse(
            _("The file is no longer there."), status=410, content_type="text/plain; charset=utf-8"
        )
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = _evidence(request.user, pk)
    require(
        request.user,
        "programme.change_progressreport",
        evidence.report,
        message=_("Only the project's team removes evidence."),
    )
    report_pk, name = evidence.report_id, evidence.filename
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as error:
        for errors in error.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” was removed from the report.") % {"name": name})
    return redirect("programme:progress_report", pk=report_pk)
