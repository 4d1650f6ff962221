"""Who may do what in the accelerator.

Coordinators run rounds and see everything; reviewers see only the applications assigned to them;
social workers apply for their organisation's projects and see their own applications' status and
feedback, never another organisation's scores.
"""

import rules

from sempre.rules import is_coordinator, is_reviewer


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
    return application.assignments.filter(reviewer=user, status="active").exists()


@rules.predicate
def is_assignment_reviewer(user, assignment):
    return assignment is not None and user.is_authenticated and assignment.reviewer_id == user.pk


@rules.predicate
def is_project_member(user, project):
    return project is not None and user.is_authenticated and project.organisation_id in user.organisation_ids


@rules.predicate
def is_startup_member(user, startup):
    if startup is None or not user.is_authenticated:
        return False
    return startup.application.project.organisation_id in user.organisation_ids


rules.add_perm("accelerator.manage_round", is_coordinator)
rules.add_perm("accelerator.apply_for_project", is_project_member)
rules.add_perm("accelerator.view_application", is_coordinator | is_applicant | is_assigned_reviewer)
rules.add_perm("accelerator.view_scores", is_coordinator)
rules.add_perm("accelerator.review", is_reviewer & is_assignment_reviewer)
rules.add_perm("accelerator.view_startup", is_coordinator | is_startup_member)
rules.add_perm("accelerator.report_startup", is_coordinator | is_startup_member)
rules.add_perm("accelerator.manage_startup", is_coordinator)
