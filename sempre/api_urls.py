"""/api/v1/: each app's api module contributes its routes."""

import accelerator.api
import microprojects.api
import sempre.api
import toolkit.api

app_name = "api"

urlpatterns = [
    *sempre.api.urlpatterns,
    *microprojects.api.urlpatterns,
    *toolkit.api.urlpatterns,
    *accelerator.api.urlpatterns,
]
