from django.http import HttpResponse
from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
]
