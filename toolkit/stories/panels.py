"""The project page's panel: how many stories the project has, and the way to them (team only)."""

from .selectors import stories_visible_to


def project_stories_context(request, *, project) -> dict:
    stories = stories_visible_to(request.user).filter(project=project, withdrawn_at__isnull=True)
    return {
        "story_total": stories.count() if request.user.has_perm("stories.manage_stories", project) else None
    }
