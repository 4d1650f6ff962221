"""/api/v1/ routes of the stories of change."""

urlpatterns = []
