"""The platform's URLs plus /bench-floor/ (only in bench.settings)."""

from django.urls import path

from config.urls import urlpatterns as platform_urlpatterns

from . import floor

urlpatterns = [
    path("bench-floor/projects/", floor.project_list, name="floor-project-list"),
    path("bench-floor/projects/<int:pk>/", floor.project_detail, name="floor-project-detail"),
    path(
        "bench-floor/projects/<int:pk>/activities/", floor.project_activities, name="floor-project-activities"
    ),
    path("bench-floor/dashboard/", floor.dashboard, name="floor-dashboard"),
    path("bench-floor/rounds/<int:pk>/ranking/", floor.round_ranking, name="floor-round-ranking"),
    *platform_urlpatterns,
]
