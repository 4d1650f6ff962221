"""/api/v1/: each app's api module contributes its routes."""

from django.urls import re_path

import accelerator.api
import exchange.api
import microprojects.api
import microprojects.imports.api
import programme.api
import reports.api
import sempre.api
import sempre.api_support
import toolkit.api
import toolkit.cocreation.api
import toolkit.stories.api

app_name = "api"

urlpatterns = [
    *sempre.api.urlpatterns,
    *microprojects.api.urlpatterns,
    *microprojects.imports.api.urlpatterns,
    *toolkit.api.urlpatterns,
    *toolkit.cocreation.api.urlpatterns,
    *toolkit.stories.api.urlpatterns,
    *programme.api.urlpatterns,
    *accelerator.api.urlpatterns,
    *exchange.api.urlpatterns,
    *reports.api.urlpatterns,
    # Last: what no route above matches answers the API's JSON 404.
    re_path(r"^", sempre.api_support.not_found),
]
