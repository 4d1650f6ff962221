"""The crosswalk's panel on the project page (sempre.panels.PROJECT), registered from apps.py."""

from .selectors import project_indicators_with_mappings


def project_frameworks_context(request, *, project, **objects) -> dict:
    """The project's indicators with the framework indicators each counts towards (one query)."""
    return {
        "framework_indicators_of_project": project_indicators_with_mappings(project),
        "can_map_indicators": request.user.has_perm("microprojects.manage_indicators", project)
        or request.user.is_coordinator,
    }
