"""Floor views: the rows a measured page returns, from one raw SQL query, serialised with `json`.

No authentication, no permissions, no serializers, no templates: what is left is the database's
work plus the cheapest possible Python on top. `make bench` shows each page's time next to its
floor's, from the same run, as information (the old goal "within 2x of the floor" is retired).
Only mounted by bench.settings (bench/urls.py).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpResponse

PROJECT_COLUMNS = """
    p.id, p.organisation_id, o.name AS organisation_name, p.title, p.summary, p.problem, p.country,
    p.region, p.setting, p.status, p.start_date, p.end_date, p.budget_eur, p.created_at, p.updated_at,
    ARRAY(SELECT t.targetgroup_id FROM microprojects_microproject_target_groups t
          JOIN microprojects_targetgroup g ON g.id = t.targetgroup_id
          WHERE t.microproject_id = p.id ORDER BY g."order", g.name) AS target_groups,
    ARRAY(SELECT l.user_id FROM microprojects_microproject_lead_social_workers l
          WHERE l.microproject_id = p.id ORDER BY l.user_id) AS lead_social_workers,
    (SELECT count(*) FROM microprojects_activity a WHERE a.project_id = p.id) AS activity_count,
    (SELECT coalesce(sum(a.participants_total), 0) FROM microprojects_activity a
     WHERE a.project_id = p.id) AS participant_total
"""

PROJECT_LIST_SQL = f"""
    SELECT {PROJECT_COLUMNS}, count(*) OVER () AS full_count
    FROM microprojects_microproject p JOIN sempre_organisation o ON o.id = p.organisation_id
    WHERE (%(status)s::text IS NULL OR p.status = %(status)s)
      AND (%(country)s::text IS NULL OR p.country = %(country)s)
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - constant SQL, parameters are bound

PROJECT_DETAIL_SQL = f"""
    SELECT {PROJECT_COLUMNS}
    FROM microprojects_microproject p JOIN sempre_organisation o ON o.id = p.organisation_id
    WHERE p.id = %(pk)s
"""  # noqa: S608 - constant SQL, parameters are bound

PROJECT_ACTIVITIES_SQL = """
    SELECT a.id, a.project_id, p.title AS project_title, a.date, a.kind, a.title, a.notes, a.staff_hours,
           a.volunteer_hours, a.participants_total, a.participants_new, a.women, a.men, a.non_binary,
           a.gender_not_stated, a.age_under_18, a.age_18_29, a.age_30_54, a.age_55_plus, a.age_not_stated,
           a.created_by_id, a.created_at, a.updated_at, count(*) OVER () AS full_count
    FROM microprojects_activity a JOIN microprojects_microproject p ON p.id = a.project_id
    WHERE a.project_id = %(pk)s
    ORDER BY a.date DESC, a.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
"""

# The coordinator's programme figures (microprojects.selectors.programme_figures) in one statement:
# totals, and projects and activities by country and by target group.
PROGRAMME_FIGURES_COLUMNS = """
      (SELECT json_build_object('activities', count(*), 'participants', coalesce(sum(participants_total), 0),
                                'hours', coalesce(sum(staff_hours + volunteer_hours), 0))
         FROM microprojects_activity) AS totals,
      (SELECT json_build_object('projects', count(*),
                                'active_projects', count(*) FILTER (WHERE status = 'active'))
         FROM microprojects_microproject) AS project_totals,
      (SELECT json_agg(x ORDER BY x.country) FROM (
         SELECT pc.country, pc.projects, coalesce(ac.activities, 0) AS activities,
                coalesce(ac.participants, 0) AS participants, coalesce(ac.hours, 0) AS hours
         FROM (SELECT country, count(*) AS projects FROM microprojects_microproject GROUP BY country) pc
         LEFT JOIN (SELECT p.country, count(*) AS activities, sum(a.participants_total) AS participants,
                           sum(a.staff_hours + a.volunteer_hours) AS hours
                    FROM microprojects_activity a JOIN microprojects_microproject p ON p.id = a.project_id
                    GROUP BY p.country) ac USING (country)) x) AS by_country,
      (SELECT json_agg(x ORDER BY x.targetgroup_id) FROM (
         SELECT pg.targetgroup_id, pg.projects, coalesce(ag.activities, 0) AS activities,
                coalesce(ag.participants, 0) AS participants, coalesce(ag.hours, 0) AS hours
         FROM (SELECT targetgroup_id, count(DISTINCT microproject_id) AS projects
               FROM microprojects_microproject_target_groups GROUP BY targetgroup_id) pg
         LEFT JOIN (SELECT t.targetgroup_id, count(*) AS activities,
                           sum(a.participants_total) AS participants,
                           sum(a.staff_hours + a.volunteer_hours) AS hours
                    FROM microprojects_activity a
                    JOIN microprojects_microproject_target_groups t ON t.microproject_id = a.project_id
                    GROUP BY t.targetgroup_id) ag USING (targetgroup_id)) x) AS by_target_group
"""
PROGRAMME_FIGURES_SQL = f"SELECT {PROGRAMME_FIGURES_COLUMNS}"

# The coordinator dashboard page: the programme figures plus the last twelve months.
DASHBOARD_SQL = f"""
    SELECT {PROGRAMME_FIGURES_COLUMNS},
      (SELECT json_agg(m ORDER BY m.month) FROM (
         SELECT date_trunc('month', date)::date AS month, count(*) AS activities,
                sum(participants_total) AS participants
         FROM microprojects_activity WHERE date >= %(first_month)s GROUP BY 1) m) AS by_month
"""  # noqa: S608 - constant SQL, parameters are bound


def dashboard_params() -> dict:
    """The first day of the month eleven months ago: the dashboard's twelve-month window."""
    from django.utils import timezone

    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 - 11
    return {"first_month": today.replace(year=months // 12, month=months % 12 + 1, day=1)}


RANKING_SQL = """
    SELECT ap.id, p.title, ap.submitted_at, count(DISTINCT r.id) AS review_count,
           sum(s.value * c.weight) / nullif(sum(c.weight), 0) AS weighted_mean
    FROM accelerator_application ap
    JOIN microprojects_microproject p ON p.id = ap.project_id
    LEFT JOIN accelerator_reviewassignment ra ON ra.application_id = ap.id AND ra.status = 'active'
    LEFT JOIN accelerator_review r ON r.assignment_id = ra.id AND r.submitted_at IS NOT NULL
    LEFT JOIN accelerator_score s ON s.review_id = r.id
    LEFT JOIN accelerator_criterion c ON c.id = s.criterion_id
    WHERE ap.round_id = %(pk)s
    GROUP BY ap.id, p.title, ap.submitted_at
    ORDER BY weighted_mean DESC NULLS LAST, ap.submitted_at, ap.id
"""


def fetch(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def respond(payload) -> HttpResponse:
    return HttpResponse(json.dumps(payload, default=str), content_type="application/json")


def _page(request, default_size: int = 25) -> tuple[int, int]:
    size = int(request.GET.get("page_size", default_size))
    page = int(request.GET.get("page", 1))
    return size, (page - 1) * size


def _paginated(rows: list[dict]) -> dict:
    count = rows[0].pop("full_count") if rows else 0
    for row in rows[1:]:
        row.pop("full_count")
    return {"count": count, "results": rows}


def project_list(request):
    limit, offset = _page(request)
    params = {
        "status": request.GET.get("status"),
        "country": request.GET.get("country"),
        "limit": limit,
        "offset": offset,
    }
    return respond(_paginated(fetch(PROJECT_LIST_SQL, params)))


def project_detail(request, pk):
    rows = fetch(PROJECT_DETAIL_SQL, {"pk": pk})
    return respond(rows[0] if rows else {})


def project_activities(request, pk):
    limit, offset = _page(request)
    return respond(_paginated(fetch(PROJECT_ACTIVITIES_SQL, {"pk": pk, "limit": limit, "offset": offset})))


def dashboard(request):
    return respond(fetch(DASHBOARD_SQL, dashboard_params())[0])


def round_ranking(request, pk):
    return respond(fetch(RANKING_SQL, {"pk": pk}))
