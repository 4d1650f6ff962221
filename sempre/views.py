"""The dashboard: one page, with a section for each role the user holds.

Social workers and organisation admins see their projects, recent activities and indicators off
track; coordinators see programme totals by country and by target group (aggregated in SQL) with
charts; reviewers are pointed to the accelerator. Other areas add panels through the slots below.
"""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework.authtoken.models import Token

from microprojects.models import Activity, MicroProject, TargetGroup
from microprojects.selectors import (
    activities_visible_to,
    indicator_is_off_track,
    indicators_visible_to,
    project_list,
    projects_visible_to,
)

from . import audit, charts
from . import privacy as privacy_services
from .forms import AUDIT_COLUMNS, AuditFilterForm
from .models import AuditEvent, User

MY_PROJECTS_LENGTH = 8
RECENT_ACTIVITIES_LENGTH = 8
PROGRAMME_MONTHS = 12

# Panels other areas add to the dashboard. Each slot renders the first of its templates that exists
# (with the dashboard's context: `user`, `request`, the role flags); the last one is empty, so a slot
# without an owner renders nothing. See docs/web.md.
EMPTY_SLOT = "sempre/_slot_empty.html"
DASHBOARD_SLOTS = {
    "pending_contributions": ("cocreation/_dashboard_pending_contributions.html", EMPTY_SLOT),
    "project_tools": ("toolkit/_dashboard_tools.html", EMPTY_SLOT),
    "review_assignments": ("accelerator/_dashboard_review_assignments.html", EMPTY_SLOT),
    "accelerator": ("accelerator/_dashboard_coordinator.html", EMPTY_SLOT),
    "report_jobs": ("reports/_dashboard_report_jobs.html", EMPTY_SLOT),
}


@login_required
def dashboard(request):
    user = request.user
    is_staff_member = bool(user.organisation_ids)
    context = {
        "is_staff_member": is_staff_member,
        "is_coordinator": user.is_coordinator,
        "is_reviewer": user.is_reviewer,
        "slots": DASHBOARD_SLOTS,
    }
    if is_staff_member:
        context.update(_staff_panels(user))
    if user.is_coordinator:
        context.update(_programme_panels(user))
    return render(request, "sempre/dashboard.html", context)


# Social workers and organisation admins --------------------------------------------------------


def _staff_panels(user) -> dict:
    own = {"organisation_id__in": user.organisation_ids}
    my_projects = list(
        project_list(user)
        .prefetch_related(None)  # the dashboard shows neither target groups nor leads
        .filter(**own)
        .annotate(
            is_lead=Exists(
                MicroProject.lead_social_workers.through.objects.filter(
                    microproject_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
        .order_by("-is_lead", "status", "title")[:MY_PROJECTS_LENGTH]
    )
    project_count = projects_visible_to(user).filter(**own).count()
    recent_activities = list(
        activities_visible_to(user).filter(project__organisation_id__in=user.organisation_ids)[
            :RECENT_ACTIVITIES_LENGTH
        ]
    )
    indicators = indicators_visible_to(user).filter(
        project__organisation_id__in=user.organisation_ids,
        project__status=MicroProject.Status.ACTIVE,
        target_date__isnull=False,
    )
    today = timezone.localdate()
    off_track = [
        i for i in indicators.order_by("target_date", "name") if indicator_is_off_track(i, today=today)
    ]
    return {
        "my_projects": my_projects,
        "project_count": project_count,
        "recent_activities": recent_activities,
        "off_track_indicators": off_track,
    }


# Coordinators ------------------------------------------------------------------------------------


def _programme_panels(user) -> dict:
    projects = projects_visible_to(user).order_by()
    activities = Activity.objects.filter(project__in=projects).order_by()
    hours = Coalesce(
        Sum(F("staff_hours") + F("volunteer_hours")),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )

    # One scan of the activities, grouped per project; the roll-ups by country and by target group
    # then read these per-project rows (one per project), not the activities again.
    per_project = {
        row["project_id"]: row
        for row in activities.values("project_id").annotate(
            activities=Count("id"), participants=Coalesce(Sum("participants_total"), 0), hours=hours
        )
    }

    def empty(**key):
        return {**key, "projects": 0, "activities": 0, "participants": 0, "hours": Decimal(0)}

    def add(row, project_id):
        row["projects"] += 1
        figures = per_project.get(project_id)
        if figures:
            for name in ("activities", "participants", "hours"):
                row[name] += figures[name]

    totals = empty()
    totals["active_projects"] = 0
    countries_seen: dict = {}
    for project_id, country, status in projects.values_list("id", "country", "status"):
        add(countries_seen.setdefault(country, empty(country=country)), project_id)
        add(totals, project_id)
        totals["active_projects"] += status == MicroProject.Status.ACTIVE
    by_country = list(countries_seen.values())
    for row in by_country:
        row["label"] = countries.name(row["country"]) or row["country"]
    by_country.sort(key=lambda row: str(row["label"]))

    groups = {group.pk: group for group in TargetGroup.objects.all()}
    groups_seen: dict = {}
    links = MicroProject.target_groups.through.objects.filter(microproject__in=projects)
    for project_id, group_id in links.values_list("microproject_id", "targetgroup_id"):
        add(groups_seen.setdefault(group_id, empty(group=group_id)), project_id)
    by_group = list(groups_seen.values())
    for row in by_group:
        row["label"] = str(groups[row["group"]]) if row["group"] in groups else "?"
    by_group.sort(
        key=lambda row: (groups[row["group"]].order, row["label"]) if row["group"] in groups else (0, "")
    )

    return {
        "programme_totals": totals,
        "by_country": by_country,
        "by_target_group": by_group,
        "country_chart": _breakdown_chart(by_country, title=_("Participants by country")),
        "target_group_chart": _breakdown_chart(by_group, title=_("Participants by target group")),
        "monthly_chart": _monthly_chart(activities),
    }


def _breakdown_chart(rows, *, title):
    """A bar chart of participants; the page shows the full numbers in a table next to it."""
    if not rows:
        return ""
    labels = [row["label"] for row in rows]
    series = {_("Participants"): [row["participants"] for row in rows]}
    return charts.figure(svg=charts.bar_chart(title=title, labels=labels, series=series, horizontal=True))


def _monthly_chart(activities):
    today = timezone.localdate()
    first = _add_months(today.replace(day=1), -(PROGRAMME_MONTHS - 1))
    rows = (
        activities.filter(date__gte=first)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .order_by("month")
        .annotate(activities=Count("id"), participants=Coalesce(Sum("participants_total"), 0))
    )
    by_month = {_as_date(row["month"]).replace(day=1): row for row in rows}
    if not by_month:
        return ""
    months = [_add_months(first, n) for n in range(PROGRAMME_MONTHS)]
    series = {
        _("Participants"): [by_month.get(m, {}).get("participants", 0) for m in months],
        _("Activities"): [by_month.get(m, {}).get("activities", 0) for m in months],
    }
    title = _("Activities and participants over the last twelve months")
    return charts.figure(
        svg=charts.line_chart_by_month(title=title, months=months, series=series),
        table=charts.data_table(
            caption=title,
            labels=[charts.month_label(m) for m in months],
            series=series,
            label_heading=_("Month"),
        ),
    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "hour") else value


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# Audit log, personal data and API tokens (security) ---------------------------------------------

AUDIT_PAGE_SIZE = 50


def _coordinator_only(request):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("Only programme coordinators may see this page."))


@login_required
def audit_log(request):
    """The audit log, newest first, filterable by kind of action, user name and day; 50 a page.
    Two queries whatever the page shows (count and page), the actor is a copied name."""
    _coordinator_only(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events.only(*AUDIT_COLUMNS), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sempre/audit.html",
        {"form": form, "page": page, "actions": audit.ACTIONS, "query": query.urlencode()},
    )


@login_required
def privacy(request):
    """Coordinators look a staff user up, download their data as JSON, or erase them."""
    _coordinator_only(request)
    query = request.GET.get("q", "").strip()
    people = []
    if query:
        people = list(
            User.objects.filter(
                Q(username__icontains=query)
                | Q(email__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
            ).order_by("username")[:20]
        )
    return render(request, "sempre/privacy.html", {"query": query, "people": people})


@login_required
def privacy_export(request, pk):
    _coordinator_only(request)
    person = get_object_or_404(User, pk=pk)
    data = privacy_services.user_data_export(user=person, by=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="sempre-user-{person.pk}.json"'
    return response


@login_required
def privacy_erase(request, pk):
    _coordinator_only(request)
    person = get_object_or_404(User, pk=pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm_username", "").strip() != person.username:
            error = _("Type the user name exactly to confirm.")
        else:
            try:
                privacy_services.user_erase(user=person, by=request.user)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(
                    request, _("The account was erased; what the person wrote stays, anonymised.")
                )
                return redirect("privacy")
    return render(
        request,
        "sempre/privacy_erase.html",
        {"person": person, "error": error},
        status=400 if error else 200,
    )


@login_required
def api_token(request):
    """One's own API token: whether there is one, and a button to revoke it."""
    if request.method == "POST":
        if privacy_services.token_revoke(user=request.user, request=request):
            messages.success(
                request, _("Your API token was revoked. Programs using it can no longer sign in.")
            )
        return redirect("api-token")
    token = Token.objects.filter(user=request.user).only("created").first()
    return render(request, "sempre/privacy_token.html", {"token": token})
