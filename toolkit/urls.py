"""Web pages of the toolkit; mounted at the site root, so paths carry their own prefixes."""

from django.urls import path

from .views import canvas, snapshots, theory_of_change, tools

app_name = "toolkit"

urlpatterns = [
    path("projects/<int:project_id>/tools/", tools.project_tools, name="project-tools"),
    path("projects/<int:project_id>/tools/panel/", tools.project_tools_panel, name="project-tools-panel"),
    path("tools/recent/", tools.recent_tools_panel, name="recent-tools-panel"),
    path("tools/templates/", tools.templates_view, name="templates"),
    path("tools/templates/<slug:slug>/blank.pdf", tools.blank_pdf_view, name="blank-pdf"),
    path("tools/<int:pk>/", tools.tool_detail_view, name="tool"),
    path("tools/<int:pk>/update/", tools.tool_update_view, name="tool-update"),
    path("tools/<int:pk>/delete/", tools.tool_delete_view, name="tool-delete"),
    path("tools/<int:pk>/entries/add/", canvas.entry_add_view, name="entry-add"),
    path("tools/<int:pk>/entries/<int:entry_id>/edit/", canvas.entry_edit_view, name="entry-edit"),
    path("tools/<int:pk>/entries/<int:entry_id>/move/", canvas.entry_move_view, name="entry-move"),
    path("tools/<int:pk>/entries/<int:entry_id>/delete/", canvas.entry_delete_view, name="entry-delete"),
    path("tools/<int:pk>/toc/<slug:kind>/add/", theory_of_change.toc_add_view, name="toc-add"),
    path(
        "tools/<int:pk>/toc/<slug:kind>/<int:element_id>/edit/",
        theory_of_change.toc_edit_view,
        name="toc-edit",
    ),
    path(
        "tools/<int:pk>/toc/<slug:kind>/<int:element_id>/delete/",
        theory_of_change.toc_delete_view,
        name="toc-delete",
    ),
    path("tools/<int:pk>/diagram.svg", theory_of_change.diagram_svg, name="diagram"),
    path("tools/<int:pk>/snapshots/", snapshots.snapshots_view, name="snapshots"),
    path("tools/<int:pk>/diff/", snapshots.diff_view, name="diff"),
    path("tools/<int:pk>/export.pdf", tools.export_pdf, name="export-pdf"),
]
