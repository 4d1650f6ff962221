import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exchange.models import Case
from tests.factories import MicroProjectFactory
from tests.toolkit.factories import ToolInstanceFactory, tool_template

from .factories import extra_methods, method

pytestmark = pytest.mark.django_db

LIST = reverse("exchange:methods")


def _titles(response):
    return [m.slug for m in response.context["methods"]]


def test_the_library_lists_every_method_to_a_signed_in_person(client, social_worker):
    method()
    client.force_login(social_worker)
    response = client.get(LIST)
    assert response.status_code == 200
    assert {"sbmc", "world-cafe", "photovoice", "participatory-budgeting"} <= set(_titles(response))
    assert reverse("exchange:method", args=["world-cafe"]) in response.content.decode()


def test_the_library_asks_an_anonymous_visitor_to_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_library_filters_by_target_group_tool_and_accessibility_need(client, social_worker):
    method()
    client.force_login(social_worker)
    by_tool = _titles(client.get(LIST, {"tool": "problem-tree"}))
    assert by_tool == ["problem-tree"]
    by_group = set(_titles(client.get(LIST, {"target_group": "long-term-unemployed"})))
    assert "peer-visit" in by_group
    assert "photovoice" not in by_group
    combined = _titles(client.get(LIST, {"target_group": "older-people", "need": "low_literacy"}))
    assert "photovoice" in combined
    assert "bmc" not in combined


def test_wrong_filters_show_every_error_and_no_list(client, social_worker):
    method()
    client.force_login(social_worker)
    response = client.get(LIST, {"tool": "no-such-tool", "need": "x", "target_group": "nobody"})
    assert response.status_code == 200
    assert response.context["methods"] == []
    assert set(response.context["filter"].errors) == {"tool", "need", "target_group"}


@pytest.mark.parametrize("extra", [1, 6])
def test_the_library_reads_a_fixed_number_of_queries(client, social_worker, extra, django_assert_num_queries):
    extra_methods(extra)
    client.force_login(social_worker)
    # session, user (with memberships), methods, their target groups, the filters' two choice lists
    with django_assert_num_queries(6):
        response = client.get(LIST, {"need": "low_literacy"})
    assert len([slug for slug in _titles(response) if slug.startswith("extra-")]) == extra


def test_a_method_page_shows_the_method_in_the_reader_s_language(client, social_worker):
    world_cafe = method("world-cafe")
    social_worker.language = "de"
    social_worker.save()
    client.force_login(social_worker)
    response = client.get(reverse("exchange:method", args=["world-cafe"]))
    page = response.content.decode()
    german = world_cafe.text("de")
    assert german["title"] in page
    assert german["steps"][0] in page
    assert world_cafe.steps[0] not in page


def test_a_method_with_a_tool_links_the_blank_printable_sheet_and_others_do_not(client, social_worker):
    method()
    client.force_login(social_worker)
    blank = reverse("toolkit:blank-pdf", args=["sbmc"])
    assert blank in client.get(reverse("exchange:method", args=["sbmc"])).content.decode()
    assert "blank.pdf" not in client.get(reverse("exchange:method", args=["world-cafe"])).content.decode()


def test_an_unknown_method_is_404(client, social_worker):
    method()
    client.force_login(social_worker)
    assert client.get(reverse("exchange:method", args=["no-such-method"])).status_code == 404


def test_used_in_counts_and_links_only_the_projects_the_reader_may_see(
    client, social_worker, other_social_worker, coordinator, organisation, other_organisation
):
    method()
    own = ToolInstanceFactory(project=MicroProjectFactory(organisation=organisation, title="Own café"))
    other = ToolInstanceFactory(
        project=MicroProjectFactory(organisation=other_organisation, title="Far café")
    )
    ToolInstanceFactory(project=own.project)  # a second canvas of the same project counts once
    ToolInstanceFactory(template=tool_template("bmc"), project=MicroProjectFactory(organisation=organisation))
    url = reverse("exchange:method", args=["sbmc"])

    client.force_login(social_worker)
    response = client.get(url)
    assert response.context["project_count"] == 1
    page = response.content.decode()
    assert reverse("microprojects:detail", args=[own.project.pk]) in page
    assert "Far café" not in page
    assert reverse("microprojects:detail", args=[other.project.pk]) not in page

    client.force_login(coordinator)
    assert client.get(url).context["project_count"] == 2


@pytest.mark.parametrize("projects", [1, 4])
def test_a_method_page_reads_a_fixed_number_of_queries(
    client, social_worker, organisation, projects, django_assert_num_queries
):
    method()
    for _ in range(projects):
        ToolInstanceFactory(project=MicroProjectFactory(organisation=organisation))
    client.force_login(social_worker)
    # session, user, the method, its target groups, the projects' and the cases' counts and pages
    with django_assert_num_queries(8):
        response = client.get(reverse("exchange:method", args=["sbmc"]))
    assert len(response.context["projects"]) == projects


def test_the_main_navigation_links_the_library_for_staff_only(client, social_worker, reviewer):
    client.force_login(social_worker)
    with translation.override("en"):
        assert f'href="{LIST}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(reviewer)
    assert f'href="{LIST}"' not in client.get(reverse("dashboard")).content.decode()


def test_used_in_counts_and_links_the_published_cases_that_name_the_method_for_staff_only(
    client, social_worker, other_social_worker, reviewer, organisation
):
    world_cafe = method("world-cafe")
    cases = {
        status: Case.objects.create(
            project=MicroProjectFactory(organisation=organisation),
            title=f"Café case {status}",
            summary="Told by the team.",
            status=status,
            published_at=timezone.now() if status == Case.Status.PUBLISHED else None,
        )
        for status in (Case.Status.PUBLISHED, Case.Status.DRAFT, Case.Status.SUBMITTED)
    }
    for case in cases.values():
        case.methods.add(world_cafe)
    url = reverse("exchange:method", args=["world-cafe"])

    client.force_login(other_social_worker)  # staff of another organisation
    response = client.get(url)
    assert response.context["case_count"] == 1
    page = response.content.decode()
    assert reverse("exchange:case", args=[cases[Case.Status.PUBLISHED].pk]) in page
    assert "Café case draft" not in page
    assert "Café case submitted" not in page

    client.force_login(social_worker)  # the team: its own draft is not a published case
    assert client.get(url).context["case_count"] == 1

    client.force_login(reviewer)  # reads no case
    response = client.get(url)
    assert response.context["case_count"] == 0
    assert "Café case" not in response.content.decode()
