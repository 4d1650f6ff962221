"""Pages composed of panels that the apps contribute: the dashboard and the project page.

The core owns the pages and knows no domain app. Each app registers its panels from its
`AppConfig.ready()`::

    from sempre import panels

    panels.DASHBOARD.register(
        panels.Panel(name="my_projects", template="microprojects/_dashboard_my_projects.html",
                     order=110, shown_to=is_org_staff, context=my_projects_context)
    )

A page renders the panels shown to the person in `order`, each with the page's context plus what its
`context` function returns (called with the request and the page's objects, e.g. `project=`). A
panel reads only what it shows, with a fixed number of queries. docs/architecture.md lists the
orders the apps use.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int = 500
    # Who sees the panel (a `rules` predicate on the user); None: whoever may open the page.
    shown_to: rules.Predicate | None = None
    # Extra template context: context(request, **objects) -> dict.
    context: Callable[..., dict] | None = None


class Page:
    """The panels of one page, by name: registering a name again replaces its panel."""

    def __init__(self, name: str):
        self.name = name
        self._panels: dict[str, Panel] = {}

    def register(self, panel: Panel) -> Panel:
        self._panels[panel.name] = panel
        return panel

    def unregister(self, name: str) -> None:
        self._panels.pop(name, None)

    def __iter__(self):
        return iter(sorted(self._panels.values(), key=lambda panel: (panel.order, panel.name)))

    def panels_for(self, request: HttpRequest, **objects) -> list[tuple[Panel, dict]]:
        """The panels shown to the request's user, in order, each with its own context."""
        shown = []
        for panel in self:
            if panel.shown_to is not None and not panel.shown_to.test(request.user):
                continue
            extra = panel.context(request, **objects) if panel.context else {}
            shown.append((panel, extra))
        return shown


DASHBOARD = Page("dashboard")
PROJECT = Page("project")
