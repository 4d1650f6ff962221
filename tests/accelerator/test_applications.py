"""An applicant changes or withdraws an application until the round closes (issue #16), and every
reader sees which language it is written in (issue #17 §2). Services, API and web pages: both
refuse the same input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accelerator import selectors, services
from accelerator.models import Application, Round
from accelerator.ranking import expected_reviews, round_inputs
from sempre.audit_actions import APPLICATION_CHANGED, APPLICATION_WITHDRAWN
from sempre.models import AuditEvent
from toolkit import services as toolkit

from .factories import CriterionFactory, RoundFactory, ready_project, reviewer_from

pytestmark = pytest.mark.django_db

QUESTION = "Who benefits?"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def round_(db):
    round = RoundFactory(blind_review=True, questions=[QUESTION])
    CriterionFactory(round=round, name="Impact")
    return round


@pytest.fixture
def application(round_, social_worker):
    project = ready_project(social_worker, title="Fruit bags")
    return services.application_submit(
        round=round_, project=project, by=social_worker, answers={QUESTION: "Women in Luleå"}, language="sv"
    )


def close(round):
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    round.refresh_from_db()


# Language ---------------------------------------------------------------------------------------


def test_the_language_defaults_to_the_applicants_language_at_submission(round_, social_worker):
    project = ready_project(social_worker)
    with translation.override("lv"):
        application = services.application_submit(
            round=round_, project=project, by=social_worker, answers={QUESTION: "Jaunieši"}
        )
    assert application.language == "lv"


def test_an_unknown_language_is_refused_with_every_other_error(round_, social_worker):
    project = ready_project(social_worker)
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            round=round_, project=project, by=social_worker, answers={}, language="xx"
        )
    assert set(error.value.message_dict) == {"answers", "language"}
    assert not Application.objects.exists()


def test_reviewers_and_the_coordinator_see_the_language(application, coordinator, as_user):
    reviewer = reviewer_from("FI", "reviewer1")
    services.assignment_create(application=application, reviewer=reviewer, by=coordinator)
    with translation.override("en"):
        inbox = logged_in(reviewer).get(reverse("accelerator:inbox")).content.decode()
        page = (
            logged_in(reviewer)
            .get(reverse("accelerator:application", args=[application.pk]))
            .content.decode()
        )
        round_page = logged_in(coordinator).get(reverse("accelerator:round", args=[application.round_id]))
    assert "Swedish" in inbox
    assert "Written in" in page
    assert "Swedish" in page
    assert "Swedish" in round_page.content.decode()
    data = as_user(reviewer).get(f"/api/v1/applications/{application.pk}/").json()
    assert (data["language"], data["language_name"]) == ("sv", "Swedish")


# Changing ---------------------------------------------------------------------------------------


def test_the_applicant_changes_answers_and_language_until_the_round_closes(application, social_worker):
    services.application_update(
        application=application, by=social_worker, answers={QUESTION: "Older women"}, language="en"
    )
    application.refresh_from_db()
    assert (application.answers, application.language) == ({QUESTION: "Older women"}, "en")
    assert application.edited_at is not None
    event = AuditEvent.objects.get(action=APPLICATION_CHANGED)
    assert event.data["changed"] == ["answers", "language"]


def test_refreezing_takes_the_tools_as_they_are_now(application, social_worker):
    sbmc = application.project.tools.get(template__slug="sbmc")
    toolkit.entry_add(instance=sbmc, block_key="revenue", text="Catering orders", by=social_worker)
    old = application.sbmc_snapshot_id
    services.application_update(application=application, by=social_worker)  # nothing to change
    application.refresh_from_db()
    assert application.sbmc_snapshot_id == old
    assert application.edited_at is None
    services.application_update(application=application, by=social_worker, refreeze=True)
    application.refresh_from_db()
    assert application.sbmc_snapshot_id != old
    texts = [e["text"] for e in application.sbmc_snapshot.data["entries"]]
    assert "Catering orders" in texts


def test_refreezing_an_ineligible_project_is_refused_with_the_reasons(application, social_worker):
    sbmc = application.project.tools.get(template__slug="sbmc")
    toolkit.entry_delete(entry=sbmc.entries.get(block_key="revenue"), by=social_worker)
    old = application.sbmc_snapshot_id
    with pytest.raises(ValidationError) as error:
        services.application_update(
            application=application, by=social_worker, answers={QUESTION: ""}, refreeze=True
        )
    assert "answers" in error.value.message_dict  # every error at once, the tools' after the answers'
    with pytest.raises(ValidationError) as error:
        services.application_update(application=application, by=social_worker, refreeze=True)
    assert (
        "Marked complete, but 1 of its 13 blocks is empty now: Revenue."
        in error.value.message_dict["project"]
    )
    application.refresh_from_db()
    assert application.sbmc_snapshot_id == old


def test_after_the_closing_date_changing_and_withdrawing_are_refused(application, social_worker):
    close(application.round)
    with pytest.raises(ValidationError) as error:
        services.application_update(application=application, by=social_worker, answers={QUESTION: "Late"})
    assert "can no longer be changed or withdrawn" in error.value.message_dict["round"][0]
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=social_worker)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.answers == {QUESTION: "Women in Luleå"}


def test_a_round_moved_to_reviewing_early_is_closed_for_changes(application, social_worker):
    Round.objects.filter(pk=application.round_id).update(status=Round.Status.REVIEWING)
    with pytest.raises(ValidationError, match="closed for applications"):
        services.application_withdraw(application=application, by=social_worker)


def test_only_the_applying_organisation_may_change_or_withdraw(application, other_social_worker, coordinator):
    for user in (other_social_worker, coordinator):
        with pytest.raises(PermissionDenied):
            services.application_withdraw(application=application, by=user)
        with pytest.raises(PermissionDenied):
            services.application_update(application=application, by=user, answers={QUESTION: "x"})
    application.refresh_from_db()
    assert application.status == "submitted"


# Withdrawing ------------------------------------------------------------------------------------


def test_withdrawing_is_recorded_and_leaves_reviewers_ranking_and_decisions(
    application, social_worker, coordinator
):
    reviewer = reviewer_from("FI", "reviewer1")
    services.assignment_create(application=application, reviewer=reviewer, by=coordinator)
    other = services.application_submit(
        round=application.round,
        project=ready_project(social_worker, title="Recipe book"),
        by=social_worker,
        answers={QUESTION: "Youth"},
    )
    services.application_withdraw(application=application, by=social_worker)
    services.application_withdraw(application=application, by=social_worker)  # a no-op
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.withdrawn_at
    assert AuditEvent.objects.filter(action=APPLICATION_WITHDRAWN, target_id=str(application.pk)).count() == 1
    assert not selectors.assignments_of_reviewer(reviewer).exists()
    assert not selectors.applications_visible_to(reviewer).exists()
    _criteria, ranked, _reviews = round_inputs(application.round)
    assert [a.id for a in ranked] == [other.pk]
    assert set(expected_reviews(application.round)) == {other.pk}
    assert set(selectors.decision_inputs(application.round)["applications"]) == {other.pk}
    assert selectors.application_list(coordinator, application.round).count() == 2  # marked, not hidden
    with pytest.raises(ValidationError):
        services.assignment_create(application=application, reviewer=reviewer_from("PL"), by=coordinator)


def test_a_withdrawn_project_may_apply_again_while_the_round_is_open(application, social_worker):
    services.application_withdraw(application=application, by=social_worker)
    again = services.application_submit(
        round=application.round, project=application.project, by=social_worker, answers={QUESTION: "Again"}
    )
    assert again.pk == application.pk
    assert (again.status, again.answers, again.withdrawn_at) == ("submitted", {QUESTION: "Again"}, None)


# API --------------------------------------------------------------------------------------------


def test_api_patch_changes_the_application(application, social_worker, as_user):
    response = as_user(social_worker).patch(
        f"/api/v1/applications/{application.pk}/",
        {"answers": {QUESTION: "Older women"}, "language": "de"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["language"] == "de"
    assert response.json()["answers"] == {QUESTION: "Older women"}
    assert response.json()["edited_at"]


@pytest.mark.parametrize(
    ("api_body", "form_body", "field"),
    [
        ({"language": "xx"}, {"q0": "Fine", "language": "xx"}, "language"),
        ({"answers": {QUESTION: " "}}, {"q0": " ", "language": "sv"}, "answers"),
    ],
)
def test_api_and_web_refuse_the_same_input(application, social_worker, as_user, api_body, form_body, field):
    response = as_user(social_worker).patch(
        f"/api/v1/applications/{application.pk}/", api_body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    page = logged_in(social_worker).post(
        reverse("accelerator:application-edit", args=[application.pk]), form_body
    )
    assert page.status_code == 400
    application.refresh_from_db()
    assert (application.answers, application.language) == ({QUESTION: "Women in Luleå"}, "sv")


def test_api_withdraw_then_closed_round_refuses(application, social_worker, as_user, coordinator):
    assert as_user(coordinator).post(f"/api/v1/applications/{application.pk}/withdraw/").status_code == 403
    response = as_user(social_worker).post(f"/api/v1/applications/{application.pk}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    close(application.round)
    response = as_user(social_worker).patch(
        f"/api/v1/applications/{application.pk}/", {"language": "en"}, format="json"
    )
    assert response.status_code == 400
    assert "round" in response.json()


def test_api_others_application_is_404(application, other_social_worker, as_user):
    client = as_user(other_social_worker)
    assert client.patch(f"/api/v1/applications/{application.pk}/", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/applications/{application.pk}/withdraw/").status_code == 404


def test_api_submit_with_a_language(round_, social_worker, as_user):
    project = ready_project(social_worker)
    response = as_user(social_worker).post(
        f"/api/v1/rounds/{round_.pk}/applications/",
        {"project": project.pk, "answers": {QUESTION: "Youth"}, "language": "pl"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "pl"


# Web --------------------------------------------------------------------------------------------


def test_web_edit_saves_and_refreezes(application, social_worker):
    client = logged_in(social_worker)
    url = reverse("accelerator:application-edit", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Women in Luleå" in page.content.decode()
    sbmc = application.project.tools.get(template__slug="sbmc")
    toolkit.entry_add(instance=sbmc, block_key="revenue", text="Catering orders", by=social_worker)
    old = application.sbmc_snapshot_id
    response = client.post(url, {"q0": "Older women", "language": "fi", "refreeze": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.answers[QUESTION], application.language) == ("Older women", "fi")
    assert application.sbmc_snapshot_id != old


def test_web_withdraw_asks_first_and_works_without_javascript(application, social_worker, coordinator):
    client = logged_in(social_worker)
    url = reverse("accelerator:application-withdraw", args=[application.pk])
    question = client.get(url)
    assert question.status_code == 200
    assert "Yes, withdraw the application" in question.content.decode()
    assert client.post(url).status_code == 200  # no confirm: the question again
    application.refresh_from_db()
    assert application.status == "submitted"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    with translation.override("en"):
        page = logged_in(coordinator).get(reverse("accelerator:round", args=[application.round_id]))
    assert "Withdrawn" in page.content.decode()


def test_web_after_the_closing_date_says_so(application, social_worker):
    close(application.round)
    client = logged_in(social_worker)
    for name in ("accelerator:application-edit", "accelerator:application-withdraw"):
        response = client.post(
            reverse(name, args=[application.pk]), {"confirm": "yes", "q0": "x"}, follow=True
        )
        assert "can no longer be changed or withdrawn" in response.content.decode()
    detail = client.get(reverse("accelerator:application", args=[application.pk])).content.decode()
    assert "Change the application" not in detail
    application.refresh_from_db()
    assert application.status == "submitted"


def test_web_others_and_coordinators_cannot_change(application, other_social_worker, coordinator):
    url = reverse("accelerator:application-withdraw", args=[application.pk])
    assert logged_in(other_social_worker).post(url, {"confirm": "yes"}).status_code == 404
    assert logged_in(coordinator).post(url, {"confirm": "yes"}).status_code == 403
