import pytest
from django.urls import reverse

from tests.factories import MicroProjectFactory
from tests.toolkit.factories import ToolInstanceFactory

from .factories import extra_methods, method

pytestmark = pytest.mark.django_db

LIST = reverse("api:method-list")


def test_the_list_is_paginated_and_holds_every_text_and_translation(as_user, social_worker):
    method()
    answer = as_user(social_worker).get(LIST, {"page_size": 3})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] >= 11
    assert len(body["results"]) == 3
    assert body["next"]
    first = body["results"][0]
    assert first["slug"] == "sbmc"
    assert first["tool_template"] == "sbmc"
    assert isinstance(first["steps"], list)
    assert first["steps"]
    assert "used_in" not in first


def test_the_list_filters_as_the_page_does(as_user, social_worker):
    method()
    client = as_user(social_worker)
    slugs = [m["slug"] for m in client.get(LIST, {"tool": "empathy-map"}).json()["results"]]
    assert slugs == ["empathy-map"]
    suiting = {
        m["slug"]
        for m in client.get(LIST, {"need": "no_shared_language", "page_size": 200}).json()["results"]
    }
    assert "world-cafe" in suiting


def test_a_need_not_in_the_list_is_refused_and_a_tool_or_group_that_is_not_there_finds_nothing(
    as_user, social_worker
):
    """`need` is one of a fixed list (an enum in the schema): anything else is a 400 naming it. Tools and
    target groups are data, so a slug that names none is a filter that finds nothing, as the project
    list's target_group is (schemathesis sends slugs of the right shape that name nothing)."""
    method()
    client = as_user(social_worker)
    answer = client.get(LIST, {"tool": "nope", "need": "nope", "target_group": "nope"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"need"}
    for nothing in ({"tool": "nope"}, {"target_group": "nope"}):
        answer = client.get(LIST, nothing)
        assert answer.status_code == 200
        assert answer.json()["results"] == []


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get(LIST).status_code == 403


@pytest.mark.parametrize("extra", [1, 5])
def test_the_list_reads_a_fixed_number_of_queries(as_user, social_worker, extra, django_assert_num_queries):
    extra_methods(extra)
    client = as_user(social_worker)
    # the session's user, the count, the page of methods, their target groups
    with django_assert_num_queries(4):
        answer = client.get(LIST, {"page_size": 200})
    assert answer.json()["count"] == 11 + extra


def test_one_method_says_which_visible_projects_used_it(
    as_user, social_worker, coordinator, organisation, other_organisation
):
    method()
    own = ToolInstanceFactory(project=MicroProjectFactory(organisation=organisation, title="Own"))
    ToolInstanceFactory(project=MicroProjectFactory(organisation=other_organisation, title="Other"))
    url = reverse("api:method-detail", args=["sbmc"])

    used_in = as_user(social_worker).get(url).json()["used_in"]
    assert used_in == {
        "project_count": 1,
        "projects": [{"id": own.project.pk, "title": "Own"}],
        "case_count": 0,
        "cases": [],
    }
    assert as_user(coordinator).get(url).json()["used_in"]["project_count"] == 2


@pytest.mark.parametrize("projects", [1, 3])
def test_one_method_reads_a_fixed_number_of_queries(
    as_user, social_worker, organisation, projects, django_assert_num_queries
):
    method()
    for _ in range(projects):
        ToolInstanceFactory(project=MicroProjectFactory(organisation=organisation))
    client = as_user(social_worker)
    # session, user, the method, its target groups, the projects' and the cases' counts and pages
    with django_assert_num_queries(8):
        answer = client.get(reverse("api:method-detail", args=["sbmc"]))
    assert len(answer.json()["used_in"]["projects"]) == projects


def test_an_unknown_method_is_404(as_user, social_worker):
    assert as_user(social_worker).get(reverse("api:method-detail", args=["nope"])).status_code == 404


def test_the_methods_are_read_only(as_user, coordinator):
    method()
    client = as_user(coordinator)
    assert client.post(LIST, {"slug": "x"}).status_code == 405
    assert client.delete(reverse("api:method-detail", args=["sbmc"])).status_code == 405
