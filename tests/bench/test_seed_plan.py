"""What bench/seed_scale.py plans to write, and how it fills columns it does not name."""

import datetime as dt

import pytest
from django.db import connection

from bench import measure as run
from bench.seed_rows import NOW, default_value
from bench.seed_scale import Plan
from microprojects.models import Activity, MicroProject
from sempre.models import User


def test_full_scale_plan_matches_the_issue():
    plan = Plan(projects=10000)

    assert plan.organisations == 500
    assert plan.activities == 1_000_000
    assert plan.indicators == 50_000
    assert plan.measurements == 500_000
    assert plan.tool_instances == 2000
    assert plan.applications == 1000
    assert plan.reviews_per_application * plan.criteria == 40


@pytest.mark.parametrize("projects", [200, 500, 10000])
def test_plan_scales_with_the_number_of_projects(projects):
    plan = Plan(projects=projects)

    assert plan.activities == 100 * projects
    assert plan.organisations * plan.projects_per_organisation >= projects
    assert plan.reviewers >= plan.reviews_per_application


def test_default_value_uses_the_field_default():
    field = Activity._meta.get_field("kind")
    assert default_value(field, connection) == Activity.Kind.WORKSHOP


def test_default_value_fills_timestamps_and_nullable_columns():
    assert default_value(MicroProject._meta.get_field("updated_at"), connection) == NOW
    assert default_value(Activity._meta.get_field("women"), connection) is None


def test_default_value_refuses_a_required_column_without_default():
    with pytest.raises(ValueError, match=r"Activity\.date"):
        default_value(Activity._meta.get_field("date"), connection)


def test_default_value_of_a_callable_default_is_called():
    value = default_value(User._meta.get_field("date_joined"), connection)
    # Prepared for the database: a datetime, or its text form on SQLite.
    assert isinstance(dt.datetime.fromisoformat(str(value)), dt.datetime)


@pytest.mark.parametrize(
    ("route", "kwarg", "expected"),
    [
        ("project-activity-list", "project_pk", 7),
        ("project-history", "pk", 7),
        ("indicator-measurement-list", "indicator_pk", 3),
        ("round-ranking", "pk", 1),
        ("startup-figure-list", "startup_pk", None),
    ],
)
def test_sample_for_picks_the_id_of_the_kind_named_by_the_url(route, kwarg, expected):
    samples = {"project": 7, "indicator": 3, "round": 1}
    assert run.sample_for(route, kwarg, samples) == expected
