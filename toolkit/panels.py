"""The toolkit's panels on the core's pages (sempre.panels), registered from ToolkitConfig.ready()."""

from .selectors import tools_of_project


def project_tools_context(request, *, project, **objects) -> dict:
    """The project page's list of tools, rendered with the page: loading it afterwards with htmx cost a
    round trip and moved the rest of the page down when it arrived (issue #15: layout shift 0.40)."""
    return {
        "project_tools": tools_of_project(request.user, project),
        "can_create_tool": request.user.has_perm("toolkit.add_toolinstance", project),
    }
