"""Who may do what in the accelerator.

Coordinators run rounds and see everything; reviewers see only the applications assigned to them;
social workers apply for their organisation's projects and see their own applications' status and
feedback, never another organisation's scores.

Every permission check of the pages, the API and the services is one of the permissions below
(`user.has_perm(...)`, `sempre.rules.require(...)`, or a viewset's `rules_permissions`).
"""

import rules

from sempre.rules import is_coordinator, is_org_staff, is_reviewer

from .models import Review, ReviewAssignment, Round

# Who someone is to an application, an assignment, a project or a start-up ----------------------


@rules.predicate
def is_applicant(user, application):
    """A member of the organisation whose project applied."""
    if application is None or not user.is_authenticated:
        return False
    return application.project.organisation_id in user.organisation_ids


@rules.predicate
def is_assigned_reviewer(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.assignments.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE).exists()


@rules.predicate
def is_assignment_reviewer(user, assignment):
    return assignment is not None and user.is_authenticated and assignment.reviewer_id == user.pk


@rules.predicate
def has_submitted_own_review(user, assignment):
    """The reviewer of `assignment` has submitted their review of it (a draft does not count)."""
    if assignment is None or not user.is_authenticated or assignment.reviewer_id != user.pk:
        return False
    return Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()


@rules.predicate
def is_project_member(user, project):
    return project is not None and user.is_authenticated and project.organisation_id in user.organisation_ids


@rules.predicate
def is_startup_member(user, startup):
    if startup is None or not user.is_authenticated:
        return False
    return startup.application.project.organisation_id in user.organisation_ids


# Where a round or an application stands ---------------------------------------------------------


@rules.predicate
def is_draft_round(user, round):
    return round is not None and round.status == Round.Status.DRAFT


@rules.predicate
def is_open_round(user, round):
    return round is not None and round.status == Round.Status.OPEN


@rules.predicate
def is_blind_review(user, application):
    """The application's round hides who applied from its reviewers."""
    return application is not None and application.round.blind_review


@rules.predicate
def is_decided(user, application):
    """The application's round is decided (the decision record is frozen)."""
    return application is not None and application.round.status == Round.Status.DECIDED


# Rounds
rules.add_perm("accelerator.manage_round", is_coordinator)
rules.add_perm("accelerator.change_criteria", is_coordinator & is_draft_round)
# Show one's projects' eligibility for a round and offer to apply (the service checks the dates).
rules.add_perm("accelerator.apply_to_round", is_org_staff & is_open_round)
rules.add_perm("accelerator.apply_for_project", is_project_member)

# Applications. Blind review: in a blind round a reviewer sees neither the organisation nor the
# people behind an application; coordinators and the applicants themselves always do.
rules.add_perm("accelerator.view_application", is_coordinator | is_applicant | is_assigned_reviewer)
# Change or withdraw it (until the round closes: accelerator.selectors.application_change_refusal).
rules.add_perm("accelerator.change_application", is_applicant)
rules.add_perm("accelerator.view_applicant_identity", ~is_blind_review | is_coordinator | is_applicant)
# The decision and the mean scores: coordinators as they are taken, applicants once the round is decided.
rules.add_perm("accelerator.view_decision", is_coordinator | (is_applicant & is_decided))
# The reviewers' comments go to the applicants, once the round is decided.
rules.add_perm("accelerator.view_feedback", is_applicant & is_decided)
rules.add_perm("accelerator.view_scores", is_coordinator)

# Reviews. A reviewer sees the other reviews of an application only once their own is submitted,
# so they cannot be swayed by them.
rules.add_perm("accelerator.review", is_reviewer & is_assignment_reviewer)
rules.add_perm("accelerator.view_other_reviews", is_reviewer & has_submitted_own_review)

# Start-ups
rules.add_perm("accelerator.view_startup", is_coordinator | is_startup_member)
rules.add_perm("accelerator.report_startup", is_coordinator | is_startup_member)
rules.add_perm("accelerator.manage_startup", is_coordinator)
