"""Web pages of the practice cases (/exchange/cases/): the list, a case's page, writing one, the
coordinator's publish and return pages, "Adapt this", "Ask the team" and the conversations.

Beside views.py (the methods library) rather than in a views/ package, so the two pages' modules
grow apart without one engineer moving the other's file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sempre.forms import add_service_errors
from sempre.rules import require

from .forms import AdaptForm, CaseFilterForm, CaseForm, MessageForm, PhotoForm, PublishForm, ReturnForm
from .screening import open_findings
from .selectors import (
    case_detail,
    case_figures,
    case_list,
    case_quotes,
    case_threads,
    projects_to_adapt_into,
    thread_messages,
)
from .services import cases as services

PAGE_SIZE = 30


@login_required
@require_GET
def cases(request):
    """The cases the reader may see, newest first, filtered as the API filters them."""
    form = CaseFilterForm(request.GET or None)
    is_valid = not form.is_bound or form.is_valid()
    rows = []
    if is_valid:
        filters = form.selector_arguments() if form.is_bound else {}
        rows = list(case_list(request.user, **filters)[:PAGE_SIZE])
    return render(
        request,
        "exchange/case_list.html",
        {
            "form": form,
            "cases": rows,
            "is_valid": is_valid,
            "is_filtered": form.is_bound and is_valid,
            "more": len(rows) == PAGE_SIZE,
            "may_write": bool(request.user.organisation_ids),
        },
    )


@login_required
def case_new(request):
    if not request.user.organisation_ids:
        raise PermissionDenied(_("Cases are written by the staff of an organisation."))
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                project=form.cleaned_data["project"], by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved as a draft. Add its figures and snapshots now."))
            return redirect("exchange:case_edit", pk=case.pk)
    return render(request, "exchange/case_form.html", {"form": form, "case": None})


@login_required
@require_GET
def case(request, pk):
    user = request.user
    case = case_detail(user, pk)
    is_team = services.is_team(user, case)
    context = {
        "case": case,
        "figures": case_figures(case),
        "quotes": case_quotes(case),
        "is_team": is_team,
        "may_see_project": user.has_perm("microprojects.view_microproject", case.project),
        "may_edit": user.has_perm("exchange.change_case", case),
        "may_submit": user.has_perm("exchange.submit_case", case),
        "may_review": user.has_perm("exchange.review_case", case),
        "may_unpublish": user.has_perm("exchange.unpublish_case", case),
        "may_adapt": user.has_perm("exchange.adapt_case", case)
        and bool(case.canvas_snapshot_id or case.toc_snapshot_id),
        "may_contact": user.has_perm("exchange.contact_case", case),
        "threads": list(case_threads(user, case)) if (is_team or user.organisation_ids) else [],
    }
    return render(request, "exchange/case_detail.html", context)


@login_required
def case_edit(request, pk):
    case = case_detail(request.user, pk)
    require(
        request.user, "exchange.change_case", case, message=_("Only a draft or returned case can be changed.")
    )
    form = CaseForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("exchange:case", pk=case.pk)
    return render(
        request,
        "exchange/case_form.html",
        {"form": form, "case": case, "photo_form": PhotoForm(), "photos": list(case.photos.all())},
    )


def _transition(request, pk, perform, done: str):
    case = case_detail(request.user, pk)
    try:
        perform(case=case, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("exchange:case", pk=case.pk)


@login_required
@require_POST
def case_submit(request, pk):
    return _transition(request, pk, services.case_submit, _("The case was sent to the coordinators."))


@login_required
@require_POST
def case_unpublish(request, pk):
    return _transition(
        request, pk, services.case_unpublish, _("The case is no longer published: only your team sees it.")
    )


@login_required
def case_publish(request, pk):
    """The coordinator's check: every privacy finding listed with a checkbox "not personal data";
    publishing goes through only when each one is confirmed (or the text no longer holds it)."""
    case = case_detail(request.user, pk)
    require(
        request.user,
        "exchange.review_case",
        case,
        message=_("Only a coordinator publishes a submitted case."),
    )
    captions = [photo.caption for photo in case.photos.all()]
    # Bound on every POST: with no finding ticked (or none to tick) the POST is empty but still a publish.
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        findings=open_findings(case, captions, case_quotes(case)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_publish(case=case, by=request.user, confirmed=form.confirmed())
        except services.CaseHasFindings as error:
            form = PublishForm(request.POST, findings=error.findings)
            form.is_valid()
            form.add_error(
                None, _("Confirm each finding as not personal data, or return the case to have it changed.")
            )
        else:
            messages.success(request, _("The case is published: every organisation's staff can read it now."))
            return redirect("exchange:case", pk=case.pk)
    return render(
        request, "exchange/case_publish.html", {"case": case, "form": form, "figures": case_figures(case)}
    )


@login_required
def case_return(request, pk):
    case = case_detail(request.user, pk)
    require(
        request.user, "exchange.review_case", case, message=_("Only a coordinator returns a submitted case.")
    )
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_return(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was returned to its team."))
            return redirect("exchange:case", pk=case.pk)
    return render(request, "exchange/case_return.html", {"case": case, "form": form})


@login_required
def case_adapt(request, pk):
    case = case_detail(request.user, pk)
    require(request.user, "exchange.adapt_case", case, message=_("Only a published case can be adapted."))
    form = AdaptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tools = services.case_adapt(case=case, project=form.cleaned_data["project"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The case's tools were copied into your project. Make them your own there.")
            )
            return redirect("toolkit:tool", pk=tools[0].pk)
    return render(
        request,
        "exchange/case_adapt.html",
        {"case": case, "form": form, "has_projects": projects_to_adapt_into(request.user).exists()},
    )


@login_required
def case_contact(request, pk):
    """ "Ask the team": the asking organisation's conversation about the case, started by its first
    message."""
    case = case_detail(request.user, pk)
    require(
        request.user, "exchange.contact_case", case, message=_("Only another organisation asks the team.")
    )
    thread = case_threads(request.user, case).first()
    if thread is not None:
        return redirect("exchange:case_thread", pk=case.pk, thread_pk=thread.pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.case_contact(
                case=case,
                by=request.user,
                text=form.cleaned_data["text"],
                share_email=form.cleaned_data["share_email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your question was sent to the team. Their answer will appear here."))
            return redirect("exchange:case_thread", pk=case.pk, thread_pk=message.thread_id)
    return render(request, "exchange/case_thread.html", {"case": case, "thread": None, "form": form})


@login_required
def case_thread(request, pk, thread_pk):
    case = case_detail(request.user, pk)
    thread = get_object_or_404(case_threads(request.user, case), pk=thread_pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_reply(
                thread=thread,
                by=request.user,
                text=form.cleaned_data["text"],
                share_email=form.cleaned_data["share_email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("exchange:case_thread", pk=case.pk, thread_pk=thread.pk)
    return render(
        request,
        "exchange/case_thread.html",
        {
            "case": case,
            "thread": thread,
            "form": form,
            "thread_messages": list(thread_messages(thread)),
            "is_team": services.is_team(request.user, case),
        },
    )


@login_required
@require_POST
def case_photo_add(request, pk):
    case = case_detail(request.user, pk)
    require(
        request.user, "exchange.change_case", case, message=_("Only a draft or returned case can be changed.")
    )
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_photo_add(
                case=case,
                by=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        messages.success(request, _("The photo was added."))
    return redirect("exchange:case_edit", pk=case.pk)


@login_required
@require_POST
def case_photo_delete(request, pk, photo_pk):
    case = case_detail(request.user, pk)
    photo = get_object_or_404(case.photos.all(), pk=photo_pk)
    services.case_photo_delete(photo=photo, by=request.user)
    messages.success(request, _("The photo was removed."))
    return redirect("exchange:case_edit", pk=case.pk)


@login_required
@require_GET
def case_photo(request, pk, photo_pk):
    """A case's photo, for those who may see the case (there is no public media route)."""
    case = case_detail(request.user, pk)
    photo = get_object_or_404(case.photos.all(), pk=photo_pk)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
