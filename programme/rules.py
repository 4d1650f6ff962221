"""Who may map indicators to frameworks and read the programme's framework totals.

The catalogue is public knowledge: anybody logged in reads it. A project indicator's mappings are
seen by whoever sees its project and changed by its project's staff and by coordinators. The totals
are read by organisation staff (their own projects counted) and coordinators (every project); the
coordinator's totals page, with exact small figures, only by coordinators.
"""

import rules

from microprojects.rules import is_project_member
from sempre.rules import is_coordinator, is_org_staff


@rules.predicate
def is_indicator_staff(user, indicator):
    return indicator is not None and is_project_member(user, indicator.project)


rules.add_perm("programme.view_frameworks", rules.is_authenticated)
rules.add_perm("programme.map_indicator", is_coordinator | is_indicator_staff)
rules.add_perm("programme.view_framework_totals", is_coordinator | is_org_staff)
rules.add_perm("programme.view_exact_framework_totals", is_coordinator)
