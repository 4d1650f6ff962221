"""Who may see and do what with practice cases (docs/exchange.md, "Practice cases").

- The team (staff of the project's organisation) writes its cases, submits them and may unpublish
  them at any time.
- Coordinators read every case, publish a submitted one or return it with a reason.
- A published case is read by every staff member of every organisation. Reviewers without a
  membership and anonymous visitors see no case at all.
- "Adapt this" and "Ask the team" are for staff of another organisation (the team has the original).

Every check of the pages, the API and the services is one of the permissions below; which cases a
person may see at all is `selectors.cases_visible_to` (the same rule as a query).
"""

import rules

from microprojects.rules import can_change_project
from sempre.rules import is_coordinator, is_org_staff

from .models import Case


@rules.predicate
def is_case_team(user, case):
    """A member of the organisation whose project the case tells about."""
    if case is None or not user.is_authenticated:
        return False
    return case.project.organisation_id in user.organisation_ids


@rules.predicate
def is_published(user, case):
    return case is not None and case.status == Case.Status.PUBLISHED


@rules.predicate
def is_editable(user, case):
    return case is not None and case.is_editable


@rules.predicate
def is_submitted(user, case):
    return case is not None and case.status == Case.Status.SUBMITTED


can_view_case = is_case_team | is_coordinator | (is_org_staff & is_published)

rules.add_perm("exchange.view_case", can_view_case)
# The object is the project the case would tell about.
rules.add_perm("exchange.add_case", can_change_project)
rules.add_perm("exchange.change_case", is_case_team & is_editable)
rules.add_perm("exchange.submit_case", is_case_team & is_editable)
rules.add_perm("exchange.review_case", is_coordinator & is_submitted)
rules.add_perm("exchange.unpublish_case", (is_case_team | is_coordinator) & is_published)
rules.add_perm("exchange.adapt_case", is_org_staff & is_published)
rules.add_perm("exchange.contact_case", is_org_staff & ~is_case_team & is_published)
