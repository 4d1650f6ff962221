import pytest
from django.urls import reverse

from microprojects.forms import ActivityForm
from microprojects.models import Activity, MicroProject
from tests.factories import ActivityFactory, MicroProjectFactory

QUICK_LOG = reverse("microprojects:activity_quick_log")


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation, title="Fruit bags in Luleå")


@pytest.fixture
def other_project(other_organisation):
    return MicroProjectFactory(organisation=other_organisation)


def activity_data(**overrides):
    data = {
        "date": "2025-06-02",
        "kind": "workshop",
        "title": "Sewing workshop",
        "participants_total": "12",
        "participants_new": "3",
        "women": "7",
        "men": "5",
        "non_binary": "",
        "gender_not_stated": "",
        "staff_hours": "4",
        "volunteer_hours": "2.5",
        "notes": "",
    }
    data.update(overrides)
    return data


# The form itself: what makes it usable on a 360 px phone is plain markup, tested here.


def test_activity_form_numbers_bring_up_the_number_keypad(social_worker, project):
    form = ActivityForm(user=social_worker, project=project)

    for field in Activity.COUNT_FIELDS:
        attrs = form.fields[field].widget.attrs
        assert attrs["inputmode"] == "numeric", field
        assert str(attrs["min"]) == "0"
    assert form.fields["staff_hours"].widget.attrs["inputmode"] == "decimal"
    assert form.fields["date"].widget.input_type == "date"


def test_activity_form_groups_breakdowns_in_fieldsets(social_worker, project):
    form = ActivityForm(user=social_worker, project=project)

    groups = {str(legend): [f.name for f in fields] for legend, fields, _ in form.fieldset_rows()}
    assert groups["By gender (optional, must add up to the total)"] == list(Activity.GENDER_FIELDS)
    assert groups["By age (optional, must add up to the total)"] == list(Activity.AGE_FIELDS)
    assert "project" not in form.fields  # the project is known from the URL


def test_activity_form_quick_log_offers_only_own_open_projects(
    social_worker, project, other_project, organisation
):
    closed = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.COMPLETED)

    form = ActivityForm(user=social_worker)

    assert list(form.fields["project"].queryset) == [project]
    assert closed not in form.fields["project"].queryset


def test_activity_form_page_has_labels_fieldsets_and_large_inputs(client_for, social_worker, project):
    response = client_for(social_worker).get(reverse("microprojects:activity_create", args=[project.pk]))

    assert response.status_code == 200
    assert 'class="form-narrow quick-log"' in response.text
    assert response.text.count("<fieldset") >= 4
    assert '<label for="id_women">' in response.text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in response.text


# Logging ------------------------------------------------------------------------------------------


def test_activity_create_logs_through_the_service(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:activity_create", args=[project.pk]), activity_data(), follow=True
    )

    activity = Activity.objects.get()
    assert activity.project == project
    assert activity.created_by == social_worker
    assert activity.women == 7
    assert activity.non_binary is None
    assert "Activity “Sewing workshop” logged." in response.text


def test_activity_breakdown_not_adding_up_shows_error_next_to_field(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:activity_create", args=[project.pk]), activity_data(women="2")
    )

    assert response.status_code == 200
    assert "add up to 7, but the total is 12" in str(response.context["form"].errors["women"])
    assert 'aria-invalid="true"' in response.text
    assert not Activity.objects.exists()


def test_activity_negative_count_is_refused(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:activity_create", args=[project.pk]), activity_data(participants_total="-1")
    )

    assert "participants_total" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_quick_log_picks_the_project(client_for, social_worker, project):
    response = client_for(social_worker).post(QUICK_LOG, activity_data(project=project.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("microprojects:detail", args=[project.pk])
    assert Activity.objects.get().project == project


def test_quick_log_refuses_another_organisations_project(client_for, social_worker, other_project):
    response = client_for(social_worker).post(QUICK_LOG, activity_data(project=other_project.pk))

    assert "project" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_quick_log_is_refused_without_organisation(client_for, coordinator):
    assert client_for(coordinator).get(QUICK_LOG).status_code == 403


def test_activity_create_by_coordinator_is_forbidden(client_for, coordinator, project):
    response = client_for(coordinator).post(
        reverse("microprojects:activity_create", args=[project.pk]), activity_data()
    )

    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_activity_create_for_other_organisation_is_404(client_for, social_worker, other_project):
    response = client_for(social_worker).post(
        reverse("microprojects:activity_create", args=[other_project.pk]), activity_data()
    )

    assert response.status_code == 404
    assert not Activity.objects.exists()


# Edit and delete ----------------------------------------------------------------------------------


def test_activity_edit_updates(client_for, social_worker, project):
    activity = ActivityFactory(project=project)

    response = client_for(social_worker).post(
        reverse("microprojects:activity_edit", args=[activity.pk]), activity_data(title="Renamed")
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert activity.participants_total == 12


def test_activity_edit_invalid_keeps_activity(client_for, social_worker, project):
    activity = ActivityFactory(project=project, title="Original")

    response = client_for(social_worker).post(
        reverse("microprojects:activity_edit", args=[activity.pk]), activity_data(title="Renamed", men="9")
    )

    assert "women" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.title == "Original"


def test_activity_edit_other_organisation_is_404(client_for, social_worker, other_project):
    activity = ActivityFactory(project=other_project, title="Original")

    response = client_for(social_worker).post(
        reverse("microprojects:activity_edit", args=[activity.pk]), activity_data(title="Renamed")
    )

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Original"


def test_activity_delete_confirms_then_deletes(client_for, social_worker, project):
    activity = ActivityFactory(project=project)
    client = client_for(social_worker)
    url = reverse("microprojects:activity_delete", args=[activity.pk])

    assert "Do you really want to delete" in client.get(url).text
    response = client.post(url)

    assert response.status_code == 302
    assert not Activity.objects.exists()


def test_activity_delete_by_coordinator_is_forbidden(client_for, coordinator, project):
    activity = ActivityFactory(project=project)

    response = client_for(coordinator).post(reverse("microprojects:activity_delete", args=[activity.pk]))

    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_form_asks_to_confirm_unusual_figures_and_saves_them_once_confirmed(
    client_for, social_worker, project
):
    client = client_for(social_worker)
    url = reverse("microprojects:activity_create", args=[project.pk])
    data = {"date": "2025-06-01", "kind": "event", "title": "Harvest festival", "participants_total": "2000"}
    data |= {"staff_hours": "4", "volunteer_hours": "0"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert "Yes, these figures are right" in asked.text
    assert "is unusually high for one activity" in asked.text
    assert not Activity.objects.exists()
    client.post(url, {**data, "confirm": "on"})
    assert Activity.objects.get().unusual_confirmed
