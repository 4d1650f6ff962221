"""The client's story pages, mounted at /c/story/ (before co-creation's /c/<token>/, so the
client-language cookie, whose path is /c/, counts here too)."""

from django.urls import path

from . import public_views

app_name = "tell"

urlpatterns = [
    path("receipt/", public_views.receipt, name="receipt"),
    path("receipt/change/", public_views.change, name="change"),
    path("<str:token>/", public_views.tell, name="tell"),
    path("<str:token>/thanks/", public_views.thanks, name="thanks"),
]
