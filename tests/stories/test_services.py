from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sempre import audit
from sempre.models import AuditEvent
from tests.cocreation.factories import ToolInstanceFactory
from tests.factories import IndicatorFactory, MicroProjectFactory
from toolkit.models import Outcome, ToolTemplate
from toolkit.selectors import THEORY_OF_CHANGE
from toolkit.stories import services
from toolkit.stories.models import Story

from .factories import MP4_HEAD, OGG_HEAD, WEBM_HEAD, StoryFactory, recording

pytestmark = pytest.mark.django_db


def tell(invite, **kwargs):
    values = {"language": "ar", "consent_team": True, "what_changed": "I speak Swedish at work now."}
    values.update(kwargs)
    return services.story_tell(invite=invite, **values)


def test_tell_keeps_each_consent_separately_and_gives_a_receipt(invite_token):
    invite, _token = invite_token
    story, code = tell(invite, consent_reports=False, consent_cases=True, nickname="  Sunny  ")
    story.refresh_from_db()
    assert (story.consent_team, story.consent_reports, story.consent_cases) == (True, False, True)
    assert story.nickname == "Sunny"
    assert story.language == "ar"
    assert len(code) == 14
    assert story.receipt_hash
    assert code not in story.receipt_hash


def test_tell_names_every_problem_at_once_and_writes_nothing(invite_token):
    invite, _token = invite_token
    with pytest.raises(ValidationError) as caught:
        tell(invite, consent_team=False, what_changed="  ", nickname="x" * 31)
    assert set(caught.value.message_dict) == {"consent_team", "what_changed", "nickname"}
    assert not Story.objects.exists()


def test_tell_refuses_a_closed_invite(invite_token):
    invite, _token = invite_token
    invite.revoked_at = timezone.now()
    invite.save()
    with pytest.raises(ValidationError) as caught:
        tell(invite)
    assert "invite" in caught.value.message_dict


@pytest.mark.parametrize(
    ("head", "content_type"), [(WEBM_HEAD, "audio/webm"), (OGG_HEAD, "audio/ogg"), (MP4_HEAD, "audio/mp4")]
)
def test_a_recording_is_kept_privately_by_its_bytes(invite_token, settings, head, content_type):
    invite, _token = invite_token
    story, _code = tell(invite, what_changed="", audio=recording(head, name="x.bin"), audio_seconds=42)
    assert story.audio_type == content_type
    assert story.audio_seconds == 42
    assert story.audio.name.startswith("private/stories/")
    assert (Path(settings.MEDIA_ROOT) / story.audio.name).read_bytes().startswith(head)


def test_a_recording_of_the_wrong_type_is_refused_whatever_its_name(invite_token, settings):
    invite, _token = invite_token
    fake = recording(b"<html><script>alert(1)</script>", name="story.webm")
    with pytest.raises(ValidationError) as caught:
        tell(invite, what_changed="", audio=fake, audio_seconds=10)
    assert list(caught.value.message_dict) == ["audio"]
    assert not Story.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT)).rglob("*.webm"))


def test_a_recording_above_the_size_limit_is_refused(invite_token, settings):
    settings.STORIES_AUDIO_MAX_BYTES = 10_000
    invite, _token = invite_token
    with pytest.raises(ValidationError) as caught:
        tell(invite, what_changed="", audio=recording(size=10_001), audio_seconds=10)
    assert "audio" in caught.value.message_dict
    tell(invite, what_changed="", audio=recording(size=10_000), audio_seconds=10)  # at the limit: kept


def test_a_recording_above_three_minutes_is_refused(invite_token):
    invite, _token = invite_token
    with pytest.raises(ValidationError) as caught:
        tell(invite, what_changed="", audio=recording(), audio_seconds=181)
    assert "audio" in caught.value.message_dict
    story, _code = tell(invite, what_changed="", audio=recording(), audio_seconds=180)
    assert story.has_audio


def test_transcription_deletes_the_recording(
    invite_token, social_worker, settings, django_capture_on_commit_callbacks
):
    invite, _token = invite_token
    story, _code = tell(invite, what_changed="", audio=recording(), audio_seconds=30)
    path = Path(settings.MEDIA_ROOT) / story.audio.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.story_transcribe(story=story, by=social_worker, what_changed="My daughter reads to me now.")
    story.refresh_from_db()
    assert not story.audio
    assert story.audio_deleted_at
    assert story.transcribed_by == social_worker
    assert story.what_changed == "My daughter reads to me now."
    assert not path.exists()


def test_purge_deletes_recordings_past_retention_and_withdrawn_stories_twice_safely(
    invite_token, settings, django_capture_on_commit_callbacks
):
    invite, _token = invite_token
    old, _code = tell(invite, what_changed="", audio=recording(), audio_seconds=30)
    new, _code = tell(invite, what_changed="", audio=recording(), audio_seconds=30)
    Story.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    withdrawn = StoryFactory(invite=invite, withdrawn_at=timezone.now() - timedelta(days=31))
    old_path = Path(settings.MEDIA_ROOT) / old.audio.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stories_purge() == {"recordings": 1, "withdrawn": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stories_purge() == {"recordings": 0, "withdrawn": 0}
    assert not old_path.exists()
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.audio
    assert new.audio
    assert not Story.objects.filter(pk=withdrawn.pk).exists()


def test_withdrawal_deletes_the_recording_at_once_and_clears_consent(
    invite_token, settings, django_capture_on_commit_callbacks
):
    invite, _token = invite_token
    story, code = tell(invite, audio=recording(), audio_seconds=30, consent_reports=True, consent_cases=True)
    path = Path(settings.MEDIA_ROOT) / story.audio.name
    with django_capture_on_commit_callbacks(execute=True):
        services.story_withdraw(story=story, receipt_code=code.lower())
    story.refresh_from_db()
    assert story.is_withdrawn
    assert not story.audio
    assert not path.exists()
    assert (story.consent_reports, story.consent_cases) == (False, False)
    with pytest.raises(PermissionDenied):
        services.story_withdraw(story=story, receipt_code="ZZZZ-ZZZZ-ZZZZ")


def test_consent_can_only_be_narrowed_with_the_receipt_code(invite_token):
    invite, _token = invite_token
    story, code = tell(invite, consent_reports=True, consent_cases=False)
    services.story_consent_narrow(story=story, receipt_code=code, reports=True, cases=True)
    story.refresh_from_db()
    assert (story.consent_reports, story.consent_cases) == (True, False)  # not widened
    services.story_consent_narrow(story=story, receipt_code=code, reports=False, cases=False)
    story.refresh_from_db()
    assert (story.consent_reports, story.consent_cases) == (False, False)
    assert story.consent_changed_at is not None


def test_on_behalf_story_is_audited_without_its_words(social_worker, project):
    story = services.story_record_on_behalf(
        project=project,
        by=social_worker,
        client_consents=True,
        language="uk",
        what_changed="Я знайшла друзів.",
    )
    event = AuditEvent.objects.get(action=audit.STORY_ON_BEHALF)
    assert event.actor == social_worker
    assert event.data["story"] == story.pk
    assert "друзів" not in str(event.data)
    assert "друзів" not in event.target_label
    assert story.is_on_behalf
    assert story.recorded_by == social_worker


def test_on_behalf_needs_the_clients_consent_and_membership(social_worker, other_social_worker, project):
    with pytest.raises(ValidationError) as caught:
        services.story_record_on_behalf(
            project=project, by=social_worker, client_consents=False, what_changed="x"
        )
    assert "client_consents" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.story_record_on_behalf(
            project=project, by=other_social_worker, client_consents=True, what_changed="x"
        )
    assert not Story.objects.exists()


def test_link_refuses_another_projects_outcome_and_indicator(social_worker, project):
    story = StoryFactory(invite__project=project)
    elsewhere = MicroProjectFactory(organisation=project.organisation)
    toc = ToolInstanceFactory(project=elsewhere, template=ToolTemplate.objects.get(slug=THEORY_OF_CHANGE))
    outcome = Outcome.objects.create(instance=toc, text="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        services.story_link(
            story=story, by=social_worker, outcome=outcome, indicator=IndicatorFactory(project=elsewhere)
        )
    assert set(caught.value.message_dict) == {"outcome", "indicator"}
    own = IndicatorFactory(project=project)
    services.story_link(story=story, by=social_worker, indicator=own)
    story.refresh_from_db()
    assert story.indicator == own


def test_selection_needs_a_reason_and_words(social_worker, project):
    story = StoryFactory(invite__project=project)
    with pytest.raises(ValidationError) as caught:
        services.story_select(story=story, by=social_worker, reason=" ")
    assert "reason" in caught.value.message_dict
    services.story_select(story=story, by=social_worker, reason="It shows work and belonging.")
    story.refresh_from_db()
    assert story.is_selected
    assert story.selected_by == social_worker
    untranscribed = StoryFactory(invite__project=project, what_changed="")
    with pytest.raises(ValidationError) as caught:
        services.story_select(story=untranscribed, by=social_worker, reason="Moving")
    assert "story" in caught.value.message_dict
