"""Web pages of the toolkit; mounted at the site root, so paths carry their own prefixes."""

from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("projects/<int:project_id>/tools/", views.project_tools, name="project-tools"),
    path("projects/<int:project_id>/tools/panel/", views.project_tools_panel, name="project-tools-panel"),
    path("tools/recent/", views.recent_tools_panel, name="recent-tools-panel"),
    path("tools/templates/", views.templates_view, name="templates"),
    path("tools/templates/<slug:slug>/blank.pdf", views.blank_pdf_view, name="blank-pdf"),
    path("tools/<int:pk>/", views.tool_detail_view, name="tool"),
    path("tools/<int:pk>/update/", views.tool_update_view, name="tool-update"),
    path("tools/<int:pk>/delete/", views.tool_delete_view, name="tool-delete"),
    path("tools/<int:pk>/entries/add/", views.entry_add_view, name="entry-add"),
    path("tools/<int:pk>/entries/<int:entry_id>/edit/", views.entry_edit_view, name="entry-edit"),
    path("tools/<int:pk>/entries/<int:entry_id>/move/", views.entry_move_view, name="entry-move"),
    path("tools/<int:pk>/entries/<int:entry_id>/delete/", views.entry_delete_view, name="entry-delete"),
    path("tools/<int:pk>/toc/<slug:kind>/add/", views.toc_add_view, name="toc-add"),
    path("tools/<int:pk>/toc/<slug:kind>/<int:element_id>/edit/", views.toc_edit_view, name="toc-edit"),
    path("tools/<int:pk>/toc/<slug:kind>/<int:element_id>/delete/", views.toc_delete_view, name="toc-delete"),
    path("tools/<int:pk>/diagram.svg", views.diagram_svg, name="diagram"),
    path("tools/<int:pk>/snapshots/", views.snapshots_view, name="snapshots"),
    path("tools/<int:pk>/diff/", views.diff_view, name="diff"),
    path("tools/<int:pk>/export.pdf", views.export_pdf, name="export-pdf"),
]
