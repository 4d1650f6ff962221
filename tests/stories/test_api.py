import pytest
from django.urls import reverse
from django.utils import timezone

from toolkit.stories.services import story_tell

from .factories import StoryFactory, recording

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("story_count", [1, 5])
def test_the_project_story_list_runs_a_fixed_number_of_queries(
    story_count, project, social_worker, as_user, django_assert_num_queries
):
    for _index in range(story_count):
        StoryFactory(invite__project=project)
    client = as_user(social_worker)
    url = reverse("api:project-story-list", args=[project.pk])
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == story_count


def test_the_api_never_answers_a_recording_or_a_withdrawn_story(invite_token, social_worker, as_user):
    invite, _token = invite_token
    recorded, _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=7
    )
    withdrawn = StoryFactory(invite=invite, withdrawn_at=timezone.now())
    client = as_user(social_worker)
    answer = client.get(reverse("api:project-story-list", args=[invite.project.pk])).json()
    assert [story["id"] for story in answer["results"]] == [recorded.pk]
    assert answer["results"][0]["has_recording"] is True
    assert "private/stories" not in str(answer)
    assert "receipt" not in str(answer)
    assert client.get(reverse("api:story-detail", args=[withdrawn.pk])).status_code == 404


def test_another_organisation_a_reviewer_and_a_coordinator_get_404(
    project, other_social_worker, reviewer, coordinator, as_user
):
    story = StoryFactory(invite__project=project)
    for user in (other_social_worker, reviewer, coordinator):
        client = as_user(user)
        assert client.get(reverse("api:story-detail", args=[story.pk])).status_code == 404
        assert client.get(reverse("api:project-story-list", args=[project.pk])).status_code == 404
