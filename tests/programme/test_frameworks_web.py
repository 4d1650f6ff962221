"""The crosswalk's pages (mapping a project indicator) and the coordinator's totals page."""

import pytest
from django.urls import reverse

from programme.models import IndicatorMapping
from tests.factories import IndicatorFactory, MicroProjectFactory

from .frameworks_world import PERIOD, build, fi

pytestmark = pytest.mark.django_db


def test_the_project_page_shows_what_each_indicator_counts_towards(client, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    indicator = IndicatorFactory(project=project, name="Pilot services")
    IndicatorMapping.objects.create(
        indicator=indicator, framework_indicator=fi("interreg", "RCO 84"), relation="proxy"
    )
    client.force_login(social_worker)
    page = client.get(reverse("microprojects:detail", args=[project.pk])).content.decode()
    assert "RCO 84 (Proxy)" in page
    assert reverse("programme:indicator_frameworks", args=[indicator.pk]) in page


def test_staff_map_an_indicator_on_its_page_and_remove_the_mapping(client, social_worker, organisation):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    url = reverse("programme:indicator_frameworks", args=[indicator.pk])
    client.force_login(social_worker)
    target = fi("esf-plus", "EECO01")
    answer = client.post(url, {"framework_indicator": target.pk, "relation": "contributes", "factor": "1"})
    assert answer.status_code == 302
    mapping = IndicatorMapping.objects.get()
    assert mapping.relation == "contributes"
    assert "EECO01" in client.get(url).content.decode()
    client.post(reverse("programme:mapping_remove", args=[mapping.pk]))
    assert not IndicatorMapping.objects.exists()


def test_a_wrong_mapping_form_names_every_field_and_writes_nothing(client, social_worker, organisation):
    indicator = IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
    client.force_login(social_worker)
    answer = client.post(
        reverse("programme:indicator_frameworks", args=[indicator.pk]),
        {"framework_indicator": "", "relation": "same", "factor": "-2"},
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert {"relation", "factor"} <= set(form.errors)
    assert not IndicatorMapping.objects.exists()
    answer = client.post(
        reverse("programme:indicator_frameworks", args=[indicator.pk]),
        {"framework_indicator": "", "relation": "proxy"},
    )
    assert "framework_indicator" in answer.context["form"].errors
    assert not IndicatorMapping.objects.exists()


def test_the_coordinator_sees_exact_figures_and_not_collected(
    client, coordinator, organisation, other_organisation
):
    build(organisation, other_organisation)
    client.force_login(coordinator)
    answer = client.get(
        reverse("programme:framework_totals", args=["esf-plus"]), {"period": PERIOD, "country": "LV"}
    )
    rows = {row.indicator.code: row for row in answer.context["rows"]}
    assert rows["EECO01"].value == 3  # exact: the page does not leave the platform
    page = answer.content.decode()
    assert "not collected" in page
    assert "&lt;5" not in page.split("<table")[1]


def test_a_wrong_period_on_the_totals_page_is_named(client, coordinator):
    client.force_login(coordinator)
    answer = client.get(reverse("programme:framework_totals", args=["interreg"]), {"period": "soon"})
    assert answer.status_code == 200
    assert "period" in answer.context["form"].errors
    assert answer.context["rows"] is None


def test_the_framework_list_links_every_framework(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("programme:framework_list")).content.decode()
    for slug in ("interreg", "esf-plus", "iris-plus"):
        assert reverse("programme:framework_totals", args=[slug]) in page
