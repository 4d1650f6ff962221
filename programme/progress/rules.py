"""Who may see and do what with progress reports.

The project's team (staff of its organisation) writes, attaches evidence and submits; coordinators
set the periods and approve or return. Everybody else sees nothing (404). Whether the report is in
a state that allows the step (a submitted report cannot be edited) is the services' business: it
answers a plain validation error, not a refusal.
"""

import rules

from microprojects.rules import is_project_member
from sempre.rules import is_coordinator, is_org_staff


@rules.predicate
def is_report_team(user, report):
    return report is not None and is_project_member.test(user, report.project)


can_view_report = is_coordinator | is_report_team

rules.add_perm("programme.view_progressreport", can_view_report)
# Writing the narrative, attaching and removing evidence, submitting: the team only (a coordinator
# reads and decides, and never writes the team's words).
rules.add_perm("programme.change_progressreport", is_report_team)
rules.add_perm("programme.decide_progressreport", is_coordinator)
rules.add_perm("programme.manage_reportingperiods", is_coordinator)
# Without an object: the list of reports is for organisation staff and coordinators.
rules.add_perm("programme.view_progressreport_list", is_org_staff | is_coordinator)
