"""The crosswalk's panel on the project page (sempre.panels.PROJECT), registered from apps.py."""

from .selectors import project_mappings


def project_frameworks_context(request, *, project, **objects) -> dict:
    """The project's indicators with the framework indicators each counts towards (2 queries)."""
    mappings = {}
    for mapping in project_mappings(project):
        mappings.setdefault(mapping.indicator_id, []).append(mapping)
    indicators = list(project.indicators.order_by("name", "id"))
    for indicator in indicators:
        indicator.framework_links = mappings.get(indicator.pk, [])
    return {
        "framework_indicators_of_project": indicators,
        "can_map_indicators": request.user.has_perm("microprojects.manage_indicators", project)
        or request.user.is_coordinator,
    }
