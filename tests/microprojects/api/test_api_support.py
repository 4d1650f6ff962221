"""The shared API plumbing that makes lists cheaper: compiled representations and the filter backend
that skips the filter form when a request names no filter."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import renderers, serializers
from rest_framework.exceptions import ErrorDetail

from microprojects.api import ActivitySerializer
from microprojects.filters import ActivityFilter
from microprojects.models import Activity
from sempre.api_support import (
    CompiledRepresentation,
    CountInPageQueryPaginator,
    JSONRenderer,
    _attribute_path,
    _converter,
    _names_a_filter,
)

from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


def drf_representation(serializer, instance) -> dict:
    """What DRF's own Serializer.to_representation makes of `instance`."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def activities(project):
    """Two activities as the API reads them (the selectors annotate the project's title)."""
    created = [
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
    rows = Activity.objects.filter(pk__in=[a.pk for a in created]).annotate(project_title=F("project__title"))
    return list(rows.order_by("pk"))


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
    for instance in request.getfixturevalue(COMPILED[serializer_class]):
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


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])
def test_compiled_datetimes_equal_drf_in_the_current_timezone(activities, zone):
    with timezone.override(zone):
        for activity in activities:
            compiled = ActivitySerializer(activity).data
            assert compiled == drf_representation(ActivitySerializer(activity), activity)
            assert compiled["created_at"].endswith("Z") is (zone == "UTC")


def test_compiled_datetimes_hand_anything_but_aware_datetimes_to_drf(activities):
    activity = activities[0]
    activity.created_at = dt.datetime(2025, 5, 1, 12, 30)  # naive: DRF makes it aware
    activity.updated_at = None
    compiled = ActivitySerializer(activity).data
    assert compiled == drf_representation(ActivitySerializer(activity), activity)
    assert compiled["updated_at"] is None


def test_compiled_timezone_is_looked_up_per_serializer(activities):
    activity = activities[0]
    with timezone.override("UTC"):
        in_utc = ActivitySerializer(activity).data["created_at"]
    with timezone.override("Asia/Tokyo"):
        in_tokyo = ActivitySerializer(activity).data["created_at"]
    assert in_utc.endswith("Z")
    assert in_tokyo.endswith("+09:00")


@pytest.mark.parametrize(
    ("source", "path"),
    [
        (["title"], "title"),
        (["project"], "project_id"),  # a foreign key: its id column
        (["project", "title"], "project.title"),
        (["project_title"], "project_title"),  # an annotation: nothing of the model's class
        (["get_kind_display"], None),  # a method: DRF calls it
        (["project_title", "upper"], None),  # a step past an annotation
        (["project", "activities"], None),  # a reverse relation
        (["objects"], None),  # on the class (a manager): not an annotation
    ],
)
def test_attribute_paths(source, path):
    assert _attribute_path(Activity, source) == path


DECIMALS = [
    Decimal("2.5"),
    Decimal("0.125"),
    Decimal("0.135"),
    Decimal("-7.005"),
    Decimal("12"),
    Decimal("1E+2"),
]


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.DecimalField(max_digits=6, decimal_places=2), [*DECIMALS, 3, 2.675, "4.5"]),
        (serializers.DecimalField(max_digits=None, decimal_places=3), DECIMALS),
        (serializers.DecimalField(max_digits=6, decimal_places=1, rounding="ROUND_UP"), DECIMALS),
        (serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False), DECIMALS),
        (serializers.DecimalField(max_digits=6, decimal_places=2, normalize_output=True), DECIMALS),
        (serializers.DateField(), [dt.date(2025, 1, 31), "2025-02-01"]),
        (serializers.DateField(format="%d.%m.%Y"), [dt.date(2025, 1, 31)]),
        (serializers.IntegerField(), [0, -3, 2**40, True, Decimal("7")]),
        (serializers.CharField(), ["", "Sewing", 5, Decimal("1.50")]),
    ],
    ids=repr,
)
def test_compiled_converters_equal_drf(field, values):
    convert = _converter(field)
    bound = convert.bound() if hasattr(convert, "bound") else convert
    for value in values:
        assert bound(value) == field.to_representation(value), value
        assert type(bound(value)) is type(field.to_representation(value))


# Ordering filter ---------------------------------------------------------------------------------


class OrderedView:
    ordering = ["-date", "-id"]
    ordering_fields = ["date", "participants_total"]


@pytest.mark.parametrize(
    ("queryset", "params", "applied"),
    [
        (Activity.objects.all(), {}, False),  # Meta.ordering is the view's: nothing to do
        (Activity.objects.order_by("-date", "-id"), {}, False),
        (Activity.objects.order_by("title"), {}, True),
        (Activity.objects.order_by(), {}, True),  # ordering cleared: the view's goes back on
        (Activity.objects.all(), {"ordering": "participants_total"}, True),
        (Activity.objects.all().reverse(), {}, False),  # reversed either way
    ],
)
def test_ordering_filter_orders_as_drf_does(rf, activities, queryset, params, applied):
    from rest_framework import filters
    from rest_framework.request import Request

    from sempre.api_support import OrderingFilter

    request = Request(rf.get("/", params))
    ours = OrderingFilter().filter_queryset(request, queryset, OrderedView())
    drf = filters.OrderingFilter().filter_queryset(request, queryset, OrderedView())
    assert str(ours.query) == str(drf.query)
    assert (ours is not queryset) is applied


# JSON renderer -----------------------------------------------------------------------------------

RENDERED = {
    "count": 3,
    "next": "http://127.0.0.1/api/v1/activities/?page=2",
    "previous": None,
    "text": 'Luleå, Kuldīga, Гданьск, مرحبا, \u2028 and \u2029, "quoted" \\ /',
    "numbers": [0, -7, 2**62, 1.5, 0.1, True, False],
    "decimals": [Decimal("2.50"), Decimal("-0.125")],
    "when": [
        dt.datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2025, 3, 1, 12, 30),
        dt.date(2024, 12, 31),
        dt.time(9, 15, 30, 500000),
        dt.timedelta(hours=1, seconds=30),
    ],
    "lazy": _("Activity"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "ids": {1: "one", 2: "two"},
    "kind": Activity.Kind.MEETING,
    "a set": {"only"},
    "a tuple": (1, "b"),
    "nested": serializers.ReturnDict(
        {"detail": ErrorDetail("Not found.", code="not_found")}, serializer=None
    ),
}


@pytest.mark.parametrize("payload", [RENDERED, [RENDERED, {}], {}, [], "text", 5, None], ids=repr)
def test_json_renderer_writes_what_drf_writes(payload):
    assert JSONRenderer().render(payload) == renderers.JSONRenderer().render(payload)


def test_json_renderer_leaves_what_orjson_cannot_write_to_drf():
    assert JSONRenderer().render({"big": 2**70}) == renderers.JSONRenderer().render({"big": 2**70})


def test_json_renderer_indents_as_drf_for_the_browsable_api():
    context = {"indent": 4}
    assert JSONRenderer().render(RENDERED, "application/json", context) == renderers.JSONRenderer().render(
        RENDERED, "application/json", context
    )


def test_api_answers_through_the_json_renderer(api_client, social_worker, activities):
    api_client.force_authenticate(social_worker)
    response = api_client.get(f"/api/v1/projects/{activities[0].project_id}/activities/")
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.json()["count"] == 2


# Counting in the page query ----------------------------------------------------------------------


@pytest.fixture
def five_activities(project):
    return ActivityFactory.create_batch(5, project=project)


def paginators(project, per_page):
    rows = Activity.objects.filter(project=project).order_by("-date", "-id")
    return CountInPageQueryPaginator(rows, per_page), Paginator(rows, per_page)


@pytest.mark.parametrize(("per_page", "number"), [(2, 1), (2, 2), (2, 3), (5, 1), (10, 1), (2, "2")])
def test_count_in_page_query_pages_as_django_does(five_activities, project, per_page, number):
    counting, django = paginators(project, per_page)
    page, expected = counting.page(number), django.page(number)
    assert list(page) == list(expected)
    assert (counting.count, counting.num_pages) == (django.count, django.num_pages)
    assert (page.has_next(), page.start_index(), page.end_index()) == (
        expected.has_next(),
        expected.start_index(),
        expected.end_index(),
    )


def test_count_in_page_query_runs_one_query(five_activities, project, django_assert_num_queries):
    counting, _django = paginators(project, 2)
    with django_assert_num_queries(1):
        page = counting.page(2)
        assert counting.count == 5
        assert len(page) == 2


@pytest.mark.parametrize(
    ("number", "error"), [(4, EmptyPage), (0, EmptyPage), ("-1", EmptyPage), ("x", PageNotAnInteger)]
)
def test_count_in_page_query_refuses_pages_as_django_does(five_activities, project, number, error):
    counting, django = paginators(project, 2)
    with pytest.raises(error) as refused:
        counting.page(number)
    with pytest.raises(error) as expected:
        django.page(number)
    assert str(refused.value) == str(expected.value)


def test_count_in_page_query_of_an_empty_list(project):
    counting, _django = paginators(project, 2)
    page = counting.page(1)
    assert (list(page), counting.count) == ([], 0)


def test_project_activities_count_with_a_filter_and_a_page(api_client, social_worker, project):
    ActivityFactory.create_batch(3, project=project, kind=Activity.Kind.MEETING)
    ActivityFactory.create_batch(2, project=project, kind=Activity.Kind.WORKSHOP)
    api_client.force_authenticate(social_worker)
    url = f"/api/v1/projects/{project.pk}/activities/"
    response = api_client.get(url, {"kind": "meeting", "page_size": 2, "page": 2})
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 1
    assert api_client.get(url, {"page": 4, "page_size": 2}).status_code == 404  # past the end
    assert api_client.get(url, {"page": "last", "page_size": 2}).json()["results"]


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
