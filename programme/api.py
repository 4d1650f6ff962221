"""/api/v1/frameworks/ and /api/v1/progress-reports/."""

urlpatterns = []
