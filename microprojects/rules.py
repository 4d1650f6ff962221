"""Who may see and change a micro project and what belongs to it.

Social workers and organisation admins work on their own organisation's projects; coordinators see
every project; reviewers see none (the accelerator grants what they need).
"""

import rules

from sempre.rules import is_coordinator, is_member_of, is_org_staff


@rules.predicate
def is_project_member(user, project):
    if project is None or not user.is_authenticated:
        return False
    return project.organisation_id in user.organisation_ids


@rules.predicate
def is_project_org_admin(user, project):
    if project is None or not user.is_authenticated:
        return False
    return project.organisation_id in user.admin_organisation_ids


@rules.predicate
def is_draft(user, project):
    return project is not None and project.status == project.Status.DRAFT


can_view_project = is_coordinator | is_project_member
can_change_project = is_project_member
can_delete_project = is_project_org_admin | (is_project_member & is_draft)

rules.add_perm("microprojects.view_microproject", can_view_project)
rules.add_perm("microprojects.change_microproject", can_change_project)
rules.add_perm("microprojects.delete_microproject", can_delete_project)
# Making a completed or discontinued project active again (MicroProject.REOPEN_FROM).
rules.add_perm("microprojects.reopen_microproject", is_project_org_admin)
# Logging activities, indicators and measurements is part of working on the project.
rules.add_perm("microprojects.log_activity", can_change_project)
rules.add_perm("microprojects.manage_indicators", can_change_project)
rules.add_perm("microprojects.create_in_organisation", is_member_of)
# Without an object: the project list is for organisation staff and coordinators (reviewers see no
# project data); registering a project, or logging an activity before choosing its project (the
# quick log), is for people who work for an organisation.
rules.add_perm("microprojects.view_project_list", is_org_staff | is_coordinator)
rules.add_perm("microprojects.add_microproject", is_org_staff)
rules.add_perm("microprojects.quick_log_activity", is_org_staff)
