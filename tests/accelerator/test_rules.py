"""The accelerator's permissions (accelerator/rules.py), role by role. Applications, assignments and
reviews are made directly: what is tested here is who may see and do what, not how they came about."""

import pytest
from django.utils import timezone

from accelerator.models import Application, Review, ReviewAssignment, Round
from tests.factories import MicroProjectFactory

from .factories import RoundFactory, reviewer_from

pytestmark = pytest.mark.django_db


def application_of(organisation, round):
    project = MicroProjectFactory(organisation=organisation)
    return Application.objects.create(round=round, project=project, submitted_at=timezone.now())


def assign(application, reviewer):
    return ReviewAssignment.objects.create(application=application, reviewer=reviewer)


def review(assignment, *, submitted: bool):
    return Review.objects.create(
        assignment=assignment, recommendation="yes", submitted_at=timezone.now() if submitted else None
    )


# Blind review -----------------------------------------------------------------------------------


def test_a_reviewer_of_a_blind_round_does_not_see_who_applied(organisation):
    application = application_of(organisation, RoundFactory(blind_review=True))
    reviewer = reviewer_from("DK")
    assign(application, reviewer)
    assert not reviewer.has_perm("accelerator.view_applicant_identity", application)


def test_a_reviewer_of_an_open_round_sees_who_applied(organisation):
    application = application_of(organisation, RoundFactory(blind_review=False))
    reviewer = reviewer_from("DK")
    assign(application, reviewer)
    assert reviewer.has_perm("accelerator.view_applicant_identity", application)


def test_coordinators_and_the_applicants_see_who_applied_in_a_blind_round(
    coordinator, social_worker, organisation
):
    application = application_of(organisation, RoundFactory(blind_review=True))
    assert coordinator.has_perm("accelerator.view_applicant_identity", application)
    assert social_worker.has_perm("accelerator.view_applicant_identity", application)


def test_another_organisation_does_not_see_who_applied_in_a_blind_round(other_social_worker, organisation):
    application = application_of(organisation, RoundFactory(blind_review=True))
    assert not other_social_worker.has_perm("accelerator.view_applicant_identity", application)


# Other reviewers' scores ------------------------------------------------------------------------


@pytest.fixture
def two_reviews(organisation):
    application = application_of(organisation, RoundFactory(status=Round.Status.REVIEWING))
    mine = assign(application, reviewer_from("DK"))
    theirs = assign(application, reviewer_from("LV"))
    review(theirs, submitted=True)
    return mine, theirs


def test_a_reviewer_does_not_see_other_reviews_before_submitting_their_own(two_reviews):
    mine, _theirs = two_reviews
    assert not mine.reviewer.has_perm("accelerator.view_other_reviews", mine)
    review(mine, submitted=False)  # a draft is not enough
    assert not mine.reviewer.has_perm("accelerator.view_other_reviews", mine)


def test_a_reviewer_sees_other_reviews_once_their_own_is_submitted(two_reviews):
    mine, _theirs = two_reviews
    review(mine, submitted=True)
    assert mine.reviewer.has_perm("accelerator.view_other_reviews", mine)


def test_a_submitted_review_opens_the_other_reviews_to_its_reviewer_only(two_reviews):
    mine, _theirs = two_reviews
    review(mine, submitted=True)
    assert not reviewer_from("FI").has_perm("accelerator.view_other_reviews", mine)


# Decisions and feedback -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "applicant_sees"),
    [(Round.Status.DECIDING, False), (Round.Status.DECIDED, True)],
)
def test_applicants_see_the_decision_once_the_round_is_decided(
    social_worker, organisation, status, applicant_sees
):
    application = application_of(organisation, RoundFactory(status=status))
    assert social_worker.has_perm("accelerator.view_decision", application) is applicant_sees
    assert social_worker.has_perm("accelerator.view_feedback", application) is applicant_sees


def test_coordinators_see_the_decision_as_it_is_taken(coordinator, organisation):
    application = application_of(organisation, RoundFactory(status=Round.Status.DECIDING))
    assert coordinator.has_perm("accelerator.view_decision", application)


def test_reviewers_and_other_organisations_never_see_the_decision(other_social_worker, organisation):
    application = application_of(organisation, RoundFactory(status=Round.Status.DECIDED))
    reviewer = reviewer_from("DK")
    assign(application, reviewer)
    for user in (reviewer, other_social_worker):
        assert not user.has_perm("accelerator.view_decision", application)
        assert not user.has_perm("accelerator.view_feedback", application)


# Rounds -----------------------------------------------------------------------------------------


def test_only_coordinators_change_criteria_and_only_in_a_draft(coordinator, social_worker):
    draft, open_round = RoundFactory(status=Round.Status.DRAFT), RoundFactory(status=Round.Status.OPEN)
    assert coordinator.has_perm("accelerator.change_criteria", draft)
    assert not coordinator.has_perm("accelerator.change_criteria", open_round)
    assert not social_worker.has_perm("accelerator.change_criteria", draft)


def test_social_workers_apply_to_an_open_round_only(social_worker, reviewer):
    draft, open_round = RoundFactory(status=Round.Status.DRAFT), RoundFactory(status=Round.Status.OPEN)
    assert social_worker.has_perm("accelerator.apply_to_round", open_round)
    assert not social_worker.has_perm("accelerator.apply_to_round", draft)
    assert not reviewer.has_perm("accelerator.apply_to_round", open_round)  # no organisation
