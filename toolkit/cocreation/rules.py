"""Who may invite clients and moderate what they send.

Client contributions are unreviewed words of vulnerable people: only the staff of the organisation
running the project (social workers and organisation admins) see and moderate them. Coordinators,
reviewers and other organisations do not (they get 404, as for anything they may not see).
"""

import rules

from toolkit.rules import is_tool_project_member


@rules.predicate
def is_invite_member(user, invite):
    return invite is not None and is_tool_project_member(user, invite.tool)


@rules.predicate
def is_contribution_member(user, contribution):
    return contribution is not None and is_tool_project_member(user, contribution.tool)


rules.add_perm("cocreation.manage_invites", is_tool_project_member)
rules.add_perm("cocreation.revoke_invite", is_invite_member)
rules.add_perm("cocreation.replace_invite_link", is_invite_member)
rules.add_perm("cocreation.moderate_contribution", is_contribution_member)
rules.add_perm("cocreation.add_on_behalf", is_tool_project_member)
