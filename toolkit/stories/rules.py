"""Who may invite clients' stories and read them.

Stories are the words (and voices) of vulnerable people: only the staff of the organisation running
the project (social workers, organisation admins) see them, as for co-creation contributions.
Coordinators, reviewers and other organisations get 404; coordinators read the stories a client let
into programme reports, inside those reports.
"""

import rules

from microprojects.rules import is_project_member


@rules.predicate
def is_story_member(user, story):
    return story is not None and is_project_member(user, story.project)


@rules.predicate
def is_story_invite_member(user, invite):
    return invite is not None and is_project_member(user, invite.project)


rules.add_perm("stories.manage_stories", is_project_member)  # the object is the micro project
rules.add_perm("stories.revoke_invite", is_story_invite_member)
rules.add_perm("stories.view_story", is_story_member)
rules.add_perm("stories.change_story", is_story_member)
