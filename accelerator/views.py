"""Accelerator web pages. Thin: selectors decide what one may see (404 otherwise), services write,
forms check the shape of the input and show the services' errors next to the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from microprojects.selectors import projects_visible_to
from sempre import charts
from sempre.forms import add_service_errors
from sempre.rules import require

from . import selectors, services
from .eligibility import eligibility_by_project
from .forms import (
    ApplicationEditForm,
    ApplicationForm,
    AssignForm,
    CloseForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    FigureForm,
    MentoringForm,
    MilestoneForm,
    ReviewerCountryForm,
    ReviewForm,
    RoundForm,
    StartUpForm,
)
from .models import Application, ReviewAssignment, Round
from .rules import is_applicant
from .submission import application_submission

STABILITY_DRAWS = 2000
RANKING_PAGE_SIZE = 50


def _coordinator(user):
    require(user, "accelerator.manage_round", message=_("Only coordinators run accelerator rounds."))


def _round(user, pk) -> Round:
    return get_object_or_404(selectors.rounds_visible_to(user), pk=pk)


@login_required
def index(request):
    user = request.user
    rounds = list(selectors.rounds_visible_to(user).order_by("-opens_at", "-id"))
    context = {
        "rounds": rounds,
        "my_applications": list(
            selectors.application_list(user).filter(project__organisation_id__in=user.organisation_ids)
        )
        if user.organisation_ids
        else [],
        "assignment_count": selectors.assignments_of_reviewer(user).count() if user.is_reviewer else 0,
    }
    return render(request, "accelerator/index.html", context)


@login_required
def round_create(request):
    _coordinator(request.user)
    form = RoundForm(request.POST or None, instance=Round())
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Round created. Add its criteria next."))
            return redirect("accelerator:round", pk=round.pk)
    return render(request, "accelerator/round_form.html", {"form": form})


@login_required
def round_edit(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round=round, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Round saved."))
            return redirect("accelerator:round", pk=round.pk)
    return render(request, "accelerator/round_form.html", {"form": form, "round": round})


@login_required
def round_detail(request, pk):
    user = request.user
    round = _round(user, pk)
    criteria = selectors.criteria_of(round)
    context = {
        "round": round,
        "criteria": criteria,
        "applications": list(selectors.application_list(user, round)),
        "criterion_form": CriterionForm() if user.has_perm("accelerator.change_criteria", round) else None,
    }
    if user.has_perm("accelerator.apply_to_round", round):
        projects = list(
            projects_visible_to(user)
            .filter(organisation_id__in=user.organisation_ids)
            .order_by("title", "pk")
        )
        applied = set(
            Application.objects.competing()
            .filter(round=round, project__in=projects)
            .values_list("project_id", flat=True)
        )
        checks = eligibility_by_project(projects)
        context["eligibility"] = [(p, checks[p.pk], p.pk in applied) for p in projects]
    return render(request, "accelerator/round_detail.html", context)


@login_required
@require_POST
def round_transition(request, pk):
    """Moves the round on; a move that is early or leaves reviews outstanding is answered with a
    confirmation page saying what is missing (no JavaScript needed), posted again with confirm=yes."""
    round = _round(request.user, pk)
    status = request.POST.get("status", "")
    try:
        services.round_transition(
            round=round, by=request.user, status=status, confirm=request.POST.get("confirm") == "yes"
        )
    except ValidationError as error:
        warnings = error.message_dict.get("confirm") if hasattr(error, "error_dict") else None
        if warnings and set(error.message_dict) == {"confirm"}:
            return render(
                request,
                "accelerator/confirm_transition.html",
                {"round": round, "status": status, "label": Round.Status(status).label, "warnings": warnings},
            )
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The round's status changed."))
    return redirect("accelerator:round", pk=round.pk)


@login_required
@require_POST
def criterion_create(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_create(round=round, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criterion added."))
            return redirect("accelerator:round", pk=round.pk)
    context = {
        "round": round,
        "criteria": selectors.criteria_of(round),
        "applications": [],
        "criterion_form": form,
    }
    return render(request, "accelerator/round_detail.html", context, status=400)


@login_required
def apply(request, pk, project_pk):
    round = _round(request.user, pk)
    project = get_object_or_404(projects_visible_to(request.user), pk=project_pk)
    eligibility = eligibility_by_project([project])[project.pk]
    form = ApplicationForm(request.POST or None, questions=round.questions)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                round=round,
                project=project,
                by=request.user,
                answers=form.answers(),
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Application submitted. Snapshots of your tools were frozen into it.")
            )
            return redirect("accelerator:application", pk=application.pk)
    return render(
        request,
        "accelerator/apply.html",
        {"round": round, "project": project, "eligibility": eligibility, "form": form},
    )


@login_required
def application_detail(request, pk):
    user = request.user
    application = get_object_or_404(
        selectors.application_list(user).select_related("sbmc_snapshot", "toc_snapshot"), pk=pk
    )
    may_see_decision = user.has_perm("accelerator.view_decision", application)
    context = {
        "application": application,
        "round": application.round,
        "blind": not user.has_perm("accelerator.view_applicant_identity", application),
        "is_applicant": is_applicant(user, application),
        "feedback": selectors.application_feedback(application) if may_see_decision else None,
        "comments": selectors.application_comments(application)
        if user.has_perm("accelerator.view_feedback", application)
        else None,
        "decision": getattr(application, "decision", None) if may_see_decision else None,
        "submission": application_submission(application),
        "may_change": user.has_perm("accelerator.change_application", application),
        "change_refusal": selectors.application_change_refusal(application),
    }
    return render(request, "accelerator/application_detail.html", context)


def _application_to_change(request, pk) -> Application:
    """The application, for its applicant: 404 when one may not see it, 403 when one may see but
    not change it (a coordinator, a reviewer)."""
    application = get_object_or_404(selectors.application_list(request.user), pk=pk)
    require(
        request.user,
        "accelerator.change_application",
        application,
        message=_("Only staff of the applying organisation can change or withdraw its application."),
    )
    return application


def _closed_for_changes(request, application: Application):
    """Back to the application with the reason, once the round no longer takes changes; else None."""
    refusal = selectors.application_change_refusal(application)
    if refusal:
        messages.error(request, refusal)
        return redirect("accelerator:application", pk=application.pk)
    return None


@login_required
def application_edit(request, pk):
    """Change the answers, their language and (ticked) the frozen tools, until the round closes."""
    application = _application_to_change(request, pk)
    if closed := _closed_for_changes(request, application):
        return closed
    form = ApplicationEditForm(
        request.POST if request.method == "POST" else None,
        questions=application.round.questions,
        answers=application.answers,
        initial={"language": application.language} if application.language else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                application=application,
                by=request.user,
                answers=form.answers(),
                language=form.cleaned_data["language"] or None,  # left out: unchanged
                refreeze=form.cleaned_data["refreeze"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Application saved."))
            return redirect("accelerator:application", pk=application.pk)
    context = {
        "application": application,
        "round": application.round,
        "project": application.project,
        "form": form,
        "eligibility": eligibility_by_project([application.project])[application.project_id],
    }
    return render(request, "accelerator/application_edit.html", context, status=400 if form.errors else 200)


@login_required
def application_withdraw(request, pk):
    """GET (or a POST without confirm=yes): the question; POST confirm=yes: withdraw."""
    application = _application_to_change(request, pk)
    if closed := _closed_for_changes(request, application):
        return closed
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.application_withdraw(application=application, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The application was withdrawn. You can apply again until the round closes."),
            )
        return redirect("accelerator:application", pk=application.pk)
    return render(
        request,
        "accelerator/confirm_withdraw.html",
        {"application": application, "round": application.round},
    )


# Assignment board -------------------------------------------------------------------------------


@login_required
def assignment_board(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    applications = list(selectors.assignment_board(round))
    form = AssignForm(
        request.POST or None,
        applications=Application.objects.competing().filter(round=round),
        reviewers=selectors.reviewer_list(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(
                application=form.cleaned_data["application"],
                reviewer=form.cleaned_data["reviewer"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reviewer assigned."))
            return redirect("accelerator:assignments", pk=round.pk)
    loads = {}
    for application in applications:
        for assignment in application.assignments.all():
            if assignment.status == ReviewAssignment.Status.ACTIVE:
                loads[assignment.reviewer_id] = loads.get(assignment.reviewer_id, 0) + 1
    reviewers = [
        (
            reviewer,
            loads.get(reviewer.pk, 0),
            ReviewerCountryForm(
                prefix=f"r{reviewer.pk}",
                initial={"country": getattr(getattr(reviewer, "reviewer_profile", None), "country", "")},
            ),
        )
        for reviewer in selectors.reviewer_list().select_related("reviewer_profile")
    ]
    context = {"round": round, "applications": applications, "form": form, "reviewers": reviewers}
    return render(request, "accelerator/assignments.html", context)


@login_required
@require_POST
def reviewer_country(request, pk, reviewer_pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    reviewer = get_object_or_404(selectors.reviewer_list(), pk=reviewer_pk)
    form = ReviewerCountryForm(request.POST, prefix=f"r{reviewer.pk}")
    try:
        if not form.is_valid():
            raise ValidationError({"country": _("Choose a country.")})
        services.reviewer_country_set(
            reviewer=reviewer, country=form.cleaned_data["country"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Country of %(name)s saved.") % {"name": reviewer})
    return redirect("accelerator:assignments", pk=round.pk)


@login_required
@require_POST
def auto_assign(request, pk):
    round = _round(request.user, pk)
    try:
        created = services.assignments_auto(round=round, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)s assignment made.", "%(count)s assignments made.", len(created))
            % {"count": len(created)},
        )
    return redirect("accelerator:assignments", pk=round.pk)


# Reviewing --------------------------------------------------------------------------------------


@login_required
def inbox(request):
    assignments = list(selectors.assignments_of_reviewer(request.user))
    now = timezone.now()
    rows = [(a, selectors.review_is_locked(a, now=now)) for a in assignments]
    return render(request, "accelerator/inbox.html", {"rows": rows})


@login_required
def review(request, pk):
    assignment = get_object_or_404(
        selectors.assignments_of_reviewer(request.user).select_related(
            "application__sbmc_snapshot", "application__toc_snapshot"
        ),
        pk=pk,
    )
    application = assignment.application
    round = application.round
    criteria = list(round.criteria.order_by("order", "id"))
    existing = getattr(assignment, "review", None)
    initial = {}
    if existing:
        initial = {
            "comment": existing.comment,
            "recommendation": existing.recommendation,
            "confidence": existing.confidence,
        }
        initial.update({f"score_{s.criterion_id}": s.value for s in existing.scores.all()})
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    locked = selectors.review_is_locked(assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                assignment=assignment,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                recommendation=form.cleaned_data["recommendation"],
                confidence=form.cleaned_data["confidence"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Review submitted.") if "submit" in request.POST else _("Draft saved.")
            )
            return redirect("accelerator:review", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "application": application,
        "round": round,
        "criteria": criteria,
        "form": form,
        "locked": locked,
        "blind": not request.user.has_perm("accelerator.view_applicant_identity", application),
        "others": selectors.other_reviews_visible_to(request.user, assignment),
        "submission": application_submission(application),
        "conflict_form": ConflictForm() if not locked else None,
    }
    return render(request, "accelerator/review_form.html", context)


@login_required
@require_POST
def declare_conflict(request, pk):
    assignment = get_object_or_404(selectors.assignments_of_reviewer(request.user), pk=pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_declare_conflict(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("accelerator:review", pk=assignment.pk)
        messages.success(request, _("Conflict of interest recorded; the assignment is withdrawn."))
        return redirect("accelerator:inbox")
    messages.error(request, _("Say briefly what the conflict is."))
    return redirect("accelerator:review", pk=assignment.pk)


# Ranking and decision ---------------------------------------------------------------------------


@login_required
def ranking(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    normalise = request.GET.get("normalise", "1") not in {"0", "false", "off"}
    result = selectors.round_ranking(round=round, normalise=normalise, draws=STABILITY_DRAWS)
    criteria = selectors.criteria_of(round)
    # A page at a time: a round of a national programme has a thousand applications.
    page = Paginator(result.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "round": round,
        "ranking": result,
        "page": page,
        "query": "normalise=1" if normalise else "normalise=0",
        "normalise": normalise,
        "criteria": criteria,
    }
    template = "accelerator/_ranking_table.html" if request.htmx else "accelerator/ranking.html"
    return render(request, template, context)


@login_required
def decision(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    if request.method == "POST":
        application = get_object_or_404(Application, round=round, pk=request.POST.get("application"))
        form = DecisionForm(request.POST, prefix=f"a{application.pk}")
        if form.is_valid():
            try:
                services.decision_record(application=application, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, f"{application.project.title}: {message}")
            else:
                messages.success(
                    request, _("Decision on %(title)s saved.") % {"title": application.project.title}
                )
        else:
            messages.error(request, _("Choose a decision and give a rationale."))
        return redirect("accelerator:decision", pk=round.pk)
    # The round's one order: the same ranking (and cache entry) as the ranking page and the portfolio.
    ranking = selectors.round_ranking(round=round, draws=0)
    portfolio = selectors.round_portfolio(round=round)
    ranking_rows = ranking.rows
    applications = {
        a.pk: a
        for a in Application.objects.competing().filter(round=round).select_related("project", "decision")
    }
    suggested = set(portfolio["selected"])
    rows = []
    for row in ranking_rows:
        application = applications[row.application_id]
        decision = getattr(application, "decision", None)
        initial = (
            {
                "outcome": decision.outcome,
                "rationale": decision.rationale,
                "quota_override_reason": decision.quota_override_reason,
            }
            if decision
            else {"outcome": "selected" if row.application_id in suggested else "reserve"}
        )
        rows.append(
            {
                "row": row,
                "application": application,
                "suggested": row.application_id in suggested,
                "decision": decision,
                "form": DecisionForm(initial=initial, prefix=f"a{application.pk}"),
            }
        )
    context = {
        "round": round,
        "portfolio": portfolio,
        "ranking": ranking,
        "rows": rows,
        "close_form": CloseForm(),
        "record": getattr(round, "decision_record", None) if round.status == Round.Status.DECIDED else None,
    }
    return render(request, "accelerator/decision.html", context)


@login_required
@require_POST
def close_decision(request, pk):
    _coordinator(request.user)
    round = _round(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("confirm", []):
            messages.error(request, error)
        return redirect("accelerator:decision", pk=round.pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
    try:
        services.round_close_decision(round=round, by=request.user, **data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decision closed and recorded; applicants are being notified."))
    return redirect("accelerator:decision", pk=round.pk)


# Start-ups --------------------------------------------------------------------------------------


def _ratio_chart(summaries, title):
    months = sorted({m for s in summaries for m in s.months})
    if not months:
        return ""
    series = {}
    for s in summaries:
        by_month = dict(zip(s.months, s.ratios, strict=True))
        series[s.name] = [by_month.get(m) for m in months]
    svg = charts.line_chart_by_month(
        title=title,
        months=months,
        series=series,
        description=_("Earned income divided by costs per month; 1.0 means income covers costs."),
    )
    table = charts.data_table(
        caption=title, labels=[charts.month_label(m) for m in months], series=series, label_heading=_("Month")
    )
    return charts.figure(svg=svg, table=table, caption=title)


@login_required
def startups(request):
    summaries = selectors.startup_portfolio(request.user)
    chart = _ratio_chart(summaries, _("Self-sufficiency ratio per month"))
    return render(request, "accelerator/startups.html", {"summaries": summaries, "chart": chart})


@login_required
def startup_detail(request, pk):
    user = request.user
    startup = get_object_or_404(selectors.startups_visible_to(user), pk=pk)
    can_report = user.has_perm("accelerator.report_startup", startup)
    forms = {
        "startup": StartUpForm(instance=startup, prefix="s"),
        "figure": FigureForm(prefix="f"),
        "milestone": MilestoneForm(prefix="m"),
        "mentoring": MentoringForm(prefix="g"),
    }
    if request.method == "POST":
        require(user, "accelerator.report_startup", startup)
        kind = request.POST.get("form")
        actions = {
            "startup": (StartUpForm, {"instance": startup}, services.startup_update),
            "figure": (FigureForm, {}, services.figure_record),
            "milestone": (MilestoneForm, {}, services.milestone_create),
            "mentoring": (MentoringForm, {}, services.mentoring_session_log),
        }
        if kind not in actions:
            return redirect("accelerator:startup", pk=startup.pk)
        form_class, extra, service = actions[kind]
        form = form_class(
            request.POST,
            prefix={"startup": "s", "figure": "f", "milestone": "m", "mentoring": "g"}[kind],
            **extra,
        )
        forms[kind] = form
        if form.is_valid():
            data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
            try:
                service(startup=startup, by=user, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("accelerator:startup", pk=startup.pk)
    (summary,) = selectors.startup_portfolio(user, ids=[startup.pk])
    context = {
        "startup": startup,
        "summary": summary,
        "figures": list(selectors.figures_of(startup)),
        "milestones": list(selectors.milestones_of(startup)),
        "sessions": list(startup.mentoring_sessions.all()),
        "chart": _ratio_chart([summary], _("Self-sufficiency ratio of %(name)s") % {"name": startup.name}),
        "forms": forms if can_report else None,
    }
    return render(request, "accelerator/startup_detail.html", context)
