import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from tests.factories import IndicatorFactory, MembershipFactory, UserFactory
from toolkit.stories.models import Story
from toolkit.stories.services import story_tell

from .factories import StoryFactory, recording

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The client's pages ------------------------------------------------------------------------------


def test_the_story_page_opens_in_arabic_right_to_left_without_inline_script(invite_token):
    _invite, token = invite_token
    response = Client().get(reverse("tell:tell", args=[token]) + "?lang=ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file (CSP)
    assert "pico.min" not in html
    assert "/static/css/" not in html
    assert 'enctype="multipart/form-data"' in html
    assert "<noscript>" in html  # the kind word for a browser without JavaScript


def test_a_typed_story_is_sent_without_javascript_and_the_receipt_shows_it(invite_token):
    invite, token = invite_token
    client = Client()
    response = client.post(
        reverse("tell:tell", args=[token]),
        {"what_changed": "I have friends here now.", "why_important": "I was alone.", "consent_team": "on"},
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.project == invite.project
    assert (story.consent_reports, story.consent_cases) == (False, False)
    thanks = client.get(response["Location"])
    code = re.search(r'class="receipt-code"[^>]*>([A-Z0-9-]+)<', thanks.content.decode()).group(1)
    receipt = client.post(reverse("tell:receipt"), {"code": code})
    assert "I have friends here now." in receipt.content.decode()


def test_a_story_with_problems_comes_back_naming_each_field(invite_token):
    _invite, token = invite_token
    response = Client().post(reverse("tell:tell", args=[token]), {"nickname": "n" * 31, "what_helped": "Tea"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"what_changed", "nickname", "consent_team"}
    assert "Tea" in response.content.decode()  # nothing the client wrote is lost
    assert not Story.objects.exists()


def test_a_recording_is_sent_as_a_file_and_a_wrong_one_is_refused(invite_token):
    _invite, token = invite_token
    url = reverse("tell:tell", args=[token])
    refused = Client().post(url, {"audio": recording(b"GIF89a"), "audio_seconds": "5", "consent_team": "on"})
    assert refused.status_code == 400
    assert "audio" in refused.context["form"].errors
    sent = Client().post(url, {"audio": recording(), "audio_seconds": "5", "consent_team": "on"})
    assert sent.status_code == 302
    assert Story.objects.get().audio_type == "audio/webm"


def test_closed_and_unknown_links(invite_token):
    invite, token = invite_token
    assert Client().get(reverse("tell:tell", args=["nope" * 6])).status_code == 404
    invite.expires_at = timezone.now()
    invite.save()
    assert Client().get(reverse("tell:tell", args=[token])).status_code == 410


def test_the_client_withdraws_with_the_receipt_code(invite_token):
    invite, _token = invite_token
    story = StoryFactory(invite=invite, consent_reports=True)
    wrong = Client().post(
        reverse("tell:change"), {"code": "ZZZZ-ZZZZ-ZZZZ", "story": story.pk, "action": "withdraw"}
    )
    assert wrong.status_code == 404
    response = Client().post(
        reverse("tell:change"), {"code": "aaaa bbbb cccc", "story": story.pk, "action": "withdraw"}
    )
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.is_withdrawn
    assert not story.consent_reports


# The team's pages --------------------------------------------------------------------------------


def test_a_story_and_its_recording_reach_nobody_outside_the_team(
    invite_token, social_worker, other_social_worker, coordinator, reviewer
):
    invite, _token = invite_token
    story, _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=9
    )
    urls = [reverse("stories:story", args=[story.pk]), reverse("stories:audio", args=[story.pk])]
    for user in (other_social_worker, coordinator, reviewer):
        for url in urls:
            assert logged_in(user).get(url).status_code == 404, (user, url)
    for url in urls:
        assert Client().get(url).status_code == 302  # to the login page
    audio = logged_in(social_worker).get(urls[1])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/webm"
    assert "no-store" in audio["Cache-Control"]
    assert b"".join(audio.streaming_content).startswith(b"\x1a\x45\xdf\xa3")


def test_the_media_root_is_served_by_no_route(invite_token):
    invite, _token = invite_token
    story, _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=9
    )
    assert Client().get("/media/" + story.audio.name).status_code == 404


def test_transcribing_in_the_page_deletes_the_recording(
    invite_token, social_worker, django_capture_on_commit_callbacks
):
    invite, _token = invite_token
    story, _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=9
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(social_worker).post(
            reverse("stories:transcribe", args=[story.pk]), {"what_changed": "وجدت عملاً"}
        )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.what_changed == "وجدت عملاً"
    assert not story.audio
    assert logged_in(social_worker).get(reverse("stories:audio", args=[story.pk])).status_code == 404


@pytest.mark.parametrize("story_count", [1, 4])
def test_the_teams_story_list_runs_a_fixed_number_of_queries(
    story_count, project, social_worker, django_assert_num_queries
):
    for _index in range(story_count):
        StoryFactory(invite__project=project, consent_reports=True)
    StoryFactory(invite__project=project, withdrawn_at=timezone.now())
    client = logged_in(social_worker)
    client.get(reverse("stories:project", args=[project.pk]))  # session and caches warm
    with django_assert_num_queries(5):
        response = client.get(reverse("stories:project", args=[project.pk]))
    assert response.status_code == 200
    assert len(response.context["stories"]) == story_count + 1


def test_on_behalf_page_records_a_story(project, social_worker):
    response = logged_in(social_worker).post(
        reverse("stories:on_behalf", args=[project.pk]),
        {"language": "pl", "what_changed": "Mam pracę.", "client_consents": "on", "consent_reports": "on"},
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.is_on_behalf
    assert story.consent_reports
    assert story.language == "pl"


def test_a_member_of_another_organisation_cannot_invite(project, other_social_worker):
    response = logged_in(other_social_worker).post(
        reverse("stories:project", args=[project.pk]), {"label": "x"}
    )
    assert response.status_code == 404
    assert not project.story_invites.exists()


def test_an_invite_shows_its_link_and_qr_once(project, social_worker):
    client = logged_in(social_worker)
    response = client.post(reverse("stories:project", args=[project.pk]), {"label": "Autumn"})
    page = client.get(response["Location"]).content.decode()
    assert "/c/story/" in page
    assert "<svg" in page
    other = MembershipFactory(user=UserFactory(), organisation=project.organisation).user
    assert "/c/story/" not in logged_in(other).get(response["Location"]).content.decode()


def test_the_story_page_offers_the_recording_and_the_projects_outcomes_and_indicators(
    invite_token, social_worker
):
    invite, _token = invite_token
    story, _code = story_tell(
        invite=invite, language="ar", consent_team=True, audio=recording(), audio_seconds=9
    )
    indicator = IndicatorFactory(project=invite.project, name="Clients with work")
    IndicatorFactory(name="Somebody else's indicator")
    response = logged_in(social_worker).get(reverse("stories:story", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("stories:audio", args=[story.pk]) in html
    assert indicator.name in html
    assert "Somebody else's indicator" not in html


def test_the_project_page_links_to_its_stories_for_the_team_only(project, social_worker, coordinator):
    StoryFactory(invite__project=project)
    url = reverse("microprojects:detail", args=[project.pk])
    assert reverse("stories:project", args=[project.pk]) in logged_in(social_worker).get(url).content.decode()
    assert (
        reverse("stories:project", args=[project.pk]) not in logged_in(coordinator).get(url).content.decode()
    )


@pytest.mark.parametrize("project_count", [1, 3])
def test_the_story_index_runs_a_fixed_number_of_queries(
    project_count, organisation, social_worker, django_assert_num_queries
):
    from tests.factories import MicroProjectFactory

    for _index in range(project_count):
        project = MicroProjectFactory(organisation=organisation)
        StoryFactory(invite__project=project)
        StoryFactory(invite__project=project, withdrawn_at=timezone.now())
    client = logged_in(social_worker)
    client.get(reverse("stories:index"))
    with django_assert_num_queries(3):
        response = client.get(reverse("stories:index"))
    assert [p.story_count for p in response.context["projects"]] == [1] * project_count


def test_a_body_far_above_the_recording_limit_is_refused_before_it_is_read(invite_token, settings):
    settings.STORIES_AUDIO_MAX_BYTES = 1024 * 1024
    _invite, token = invite_token
    big = recording(size=1024 * 1024 + 300 * 1024)
    response = Client().post(reverse("tell:tell", args=[token]), {"audio": big, "audio_seconds": "5"})
    assert response.status_code == 413
    with translation.override(response["Content-Language"]):  # the client's language, as the page's
        message = pgettext(
            "client page", "The recording is too large (at most %(mb)s MB). Please record a shorter one."
        )
    assert message % {"mb": 1} in response.content.decode()
    assert not Story.objects.exists()


def test_a_failed_csrf_check_on_the_story_page_answers_in_the_clients_language(invite_token):
    _invite, token = invite_token
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "de"})
    response = client.post(reverse("tell:tell", args=[token]), {"what_changed": "x", "consent_team": "on"})
    assert response.status_code == 403
    assert response["Content-Language"] == "de"
    assert reverse("tell:tell", args=[token]) in response.content.decode()
    assert not Story.objects.exists()


def test_the_client_narrows_her_consent_on_the_receipt_page(invite_token):
    invite, _token = invite_token
    story = StoryFactory(invite=invite, consent_reports=True, consent_cases=True)
    page = Client().post(reverse("tell:receipt"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert 'name="consent_cases" checked' in page
    response = Client().post(
        reverse("tell:change"),
        {"code": "AAAA-BBBB-CCCC", "story": story.pk, "action": "narrow", "consent_cases": "on"},
    )
    assert response.status_code == 200
    story.refresh_from_db()
    assert (story.consent_reports, story.consent_cases) == (False, True)
    assert not story.is_withdrawn
