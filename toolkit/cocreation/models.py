"""Client co-creation: invite links and what clients send through them.

An `Invite` opens a tool instance (all its blocks or some of them) to clients for a while, through a
link whose token is stored only as a hash. A `Contribution` is one answer from a client (or typed in
by a social worker on a client's behalf); a social worker accepts it into the tool as an entry marked
as the client's, or rejects it. Nothing identifies the client: no account, no e-mail, no name, no
address; a pseudonym is optional.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .consent import retention_days

DEFAULT_INVITE_DAYS = 14
TEXT_MAX_LENGTH = 2000
PSEUDONYM_MAX_LENGTH = 40


def default_expiry():
    return timezone.now() + timedelta(days=DEFAULT_INVITE_DAYS)


class Invite(models.Model):
    tool = models.ForeignKey(
        "toolkit.ToolInstance", on_delete=models.CASCADE, related_name="invites", verbose_name=_("tool")
    )
    label = models.CharField(
        _("label"), max_length=200, help_text=_("For you and the clients, e.g. “Tuesday workshop in Luleå”.")
    )
    # Empty: every block of the tool (for the Theory of Change: outcomes and interventions).
    block_keys = models.JSONField(_("blocks"), default=list, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_(
            "The language the client pages open in; clients can change it. Empty: the language of the "
            "client's phone, else that of the organisation's country, else English."
        ),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry)
    max_contributions = models.PositiveIntegerField(
        _("maximum number of contributions"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    contribution_count = models.PositiveIntegerField(_("contributions received"), default=0, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invite")
        verbose_name_plural = _("invites")

    def __str__(self):
        return self.label

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_full(self) -> bool:
        return self.max_contributions is not None and self.contribution_count >= self.max_contributions

    @property
    def is_open(self) -> bool:
        return not (self.is_revoked or self.is_expired or self.is_full)

    @property
    def state(self) -> str:
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        if self.is_full:
            return "full"
        return "open"

    def get_state_display(self) -> str:
        return {
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "full": _("Limit reached"),
            "open": _("Open"),
        }[self.state]


class Contribution(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not used")
        WITHDRAWN = "withdrawn", pgettext_lazy("contribution status", "Withdrawn")

    tool = models.ForeignKey(
        "toolkit.ToolInstance", on_delete=models.CASCADE, related_name="contributions", verbose_name=_("tool")
    )
    # Null when a social worker typed it in on a client's behalf.
    invite = models.ForeignKey(
        Invite, on_delete=models.CASCADE, null=True, blank=True, related_name="contributions"
    )
    block_key = models.SlugField(_("block"), max_length=60)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    pseudonym = models.CharField(_("pseudonym"), max_length=PSEUDONYM_MAX_LENGTH, blank=True)
    consent_version = models.CharField(_("consent notice version"), max_length=20)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # HMAC of the receipt code; several contributions sent from one device share a code.
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.CharField(_("note"), max_length=300, blank=True)
    # What the contribution became when accepted.
    entry = models.OneToOneField(
        "toolkit.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="contribution"
    )
    outcome = models.OneToOneField(
        "toolkit.Outcome", on_delete=models.SET_NULL, null=True, blank=True, related_name="contribution"
    )
    intervention = models.OneToOneField(
        "toolkit.Intervention", on_delete=models.SET_NULL, null=True, blank=True, related_name="contribution"
    )
    is_on_behalf = models.BooleanField(_("typed in on behalf of a client"), default=False)
    typed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["receipt_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tool", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_on_behalf=True) | Q(invite__isnull=False),
                name="contribution_from_invite_or_on_behalf",
            ),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self):
        return self.text[:80]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def deleted_after(self):
        """When the retention purge deletes it (not used or withdrawn), else None."""
        if self.status not in (self.Status.REJECTED, self.Status.WITHDRAWN):
            return None
        return self.status_changed_at + timedelta(days=retention_days())

    @property
    def author_label(self) -> str:
        return self.pseudonym or str(_("Anonymous client"))
