import datetime as dt

import pytest
from django.urls import reverse

from microprojects import services
from microprojects.models import MicroProject
from sempre.models import AuditEvent
from tests.factories import MicroProjectFactory, OrganisationFactory, TargetGroupFactory

from .factories import migrants, project_with_data

LIST = reverse("microprojects:list")


def detail(project):
    return reverse("microprojects:detail", args=[project.pk])


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation, title="Fruit bags in Luleå")


@pytest.fixture
def other_project(other_organisation):
    return MicroProjectFactory(organisation=other_organisation, title="Recipe book in Kuldīga")


# List ---------------------------------------------------------------------------------------------


def test_list_social_worker_sees_own_organisation_only(client_for, social_worker, project, other_project):
    response = client_for(social_worker).get(LIST)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [project]
    assert "Recipe book in Kuldīga" not in response.text


def test_list_coordinator_sees_every_project(client_for, coordinator, project, other_project):
    response = client_for(coordinator).get(LIST)

    assert {p.pk for p in response.context["page"].object_list} == {project.pk, other_project.pk}
    assert not response.context["can_create"]


def test_list_reviewer_is_refused(client_for, reviewer, project):
    response = client_for(reviewer).get(LIST)

    assert response.status_code == 403


def test_list_search_matches_title_region_and_organisation(client_for, coordinator, project, other_project):
    client = client_for(coordinator)

    assert [p.title for p in client.get(LIST, {"q": "fruit"}).context["page"].object_list] == [project.title]
    assert [p.title for p in client.get(LIST, {"q": "kuldīga social"}).context["page"].object_list] == [
        other_project.title
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "LV"}, ["Recipe book in Kuldīga"]),
        ({"status": "draft"}, ["Recipe book in Kuldīga"]),
        ({"target_group": "TG"}, ["Fruit bags in Luleå"]),
        ({"organisation": "ORG"}, ["Fruit bags in Luleå"]),
    ],
)
def test_list_filters(client_for, coordinator, project, other_project, params, expected):
    group = migrants()
    project.target_groups.add(group)
    other_project.status = MicroProject.Status.DRAFT
    other_project.save()
    params = {k: {"TG": group.pk, "ORG": project.organisation_id}.get(v, v) for k, v in params.items()}

    response = client_for(coordinator).get(LIST, params)

    assert [p.title for p in response.context["page"].object_list] == expected


def test_list_filter_choices_come_from_visible_data(client_for, social_worker, project, other_project):
    response = client_for(social_worker).get(LIST)

    form = response.context["filter"].form
    assert list(form.fields["organisation"].queryset) == [project.organisation]
    assert [code for code, _ in form.fields["country"].choices if code] == ["SE"]


def test_list_htmx_request_gets_the_results_partial(client_for, social_worker, project):
    response = client_for(social_worker).get(LIST, {"q": "fruit"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="project-results"' in response.text
    assert 'hx-swap-oob="true"' in response.text  # the live result count is updated too


def test_list_paginates(client_for, social_worker, organisation):
    for index in range(23):
        MicroProjectFactory(organisation=organisation, title=f"Project {index:02d}")
    client = client_for(social_worker)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert "page=2" in first.text


def test_list_empty_state_says_what_to_do(client_for, social_worker):
    response = client_for(social_worker).get(LIST)

    assert "No micro projects yet." in response.text
    assert reverse("microprojects:create") in response.text


@pytest.mark.parametrize("item_count", [1, 3])
def test_list_query_count(client_for, social_worker, organisation, django_assert_num_queries, item_count):
    for _ in range(item_count):
        project_with_data(organisation=organisation, lead=social_worker, target_group=migrants())
    client = client_for(social_worker)

    # user (session cached), memberships, filter choices (countries, organisations, target groups),
    # page count, projects, their target groups and leads
    with django_assert_num_queries(9):
        response = client.get(LIST, {"status": "active"})
    assert len(response.context["page"].object_list) == item_count


# Detail -------------------------------------------------------------------------------------------


def test_detail_social_worker_sees_everything_and_can_act(client_for, social_worker, organisation):
    project = project_with_data(organisation=organisation, title="Fruit bags in Luleå")

    response = client_for(social_worker).get(detail(project))

    assert response.status_code == 200
    assert response.context["can_change"]
    assert reverse("microprojects:edit", args=[project.pk]) in response.text
    assert reverse("microprojects:activity_create", args=[project.pk]) in response.text
    assert len(response.context["activity_page"].object_list) == 2
    (indicator,) = response.context["indicators"]
    assert indicator.progress == 25
    assert "Progress towards target" in response.text  # the indicator chart


def test_detail_other_organisation_is_404(client_for, social_worker, other_project):
    assert client_for(social_worker).get(detail(other_project)).status_code == 404


def test_detail_coordinator_views_without_edit_buttons(client_for, coordinator, project):
    response = client_for(coordinator).get(detail(project))

    assert response.status_code == 200
    assert reverse("microprojects:edit", args=[project.pk]) not in response.text
    assert reverse("microprojects:transition", args=[project.pk]) not in response.text
    assert response.context["transitions"] == []


def test_detail_reviewer_is_404(client_for, reviewer, project):
    assert client_for(reviewer).get(detail(project)).status_code == 404


def test_detail_shows_only_allowed_transitions(client_for, social_worker, organisation):
    draft = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)

    response = client_for(social_worker).get(detail(draft))

    assert [s.value for s in response.context["transitions"]] == ["active", "discontinued"]
    assert 'value="completed"' not in response.text


def test_detail_history_shows_who_changed_what(client_for, social_worker, organisation):
    project = services.project_create(by=social_worker, title="Fruit bags", region="Luleå")
    client = client_for(social_worker)
    client.post(
        reverse("microprojects:edit", args=[project.pk]),
        {"title": "Fruit bags cooperative", "region": "Luleå", "setting": "urban", "country": "SE"},
    )

    response = client.get(detail(project))

    change_entries = [entry for entry in response.context["history"] if entry.changes]
    changes = {c.label: (c.old_text, c.new_text) for c in change_entries[0].changes}
    assert changes["title"] == ("Fruit bags", "Fruit bags cooperative")
    assert changes["rural or urban"] == ("Rural", "Urban")
    assert change_entries[0].user == social_worker
    assert "<strong>Rural or urban</strong>" in response.text


# Create and edit ----------------------------------------------------------------------------------


def test_create_registers_project_in_own_organisation(client_for, social_worker, organisation):
    group = TargetGroupFactory(slug="older-people", name="Older people")

    response = client_for(social_worker).post(
        reverse("microprojects:create"),
        {
            "title": "Fruit bags",
            "summary": "Bags from fruit nets.",
            "setting": "rural",
            "target_groups": [group.pk],
            "lead_social_workers": [social_worker.pk],
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "budget_eur": "12000",
        },
        follow=True,
    )

    project = MicroProject.objects.get()
    assert project.organisation == organisation
    assert project.country == "SE"  # the organisation's, as the field was left empty
    assert list(project.target_groups.all()) == [group]
    assert list(project.lead_social_workers.all()) == [social_worker]
    assert response.redirect_chain[-1][0] == detail(project)
    assert "was registered" in response.text


def test_create_end_before_start_shows_error_and_saves_nothing(client_for, social_worker):
    response = client_for(social_worker).post(
        reverse("microprojects:create"),
        {"title": "Fruit bags", "setting": "rural", "start_date": "2025-05-01", "end_date": "2025-04-01"},
    )

    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert 'id="id_end_date_error"' in response.text  # next to the field, linked by aria-describedby
    assert not MicroProject.objects.exists()


def test_create_missing_title_shows_error(client_for, social_worker):
    response = client_for(social_worker).post(reverse("microprojects:create"), {"setting": "rural"})

    assert "title" in response.context["form"].errors
    assert not MicroProject.objects.exists()


def test_create_refuses_leads_from_other_organisations(client_for, social_worker, other_social_worker):
    response = client_for(social_worker).post(
        reverse("microprojects:create"),
        {"title": "Fruit bags", "setting": "rural", "lead_social_workers": [other_social_worker.pk]},
    )

    assert "lead_social_workers" in response.context["form"].errors
    assert not MicroProject.objects.exists()


def test_create_member_of_two_organisations_chooses(client_for, social_worker, organisation):
    from tests.factories import MembershipFactory

    second = OrganisationFactory(name="Second", country="FI")
    MembershipFactory(user=social_worker, organisation=second)

    response = client_for(social_worker).post(
        reverse("microprojects:create"), {"title": "X", "setting": "rural", "organisation": second.pk}
    )

    assert response.status_code == 302
    assert MicroProject.objects.get().organisation == second
    assert MicroProject.objects.get().country == "FI"


def test_create_refused_for_coordinator_and_reviewer(client_for, coordinator, reviewer):
    for user in (coordinator, reviewer):
        assert client_for(user).get(reverse("microprojects:create")).status_code == 403


def test_edit_saves_through_the_service(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:edit", args=[project.pk]),
        {"title": "Fruit bags cooperative", "setting": "urban", "country": "SE", "budget_eur": "5000"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Fruit bags cooperative"
    assert project.setting == "urban"
    assert project.budget_eur == 5000


def test_edit_invalid_dates_keep_the_project_unchanged(client_for, social_worker, project):
    response = client_for(social_worker).post(
        reverse("microprojects:edit", args=[project.pk]),
        {
            "title": "Changed",
            "setting": "rural",
            "country": "SE",
            "start_date": "2025-05-01",
            "end_date": "2025-01-01",
        },
    )

    assert "end_date" in response.context["form"].errors
    project.refresh_from_db()
    assert project.title == "Fruit bags in Luleå"


def test_edit_coordinator_is_forbidden(client_for, coordinator, project):
    response = client_for(coordinator).post(
        reverse("microprojects:edit", args=[project.pk]), {"title": "Hijacked", "setting": "rural"}
    )

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Fruit bags in Luleå"


def test_edit_other_organisation_is_404(client_for, social_worker, other_project):
    response = client_for(social_worker).post(
        reverse("microprojects:edit", args=[other_project.pk]), {"title": "Hijacked", "setting": "rural"}
    )

    assert response.status_code == 404
    other_project.refresh_from_db()
    assert other_project.title == "Recipe book in Kuldīga"


# Transition and delete ----------------------------------------------------------------------------


def test_transition_moves_the_status(client_for, social_worker, organisation):
    draft = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)

    response = client_for(social_worker).post(
        reverse("microprojects:transition", args=[draft.pk]), {"status": "active"}, follow=True
    )

    draft.refresh_from_db()
    assert draft.status == MicroProject.Status.ACTIVE
    assert "The project is active." in response.text


def test_transition_wrong_move_names_allowed_ones(client_for, social_worker, organisation):
    draft = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)

    response = client_for(social_worker).post(
        reverse("microprojects:transition", args=[draft.pk]),
        {"status": "completed", "confirm": "yes"},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.status == MicroProject.Status.DRAFT
    assert "Allowed: Active, Discontinued" in response.text


def test_transition_by_coordinator_is_forbidden(client_for, coordinator, project):
    response = client_for(coordinator).post(
        reverse("microprojects:transition", args=[project.pk]), {"status": "completed"}
    )

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == MicroProject.Status.ACTIVE


def test_completing_a_project_asks_first(client_for, social_worker, project):
    client = client_for(social_worker)
    url = reverse("microprojects:transition", args=[project.pk])
    page = client.get(detail(project)).text
    assert f"{url}?status=completed" in page  # a link to the question, not a one-click button
    question = client.get(url, {"status": "completed"})
    assert "Mark “" in question.text
    assert 'name="confirm"' in question.text
    client.post(url, {"status": "completed"})  # a POST without the confirmation asks again
    project.refresh_from_db()
    assert project.status == MicroProject.Status.ACTIVE
    client.post(url, {"status": "completed", "confirm": "yes"})
    project.refresh_from_db()
    assert project.status == MicroProject.Status.COMPLETED
    assert client.get(url).status_code == 302  # no status: back to the project


def test_only_the_organisation_admin_makes_a_completed_project_active_again(
    client_for, social_worker, org_admin, project
):
    services.project_transition(project=project, by=social_worker, status="completed")
    url = reverse("microprojects:transition", args=[project.pk])
    assert "Make it active again" not in client_for(social_worker).get(detail(project)).text
    refused = client_for(social_worker).post(url, {"status": "active"}, follow=True)
    assert "Only an admin of" in refused.text
    project.refresh_from_db()
    assert project.status == MicroProject.Status.COMPLETED
    admin = client_for(org_admin)
    assert "Make it active again" in admin.get(detail(project)).text
    admin.post(url, {"status": "active"})
    project.refresh_from_db()
    assert project.status == MicroProject.Status.ACTIVE
    event = AuditEvent.objects.get(action="project.reopened")
    assert (event.actor, event.target_id) == (org_admin, str(project.pk))
    assert event.data == {"from": "completed", "to": "active"}
    history = client_for(org_admin).get(f"/api/v1/projects/{project.pk}/history/").json()["results"]
    assert any(c["field"] == "status" and c["new"] == "active" for entry in history for c in entry["changes"])


def test_delete_asks_for_confirmation_then_deletes(client_for, org_admin, project):
    client = client_for(org_admin)
    url = reverse("microprojects:delete", args=[project.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Do you really want to delete" in confirm.text
    assert MicroProject.objects.filter(pk=project.pk).exists()

    response = client.post(url, follow=True)
    assert not MicroProject.objects.filter(pk=project.pk).exists()
    assert "was deleted" in response.text


def test_delete_active_project_by_social_worker_is_forbidden(client_for, social_worker, project):
    response = client_for(social_worker).post(reverse("microprojects:delete", args=[project.pk]))

    assert response.status_code == 403
    assert MicroProject.objects.filter(pk=project.pk).exists()


def test_delete_draft_by_social_worker(client_for, social_worker, organisation):
    draft = MicroProjectFactory(
        organisation=organisation, status=MicroProject.Status.DRAFT, end_date=dt.date(2026, 1, 1)
    )

    response = client_for(social_worker).post(reverse("microprojects:delete", args=[draft.pk]))

    assert response.status_code == 302
    assert not MicroProject.objects.exists()


def test_delete_other_organisation_is_404(client_for, org_admin, other_project):
    response = client_for(org_admin).post(reverse("microprojects:delete", args=[other_project.pk]))

    assert response.status_code == 404
    assert MicroProject.objects.filter(pk=other_project.pk).exists()


@pytest.mark.parametrize("name", ["detail", "edit", "delete", "activity_create", "indicator_create"])
def test_project_pages_are_404_for_reviewers(client_for, reviewer, project, name):
    response = client_for(reviewer).get(reverse(f"microprojects:{name}", args=[project.pk]))

    assert response.status_code == 404


def test_detail_history_merges_a_save_with_its_many_to_many_updates(client_for, social_worker, organisation):
    group = migrants()
    project = services.project_create(by=social_worker, title="Fruit bags")
    services.project_update(project=project, by=social_worker, title="Fruit bags 2", target_groups=[group])

    response = client_for(social_worker).get(detail(project))

    history = response.context["history"]
    assert len(history) == 2  # the update (title + target groups), then the creation
    assert [change.label for change in history[0].changes] == ["title", "target groups"]
    assert history[1].created


def test_list_htmx_history_restore_gets_the_whole_page(client_for, social_worker, project):
    response = client_for(social_worker).get(
        LIST, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.text
    assert "HX-Request" in response["Vary"]


def test_list_sorts_by_participants(client_for, coordinator, organisation):
    from tests.factories import ActivityFactory

    few = MicroProjectFactory(organisation=organisation, title="A few")
    many = MicroProjectFactory(organisation=organisation, title="B many")
    ActivityFactory(project=few, participants_total=2, women=None, men=None, participants_new=None)
    ActivityFactory(project=many, participants_total=30, women=None, men=None, participants_new=None)
    client = client_for(coordinator)

    by_title = client.get(LIST).context["page"].object_list
    by_participants = client.get(LIST, {"ordering": "-participants"}).context["page"].object_list

    assert [p.title for p in by_title] == ["A few", "B many"]
    assert [p.title for p in by_participants] == ["B many", "A few"]


def test_the_country_select_offers_the_programmes_countries_first(client_for, social_worker, settings):
    page = client_for(social_worker).get(reverse("microprojects:create")).text
    select = page[page.index('name="country"') :]
    options = select[: select.index("</select>")]
    assert options.index('value="LV"') < options.index("──") < options.index('value="AF"')
