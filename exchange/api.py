"""/api/v1/methods/ and /api/v1/cases/."""

urlpatterns = []
