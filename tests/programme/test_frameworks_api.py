"""/api/v1/frameworks/ and /api/v1/indicator-mappings/."""

import pytest
from django.urls import reverse

from programme.models import IndicatorMapping
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory

from .frameworks_world import DAY, PERIOD, build, fi

pytestmark = pytest.mark.django_db


def totals_url(slug="esf-plus"):
    return reverse("api:framework-totals", kwargs={"slug": slug})


def by_code(body):
    return {row["code"]: row for row in body["results"]}


def test_the_catalogue_lists_three_frameworks_and_their_indicators(as_user, reviewer):
    client = as_user(reviewer)  # the catalogue is public knowledge for anybody logged in
    page = client.get(reverse("api:framework-list")).json()
    assert page["count"] == 3  # a page, as every list of the API
    frameworks = page["results"]
    assert [f["slug"] for f in frameworks] == ["interreg", "esf-plus", "iris-plus"]
    assert frameworks[0]["indicator_count"] == 7
    indicators = client.get(reverse("api:framework-indicators", kwargs={"slug": "interreg"})).json()[
        "results"
    ]
    assert indicators[2]["code"] == "RCO 87"
    assert indicators[2]["name"] == "Organisations cooperating across borders"
    assert client.get(reverse("api:framework-indicators", kwargs={"slug": "nope"})).status_code == 404


def test_indicator_texts_come_in_the_readers_language(as_user, reviewer):
    answer = as_user(reviewer).get(
        reverse("api:framework-indicators", kwargs={"slug": "esf-plus"}), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert answer.json()["results"][0]["name"] != "Total number of participants"


def test_totals_are_hand_computed_and_small_counts_leave_as_less_than_five(
    as_user, coordinator, organisation, other_organisation
):
    build(organisation, other_organisation)
    body = as_user(coordinator).get(totals_url(), {"period": PERIOD}).json()
    rows = by_code(body)
    assert body["small_counts_suppressed"] is True
    assert rows["EECO01"]["value"] == 21
    assert {p["title"]: p["value"] for p in rows["EECO01"]["projects"]} == {"P1": 12, "P2": 6, "P3": "<5"}
    assert rows["EECO01"]["breakdowns"]["gender"] == {
        "women": 13, "men": 6, "non_binary": 0, "gender_not_stated": 0
    }  # fmt: skip
    assert rows["EECO16"]["value"] is None
    assert rows["EECO16"]["collected"] is False
    assert rows["EECO06"]["value"] == 0
    latvia = by_code(as_user(coordinator).get(totals_url(), {"period": PERIOD, "country": "LV"}).json())
    assert latvia["EECO01"]["value"] == "<5"  # the API suppresses for coordinators too
    iris = by_code(as_user(coordinator).get(totals_url("iris-plus"), {"period": PERIOD}).json())
    assert iris["PI1775"]["value"] == 1200.5  # not people: never suppressed


def test_staff_totals_count_their_own_projects_only(as_user, social_worker, organisation, other_organisation):
    build(organisation, other_organisation)
    rows = by_code(as_user(social_worker).get(totals_url(), {"period": PERIOD}).json())
    assert rows["EECO01"]["value"] == 18
    assert {p["title"] for p in rows["EECO01"]["projects"]} == {"P1", "P2"}


def test_reviewers_read_no_totals(as_user, reviewer):
    assert as_user(reviewer).get(totals_url()).status_code == 403


def test_bad_parameters_are_all_named_at_once(as_user, coordinator):
    answer = as_user(coordinator).get(totals_url(), {"period": "2026-06-30..2026-01-01", "country": "XX"})
    assert answer.status_code == 400
    body = answer.json()
    assert "period" in str(body)
    assert "country" in str(body)
    assert as_user(coordinator).get(totals_url(), {"period": "999999"}).status_code == 400


@pytest.mark.parametrize("size", [1, 4])
def test_totals_cost_the_same_queries_whatever_the_programme(
    as_user, coordinator, organisation, django_assert_num_queries, size
):
    for n in range(size):
        project = MicroProjectFactory(organisation=organisation, title=f"Q{n}")
        ActivityFactory(project=project, date=DAY)
        for code in ("RCO 84", "RCO 87"):
            indicator = IndicatorFactory(project=project)
            MeasurementFactory(indicator=indicator, date=DAY, value=3)
            IndicatorMapping.objects.create(
                indicator=indicator, framework_indicator=fi("interreg", code), relation="equivalent"
            )
    client = as_user(coordinator)
    # session, user, framework, projects, activities with mappings' measurements, framework indicators
    with django_assert_num_queries(6):
        answer = client.get(totals_url("interreg"), {"period": PERIOD})
    assert by_code(answer.json())["RCO 84"]["value"] == 3 * size


@pytest.mark.parametrize("size", [1, 4])
def test_the_mapping_list_costs_the_same_queries(
    as_user, social_worker, organisation, django_assert_num_queries, size
):
    project = MicroProjectFactory(organisation=organisation)
    for _n in range(size):
        IndicatorMapping.objects.create(
            indicator=IndicatorFactory(project=project),
            framework_indicator=fi("interreg", "RCO 84"),
            relation="proxy",
        )
    client = as_user(social_worker)
    with django_assert_num_queries(4):  # session, user, count, page
        answer = client.get(reverse("api:indicator-mapping-list"))
    assert answer.json()["count"] == size


def test_staff_map_and_unmap_through_the_api(as_user, social_worker, organisation):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    client = as_user(social_worker)
    payload = {
        "indicator": indicator.pk,
        "framework_indicator": fi("esf-plus", "EECO12").pk,
        "relation": "equivalent",
    }
    answer = client.post(reverse("api:indicator-mapping-list"), payload, format="json")
    assert answer.status_code == 201
    assert answer.json()["code"] == "EECO12"
    assert answer.json()["factor"] == "1.0000"
    again = client.post(reverse("api:indicator-mapping-list"), {**payload, "factor": "2"}, format="json")
    assert again.json()["id"] == answer.json()["id"]
    assert IndicatorMapping.objects.get().factor == 2
    listed = client.get(reverse("api:indicator-mapping-list"), {"indicator": indicator.pk}).json()
    assert listed["count"] == 1
    detail = reverse("api:indicator-mapping-detail", kwargs={"pk": answer.json()["id"]})
    assert client.delete(detail).status_code == 204
    assert not IndicatorMapping.objects.exists()


def test_a_mapping_with_every_field_wrong_names_each_and_writes_nothing(as_user, social_worker):
    answer = as_user(social_worker).post(
        reverse("api:indicator-mapping-list"),
        {"indicator": 0, "framework_indicator": 0, "relation": "same", "factor": "-1"},
        format="json",
    )
    assert answer.status_code == 400
    assert {"indicator", "framework_indicator", "relation", "factor"} <= set(
        str(answer.json()).replace("'", " ").split()
    )
    assert not IndicatorMapping.objects.exists()


def test_another_organisations_indicator_and_mapping_are_invisible(
    as_user, other_social_worker, organisation
):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    mapping = IndicatorMapping.objects.create(
        indicator=indicator, framework_indicator=fi("interreg", "RCO 84"), relation="proxy"
    )
    client = as_user(other_social_worker)
    detail = reverse("api:indicator-mapping-detail", kwargs={"pk": mapping.pk})
    assert client.get(detail).status_code == 404
    assert client.delete(detail).status_code == 404
    payload = {
        "indicator": indicator.pk,
        "framework_indicator": fi("interreg", "RCO 87").pk,
        "relation": "proxy",
    }
    assert client.post(reverse("api:indicator-mapping-list"), payload, format="json").status_code == 400
    assert IndicatorMapping.objects.count() == 1
