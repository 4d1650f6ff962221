"""Organisations, people and their roles.

Organisation roles (social worker, organisation admin) come from `Membership`; programme roles
(coordinator, reviewer) are flags on the user, as a person can hold one next to a membership.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS as KNOX

from .audit_actions import ACTIONS


class User(AbstractUser):
    is_coordinator = models.BooleanField(
        _("coordinator"), default=False, help_text=_("Sees every project and runs accelerator rounds.")
    )
    is_reviewer = models.BooleanField(
        _("reviewer"), default=False, help_text=_("Scores the accelerator applications assigned to them.")
    )
    # The person's own choice; empty until they choose (their pages then follow the browser's
    # language, their e-mails are in English). docs/translations.md, "Each person's language".
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of your pages, e-mails and reports, on every device."),
    )
    # How many of one's notifications are unread, shown in the navigation of every page without a
    # query of its own; counted afresh from the notifications whenever they change
    # (sempre.notifications.services.unread_recount).
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        """Organisations this user is a member of (one query, cached for the request)."""
        if not self.pk:
            return frozenset()
        return frozenset(self.memberships.values_list("organisation_id", flat=True))

    @cached_property
    def admin_organisation_ids(self) -> frozenset[int]:
        if not self.pk:
            return frozenset()
        return frozenset(
            self.memberships.filter(role=Membership.Role.ORG_ADMIN).values_list("organisation_id", flat=True)
        )


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox; issue #19): only a hash of it is kept (`digest`), with its
    first characters to find it (`token_key`), a name its owner gives it, and when it ends
    (`expiry`, REST_KNOX["TOKEN_TTL"]). A person may hold several, one per program. Changing or
    resetting the password, deactivation and "log out everywhere" delete them all
    (sempre.tokens)."""

    # A number to name it by in URLs: the digest, knox's primary key, is not for showing around.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=KNOX.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} ({self.name or self.token_key[:8]})"

    @property
    def starts_with(self) -> str:
        return self.token_key[:8]


class UserSession(models.Model):
    """A session someone logged in to, so they can see their sessions and end them
    (/account/sessions/). Django's session engine keeps the session itself; this row is written
    when the person logs in and removed when they log out or the session is gone
    (sempre.user_sessions)."""

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="user_sessions",
    )
    created_at = models.DateTimeField(_("logged in at"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality or public social service")
        NGO = "ngo", _("Non-governmental organisation")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise or cooperative")
        CHARITY = "charity", _("Church or charity")
        EDUCATION = "education", _("Education or research")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.NGO)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        SOCIAL_WORKER = "social_worker", _("Social worker")
        ORG_ADMIN = "org_admin", _("Organisation admin")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class AuditEvent(models.Model):
    """One sensitive action: who did what to which object, when, from where.

    Written by `sempre.audit.record` (explicit calls in the services, and the login signals).
    The actor's user name is copied, so the log still reads after a user is erased (erasure
    replaces it with a placeholder, see sempre.privacy)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor", "-at"], name="auditevent_actor_at")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


class Delivery(models.TextChoices):
    """How a person wants one kind of notification (their choice per kind, /account/notifications/)."""

    IMMEDIATELY = "immediately", _("Immediately, one e-mail each")
    DAILY = "daily", _("In a daily e-mail")
    WEEKLY = "weekly", _("In a weekly e-mail (Mondays)")
    OFF = "off", pgettext_lazy("notification delivery", "Off")


class NotificationChoice(models.Model):
    """A person's choice for one kind of notification; no row: the kind's default
    (sempre.notifications.registry)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_choices")
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification choice")
        verbose_name_plural = _("notification choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_notification_choice_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.delivery}"


class Notification(models.Model):
    """One reminder or piece of news for one person, and the log that it was sent: the unique key
    (kind, recipient, object, occasion, e.g. "due-14") lets each be made once, however often the
    task that makes them runs and however many run at once. The title is written in the
    recipient's language when it is made."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    occasion = models.CharField(_("occasion"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The recipient's choice when it was made: immediately, daily or weekly (never off: an
    # opted-out kind makes no notification).
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "target_type", "target_id", "occasion"],
                name="notification_made_once",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_to_email"),
        ]

    def __str__(self):
        return f"{self.recipient} {self.kind} {self.target_type}:{self.target_id} {self.occasion}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CalendarFeed(models.Model):
    """A person's private calendar link (/calendar/<token>.ics): only a hash of the token is kept;
    a new link replaces the hash, so the old link stops working (sempre.calendar)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
