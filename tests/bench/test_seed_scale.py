"""bench/seed_scale.py against PostgreSQL (COPY): consistent, deterministic, and the floor views
answer the same rows as the API they are compared with."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory

from bench import floor, seed_scale
from bench.seed_scale import COORDINATOR_USERNAME, PROGRAMME_USERNAME, Plan
from microprojects.models import Activity, Indicator, Measurement, MicroProject
from microprojects.selectors import projects_visible_to
from sempre.models import User
from tests.conftest import require_service
from tests.factories import MicroProjectFactory

pytestmark = pytest.mark.services


@pytest.fixture
def seeded(db):
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    return seed_scale.run(Plan(projects=40), migrate=False)


def activities_digest() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws(',', id, project_id, date, kind, participants_total, women), ';'"
            " ORDER BY id)) FROM microprojects_activity"
        )
        return cursor.fetchone()[0]


def test_seed_writes_the_planned_rows(seeded):
    assert MicroProject.objects.count() == 40
    assert Activity.objects.count() == 4000
    assert Indicator.objects.count() == 200
    assert Measurement.objects.count() == 2000
    assert seeded.counts["activities"] == 4000


def test_seeded_rows_keep_the_model_rules(seeded):
    # Foreign key triggers are off during the load: the data must be consistent by construction.
    assert not Activity.objects.exclude(project__in=MicroProject.objects.all()).exists()
    assert not Measurement.objects.exclude(indicator__in=Indicator.objects.all()).exists()
    for activity in Activity.objects.all()[:200]:
        assert activity.women + activity.men == activity.participants_total
        assert activity.participants_new <= activity.participants_total


def test_seed_leaves_sequences_ready_for_new_rows(seeded):
    project = MicroProjectFactory()
    assert project.pk == 41


def test_seed_is_deterministic(seeded):
    first = activities_digest()
    seed_scale.run(Plan(projects=40), migrate=False)
    assert activities_digest() == first


def test_programme_reader_sees_the_first_organisations(seeded):
    reader = User.objects.get(username=PROGRAMME_USERNAME)
    assert projects_visible_to(reader).count() == 40  # min(1,000, all projects)


def test_floor_lists_the_same_projects_as_the_api(seeded, client):
    client.force_login(User.objects.get(username=COORDINATOR_USERNAME))
    query = {"status": "active", "page": 2, "page_size": 5}

    api = client.get("/api/v1/projects/", query).json()
    floor_page = json.loads(floor.project_list(RequestFactory().get("/", query)).content)

    assert floor_page["count"] == api["count"]
    fields = ("id", "title", "activity_count", "participant_total", "target_groups", "lead_social_workers")
    assert [{f: p[f] for f in fields} for p in floor_page["results"]] == [
        {f: p[f] for f in fields} for p in api["results"]
    ]


def test_floor_lists_the_same_activities_as_the_api(seeded, client):
    client.force_login(User.objects.get(username=COORDINATOR_USERNAME))
    project = MicroProject.objects.order_by("id")[3]

    api = client.get(f"/api/v1/projects/{project.pk}/activities/", {"page_size": 25}).json()
    response = floor.project_activities(RequestFactory().get("/", {"page_size": 25}), project.pk)
    floor_page = json.loads(response.content)

    assert floor_page["count"] == api["count"] == 100
    assert [a["id"] for a in floor_page["results"]] == [a["id"] for a in api["results"]]


def test_hand_written_sql_gives_the_programme_figures(seeded):
    from bench.floor import PROGRAMME_FIGURES_SQL, fetch
    from microprojects.selectors import programme_figures

    platform = programme_figures(User.objects.get(username=COORDINATOR_USERNAME))
    (handwritten,) = fetch(PROGRAMME_FIGURES_SQL, {})

    totals = platform["programme_totals"]
    assert handwritten["totals"]["activities"] == totals["activities"] == 4000
    assert handwritten["totals"]["participants"] == totals["participants"]
    assert Decimal(str(handwritten["totals"]["hours"])) == totals["hours"]
    assert handwritten["project_totals"]["projects"] == totals["projects"] == 40
    assert handwritten["project_totals"]["active_projects"] == totals["active_projects"]
    by_country = {
        row["country"]: (row["projects"], row["activities"], row["participants"])
        for row in platform["by_country"]
    }
    assert {
        row["country"]: (row["projects"], row["activities"], row["participants"])
        for row in handwritten["by_country"]
    } == by_country
    by_group = {row["group"]: (row["projects"], row["activities"]) for row in platform["by_target_group"]}
    assert {
        row["targetgroup_id"]: (row["projects"], row["activities"]) for row in handwritten["by_target_group"]
    } == by_group
