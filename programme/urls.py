from django.urls import include, path

from . import views
from .progress import urls as progress_urls

app_name = "programme"

urlpatterns = [
    # Frameworks and the crosswalk (docs/programme-reporting.md).
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<slug:slug>/", views.framework_totals_page, name="framework_totals"),
    path("indicators/<int:pk>/frameworks/", views.indicator_frameworks, name="indicator_frameworks"),
    path("mappings/<int:pk>/remove/", views.mapping_remove, name="mapping_remove"),
    # Reporting periods and progress reports (programme/progress, same namespace).
    path("progress/", include(progress_urls)),
]
