"""/api/v1/ routes of the stories of change: the team reads its project's stories (read-only; the
client pages are HTML forms, the team's changes are made on its pages).

GET /projects/{id}/stories/, GET /stories/{id}/. Only the staff of the project's organisation see
them (404 for everybody else); a withdrawn story is used nowhere, here neither (404). A recording is
never in an answer: `has_recording` says one waits for its transcription.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework import generics, serializers

from .models import Story
from .selectors import projects_with_stories_for, stories_visible_to


class StorySerializer(serializers.ModelSerializer):
    has_recording = serializers.BooleanField(source="has_audio", read_only=True)
    is_selected = serializers.BooleanField(read_only=True)

    class Meta:
        model = Story
        fields = [
            "id",
            "project",
            "language",
            "nickname",
            "what_changed",
            "why_important",
            "what_helped",
            "has_recording",
            "audio_seconds",
            "transcribed_at",
            "consent_team",
            "consent_reports",
            "consent_cases",
            "outcome",
            "indicator",
            "is_on_behalf",
            "is_selected",
            "selected_at",
            "selection_reason",
            "created_at",
        ]
        read_only_fields = fields


def _stories(user):
    return stories_visible_to(user).filter(withdrawn_at__isnull=True).order_by("-created_at", "-id")


class ProjectStoryList(generics.ListAPIView):
    serializer_class = StorySerializer

    def get_queryset(self):
        if "project_id" not in self.kwargs:  # the schema generator asks for the model, without a project
            return Story.objects.none()
        projects = projects_with_stories_for(self.request.user)
        project = get_object_or_404(projects, pk=self.kwargs["project_id"])
        return _stories(self.request.user).filter(project=project)


class StoryDetail(generics.RetrieveAPIView):
    serializer_class = StorySerializer

    def get_queryset(self):
        return _stories(self.request.user)


urlpatterns = [
    path("projects/<int:project_id>/stories/", ProjectStoryList.as_view(), name="project-story-list"),
    path("stories/<int:pk>/", StoryDetail.as_view(), name="story-detail"),
]
