"""Client pages, mounted at /c/."""

from django.urls import path

from . import public_views

app_name = "contribute"

urlpatterns = [
    path("receipt/", public_views.receipt, name="receipt"),
    path("receipt/withdraw/", public_views.withdraw, name="withdraw"),
    path("<str:token>/", public_views.start, name="start"),
    path("<str:token>/<int:step>/", public_views.question, name="question"),
    path("<str:token>/thanks/", public_views.thanks, name="thanks"),
]
