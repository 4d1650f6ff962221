"""The toolkit's API, mounted under /api/v1/ (thin: serializers validate, the services decide).

One module per kind of tool, and what they share:

- `tools`: the templates, a project's tools, and a tool itself (its PDF and validation too);
- `canvas`: a canvas's entries;
- `theory_of_change`: outcomes, links, interventions and assumptions;
- `snapshots`: snapshots of a tool and what changed since;
- `common`: versions (ETag / If-Match / 409), who may write, one element's endpoint;
- `serializers`: every serializer (a tool's answer holds the content of every kind).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .canvas import EntryViewSet
from .snapshots import SnapshotViewSet
from .theory_of_change import AssumptionViewSet, InterventionViewSet, LinkViewSet, OutcomeViewSet
from .tools import PDF_RENDERERS, ProjectToolsView, ToolTemplateViewSet, ToolViewSet

router = SimpleRouter()
router.register("tool-templates", ToolTemplateViewSet, basename="tool-template")
router.register("tools", ToolViewSet, basename="tool")
router.register("entries", EntryViewSet, basename="tool-entry")
router.register("outcomes", OutcomeViewSet, basename="toc-outcome")
router.register("links", LinkViewSet, basename="toc-link")
router.register("interventions", InterventionViewSet, basename="toc-intervention")
router.register("assumptions", AssumptionViewSet, basename="toc-assumption")
router.register("snapshots", SnapshotViewSet, basename="tool-snapshot")

urlpatterns = [
    path("projects/<int:project_id>/tools/", ProjectToolsView.as_view(), name="project-tools"),
    # File-like URLs, without the router's trailing slash.
    path(
        "tools/<int:pk>/export.pdf",
        ToolViewSet.as_view({"get": "export"}, renderer_classes=PDF_RENDERERS),
        name="tool-export-pdf",
    ),
    path(
        "tool-templates/<slug:slug>/blank.pdf",
        ToolTemplateViewSet.as_view({"get": "blank"}, renderer_classes=PDF_RENDERERS),
        name="tool-template-blank-pdf",
    ),
    *router.urls,
]
