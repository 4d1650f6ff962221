"""Writes for stories of change: invites, stories told by clients or recorded with them, consent
changes and withdrawal with the receipt code, transcription, links, the selection, retention.

Each service is a plain function with keyword-only arguments, in a transaction. Errors are a
ValidationError naming every field at fault at once, or PermissionDenied. A recording's file is
deleted after the transaction that stops using it has committed.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from microprojects.models import Indicator
from sempre import audit
from sempre.rules import require
from toolkit.cocreation.codes import receipt_hash, receipt_new, token_hash, token_new
from toolkit.cocreation.languages import supported
from toolkit.cocreation.text import plain_text, single_line
from toolkit.models import Outcome

from . import audio as audio_rules
from .consent import (
    ON_BEHALF_CONSENT_VERSION,
    STORY_CONSENT_VERSION,
    audio_retention_days,
    withdrawn_retention_days,
)
from .models import ANSWER_MAX_LENGTH, NICKNAME_MAX_LENGTH, REASON_MAX_LENGTH, Story, StoryInvite

MAX_INVITE_DAYS = 365
ANSWERS = ("what_changed", "why_important", "what_helped")


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


# Invites ----------------------------------------------------------------------------------------


@transaction.atomic
def story_invite_create(*, project, by, label: str, language: str = "", expires_at=None):
    """A new story invite and its token, returned this once (only its hash is stored)."""
    require(by, "stories.manage_stories", project)
    errors = {}
    label = single_line(label)
    if not label:
        errors["label"] = _("Give the invite a label, e.g. “Autumn stories”.")
    if language and not supported(language):
        errors["language"] = _("Unknown language “%(language)s”.") % {"language": language}
    now = timezone.now()
    if expires_at is None:
        expires_at = StoryInvite._meta.get_field("expires_at").default()
    if expires_at <= now:
        errors["expires_at"] = _("The expiry must be in the future.")
    elif expires_at > now + timedelta(days=MAX_INVITE_DAYS):
        errors["expires_at"] = _("An invite can stay open for at most a year.")
    if errors:
        raise ValidationError(errors)
    token = token_new()
    invite = StoryInvite.objects.create(
        project=project,
        label=label[:200],
        language=supported(language) or "",
        token_hash=token_hash(token),
        expires_at=expires_at,
        created_by=by,
    )
    return invite, token


@transaction.atomic
def story_invite_revoke(*, invite: StoryInvite, by) -> StoryInvite:
    """Close the link at once; revoking twice keeps the first time."""
    require(by, "stories.revoke_invite", invite)
    StoryInvite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    invite.refresh_from_db(fields=["revoked_at"])
    return invite


# Telling a story --------------------------------------------------------------------------------


def _clean_answers(answers: dict, *, has_audio: bool, errors: dict) -> dict:
    cleaned = {}
    for field in ANSWERS:
        text = plain_text(answers.get(field) or "")
        if len(text) > ANSWER_MAX_LENGTH:
            errors[field] = pgettext(
                "client page", "Please keep it shorter: at most %(max)s characters (now %(count)s)."
            ) % {"max": ANSWER_MAX_LENGTH, "count": len(text)}
        cleaned[field] = text
    if not has_audio and not cleaned["what_changed"] and "what_changed" not in errors:
        errors["what_changed"] = pgettext(
            "client page", "Please tell what changed for you: write it, or record your voice."
        )
    return cleaned


def _clean_nickname(nickname: str, errors: dict) -> str:
    """Optional and short: a nickname, never a real name (the page says so; we cannot check it)."""
    cleaned = single_line(nickname)
    if len(cleaned) > NICKNAME_MAX_LENGTH:
        errors["nickname"] = pgettext(
            "client page", "Please use a short nickname: at most %(max)s characters."
        ) % {"max": NICKNAME_MAX_LENGTH}
    return cleaned


def _clean_audio(audio, seconds, errors: dict):
    """(the file, its kind, its seconds) or (None, None, None); errors under "audio"."""
    if not audio:
        return None, None, None
    if audio.size > audio_rules.max_bytes():
        errors["audio"] = pgettext(
            "client page", "The recording is too large (at most %(mb)s MB). Please record a shorter one."
        ) % {"mb": audio_rules.max_bytes() // (1024 * 1024)}
        return None, None, None
    kind = audio_rules.sniff(audio_rules.read_head(audio)) if audio.size else None
    if kind is None:
        errors["audio"] = pgettext(
            "client page", "This is not a voice recording we can keep. Please record again, or write instead."
        )
        return None, None, None
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or seconds < 0:
        errors["audio"] = pgettext("client page", "The recording's length is missing. Please record again.")
        return None, None, None
    if seconds > audio_rules.MAX_SECONDS:
        errors["audio"] = pgettext(
            "client page", "The recording is longer than %(minutes)s minutes. Please record a shorter one."
        ) % {"minutes": audio_rules.MAX_SECONDS // 60}
        return None, None, None
    return audio, kind, seconds


def _new_story(
    *,
    project,
    answers: dict,
    nickname: str,
    language: str,
    consent_team: bool,
    consent_reports: bool,
    consent_cases: bool,
    audio,
    audio_seconds,
    no_consent: str,
    consent_field: str,
    **fields,
) -> Story:
    errors = {}
    if not consent_team:
        errors[consent_field] = no_consent
    audio, kind, seconds = _clean_audio(audio, audio_seconds, errors)
    cleaned = _clean_answers(answers, has_audio=audio is not None or "audio" in errors, errors=errors)
    nickname = _clean_nickname(nickname, errors)
    if errors:
        raise ValidationError(errors)
    story = Story(
        project=project,
        language=supported(language) or "en",
        nickname=nickname,
        consent_team=True,
        consent_reports=bool(consent_reports),
        consent_cases=bool(consent_cases),
        **cleaned,
        **fields,
    )
    if audio is not None:
        story.audio_type = kind.content_type
        story.audio_seconds = seconds
        story.audio.save(f"story.{kind.extension}", audio, save=False)
        stored = story.audio.name
        # Written before the row: if the row is not, the file must not stay behind.
        try:
            story.save()
        except Exception:
            default_storage.delete(stored)
            raise
    else:
        story.save()
    return story


@transaction.atomic
def story_tell(
    *,
    invite: StoryInvite,
    language: str,
    consent_team: bool,
    consent_reports: bool = False,
    consent_cases: bool = False,
    what_changed: str = "",
    why_important: str = "",
    what_helped: str = "",
    nickname: str = "",
    audio=None,
    audio_seconds=None,
    receipt_code: str | None = None,
) -> tuple[Story, str]:
    """A client's story through an invite, typed or recorded. Returns it with the receipt code (the
    one this device already holds, else a new one)."""
    invite = StoryInvite.objects.select_for_update().get(pk=invite.pk)
    if not invite.is_open:
        raise ValidationError(
            {"invite": pgettext("client page", "This invitation has ended.")}, code="closed"
        )
    receipt_code = receipt_code or receipt_new()
    now = timezone.now()
    story = _new_story(
        project=invite.project,
        answers={"what_changed": what_changed, "why_important": why_important, "what_helped": what_helped},
        nickname=nickname,
        language=language or invite.language,
        consent_team=consent_team,
        consent_reports=consent_reports,
        consent_cases=consent_cases,
        audio=audio,
        audio_seconds=audio_seconds,
        consent_field="consent_team",
        no_consent=pgettext(
            "client page",
            "Please tick the first box, so the team may keep your story. The others are up to you.",
        ),
        invite=invite,
        consent_version=STORY_CONSENT_VERSION,
        consent_at=now,
        receipt_hash=receipt_hash(receipt_code),
    )
    return story, receipt_code


@transaction.atomic
def story_record_on_behalf(
    *,
    project,
    by,
    client_consents: bool,
    language: str = "en",
    consent_reports: bool = False,
    consent_cases: bool = False,
    what_changed: str = "",
    why_important: str = "",
    what_helped: str = "",
    nickname: str = "",
    audio=None,
    audio_seconds=None,
) -> Story:
    """A social worker records a client's story with the client present (after reading them the
    notice). The audit log keeps who recorded which story, never its words."""
    require(by, "stories.manage_stories", project)
    story = _new_story(
        project=project,
        answers={"what_changed": what_changed, "why_important": why_important, "what_helped": what_helped},
        nickname=nickname,
        language=language,
        consent_team=client_consents,
        consent_reports=consent_reports,
        consent_cases=consent_cases,
        audio=audio,
        audio_seconds=audio_seconds,
        consent_field="client_consents",
        no_consent=_("Confirm that the client agreed after you read them the notice."),
        is_on_behalf=True,
        recorded_by=by,
        consent_version=ON_BEHALF_CONSENT_VERSION,
        consent_at=timezone.now(),
    )
    audit.record(
        actor=by,
        action=audit.STORY_ON_BEHALF,
        target=project,
        data={"story": story.pk, "language": story.language, "recording": story.has_audio},
    )
    return story


# The client's own changes (with the receipt code) -------------------------------------------------


def _lock_own(story: Story, receipt_code: str) -> Story:
    if not story.receipt_hash or story.receipt_hash != receipt_hash(receipt_code):
        raise PermissionDenied(_("This receipt code does not fit this story."))
    return Story.objects.select_for_update().get(pk=story.pk)


@transaction.atomic
def story_consent_narrow(*, story: Story, receipt_code: str, reports: bool, cases: bool) -> Story:
    """The client narrows what their story may be used for. A consent once taken back is not given
    again here (a story quoted by mistake cannot be unquoted): only narrowing."""
    story = _lock_own(story, receipt_code)
    reports, cases = story.consent_reports and reports, story.consent_cases and cases
    if (reports, cases) != (story.consent_reports, story.consent_cases):
        story.consent_reports, story.consent_cases = reports, cases
        story.consent_changed_at = timezone.now()
        story.save(update_fields=["consent_reports", "consent_cases", "consent_changed_at"])
    return story


@transaction.atomic
def story_withdraw(*, story: Story, receipt_code: str) -> Story:
    """The client takes the story back: no longer used anywhere, its recording deleted at once, the
    rest after the retention period. Withdrawing twice is a no-op."""
    story = _lock_own(story, receipt_code)
    if story.is_withdrawn:
        return story
    _delete_file_on_commit(story.audio.name)
    now = timezone.now()
    story.withdrawn_at = now
    story.consent_reports = story.consent_cases = False
    story.selected_at = None
    story.audio = ""
    story.audio_deleted_at = now if story.audio_type else None
    story.save()
    return story


# The team's work ---------------------------------------------------------------------------------


def _lock_for_team(story: Story, by) -> Story:
    require(by, "stories.change_story", story)
    story = Story.objects.select_for_update().select_related("project").get(pk=story.pk)
    if story.is_withdrawn:
        raise ValidationError({"story": _("The client withdrew this story.")}, code="withdrawn")
    return story


@transaction.atomic
def story_transcribe(
    *, story: Story, by, what_changed: str, why_important: str = "", what_helped: str = ""
) -> Story:
    """The team writes down what the client said; the recording is deleted once this is saved."""
    story = _lock_for_team(story, by)
    errors = {}
    cleaned = _clean_answers(
        {"what_changed": what_changed, "why_important": why_important, "what_helped": what_helped},
        has_audio=False,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    for field, value in cleaned.items():
        setattr(story, field, value)
    now = timezone.now()
    story.transcribed_by, story.transcribed_at = by, now
    if story.audio:
        _delete_file_on_commit(story.audio.name)
        story.audio = ""
        story.audio_deleted_at = now
    story.save()
    return story


@transaction.atomic
def story_link(
    *, story: Story, by, outcome: Outcome | None = None, indicator: Indicator | None = None
) -> Story:
    """Link the story to an outcome of the project's Theory of Change, or to one of its indicators."""
    story = _lock_for_team(story, by)
    errors = {}
    if outcome is not None and outcome.instance.project_id != story.project_id:
        errors["outcome"] = _("Choose an outcome of this project's Theory of Change.")
    if indicator is not None and indicator.project_id != story.project_id:
        errors["indicator"] = _("Choose an indicator of this project.")
    if errors:
        raise ValidationError(errors)
    story.outcome, story.indicator = outcome, indicator
    story.save(update_fields=["outcome", "indicator"])
    return story


@transaction.atomic
def story_select(*, story: Story, by, reason: str) -> Story:
    """The team or panel chose this story as the most significant change, and says why."""
    story = _lock_for_team(story, by)
    reason = plain_text(reason)
    errors = {}
    if not reason:
        errors["reason"] = _("Say why this story was chosen: it is the heart of the method.")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("At most %(max)s characters.") % {"max": REASON_MAX_LENGTH}
    if not story.what_changed:
        errors["story"] = _("Transcribe the recording first: a story is chosen by its words.")
    if errors:
        raise ValidationError(errors)
    story.selected_at = story.selected_at or timezone.now()
    story.selected_by, story.selection_reason = by, reason
    story.save(update_fields=["selected_at", "selected_by", "selection_reason"])
    return story


@transaction.atomic
def story_unselect(*, story: Story, by) -> Story:
    story = _lock_for_team(story, by)
    story.selected_at, story.selected_by, story.selection_reason = None, None, ""
    story.save(update_fields=["selected_at", "selected_by", "selection_reason"])
    return story


# Retention ----------------------------------------------------------------------------------------


def stories_purge(*, now=None) -> dict:
    """Delete recordings older than the audio retention (transcribed or not) and withdrawn stories
    older than their retention. Safe to run twice, or at the same time: each row is cleared by a
    conditional UPDATE only one run wins, and the file goes after that commit."""
    now = now or timezone.now()
    recordings = 0
    audio_before = now - timedelta(days=audio_retention_days())
    for pk, name in (
        Story.objects.exclude(audio="").filter(created_at__lt=audio_before).values_list("pk", "audio")
    ):
        with transaction.atomic():
            if Story.objects.filter(pk=pk, audio=name).update(audio="", audio_deleted_at=now):
                _delete_file_on_commit(name)
                recordings += 1
    withdrawn_before = now - timedelta(days=withdrawn_retention_days())
    deleted, _by_model = Story.objects.filter(withdrawn_at__lt=withdrawn_before).delete()
    return {"recordings": recordings, "withdrawn": deleted}
