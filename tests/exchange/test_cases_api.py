"""/api/v1/cases/ and the web pages: who sees which case, the list's filters and its fixed number
of queries, publishing through the privacy check, adapt and contact."""

import pytest
from django.urls import reverse

from exchange.models import Case
from exchange.screening import case_findings
from tests.factories import MembershipFactory, MicroProjectFactory, OrganisationFactory, UserFactory

from .case_factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(social_worker):
    return make_case(author=social_worker)[0]


@pytest.fixture
def published(social_worker, coordinator):
    return make_case(author=social_worker, status=Case.Status.PUBLISHED, coordinator=coordinator)[0]


# Visibility ------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Case.Status.DRAFT, Case.Status.SUBMITTED, Case.Status.RETURNED])
def test_an_unpublished_case_never_reaches_another_organisation_a_reviewer_or_anonymous(
    state, social_worker, other_social_worker, reviewer, as_user, client
):
    case, _tools = make_case(author=social_worker, status=state)
    for user in (other_social_worker, reviewer):
        api = as_user(user)
        assert api.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
        assert case.pk not in [row["id"] for row in api.get(reverse("api:case-list")).json()["results"]]
        assert api.post(reverse("api:case-adapt", args=[case.pk]), {"project": 1}).status_code == 404
        client.force_login(user)
        assert client.get(reverse("exchange:case", args=[case.pk])).status_code == 404
        assert client.get(reverse("exchange:case_photo", args=[case.pk, 1])).status_code == 404
    assert as_user(None).get(reverse("api:case-detail", args=[case.pk])).status_code == 403
    assert as_user(social_worker).get(reverse("api:case-detail", args=[case.pk])).status_code == 200


def test_a_published_case_is_read_by_every_organisation_but_not_by_a_reviewer_without_membership(
    published, other_social_worker, reviewer, as_user
):
    answer = as_user(other_social_worker).get(reverse("api:case-detail", args=[published.pk]))
    assert answer.status_code == 200
    assert answer.json()["project"] is None  # the project itself stays private
    assert answer.json()["figures"][0]["latest"] == "<5"
    assert as_user(reviewer).get(reverse("api:case-detail", args=[published.pk])).status_code == 404


def test_the_web_page_links_the_project_only_for_those_who_may_see_it(
    published, social_worker, other_social_worker, client
):
    project_url = reverse("microprojects:detail", args=[published.project_id])
    client.force_login(other_social_worker)
    page = client.get(reverse("exchange:case", args=[published.pk])).content.decode()
    assert published.title in page
    assert project_url not in page
    assert "Adapt this" in page
    client.force_login(social_worker)
    assert project_url in client.get(reverse("exchange:case", args=[published.pk])).content.decode()


# The list ----------------------------------------------------------------------------------------


def _published_elsewhere(count, coordinator):
    for number in range(count):
        organisation = OrganisationFactory(country="SE" if number % 2 else "DE")
        make_case(organisation, status=Case.Status.PUBLISHED, coordinator=coordinator, title=f"Case {number}")


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_runs_a_fixed_number_of_queries(
    count, coordinator, other_social_worker, as_user, client, django_assert_num_queries
):
    _published_elsewhere(count, coordinator)
    api = as_user(other_social_worker)
    api.get(reverse("api:case-list"))  # the session warmed
    # session, user, memberships, count, page, methods
    with django_assert_num_queries(5):
        answer = api.get(reverse("api:case-list"), {"method": "photovoice"})
    assert answer.json()["count"] == count
    client.force_login(other_social_worker)
    client.get(reverse("exchange:cases"))
    # session, user, memberships, the method filter's lookup, the page, methods, the filters' choices
    with django_assert_num_queries(7):
        page = client.get(reverse("exchange:cases"), {"method": "photovoice"})
    assert page.content.decode().count('class="case-card"') == count


def test_the_list_filters_by_country_method_outcome_language_and_words(
    published, coordinator, other_social_worker, as_user
):
    german = make_case(
        OrganisationFactory(country="DE"),
        status=Case.Status.PUBLISHED,
        coordinator=coordinator,
        title="Repair café",
        summary="Older men repair bicycles together.",
        language="de",
    )[0]
    api = as_user(other_social_worker)

    def ids(**params):
        answer = api.get(reverse("api:case-list"), params)
        assert answer.status_code == 200, answer.json()
        return {row["id"] for row in answer.json()["results"]}

    assert ids() == {published.pk, german.pk}
    assert ids(country="DE") == {german.pk}
    assert ids(language="de") == {german.pk}
    assert ids(method="photovoice") == {published.pk, german.pk}
    assert ids(method="world-cafe") == set()
    assert ids(method="no-such-method") == set()
    assert ids(outcome="confidence") == {published.pk, german.pk}
    assert ids(outcome="loneliness") == set()
    assert ids(search="bicycles") == {german.pk}
    assert ids(search="market stall") == {published.pk}


def test_a_wrong_filter_is_named_not_ignored(other_social_worker, as_user):
    answer = as_user(other_social_worker).get(
        reverse("api:case-list"), {"method": "no such!", "language": "xx", "country": "Sweden"}
    )
    assert answer.status_code == 400
    assert {"method", "language", "country"} <= set(answer.json())


# Workflow through the API ----------------------------------------------------------------------


def test_publish_answers_409_with_the_findings_until_each_is_confirmed(social_worker, coordinator, as_user):
    case, _tools = make_case(
        author=social_worker, status=Case.Status.SUBMITTED, summary="Call Jonas Lind on 070 123 45 67."
    )
    api = as_user(coordinator)
    refused = api.post(reverse("api:case-publish", args=[case.pk]), {}, format="json")
    assert refused.status_code == 409
    found = refused.json()["findings"]
    assert {f["kind"] for f in found} == {"name", "phone"}
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED

    half = api.post(
        reverse("api:case-publish", args=[case.pk]), {"confirmed": [found[0]["key"]]}, format="json"
    )
    assert half.status_code == 409
    assert len(half.json()["findings"]) == 1
    done = api.post(
        reverse("api:case-publish", args=[case.pk]), {"confirmed": [found[1]["key"]]}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "published"


def test_the_web_publish_page_lists_each_finding_with_a_checkbox(social_worker, coordinator, client):
    case, _tools = make_case(author=social_worker, status=Case.Status.SUBMITTED, summary="Maria Berg led it.")
    [finding] = case_findings(case)
    client.force_login(coordinator)
    url = reverse("exchange:case_publish", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Maria Berg" in page
    assert f"confirm_{finding.key}" in page
    client.post(url, {})
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
    client.post(url, {f"confirm_{finding.key}": "on"})
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED


def test_create_names_every_wrong_field_and_writes_nothing(social_worker, as_user):
    project = MicroProjectFactory(organisation=social_worker.memberships.first().organisation)
    answer = as_user(social_worker).post(
        reverse("api:case-list"),
        {"project": project.pk, "title": "", "summary": "", "methods": ["nope"], "language": "xx"},
        format="json",
    )
    assert answer.status_code == 400
    assert {"title", "summary", "methods", "language"} <= set(answer.json())
    assert not Case.objects.exists()


def test_adapt_and_contact_through_the_api(published, other_social_worker, as_user):
    mine = MicroProjectFactory(organisation=other_social_worker.memberships.first().organisation)
    api = as_user(other_social_worker)
    answer = api.post(reverse("api:case-adapt", args=[published.pk]), {"project": mine.pk}, format="json")
    assert answer.status_code == 201
    assert len(answer.json()["tools"]) == 2
    theirs = api.post(
        reverse("api:case-adapt", args=[published.pk]), {"project": published.project_id}, format="json"
    )
    assert theirs.status_code == 400
    assert "project" in theirs.json()
    asked = api.post(reverse("api:case-contact", args=[published.pk]), {"text": "How?"}, format="json")
    assert asked.status_code == 201


def test_a_photo_is_served_only_to_those_who_see_the_case(social_worker, other_social_worker, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exchange.services import cases as services
    from tests.security.topic_cases import _png

    case, _tools = make_case(author=social_worker)
    photo = services.case_photo_add(
        case=case, by=social_worker, upload=SimpleUploadedFile("p.png", _png(), "image/png")
    )
    url = reverse("exchange:case_photo", args=[case.pk, photo.pk])
    client.force_login(social_worker)
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    client.force_login(other_social_worker)
    assert client.get(url).status_code == 404
    stranger = MembershipFactory(user=UserFactory()).user
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_the_conversation_through_the_api_on_both_sides(
    published, social_worker, other_social_worker, as_user
):
    asker, team = as_user(other_social_worker), as_user(social_worker)
    thread = asker.post(
        reverse("api:case-contact", args=[published.pk]), {"text": "How?"}, format="json"
    ).json()
    reply_url = reverse("api:case-reply", args=[published.pk, thread["thread"]])
    answer = team.post(reply_url, {"text": "Slowly."}, format="json")
    assert answer.status_code == 201
    assert answer.json()["from_team"] is True
    [seen] = asker.get(reverse("api:case-threads", args=[published.pk])).json()
    assert [m["text"] for m in seen["messages"]] == ["How?", "Slowly."]
    assert "author" not in seen["messages"][0]  # sides, never persons
    stranger = as_user(MembershipFactory(user=UserFactory()).user)
    assert stranger.get(reverse("api:case-threads", args=[published.pk])).json() == []
    assert stranger.post(reply_url, {"text": "Hi"}, format="json").status_code == 404
