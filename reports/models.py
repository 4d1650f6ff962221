"""Report jobs: one row per requested report, from the request to the file (and its expiry).

Life cycle: queued -> running -> succeeded | failed, and succeeded -> expired when the file is
deleted. Only a queued job can start (a conditional UPDATE that one worker wins); a finished job is
never redone. `attempts` counts the claims and doubles as a fencing token: a worker may only write
progress or the result while the job still carries the attempt number it claimed.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import get_kind


def params_digest(params: dict) -> str:
    """A stable digest of normalised parameters, so identical requests can be found by an index."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def report_upload_to(job: "ReportJob", filename: str) -> str:
    # An unguessable folder: files are only handed out by the permission-checked download view, and
    # a guessed media URL must not reveal one either.
    return f"reports/{job.created_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    params_key = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("requested by"),
    )
    email_when_done = models.BooleanField(
        _("e-mail when done"),
        default=False,
        help_text=_("Send the requester a link when the report is ready."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # Identical requests while one is queued or running return that job; the index makes
            # this hold under concurrent requests too (the loser gets an IntegrityError).
            models.UniqueConstraint(
                fields=["requested_by", "kind", "params_key", "language"],
                condition=Q(status__in=["queued", "running"]),
                name="reports_one_active_identical_job",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")) | Q(progress_total=0),
                name="reports_progress_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def language_name(self) -> str:
        """The report's language by its name in the reader's language ("German"), not its code."""
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def kind_label(self) -> str:
        kind = get_kind(self.kind)
        return kind.label if kind else self.kind

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.SUCCEEDED and bool(self.file)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
