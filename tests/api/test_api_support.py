"""The shared API plumbing that makes lists cheaper: compiled representations and the filter backend
that skips the filter form when a request names no filter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import get_resolver
from rest_framework import serializers

from microprojects.api import ActivitySerializer
from microprojects.filters import ActivityFilter
from microprojects.models import Activity
from sempre.api_support import CompiledRepresentation, _names_a_filter

from ..factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


def drf_representation(serializer, instance) -> dict:
    """What DRF's own Serializer.to_representation makes of `instance`."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def activities(project):
    return [
        ActivityFactory(project=project, notes="", staff_hours=Decimal("2.5"), created_by=None),
        ActivityFactory(
            project=project,
            kind=Activity.Kind.MEETING,
            notes="Met the <b>mayor</b>",
            staff_hours=Decimal("0.25"),
            volunteer_hours=Decimal("12"),
            created_by=UserFactory(),
            date=dt.date(2024, 12, 31),
        ),
    ]


# Compiled representations ------------------------------------------------------------------------

# Every serializer that uses CompiledRepresentation, with a way to make instances of its model.
COMPILED = {ActivitySerializer: "activities"}


def test_every_compiled_serializer_is_compared_here():
    get_resolver().url_patterns  # noqa: B018 - imports every API module, so every subclass is known
    in_use = {cls for cls in _subclasses(CompiledRepresentation) if not cls.__module__.startswith("tests.")}
    assert in_use == set(COMPILED)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


@pytest.mark.parametrize("serializer_class", list(COMPILED), ids=lambda cls: cls.__name__)
def test_compiled_representation_equals_drf(request, serializer_class):
    instances = request.getfixturevalue(COMPILED[serializer_class])
    for instance in type(instances[0]).objects.filter(pk__in=[i.pk for i in instances]):
        serializer = serializer_class(instance)
        assert serializer.data == drf_representation(serializer_class(instance), instance)
        assert list(serializer.data) == list(drf_representation(serializer_class(instance), instance))


def test_compiled_representation_builds_no_fields(activities):
    serializer = ActivitySerializer(activities, many=True)
    data = serializer.data
    assert [row["id"] for row in data] == [activity.pk for activity in activities]
    assert "fields" not in serializer.child.__dict__  # DRF's cached_property was never computed


class MixedSerializer(CompiledRepresentation, serializers.ModelSerializer):
    """Fields that cannot be compiled next to ones that can: both paths in one serializer."""

    organisation_name = serializers.CharField(source="project.organisation.name", read_only=True)
    author = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    date_year = serializers.IntegerField(source="date.year", read_only=True)
    total_hours = serializers.SerializerMethodField()
    project = serializers.StringRelatedField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "organisation_name",
            "author",
            "kind_label",
            "date_year",
            "total_hours",
            "project",
            "date",
        ]

    def get_total_hours(self, activity) -> str:
        return str(activity.staff_hours + activity.volunteer_hours)


def test_compiled_representation_keeps_drf_path_for_other_fields(activities):
    plan = {name: get is not None for name, get, _convert in MixedSerializer._representation_plan()}
    assert plan == {
        "id": True,
        "organisation_name": True,
        "author": True,
        "kind_label": False,  # a method, called by DRF
        "date_year": False,  # an attribute of a value, not a column
        "total_hours": False,  # a method field
        "project": False,  # str(project): not a value-only field
        "date": True,
    }
    for activity in activities:
        expected = drf_representation(MixedSerializer(activity), activity)
        assert MixedSerializer(activity).data == expected
    assert MixedSerializer(activities[0]).data["author"] is None  # None part-way along the path


# Filter backend ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, False),
        ({"page": "2", "page_size": "10", "search": "bag", "ordering": "-date"}, False),
        ({"kind": "workshop"}, True),
        ({"date_after": "2025-01-01"}, True),
        ({"date_before": ""}, True),
        ({"dateline": "x"}, False),
    ],
)
def test_names_a_filter(params, names):
    assert _names_a_filter(params, ActivityFilter) is names


def test_list_without_filters_does_not_build_the_filter_form(
    api_client, social_worker, activities, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the filter form was built")

    monkeypatch.setattr(ActivityFilter, "__init__", refuse)
    api_client.force_authenticate(social_worker)
    response = api_client.get(f"/api/v1/projects/{activities[0].project_id}/activities/?page_size=1")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_list_with_a_filter_filters_and_names_bad_values(api_client, social_worker, activities):
    api_client.force_authenticate(social_worker)
    url = f"/api/v1/projects/{activities[0].project_id}/activities/"
    response = api_client.get(url, {"date_before": "2025-01-01"})
    assert [row["id"] for row in response.json()["results"]] == [activities[1].pk]
    response = api_client.get(url, {"kind": "juggling"})
    assert response.status_code == 400
    assert "kind" in response.json()
