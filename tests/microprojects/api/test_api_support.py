"""The shared API plumbing (sempre.api_support) and the stock parts the API is built from: JSON written
by drf-orjson-renderer, filters by django-filter, ordering by DRF."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import renderers

from microprojects.models import Activity
from sempre.api_support import CountInPageQueryPaginator
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


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


# JSON --------------------------------------------------------------------------------------------


def drf_datetime(value: dt.datetime) -> str:
    """A datetime as DRF's DateTimeField writes it: in the current timezone, to the microsecond."""
    return timezone.localtime(value).isoformat().replace("+00:00", "Z")


def test_the_api_answers_json_with_dates_and_decimals_as_before(api_client, social_worker, activities):
    api_client.force_authenticate(social_worker)
    meeting = activities[1]
    response = api_client.get(f"/api/v1/activities/{meeting.pk}/")
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert {name: answer[name] for name in ("date", "staff_hours", "volunteer_hours", "created_at")} == {
        "date": "2024-12-31",
        "staff_hours": "0.25",  # decimals as strings, to the field's places
        "volunteer_hours": "12.00",
        "created_at": drf_datetime(meeting.created_at),
    }
    assert (answer["project_title"], answer["notes"], answer["created_by"]) == (
        "Fruit bags",
        "Met the <b>mayor</b>",
        meeting.created_by_id,
    )


# Values that views hand to the renderer as they are, not through a serializer field: the closed
# round's payload (its `closed_at`), the ranking's weights by criterion id.
RAW = {
    "closed_at": dt.datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC),
    "elsewhere": dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    "day": dt.date(2024, 12, 31),
    "weights": {1: 0.5, 2: 0.25},
    "kind": Activity.Kind.MEETING,
    "label": _("Activity"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
}


def test_raw_values_are_written_as_drfs_renderer_wrote_them():
    with translation.override("en"):
        ours = json.loads(ORJSONRenderer().render(RAW))
        drf = json.loads(renderers.JSONRenderer().render(RAW))
    assert ours == drf
    assert ours["closed_at"] == "2026-03-01T12:30:15.123456Z"
    assert ours["weights"] == {"1": 0.5, "2": 0.25}


def test_the_api_writes_non_ascii_text_as_it_is(api_client, social_worker, project):
    ActivityFactory(project=project, title="Luleå, Kuldīga, Гданьск, مرحبا")
    api_client.force_authenticate(social_worker)
    response = api_client.get(f"/api/v1/projects/{project.pk}/activities/")
    assert "Luleå, Kuldīga, Гданьск, مرحبا".encode() in response.content


def test_the_browsable_api_still_answers_html(client, social_worker, activities):
    client.force_login(social_worker)
    response = client.get(f"/api/v1/activities/{activities[0].pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Fruit bags" in response.content


# Filters and ordering ----------------------------------------------------------------------------


def test_a_list_is_ordered_by_the_ordering_parameter(api_client, social_worker, activities):
    api_client.force_authenticate(social_worker)
    url = f"/api/v1/projects/{activities[0].project_id}/activities/"
    newest_first = [row["id"] for row in api_client.get(url).json()["results"]]
    oldest_first = [row["id"] for row in api_client.get(url, {"ordering": "date"}).json()["results"]]
    assert oldest_first == newest_first[::-1]
    assert oldest_first[0] == activities[1].pk  # 2024-12-31


def test_list_with_a_filter_filters_and_names_bad_values(api_client, social_worker, activities):
    api_client.force_authenticate(social_worker)
    url = f"/api/v1/projects/{activities[0].project_id}/activities/"
    response = api_client.get(url, {"date_before": "2025-01-01"})
    assert [row["id"] for row in response.json()["results"]] == [activities[1].pk]
    response = api_client.get(url, {"kind": "juggling"})
    assert response.status_code == 400
    assert "kind" in response.json()


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
    ("number", "error"),
    # a page so far on that its offset is no bigint: past the end, not a database error
    [(4, EmptyPage), (0, EmptyPage), ("-1", EmptyPage), ("x", PageNotAnInteger), (str(2**63), EmptyPage)],
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
