import datetime as dt

import pytest
from django.urls import reverse

from microprojects.models import Indicator, Measurement
from tests.factories import IndicatorFactory, MicroProjectFactory


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation)


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="Bags sold", baseline=0, target=100)


def test_indicator_create(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:indicator_create", args=[project.pk]),
        {
            "name": "Bags sold",
            "code": "RCR 01",
            "unit": "bags",
            "baseline": "0",
            "target": "500",
            "target_date": "2026-06-30",
            "direction": "increase",
        },
        follow=True,
    )

    indicator = Indicator.objects.get()
    assert indicator.project == project
    assert indicator.target == 500
    assert "Indicator “Bags sold” added." in response.text


def test_indicator_create_wrong_direction_shows_error(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:indicator_create", args=[project.pk]),
        {"name": "Waiting time", "baseline": "30", "target": "10", "direction": "increase"},
    )

    assert response.status_code == 200
    assert "direction" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_indicator_create_target_equal_to_baseline_shows_error(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:indicator_create", args=[project.pk]),
        {"name": "Flat", "baseline": "5", "target": "5", "direction": "increase"},
    )

    assert "target" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_indicator_edit(client_for, social_worker, indicator):
    response = client_for(social_worker).post(
        reverse("microprojects:indicator_edit", args=[indicator.pk]),
        {"name": "Bags sold", "baseline": "0", "target": "200", "direction": "increase"},
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == 200


def test_indicator_edit_by_coordinator_is_forbidden(client_for, coordinator, indicator):
    response = client_for(coordinator).post(
        reverse("microprojects:indicator_edit", args=[indicator.pk]),
        {"name": "Changed", "baseline": "0", "target": "200", "direction": "increase"},
    )

    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "Bags sold"


def test_indicator_pages_other_organisation_are_404(client_for, other_social_worker, indicator):
    client = client_for(other_social_worker)

    assert client.get(reverse("microprojects:indicator_edit", args=[indicator.pk])).status_code == 404
    assert client.get(reverse("microprojects:measurement_create", args=[indicator.pk])).status_code == 404
    assert client.post(reverse("microprojects:indicator_delete", args=[indicator.pk])).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_indicator_delete(client_for, social_worker, indicator):
    response = client_for(social_worker).post(reverse("microprojects:indicator_delete", args=[indicator.pk]))

    assert response.status_code == 302
    assert not Indicator.objects.exists()


def test_measurement_record_updates_progress(client_for, social_worker, indicator, project):
    client = client_for(social_worker)

    response = client.post(
        reverse("microprojects:measurement_create", args=[indicator.pk]),
        {"date": "2025-06-01", "value": "40", "note": "Spring market"},
        follow=True,
    )

    measurement = Measurement.objects.get()
    assert measurement.value == 40
    assert measurement.created_by == social_worker
    assert "Measurement for “Bags sold” recorded." in response.text
    shown = response.context["indicators"][0]
    assert shown.progress == 40
    assert shown.latest_date == dt.date(2025, 6, 1)


def test_measurement_without_value_shows_error(client_for, social_worker, indicator):
    response = client_for(social_worker).post(
        reverse("microprojects:measurement_create", args=[indicator.pk]), {"date": "2025-06-01", "value": ""}
    )

    assert "value" in response.context["form"].errors
    assert not Measurement.objects.exists()


def test_indicator_edit_refused_keeps_the_saved_values_on_the_page(client_for, social_worker, indicator):
    response = client_for(social_worker).post(
        reverse("microprojects:indicator_edit", args=[indicator.pk]),
        {"name": "Renamed", "baseline": "0", "target": "200", "direction": "decrease"},
    )

    assert "direction" in response.context["form"].errors
    assert "Edit indicator “Bags sold”" in response.text
    indicator.refresh_from_db()
    assert indicator.name == "Bags sold"


def test_a_wrong_value_is_corrected_then_deleted_after_confirmation(client_for, social_worker, indicator):
    wrong = Measurement.objects.create(indicator=indicator, date=dt.date(2025, 6, 1), value=400)
    client = client_for(social_worker)
    page = client.get(reverse("microprojects:measurement_create", args=[indicator.pk])).text
    assert reverse("microprojects:measurement_edit", args=[wrong.pk]) in page
    refused = client.post(
        reverse("microprojects:measurement_edit", args=[wrong.pk]), {"date": "2999-01-01", "value": "-4"}
    )
    assert set(refused.context["form"].errors) == {"date", "value"}
    edit = reverse("microprojects:measurement_edit", args=[wrong.pk])
    client.post(edit, {"date": "2025-06-01", "value": "40"})
    wrong.refresh_from_db()
    assert wrong.value == 40
    confirm = client.get(reverse("microprojects:measurement_delete", args=[wrong.pk]))
    assert "Do you really want to delete" in confirm.text
    assert Measurement.objects.filter(pk=wrong.pk).exists()
    client.post(reverse("microprojects:measurement_delete", args=[wrong.pk]))
    assert not Measurement.objects.filter(pk=wrong.pk).exists()


def test_another_organisation_cannot_correct_a_value(client_for, other_social_worker, indicator):
    measurement = Measurement.objects.create(indicator=indicator, date=dt.date(2025, 6, 1), value=4)
    client = client_for(other_social_worker)
    assert client.get(reverse("microprojects:measurement_edit", args=[measurement.pk])).status_code == 404
    response = client.post(reverse("microprojects:measurement_delete", args=[measurement.pk]))
    assert response.status_code == 404
    assert Measurement.objects.filter(pk=measurement.pk).exists()
