from django.urls import include, path

from . import offline, views
from .imports import urls as import_urls

app_name = "microprojects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("log/", views.activity_quick_log, name="activity_quick_log"),
    # The field app (docs/offline.md): what a device keeps to work without a signal.
    path("field/measurement/", offline.field_measurement, name="field_measurement"),
    path("field/data.json", offline.field_data, name="field_data"),
    path("queue/", offline.queue, name="queue"),
    path("offline/", offline.offline, name="offline"),
    # Bringing data in from a spreadsheet or KoboToolbox (microprojects.imports).
    path("import/", include(import_urls.urlpatterns)),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/transition/", views.project_transition, name="transition"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("<int:pk>/activities.csv", views.project_activities_csv, name="activities_csv"),
    path("<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("measurements/<int:pk>/edit/", views.measurement_edit, name="measurement_edit"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
]
