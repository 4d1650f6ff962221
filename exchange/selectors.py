"""Reads of the exchange: the methods library (and, beside it, the practice cases).

Methods are the programme's shared knowledge: everybody signed in reads them. What a method page
says about its use (the projects that used it) starts from `projects_visible_to(user)`, so it
counts and links only what the reader may see.
"""

from django.db.models import Prefetch, Q, QuerySet

from microprojects.models import MicroProject, TargetGroup
from microprojects.selectors import projects_visible_to

from .models import Method

# How many projects a method page lists by name (the count says how many there are).
METHOD_PROJECTS_SHOWN = 20


def methods_available() -> QuerySet[Method]:
    """Every method, in the library's order, with what its card shows."""
    return Method.objects.select_related("tool_template").prefetch_related(
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("order", "name"))
    )


def methods_suiting(need: str) -> Q:
    """The condition that a method has advice for an accessibility need (a METHOD_TEXT_FIELDS name)."""
    return ~Q(**{need: ""})


def method_projects(method: Method, user) -> QuerySet[MicroProject]:
    """The projects `user` may see that used `method`: those with a tool of its tool template.
    A method with no tool template is not traced through tools (empty)."""
    if method.tool_template_id is None:
        return MicroProject.objects.none()
    return (
        projects_visible_to(user)
        .filter(tools__template_id=method.tool_template_id)
        .distinct()
        .order_by("title", "pk")
    )


def method_use(method: Method, user) -> dict:
    """What the method page says about its use: {"project_count", "projects"} (the first
    METHOD_PROJECTS_SHOWN by title). Two queries."""
    projects = method_projects(method, user)
    return {
        "project_count": projects.count(),
        "projects": list(projects.only("pk", "title")[:METHOD_PROJECTS_SHOWN]),
    }
