"""The accelerator's web pages: each renders for its role, others get 404/403, forms call services."""

import datetime as dt

import pytest
from django.urls import reverse

from accelerator import services
from accelerator.models import Application, MonthlyFigure, Round, StartUp
from tests.factories import MembershipFactory, OrganisationFactory

from .factories import CriterionFactory, RoundFactory, ready_project, reviewer_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    round = RoundFactory(blind_review=True, questions=["Who benefits?"])
    CriterionFactory(round=round, name="Impact", weight=3, guidance={"5": "Clients confirm it"})
    CriterionFactory(round=round, name="Money", weight=1)
    return round


def login(client, user):
    client.force_login(user)
    return client


def submit(round, worker=None, country="SE"):
    if worker is None:
        worker = MembershipFactory(organisation=OrganisationFactory(country=country)).user
    return services.application_submit(
        round=round, project=ready_project(worker), by=worker, answers={"Who benefits?": "Older people"}
    )


def test_index_and_round_page_for_coordinator(client, coordinator, round_):
    login(client, coordinator)
    assert client.get(reverse("accelerator:index")).status_code == 200
    page = client.get(reverse("accelerator:round", args=[round_.pk])).content.decode()
    assert "75 %" in page  # weights shown normalised
    assert "Clients confirm it" in page


def test_round_create_page(client, coordinator, social_worker):
    login(client, social_worker)
    assert client.get(reverse("accelerator:round-create")).status_code == 403
    login(client, coordinator)
    response = client.post(
        reverse("accelerator:round-create"),
        {
            "title": "Autumn",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-02-01T09:00",
            "review_deadline": "2030-03-01T09:00",
            "places": 8,
            "reviewers_per_application": 3,
            "normalisation": "shrinkage",
            "tie_break_1": "median",
            "tie_break_2": "earlier_submission",
            "quota_1_attribute": "country",
            "quota_1_bound": "max",
            "quota_1_number": "2",
            "quota_2_attribute": "setting",
            "quota_2_value": "rural",
            "quota_2_bound": "min",
            "quota_2_number": "3",
            "quota_3_attribute": "",
            "quota_3_bound": "max",
            "questions": "Who benefits?\nWhat will you sell?",
        },
    )
    assert response.status_code == 302
    round = Round.objects.get(title="Autumn")
    assert round.tie_break == ["median", "earlier_submission"]
    assert round.quotas == [
        {"attribute": "country", "max": 2},
        {"attribute": "setting", "min": 3, "value": "rural"},
    ]
    assert round.questions == ["Who benefits?", "What will you sell?"]
    page = client.get(reverse("accelerator:round-edit", args=[round.pk])).content.decode()
    assert 'name="quota_2_value"' in page
    assert '<option value="rural" selected>' in page
    assert 'name="quota_4_attribute"' in page  # two empty rules to add one


def test_round_form_reports_every_error_at_once_next_to_its_control(client, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("accelerator:round-create"),
        {
            "title": "Hurried",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2029-02-01T09:00",
            "review_deadline": "2030-03-01T09:00",
            "places": "0",
            "reviewers_per_application": 3,
            "normalisation": "shrinkage",
            "tie_break_1": "median",
            "tie_break_2": "median",
            "quota_1_attribute": "country",
            "quota_1_bound": "max",
            "quota_1_number": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Higher median total” is chosen more than once." in page
    assert "Rule 1: give exactly one of max or min" in page
    assert "greater than or equal to 1" in page
    assert "The round must close after it opens." in page
    assert not Round.objects.filter(title="Hurried").exists()


def test_round_form_shows_service_error_next_to_field(client, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("accelerator:round-create"),
        {
            "title": "Bad",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2029-02-01T09:00",
            "review_deadline": "2030-03-01T09:00",
            "places": 8,
            "reviewers_per_application": 3,
            "normalisation": "shrinkage",
            "tie_break_1": "median",
        },
    )
    assert response.status_code == 200
    assert "The round must close after it opens." in response.content.decode()


def test_social_worker_sees_eligibility_and_applies(client, social_worker, round_):
    project = ready_project(social_worker)
    login(client, social_worker)
    page = client.get(reverse("accelerator:round", args=[round_.pk])).content.decode()
    assert project.title in page
    assert reverse("accelerator:apply", args=[round_.pk, project.pk]) in page
    response = client.post(reverse("accelerator:apply", args=[round_.pk, project.pk]), {"q0": "Older people"})
    application = Application.objects.get()
    assert response.url == reverse("accelerator:application", args=[application.pk])
    assert application.answers == {"Who benefits?": "Older people"}


def test_apply_after_deadline_shows_the_error(client, social_worker, round_):
    project = ready_project(social_worker)
    Round.objects.filter(pk=round_.pk).update(closes_at=round_.opens_at + dt.timedelta(minutes=1))
    login(client, social_worker)
    response = client.post(reverse("accelerator:apply", args=[round_.pk, project.pk]), {"q0": "x"})
    assert "deadline has passed" in response.content.decode()
    assert not Application.objects.exists()


def test_apply_for_other_organisations_project_is_404(client, social_worker, other_social_worker, round_):
    project = ready_project(social_worker)
    login(client, other_social_worker)
    assert client.get(reverse("accelerator:apply", args=[round_.pk, project.pk])).status_code == 404


def test_assignment_board_and_auto_assign(client, coordinator, round_):
    application = submit(round_)
    reviewer_from("DK", "dane")
    reviewer_from("SE", "swede")
    login(client, coordinator)
    client.post(reverse("accelerator:auto-assign", args=[round_.pk]))
    page = client.get(reverse("accelerator:assignments", args=[round_.pk])).content.decode()
    assert application.assignments.count() == 2
    assert "same country" in page


def test_reviewer_inbox_and_form_blind(client, coordinator, round_):
    application = submit(round_)
    reviewer = reviewer_from("DK")
    assignment = services.assignment_create(application=application, reviewer=reviewer, by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    login(client, reviewer)
    assert application.project.title in client.get(reverse("accelerator:inbox")).content.decode()
    page = client.get(reverse("accelerator:review", args=[assignment.pk])).content.decode()
    assert application.project.organisation.name not in page
    assert "Clients confirm it" in page
    criteria = list(round_.criteria.order_by("order"))
    response = client.post(
        reverse("accelerator:review", args=[assignment.pk]),
        {
            f"score_{criteria[0].pk}": "4",
            f"score_{criteria[1].pk}": "2",
            "recommendation": "yes",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assignment.review.refresh_from_db()
    assert assignment.review.submitted_at is not None


def test_reviewer_cannot_open_someone_elses_review(client, coordinator, round_):
    application = submit(round_)
    mine, other = reviewer_from("DK"), reviewer_from("FI")
    assignment = services.assignment_create(application=application, reviewer=mine, by=coordinator)
    login(client, other)
    assert client.get(reverse("accelerator:review", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("accelerator:application", args=[application.pk])).status_code == 404


def test_ranking_page_and_htmx_partial(client, coordinator, round_, social_worker):
    submit(round_)
    login(client, coordinator)
    page = client.get(reverse("accelerator:ranking", args=[round_.pk]))
    assert page.status_code == 200
    assert "Adjusted for reviewer leniency" in page.content.decode()
    partial = client.get(
        reverse("accelerator:ranking", args=[round_.pk]) + "?normalise=0", HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()
    login(client, social_worker)
    assert client.get(reverse("accelerator:ranking", args=[round_.pk])).status_code == 403


def test_decision_page_records_and_closes(client, coordinator, round_):
    application = submit(round_)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DECIDING)
    login(client, coordinator)
    assert client.get(reverse("accelerator:decision", args=[round_.pk])).status_code == 200
    prefix = f"a{application.pk}"
    client.post(
        reverse("accelerator:decision", args=[round_.pk]),
        {"application": application.pk, f"{prefix}-outcome": "selected", f"{prefix}-rationale": "Strong"},
    )
    unconfirmed = client.post(reverse("accelerator:close", args=[round_.pk]), {}, follow=True)
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDING
    client.post(reverse("accelerator:close", args=[round_.pk]), {"confirm": "on"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDED
    assert "SHA-256" in client.get(reverse("accelerator:decision", args=[round_.pk])).content.decode()


def test_review_page_shows_other_reviews_only_after_ones_own_is_submitted(client, coordinator, round_):
    application = submit(round_)
    mine = services.assignment_create(application=application, reviewer=reviewer_from("DK"), by=coordinator)
    theirs = services.assignment_create(application=application, reviewer=reviewer_from("LV"), by=coordinator)
    services.round_transition(round=round_, by=coordinator, status="reviewing", confirm=True)
    scores = dict.fromkeys(round_.criteria.values_list("pk", flat=True), 3)
    services.review_save(
        assignment=theirs,
        by=theirs.reviewer,
        scores=scores,
        comment="Their view",
        recommendation="yes",
        submit=True,
    )
    login(client, mine.reviewer)
    assert "Their view" not in client.get(reverse("accelerator:review", args=[mine.pk])).content.decode()
    services.review_save(assignment=mine, by=mine.reviewer, scores=scores, recommendation="no", submit=True)
    assert "Their view" in client.get(reverse("accelerator:review", args=[mine.pk])).content.decode()


def test_applicant_sees_feedback_only_after_decision(
    client, coordinator, social_worker, other_social_worker, round_
):
    application = submit(round_, worker=social_worker)
    login(client, social_worker)
    page = client.get(reverse("accelerator:application", args=[application.pk])).content.decode()
    assert "Feedback appears here" in page
    login(client, other_social_worker)
    assert client.get(reverse("accelerator:application", args=[application.pk])).status_code == 404


def test_startup_pages_and_figure_form(client, social_worker, other_social_worker, coordinator, round_):
    application = submit(round_, worker=social_worker)
    startup = StartUp.objects.create(application=application, name="Café Tillsammans")
    login(client, social_worker)
    response = client.post(
        reverse("accelerator:startup", args=[startup.pk]),
        {
            "form": "figure",
            "f-month": "2025-01",
            "f-earned_income": "120",
            "f-grants": "0",
            "f-costs": "100",
            "f-customers": "5",
            "f-paid_jobs": "1",
            "f-volunteers": "2",
            "f-beneficiaries": "10",
        },
    )
    assert response.status_code == 302
    assert MonthlyFigure.objects.get().month == dt.date(2025, 1, 1)
    login(client, coordinator)
    page = client.get(reverse("accelerator:startups")).content.decode()
    assert "Café Tillsammans" in page
    assert "<svg" in page
    login(client, other_social_worker)
    assert client.get(reverse("accelerator:startup", args=[startup.pk])).status_code == 404


def _figure_post(month, costs, **extra):
    data = {"form": "figure", "f-month": month, "f-earned_income": "1044.93", "f-grants": "0"}
    data |= {"f-costs": costs, "f-customers": "5", "f-paid_jobs": "1", "f-volunteers": "2"}
    data["f-beneficiaries"] = "3"
    return data | {f"f-{key}": value for key, value in extra.items()}


def test_figure_form_asks_before_replacing_a_month_and_shows_money(client, social_worker, round_):
    startup = StartUp.objects.create(application=submit(round_, worker=social_worker), name="Café")
    url = reverse("accelerator:startup", args=[startup.pk])
    login(client, social_worker)
    assert client.post(url, _figure_post("2025-01", "2500")).status_code == 302
    page = client.post(url, _figure_post("2025-01", "900")).content.decode()
    assert "already recorded" in page
    assert "Yes, replace the figures recorded for this month" in page
    assert MonthlyFigure.objects.get().costs == 2500
    assert client.post(url, _figure_post("2025-01", "900", replace="on")).status_code == 302
    assert MonthlyFigure.objects.get().costs == 900
    page = client.get(url).content.decode()
    assert "€1,044.93" in page
    assert "€900.00" in page
    assert "Yes, replace" not in page  # the confirmation shows only when it is needed


def test_figure_form_reports_a_future_month_with_the_other_errors(client, social_worker, round_):
    startup = StartUp.objects.create(application=submit(round_, worker=social_worker), name="Café")
    login(client, social_worker)
    page = client.post(reverse("accelerator:startup", args=[startup.pk]), _figure_post("2999-01", "-5"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "has not begun yet" in text
    assert "greater than or equal to 0" in text
    assert not MonthlyFigure.objects.exists()


def test_startups_page_tells_a_reviewer_who_follows_start_ups(client, reviewer, round_):
    StartUp.objects.create(application=submit(round_), name="Café")
    login(client, reviewer)
    page = client.get(reverse("accelerator:startups")).content.decode()
    assert "followed by the programme's coordinators" in page
    assert "No start-ups yet" not in page
    assert reverse("accelerator:startups") not in client.get(reverse("accelerator:index")).content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_startups_page_queries(client, coordinator, round_, django_assert_num_queries, item_count):
    for _ in range(item_count):
        startup = StartUp.objects.create(application=submit(round_), name="S")
        services.figure_record(
            startup=startup, by=coordinator, month=dt.date(2025, 1, 1), earned_income=1, costs=2
        )
    login(client, coordinator)
    with django_assert_num_queries(5):  # user (session cached), start-ups, figures, milestones, memberships
        assert client.get(reverse("accelerator:startups")).status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_inbox_queries(client, coordinator, round_, django_assert_num_queries, item_count):
    reviewer = reviewer_from("DK")
    for _ in range(item_count):
        services.assignment_create(application=submit(round_), reviewer=reviewer, by=coordinator)
    login(client, reviewer)
    with django_assert_num_queries(3):  # user (session cached), assignments, memberships (menu)
        assert client.get(reverse("accelerator:inbox")).status_code == 200


def test_project_page_shows_eligibility_and_apply_link(client, social_worker, organisation, round_):
    from tests.factories import MicroProjectFactory

    draft = MicroProjectFactory(organisation=organisation, status="draft")
    ready = ready_project(social_worker)
    login(client, social_worker)
    page = client.get(reverse("microprojects:detail", args=[draft.pk])).content.decode()
    assert "not eligible yet" in page
    assert "There is no Theory of Change yet." in page
    page = client.get(reverse("microprojects:detail", args=[ready.pk])).content.decode()
    assert reverse("accelerator:apply", args=[round_.pk, ready.pk]) in page


def test_dashboard_shows_open_reviews(client, coordinator, round_):
    reviewer = reviewer_from("DK")
    services.assignment_create(application=submit(round_), reviewer=reviewer, by=coordinator)
    login(client, reviewer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 review to do." in page


def test_coordinator_sets_a_reviewers_country_on_the_board(client, coordinator, social_worker, round_):
    from accelerator.models import ReviewerProfile
    from tests.factories import UserFactory

    reviewer = UserFactory(is_reviewer=True)
    url = reverse("accelerator:reviewer-country", args=[round_.pk, reviewer.pk])
    login(client, social_worker)
    assert client.post(url, {f"r{reviewer.pk}-country": "FI"}).status_code == 403
    assert not ReviewerProfile.objects.exists()
    login(client, coordinator)
    assert str(reviewer) in client.get(reverse("accelerator:assignments", args=[round_.pk])).content.decode()
    client.post(url, {f"r{reviewer.pk}-country": "FI"})
    assert ReviewerProfile.objects.get(user=reviewer).country == "FI"
