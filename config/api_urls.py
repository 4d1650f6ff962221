"""/api/v1/: each app's api module contributes its routes."""

import accelerator.api
import microprojects.api
import reports.api
import sempre.api
import toolkit.api
import toolkit.cocreation.api

app_name = "api"

urlpatterns = [
    *sempre.api.urlpatterns,
    *microprojects.api.urlpatterns,
    *toolkit.api.urlpatterns,
    *toolkit.cocreation.api.urlpatterns,
    *accelerator.api.urlpatterns,
    *reports.api.urlpatterns,
]
