"""The team's pages, mounted at /stories/."""

from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:project_id>/", views.project_stories, name="project"),
    path("projects/<int:project_id>/on-behalf/", views.on_behalf, name="on_behalf"),
    path("invites/<int:pk>/", views.invite_detail, name="invite"),
    path("invites/<int:pk>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("<int:pk>/", views.story_detail, name="story"),
    path("<int:pk>/recording/", views.story_audio, name="audio"),
    path("<int:pk>/transcribe/", views.story_transcribe_view, name="transcribe"),
    path("<int:pk>/link/", views.story_link_view, name="link"),
    path("<int:pk>/select/", views.story_select_view, name="select"),
]
