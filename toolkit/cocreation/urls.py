"""Staff pages, mounted at /co-creation/."""

from django.urls import path

from . import views

app_name = "cocreation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tools/<int:tool_id>/invites/", views.invites, name="invites"),
    path("tools/<int:tool_id>/on-behalf/", views.on_behalf, name="on_behalf"),
    path("invites/<int:pk>/", views.invite_detail, name="invite"),
    path("invites/<int:pk>/revoke/", views.invite_revoke_view, name="invite_revoke"),
    path("invites/<int:pk>/replace-link/", views.invite_replace_link_view, name="invite_replace_link"),
    path("invites/<int:pk>/sheet/", views.invite_sheet, name="invite_sheet"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/accept/", views.contribution_accept_view, name="contribution_accept"),
    path("contributions/<int:pk>/reject/", views.contribution_reject_view, name="contribution_reject"),
    path(
        "contributions/<int:pk>/reconsider/",
        views.contribution_reconsider_view,
        name="contribution_reconsider",
    ),
]
