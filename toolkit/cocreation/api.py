"""API: serializers and viewsets (thin; they call services)."""

urlpatterns: list = []
