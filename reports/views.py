"""The Reports page: ask for a report, watch it progress (htmx polling), download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .api import download_or_refusal
from .forms import ReportRequestForm
from .selectors import describe_params, reports_visible_to

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _job, created = services.report_request(
                by=request.user,
                kind=form.cleaned_data["kind"],
                params=form.params(),
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as denied:
            form.add_error("kind", str(denied))
        except services.ReportQueueUnavailable:
            messages.warning(
                request,
                _(
                    "Your report has been saved, but the report service cannot be reached just now. "
                    "It will start by itself when the service is back."
                ),
            )
            return redirect("reports:index")
        else:
            if created:
                messages.success(request, _("Your report has been queued. This page shows its progress."))
            else:
                messages.info(request, _("The same report is already being made; it is shown below."))
            return redirect("reports:index")
    jobs = list(reports_visible_to(request.user).order_by("-created_at", "-id")[:PAGE_SIZE])
    describe_params(jobs, request.user)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/index.html", {"form": form, "jobs": jobs}, status=status)


@login_required
@require_GET
def job(request, pk):
    """One job's row, for htmx polling while it is queued or running."""
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    describe_params([report], request.user)
    return render(request, "reports/_job.html", {"job": report})


@login_required
@require_GET
def download(request, pk):
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    outcome = download_or_refusal(request.user, report)
    if isinstance(outcome, FileResponse):
        return outcome
    code, message = outcome
    if code == 404:
        raise Http404(message)
    return HttpResponse(message, status=code, content_type="text/plain; charset=utf-8")
