"""The project page's panel: the way to the project's stories, for the team only. It reads nothing
(the project page's query count stays as it was): the count is on the stories page."""


def project_stories_context(request, *, project) -> dict:
    return {"can_see_stories": request.user.has_perm("stories.manage_stories", project)}
