"""Web pages of imports: the import page (template, upload, the organisation's imports), one
import (its dry run by sheet, row and column; confirm; the result), a KoboToolbox export's columns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sempre.rules import require

from ..models import ImportJob
from . import services, sheets, template
from .forms import ColumnsForm, SavedMappingForm, UploadForm
from .selectors import column_mappings_visible_to, import_jobs_visible_to

LIST_LENGTH = 30
# Rows listed per sheet on an import's page (errors are always listed, all of them).
ROWS_SHOWN = 200


def _require_staff(user):
    require(user, "microprojects.view_imports", message=_("Imports are for the staff of an organisation."))


def _add_errors(form, error: ValidationError):
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
def import_list(request):
    user = request.user
    _require_staff(user)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, user=user)
    if posted and form.is_valid():
        content, filename = form.read_file()
        try:
            job = services.import_upload(
                by=user,
                content=content,
                filename=filename,
                organisation=form.cleaned_data.get("organisation"),
                mapping=form.cleaned_data["mapping"],
                project=form.cleaned_data["project"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("microprojects:import_detail", pk=job.pk)
    jobs = list(import_jobs_visible_to(user).order_by("-created_at", "-id")[:LIST_LENGTH])
    mappings = list(column_mappings_visible_to(user).order_by("name", "pk"))
    return render(
        request,
        "microprojects/import_list.html",
        {"form": form, "jobs": jobs, "mappings": mappings},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def import_template(request):
    _require_staff(request.user)
    response = HttpResponse(
        template.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"sempre-import-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _visible_job(user, pk) -> ImportJob:
    return get_object_or_404(import_jobs_visible_to(user), pk=pk)


def _sheets_for_page(report: dict) -> list[dict]:
    """Each sheet of a dry run or an import for the page: its counts, every error (row, column,
    cell, message), and the first rows that create or change something."""
    shown = []
    for sheet in (report or {}).get("sheets", []):
        errors = [
            {"row": row["row"], "cell": e["cell"], "column": e["column"], "message": message}
            for row in sheet["rows"]
            for e in row["errors"].values()
            for message in e["messages"]
        ]
        writes = [row for row in sheet["rows"] if row["action"] in (services.CREATE, services.CHANGE)]
        shown.append(
            {
                "name": sheet["name"],
                "label": sheets.SHEET_LABELS.get(sheet["name"], sheet["name"]),
                "counts": {
                    key: sheet["counts"].get(key, 0) for key in ("create", "change", "unchanged", "error")
                },
                "errors": errors,
                "writes": [
                    dict(row, changed_labels=[sheets.column_label(c) for c in row["changed"]])
                    for row in writes[:ROWS_SHOWN]
                ],
                "more_writes": max(0, len(writes) - ROWS_SHOWN),
                "rolled_back": sheet.get("rolled_back", False),
            }
        )
    return shown


@login_required
@require_GET
def import_detail(request, pk):
    job = _visible_job(request.user, pk)
    context = {
        "job": job,
        "dry_run": _sheets_for_page(job.dry_run),
        "result": _sheets_for_page(job.result),
        "can_confirm": job.status == ImportJob.Status.CHECKED,
    }
    if request.htmx and request.htmx.target == "import-status":
        if not job.is_active:
            # The poll found the job done: the whole page again, with its results and buttons.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "microprojects/_import_status.html", context)
    return render(request, "microprojects/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk):
    job = _visible_job(request.user, pk)
    try:
        services.import_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("microprojects:import_detail", pk=job.pk)


@login_required
def import_columns(request, pk):
    """A KoboToolbox export's columns: a saved mapping, or each column chosen and saved by name."""
    user = request.user
    job = _visible_job(user, pk)
    if job.source != ImportJob.Source.KOBO or job.status not in services.COLUMNS_CHOSEN_IN:
        return redirect("microprojects:import_detail", pk=job.pk)
    headings = services.csv_headings(job)
    is_saved = request.method == "POST" and "use_saved" in request.POST
    saved_form = SavedMappingForm(
        request.POST if is_saved else None, user=user, organisation=job.organisation
    )
    columns_form = ColumnsForm(
        request.POST if request.method == "POST" and not is_saved else None,
        headings=headings,
        initial_columns=job.columns,
    )
    form = saved_form if is_saved else columns_form
    if request.method == "POST" and form.is_valid():
        try:
            if is_saved:
                mapping = form.cleaned_data["mapping"]
            else:
                mapping = services.mapping_save(
                    by=user,
                    organisation=job.organisation,
                    name=form.cleaned_data["name"],
                    columns=form.columns(),
                )
            services.import_choose_mapping(job=job, by=user, mapping=mapping)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("microprojects:import_detail", pk=job.pk)
    return render(
        request,
        "microprojects/import_columns.html",
        {
            "job": job,
            "columns_form": columns_form,
            "saved_form": saved_form,
            "has_saved": saved_form.fields["mapping"].queryset.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )
