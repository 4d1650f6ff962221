"""Who may see and change a tool: the same people as for its micro project.

Members of the project's organisation read and write; coordinators read; reviewers see nothing here
(the accelerator shows them the snapshots attached to applications).
"""

import rules

from microprojects.rules import can_change_project, is_project_member
from sempre.rules import is_coordinator


@rules.predicate
def is_tool_project_member(user, instance):
    """A member of the organisation running the tool's micro project (the co-creation rules build on
    this too)."""
    return instance is not None and is_project_member(user, instance.project)


can_view_tool = is_coordinator | is_tool_project_member
can_change_tool = is_tool_project_member

rules.add_perm("toolkit.view_toolinstance", can_view_tool)
rules.add_perm("toolkit.change_toolinstance", can_change_tool)
rules.add_perm("toolkit.delete_toolinstance", can_change_tool)
# The object is the micro project the tool would belong to.
rules.add_perm("toolkit.add_toolinstance", can_change_project)
