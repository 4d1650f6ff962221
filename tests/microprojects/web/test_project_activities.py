"""The project page's activities: pages, filters, the CSV download, and a chart within the project's
period (issue #16)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory, MicroProjectFactory

from .factories import project_with_data


@pytest.fixture
def project(organisation):
    # runs 2025-01-01 to 2026-12-31 (the factory's period)
    return MicroProjectFactory(organisation=organisation, title="Fruit bags")


def detail(project):
    return reverse("microprojects:detail", args=[project.pk])


def csv_url(project):
    return reverse("microprojects:activities_csv", args=[project.pk])


def monthly(project, count, **kwargs):
    """`count` activities, one a month from January 2025."""
    return [
        ActivityFactory(project=project, date=dt.date(2025 + i // 12, i % 12 + 1, 1), **kwargs)
        for i in range(count)
    ]


def rows_of(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    return list(csv.reader(io.StringIO(text)))


# Pages --------------------------------------------------------------------------------------------


def test_activities_are_paged_newest_first(client_for, social_worker, project):
    monthly(project, 23)
    client = client_for(social_worker)

    first = client.get(detail(project))
    second = client.get(detail(project), {"page": 2})

    assert [a.date for a in first.context["activity_page"].object_list][:2] == [
        dt.date(2026, 11, 1),
        dt.date(2026, 10, 1),
    ]
    assert len(first.context["activity_page"].object_list) == 20
    assert [a.date for a in second.context["activity_page"].object_list] == [
        dt.date(2025, 3, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 1, 1),
    ]
    assert 'href="?page=2#activities"' in first.text


def test_page_links_keep_the_filters(client_for, social_worker, project):
    monthly(project, 23, kind="meeting")

    response = client_for(social_worker).get(detail(project), {"kind": "meeting", "date_from": "2025-01-01"})

    assert 'href="?date_from=2025-01-01&amp;kind=meeting&amp;page=2#activities"' in response.text


# Filters ------------------------------------------------------------------------------------------


def test_filters_by_period_and_kind(client_for, social_worker, project):
    monthly(project, 6)
    ActivityFactory(project=project, date=dt.date(2025, 3, 15), kind="event", title="Market day")
    client = client_for(social_worker)

    in_march = client.get(detail(project), {"date_from": "2025-03-01", "date_to": "2025-03-31"})
    events = client.get(detail(project), {"kind": "event"})

    assert [a.date.isoformat() for a in in_march.context["activity_page"].object_list] == [
        "2025-03-15",
        "2025-03-01",
    ]
    assert [a.title for a in events.context["activity_page"].object_list] == ["Market day"]
    assert "1 of 7 activities matches." in events.text


def test_wrong_filters_show_every_error_at_once_and_no_list(client_for, social_worker, project):
    monthly(project, 3)

    response = client_for(social_worker).get(
        detail(project), {"date_from": "2025-06-01", "date_to": "2025-01-01", "kind": "party"}
    )

    errors = response.context["activity_filter"].form.errors
    assert set(errors) == {"date_to", "kind"}
    assert "The end of the period is before its start." in response.text
    assert list(response.context["activity_page"].object_list) == []
    assert "Correct the filters above to see the activities." in response.text


# A project whose old data holds activities outside its period -------------------------------------


def test_activity_outside_the_period_is_listed_but_not_charted(client_for, social_worker, project):
    monthly(project, 3)
    ActivityFactory(project=project, date=dt.date(1850, 1, 1), title="Typo year")

    response = client_for(social_worker).get(detail(project), {"page": 1})

    listed = {a.title: a.is_outside_period for a in response.context["activity_page"].object_list}
    assert listed["Typo year"] is True
    assert not any(outside for title, outside in listed.items() if title != "Typo year")
    assert response.text.count('badge-bad">outside the project') == 1
    assert response.context["activity_counts"] == {"total": 4, "outside_period": 1}
    assert "1850" not in str(response.context["participation_chart"])
    assert "2025" in str(response.context["participation_chart"])


def test_chart_spans_the_activities_within_the_period(client_for, social_worker, project):
    from microprojects import selectors

    monthly(project, 3)  # January to March 2025
    ActivityFactory(project=project, date=dt.date(2030, 5, 1))

    months = [row["month"] for row in selectors.project_participation_by_month(project)]

    assert months == [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def test_chart_of_a_project_without_dates_shows_at_most_the_latest_months(organisation):
    from microprojects import selectors

    project = MicroProjectFactory(organisation=organisation, start_date=None, end_date=None)
    ActivityFactory(project=project, date=dt.date(1850, 1, 1))
    ActivityFactory(project=project, date=dt.date(2025, 3, 1))

    months = [row["month"] for row in selectors.project_participation_by_month(project)]

    assert len(months) == selectors.PROJECT_CHART_MONTHS
    assert months[-1] == dt.date(2025, 3, 1)


# CSV ----------------------------------------------------------------------------------------------


def test_csv_holds_the_filtered_activities_with_counts_only(client_for, social_worker, project):
    monthly(project, 3, notes="Met Maria at the station")
    ActivityFactory(project=project, date=dt.date(2025, 3, 20), kind="event", title="=HYPERLINK(1)")

    response = client_for(social_worker).get(csv_url(project), {"date_from": "2025-03-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    heading, *rows = rows_of(response)
    assert heading[:3] == ["Date", "Project ID", "Project"]
    assert "Participants" in heading
    assert [row[0] for row in rows] == ["2025-03-20", "2025-03-01"]
    assert rows[0][heading.index("Title")] == "'=HYPERLINK(1)"  # defused, as the programme export does
    assert "Maria" not in response.content.decode()


def test_csv_with_wrong_filters_goes_back_to_the_page_with_the_errors(client_for, social_worker, project):
    response = client_for(social_worker).get(csv_url(project), {"date_from": "someday"})

    assert response.status_code == 302
    assert response["Location"] == f"{detail(project)}?date_from=someday#activities"


def test_csv_of_another_organisations_project_is_404(client_for, other_social_worker, project):
    monthly(project, 1)

    assert client_for(other_social_worker).get(csv_url(project)).status_code == 404


def test_csv_link_carries_the_filters(client_for, social_worker, project):
    monthly(project, 2, kind="meeting")

    response = client_for(social_worker).get(detail(project), {"kind": "meeting"})

    assert f'href="{csv_url(project)}?kind=meeting"' in response.text


@pytest.mark.parametrize("item_count", [2, 30])
def test_csv_runs_a_fixed_number_of_queries(
    client_for, social_worker, project, django_assert_num_queries, item_count
):
    monthly(project, item_count)
    client = client_for(social_worker)

    # session's user, memberships, project, activities
    with django_assert_num_queries(4):
        response = client.get(csv_url(project))
    assert len(rows_of(response)) == item_count + 1


@pytest.mark.parametrize("item_count", [2, 30])
def test_page_runs_a_fixed_number_of_queries(
    client_for, social_worker, organisation, django_assert_num_queries, item_count
):
    project = project_with_data(organisation=organisation)
    monthly(project, item_count)
    client = client_for(social_worker)
    client.get(detail(project))  # whatever is cached per session

    # session's user, memberships, project, its panels' queries, page count and page of activities,
    # activity counts, chart, indicators, history (records, two many-to-many), target groups, leads,
    # the indicators' framework mappings (programme's panel)
    with django_assert_num_queries(18):
        response = client.get(detail(project), {"kind": "workshop", "page": 2 if item_count > 20 else 1})
    assert response.context["activity_page"].object_list
