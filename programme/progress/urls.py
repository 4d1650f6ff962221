"""Web pages of progress reports, under /programme/progress/ (names in the `programme` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_index, name="progress_reports"),
    path("periods/new/", views.period_create, name="progress_period_create"),
    path("<int:pk>/", views.report_detail, name="progress_report"),
    path("<int:pk>/edit/", views.report_edit, name="progress_report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="progress_report_submit"),
    path("<int:pk>/decide/", views.report_decide, name="progress_report_decide"),
    path("<int:pk>/evidence/", views.evidence_upload, name="progress_evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="progress_evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="progress_evidence_delete"),
]
