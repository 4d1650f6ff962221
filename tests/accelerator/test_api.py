"""The accelerator API: who sees what (404 for the invisible), errors as JSON naming fields,
the ranking and portfolio endpoints, and a fixed number of queries per list."""

import datetime as dt

import pytest
from django.urls import reverse

from accelerator import services
from accelerator.models import Application, MonthlyFigure, Review, Round, StartUp
from tests.factories import MembershipFactory, MicroProjectFactory, OrganisationFactory

from .factories import CriterionFactory, RoundFactory, ready_project, reviewer_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    round = RoundFactory(blind_review=True)
    CriterionFactory(round=round, name="Impact", weight=3)
    CriterionFactory(round=round, name="Money", weight=1)
    return round


def submit(round, country="SE", worker=None):
    if worker is None:
        org = OrganisationFactory(country=country)
        worker = MembershipFactory(organisation=org).user
    project = ready_project(worker)
    return services.application_submit(round=round, project=project, by=worker)


def test_round_list_hides_drafts_from_non_coordinators(as_user, coordinator, social_worker, round_):
    RoundFactory(status=Round.Status.DRAFT, title="Hidden draft")
    assert len(as_user(coordinator).get("/api/v1/rounds/").json()["results"]) == 2
    titles = [r["title"] for r in as_user(social_worker).get("/api/v1/rounds/").json()["results"]]
    assert titles == [round_.title]


def test_round_create_by_coordinator_and_refused_otherwise(as_user, coordinator, social_worker):
    body = {
        "title": "Spring",
        "opens_at": "2030-01-01T00:00:00Z",
        "closes_at": "2030-02-01T00:00:00Z",
        "review_deadline": "2030-03-01T00:00:00Z",
        "quotas": [{"attribute": "country", "max": 2}],
    }
    assert as_user(social_worker).post("/api/v1/rounds/", body, format="json").status_code == 403
    assert not Round.objects.exists()
    response = as_user(coordinator).post("/api/v1/rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["places"] == 8
    bad = as_user(coordinator).post(
        "/api/v1/rounds/", {**body, "closes_at": "2029-01-01T00:00:00Z"}, format="json"
    )
    assert bad.status_code == 400
    assert "closes_at" in bad.json()


def test_criteria_show_normalised_weights(as_user, coordinator, round_):
    data = as_user(coordinator).get(f"/api/v1/rounds/{round_.pk}/criteria/").json()
    assert data["count"] == 2
    assert [c["normalised_weight"] for c in data["results"]] == [0.75, 0.25]


def test_apply_through_the_api_and_late_error(as_user, social_worker, round_):
    project = ready_project(social_worker)
    client = as_user(social_worker)
    response = client.post(
        f"/api/v1/rounds/{round_.pk}/applications/", {"project": project.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    Round.objects.filter(pk=round_.pk).update(closes_at=round_.opens_at + dt.timedelta(minutes=1))
    other = ready_project(social_worker)
    late = client.post(f"/api/v1/rounds/{round_.pk}/applications/", {"project": other.pk}, format="json")
    assert late.status_code == 400
    assert "deadline" in late.json()["round"][0]


def test_apply_for_another_organisations_project_is_404(as_user, social_worker, other_social_worker, round_):
    project = ready_project(social_worker)
    response = as_user(other_social_worker).post(
        f"/api/v1/rounds/{round_.pk}/applications/", {"project": project.pk}, format="json"
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_reviewer_sees_only_assigned_applications_without_names(as_user, coordinator, round_):
    mine, theirs = submit(round_, "SE"), submit(round_, "LV")
    reviewer = reviewer_from("DK")
    services.assignment_create(application=mine, reviewer=reviewer, by=coordinator)
    client = as_user(reviewer)
    assert client.get(f"/api/v1/applications/{theirs.pk}/").status_code == 404
    detail = client.get(f"/api/v1/applications/{mine.pk}/").json()
    assert detail["organisation"] is None
    assert detail["submitted_by"] is None
    assert detail["toc"]["outcomes"]
    listed = client.get(f"/api/v1/rounds/{round_.pk}/applications/").json()["results"]
    assert [a["id"] for a in listed] == [mine.pk]


def test_social_worker_sees_own_application_only(as_user, social_worker, other_social_worker, round_):
    own = submit(round_, worker=social_worker)
    other = submit(round_, worker=other_social_worker)
    client = as_user(social_worker)
    assert client.get(f"/api/v1/applications/{own.pk}/").json()["organisation"] == "Luleå Social Services"
    assert client.get(f"/api/v1/applications/{other.pk}/").status_code == 404


@pytest.fixture
def scored_round(coordinator, round_):
    round_.places = 1
    round_.save()
    apps = [submit(round_, c) for c in ("SE", "LV", "DK")]
    for country in ("FI", "PL"):
        reviewer_from(country)
    services.assignments_auto(round=round_, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    criteria = list(round_.criteria.order_by("order").values_list("pk", flat=True))
    for app, value in zip(apps, (5, 3, 1), strict=True):
        for assignment in app.assignments.all():
            services.review_save(
                assignment=assignment,
                by=assignment.reviewer,
                scores=dict.fromkeys(criteria, value),
                recommendation="yes",
                submit=True,
            )
    return apps


def test_ranking_endpoint_raw_and_adjusted(as_user, coordinator, scored_round, round_):
    client = as_user(coordinator)
    data = client.get(f"/api/v1/rounds/{round_.pk}/ranking/?normalise=false&draws=100&seed=1").json()
    rows = data["rows"]
    assert [r["application_id"] for r in rows] == [a.pk for a in scored_round]
    assert rows[0]["raw_mean"] == 100.0
    assert rows[0]["score"] == rows[0]["raw_mean"]
    assert {"rank", "p_top_n", "label", "explanation", "spread", "raw_median", "adjusted_mean"} <= set(
        rows[0]
    )
    again = client.get(f"/api/v1/rounds/{round_.pk}/ranking/?normalise=false&draws=100&seed=1").json()
    assert [r["p_top_n"] for r in again["rows"]] == [r["p_top_n"] for r in rows]
    adjusted = client.get(f"/api/v1/rounds/{round_.pk}/ranking/?normalise=true&draws=0").json()
    assert adjusted["normalise"] is True


def test_scores_never_reach_social_workers_or_reviewers(as_user, social_worker, scored_round, round_):
    reviewer = scored_round[0].assignments.first().reviewer
    for user in (social_worker, reviewer):
        client = as_user(user)
        assert client.get(f"/api/v1/rounds/{round_.pk}/ranking/").status_code == 403
        assert client.get(f"/api/v1/rounds/{round_.pk}/portfolio/").status_code == 403
        assert client.get(f"/api/v1/rounds/{round_.pk}/decisions/").status_code == 403


def test_portfolio_endpoint(as_user, coordinator, scored_round, round_):
    data = as_user(coordinator).get(f"/api/v1/rounds/{round_.pk}/portfolio/").json()
    assert data["selected"] == [scored_round[0].pk]
    assert data["given_up"] == 0.0


def test_reviews_endpoint_lists_only_own_and_hides_nothing_of_others(as_user, scored_round):
    assignment = scored_round[0].assignments.first()
    data = as_user(assignment.reviewer).get("/api/v1/reviews/").json()["results"]
    assert {r["assignment"] for r in data} == set(
        assignment.reviewer.review_assignments.values_list("pk", flat=True)
    )
    other_review = Review.objects.exclude(assignment__reviewer=assignment.reviewer).first()
    assert as_user(assignment.reviewer).get(f"/api/v1/reviews/{other_review.pk}/").status_code == 404


def test_review_post_for_someone_elses_assignment_is_404(as_user, coordinator, round_):
    app = submit(round_)
    mine, other = reviewer_from("DK"), reviewer_from("FI")
    assignment = services.assignment_create(application=app, reviewer=mine, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    body = {"assignment": assignment.pk, "scores": {}}
    assert as_user(other).post("/api/v1/reviews/", body, format="json").status_code == 404
    response = as_user(mine).post("/api/v1/reviews/", {**body, "submit": True}, format="json")
    assert response.status_code == 400
    assert "scores" in response.json()


def test_auto_assign_endpoint(as_user, coordinator, social_worker, round_):
    submit(round_)
    reviewer_from("DK")
    assert as_user(social_worker).post(f"/api/v1/rounds/{round_.pk}/auto-assign/").status_code == 403
    response = as_user(coordinator).post(f"/api/v1/rounds/{round_.pk}/auto-assign/", {}, format="json")
    assert response.status_code == 201
    assert len(response.json()) == 1


def test_decide_and_close_through_the_api(as_user, coordinator, scored_round, round_):
    client = as_user(coordinator)
    services.round_transition(round=round_, by=coordinator, status="deciding", confirm=True)
    for app, outcome in zip(scored_round, ("selected", "reserve", "rejected"), strict=True):
        response = client.post(
            f"/api/v1/rounds/{round_.pk}/decisions/",
            {"application": app.pk, "outcome": outcome, "rationale": "Because"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    closed = client.post(f"/api/v1/rounds/{round_.pk}/close/", {}, format="json")
    assert closed.status_code == 200
    assert len(closed.json()["inputs_sha256"]) == 64


def test_startup_figures_and_permissions(as_user, social_worker, other_social_worker, round_):
    application = submit(round_, worker=social_worker)
    startup = StartUp.objects.create(application=application, name="Café")
    client = as_user(social_worker)
    response = client.post(
        f"/api/v1/startups/{startup.pk}/figures/",
        {"month": "2025-01-01", "earned_income": "50", "costs": "100"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["self_sufficiency"] == "0.500"
    assert (
        client.post(
            f"/api/v1/startups/{startup.pk}/milestones/",
            {"title": "First customer", "due": "2025-03-01"},
            format="json",
        ).status_code
        == 201
    )
    assert as_user(other_social_worker).get(f"/api/v1/startups/{startup.pk}/").status_code == 404
    assert (
        as_user(other_social_worker)
        .post(f"/api/v1/startups/{startup.pk}/figures/", {"month": "2025-02-01", "costs": "1"}, format="json")
        .status_code
        == 404
    )
    assert MonthlyFigure.objects.count() == 1


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("item_count", [1, 3])
def test_round_list_queries(as_user, coordinator, django_assert_num_queries, item_count):
    for _ in range(item_count):
        RoundFactory()
    client = as_user(coordinator)
    with django_assert_num_queries(3):  # user (session cached), count, page
        assert client.get("/api/v1/rounds/").status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_application_list_queries(as_user, coordinator, round_, django_assert_num_queries, item_count):
    for _ in range(item_count):
        submit(round_)
    client = as_user(coordinator)
    with django_assert_num_queries(4):  # user (session cached), round, count, page
        assert client.get(f"/api/v1/rounds/{round_.pk}/applications/").status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_round_assignment_list_queries(as_user, coordinator, round_, django_assert_num_queries, item_count):
    for country in ("DK", "LV", "FI")[:item_count]:
        services.assignment_create(
            application=submit(round_), reviewer=reviewer_from(country), by=coordinator
        )
    client = as_user(coordinator)
    with django_assert_num_queries(4):  # user (session cached), round, count, page
        response = client.get(f"/api/v1/rounds/{round_.pk}/assignments/")
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_review_list_queries(as_user, coordinator, round_, django_assert_num_queries, item_count):
    reviewer = reviewer_from("DK")
    services.round_transition(round=round_, by=coordinator, status="open")
    for _ in range(item_count):
        assignment = services.assignment_create(application=submit(round_), reviewer=reviewer, by=coordinator)
        Review.objects.create(assignment=assignment)
    client = as_user(reviewer)
    with django_assert_num_queries(4):  # user (session cached), count, page, scores
        assert client.get("/api/v1/reviews/").status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_ranking_queries(as_user, coordinator, round_, django_assert_num_queries, item_count):
    for _ in range(item_count):
        submit(round_)
    client = as_user(coordinator)
    # user (session cached), round, criteria, applications, scores, reviews expected per application
    with django_assert_num_queries(6):
        assert client.get(f"/api/v1/rounds/{round_.pk}/ranking/?draws=10").status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_startup_list_queries(as_user, coordinator, round_, django_assert_num_queries, item_count):
    for _ in range(item_count):
        StartUp.objects.create(application=submit(round_), name="S")
    client = as_user(coordinator)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/startups/").status_code == 200


def test_eligibility_lists_ones_projects_a_page_at_a_time_with_the_checks(
    as_user, social_worker, organisation, other_organisation, round_
):
    ready = ready_project(social_worker, title="A ready project")
    draft = MicroProjectFactory(organisation=organisation, title="B draft")
    MicroProjectFactory(organisation=other_organisation, title="C not ours")
    client = as_user(social_worker)
    url = f"/api/v1/rounds/{round_.pk}/eligibility/"

    first = client.get(url, {"page_size": 1}).json()
    assert first["count"] == 2  # the other organisation's project is not listed
    assert [(row["project"], row["eligible"]) for row in first["results"]] == [(ready.pk, True)]
    assert all(check["passed"] for check in first["results"][0]["checks"])

    second = client.get(url, {"page_size": 1, "page": 2}).json()
    assert [(row["project"], row["title"], row["eligible"]) for row in second["results"]] == [
        (draft.pk, "B draft", False)
    ]
    failed = [check for check in second["results"][0]["checks"] if not check["passed"]]
    assert failed
    assert all(check["label"] and check["detail"] for check in failed)


def test_eligibility_of_an_invisible_round_is_404(as_user, social_worker):
    draft_round = RoundFactory(status=Round.Status.DRAFT)
    assert as_user(social_worker).get(f"/api/v1/rounds/{draft_round.pk}/eligibility/").status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_eligibility_queries(as_user, social_worker, round_, django_assert_num_queries, item_count):
    for _ in range(item_count):
        ready_project(social_worker)
    client = as_user(social_worker)
    # user (session cached), round, memberships, count, page; readiness: tools, the canvases' blocks
    # and filled blocks, ToC outcomes, their indicators, links, interventions, their outcomes,
    # assumptions; earlier selections
    with django_assert_num_queries(15):
        response = client.get(f"/api/v1/rounds/{round_.pk}/eligibility/")
    assert response.json()["count"] == item_count


def test_reverse_names_exist():
    assert reverse("api:round-ranking", args=[1]) == "/api/v1/rounds/1/ranking/"
    assert reverse("api:round-auto-assign", args=[1]) == "/api/v1/rounds/1/auto-assign/"


def test_startup_figures_refuse_a_second_entry_for_a_month_unless_replace(as_user, social_worker, round_):
    startup = StartUp.objects.create(application=submit(round_, worker=social_worker), name="Café")
    client = as_user(social_worker)
    url = f"/api/v1/startups/{startup.pk}/figures/"
    assert client.post(url, {"month": "2025-01-01", "costs": "100"}, format="json").status_code == 201
    again = client.post(url, {"month": "2025-01-01", "costs": "-1", "customers": -2}, format="json")
    assert again.status_code == 400
    assert set(again.json()) >= {"costs", "customers"}  # the serializer's errors, all at once
    again = client.post(url, {"month": "2025-01-01", "costs": "80"}, format="json")
    assert again.status_code == 400
    assert "already recorded" in again.json()["month"][0]
    assert MonthlyFigure.objects.get().costs == 100
    replaced = client.post(url, {"month": "2025-01-01", "costs": "80", "replace": True}, format="json")
    assert replaced.status_code == 201
    assert "replace" not in replaced.json()
    assert MonthlyFigure.objects.get().costs == 80
    future = client.post(url, {"month": "2999-01-01", "costs": "1"}, format="json")
    assert future.status_code == 400
    assert "has not begun" in future.json()["month"][0]
