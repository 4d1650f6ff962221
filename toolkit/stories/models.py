"""Story invites, stories, their consent and the panel's selection.

A `StoryInvite` opens a micro project to clients' stories for a while, through a link whose token is
stored only as a hash (as co-creation invites are). A `Story` is one client's answer to the Most
Significant Change questions: typed, or spoken into a voice recording that the team transcribes
(the recording is deleted then, or at the retention limit). The client chooses, one by one, who may
use the story: the team; programme reports; a published practice case. A withdrawn story is kept
for the retention period without any use, then deleted. Nothing identifies the client: a nickname
at most.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_INVITE_DAYS = 14
ANSWER_MAX_LENGTH = 3000
NICKNAME_MAX_LENGTH = 30
REASON_MAX_LENGTH = 1000


def default_expiry():
    return timezone.now() + timedelta(days=DEFAULT_INVITE_DAYS)


def audio_path(story, filename: str) -> str:
    """Under MEDIA_ROOT/private/: no route serves it; only the team's permission-checked view reads
    it. The name says nothing about the story or the client."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"private/stories/{uuid.uuid4().hex}.{extension}"


class StoryInvite(models.Model):
    project = models.ForeignKey(
        "microprojects.MicroProject",
        on_delete=models.CASCADE,
        related_name="story_invites",
        verbose_name=_("micro project"),
    )
    label = models.CharField(
        _("label"), max_length=200, help_text=_("For you and the clients, e.g. “Autumn stories in Narva”.")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("open until"), default=default_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story invite")
        verbose_name_plural = _("story invites")

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def get_state_display(self) -> str:
        if self.revoked_at is not None:
            return str(_("Revoked"))
        if self.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Open"))


class Story(models.Model):
    """One client's story of change. Its answers are plain text; `audio` is set only until the team
    has transcribed the recording (or the retention limit passed)."""

    class Scope(models.TextChoices):
        TEAM = "team", _("Used by the team")
        REPORTS = "reports", _("Quoted in programme reports")
        CASES = "cases", _("Published in a practice case")

    project = models.ForeignKey(
        "microprojects.MicroProject",
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("micro project"),
    )
    # Null when a social worker recorded it with the client present.
    invite = models.ForeignKey(
        StoryInvite, on_delete=models.SET_NULL, null=True, blank=True, related_name="stories"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    nickname = models.CharField(_("nickname"), max_length=NICKNAME_MAX_LENGTH, blank=True)
    what_changed = models.TextField(_("What changed for you?"), max_length=ANSWER_MAX_LENGTH, blank=True)
    why_important = models.TextField(
        _("Why is this important to you?"), max_length=ANSWER_MAX_LENGTH, blank=True
    )
    what_helped = models.TextField(_("What helped?"), max_length=ANSWER_MAX_LENGTH, blank=True)
    audio = models.FileField(_("voice recording"), upload_to=audio_path, blank=True, max_length=200)
    audio_type = models.CharField(max_length=40, blank=True, editable=False)
    audio_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    audio_deleted_at = models.DateTimeField(_("recording deleted at"), null=True, blank=True)
    transcribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transcribed_at = models.DateTimeField(_("transcribed at"), null=True, blank=True)
    # The client's choices, each separately (the team's is required to keep the story at all).
    consent_team = models.BooleanField(_("used by the team"), default=True)
    consent_reports = models.BooleanField(_("quoted in programme reports"), default=False)
    consent_cases = models.BooleanField(_("published in a practice case"), default=False)
    consent_version = models.CharField(_("consent notice version"), max_length=20)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(pgettext_lazy("story", "withdrawn at"), null=True, blank=True)
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    outcome = models.ForeignKey(
        "toolkit.Outcome",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("outcome of the Theory of Change"),
    )
    indicator = models.ForeignKey(
        "microprojects.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("indicator"),
    )
    is_on_behalf = models.BooleanField(_("recorded on behalf of a client"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The selection step: the team or a panel chose it as the most significant change, and why.
    selected_at = models.DateTimeField(_("selected as most significant at"), null=True, blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    selection_reason = models.TextField(_("why it was selected"), max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "withdrawn_at"])]
        verbose_name = _("story of change")
        verbose_name_plural = _("stories of change")

    def __str__(self):
        return (self.what_changed or str(_("Voice recording")))[:80]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_selected(self) -> bool:
        return self.selected_at is not None

    @property
    def has_audio(self) -> bool:
        return bool(self.audio)

    @property
    def needs_transcription(self) -> bool:
        return self.has_audio and self.transcribed_at is None

    @property
    def teller_label(self) -> str:
        return self.nickname or str(_("Anonymous client"))

    def scopes(self) -> list[str]:
        return [scope for scope in self.Scope.values if getattr(self, f"consent_{scope}")]

    def get_scopes_display(self) -> list[str]:
        return [str(self.Scope(scope).label) for scope in self.scopes()]
