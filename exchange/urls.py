from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("methods/", views.method_list, name="methods"),
    path("methods/<slug:slug>/", views.method_detail, name="method"),
]
