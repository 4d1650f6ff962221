"""Framework indicators and the crosswalk; reporting periods and progress reports.

A `Framework` (Interreg common indicators, ESF+ common indicators, IRIS+) and its
`FrameworkIndicator`s are data, loaded from programme/fixtures/frameworks (programme.loader), like
the toolkit's tool templates. An `IndicatorMapping` links a project's own indicator
(microprojects.Indicator) to a framework indicator: the crosswalk. How the programme totals are
counted from them is in programme.selectors and docs/programme-reporting.md ("Counting rules").
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from microprojects.models import Indicator


def plain_number(value):
    """A decimal as people write it: 77 for 77.0000, 0.02 for 0.0200, never 1E+2."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _language(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0]


class Framework(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.CharField(_("version"), max_length=60)
    source_title = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    translations = models.JSONField(default=dict, blank=True, help_text=_("{language: {name, description}}"))

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self):
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return (self.translations.get(_language(language)) or {}).get("name") or self.name

    def display_description(self, language: str | None = None) -> str:
        return (self.translations.get(_language(language)) or {}).get("description") or self.description


class FrameworkIndicator(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", pgettext_lazy("indicator kind", "Output")
        RESULT = "result", pgettext_lazy("indicator kind", "Result")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    measured_when = models.CharField(_("time of measurement"), max_length=300, blank=True)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    # Breakdowns the framework expects, e.g. ["gender", "age"] (programme.selectors.BREAKDOWNS).
    breakdowns = models.JSONField(_("breakdowns"), default=list, blank=True)
    # Counts people: figures of 1 to 4 are shown as "<5" wherever they leave the platform.
    counts_people = models.BooleanField(_("counts people"), default=False)
    # How the figure is read from the activities' participant counts, if it is
    # (programme.selectors.ACTIVITY_SOURCES); empty: only from mapped project indicators.
    activity_source = models.CharField(_("from activities"), max_length=40, blank=True)
    # A framework's new version may drop an indicator; mappings to it are kept, it is no longer offered.
    is_current = models.BooleanField(_("current"), default=True)
    translations = models.JSONField(
        default=dict, blank=True, help_text=_("{language: {name, definition, unit, measured_when}}")
    )

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("framework indicator")
        verbose_name_plural = _("framework indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_indicator_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.display_name()}"

    def text(self, field: str, language: str | None = None) -> str:
        return (self.translations.get(_language(language)) or {}).get(field) or getattr(self, field)

    def display_name(self, language: str | None = None) -> str:
        return self.text("name", language)

    @property
    def display_unit(self) -> str:
        return self.text("unit")

    @property
    def display_definition(self) -> str:
        return self.text("definition")


class IndicatorMapping(models.Model):
    """One line of the crosswalk: a project indicator counts towards a framework indicator."""

    class Relation(models.TextChoices):
        EQUIVALENT = "equivalent", pgettext_lazy("indicator mapping", "Equivalent")
        CONTRIBUTES = "contributes", pgettext_lazy("indicator mapping", "Contributes to")
        PROXY = "proxy", pgettext_lazy("indicator mapping", "Proxy")

    # Within one project and one framework indicator only the best relation counts (selectors).
    PRECEDENCE = (Relation.EQUIVALENT, Relation.CONTRIBUTES, Relation.PROXY)

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="framework_mappings", verbose_name=_("indicator")
    )
    framework_indicator = models.ForeignKey(
        FrameworkIndicator,
        on_delete=models.PROTECT,
        related_name="mappings",
        verbose_name=_("framework indicator"),
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    factor = models.DecimalField(
        _("conversion factor"),
        max_digits=12,
        decimal_places=4,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("The project's value is multiplied by this to give the framework's value."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "framework_indicator_id"]
        verbose_name = _("indicator mapping")
        verbose_name_plural = _("indicator mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "framework_indicator"], name="indicator_mapping_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gte=0), name="indicator_mapping_factor_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} → {self.framework_indicator.code} ({self.relation})"

    @property
    def factor_display(self):
        return plain_number(self.factor)


# Reporting periods and progress reports (docs/programme-reporting.md, "Reporting periods and
# progress reports"). ----------------------------------------------------------------------------


class ReportingPeriod(models.Model):
    """A span of the programme the projects report on (e.g. six months), with its due date."""

    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due date"), help_text=_("The day by which the teams submit their reports."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="reporting_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("end")), name="reporting_period_due_after_end"
            ),
            models.UniqueConstraint(fields=["start", "end"], name="reporting_period_unique_dates"),
        ]

    def __str__(self):
        from django.utils.formats import date_format
        from django.utils.translation import gettext

        return gettext("%(start)s to %(end)s") % {
            "start": date_format(self.start),
            "end": date_format(self.end),
        }


class ProgressReportManager(models.Manager):
    def get_queryset(self):
        # A report is named by its project and period (lists, the report engine's job names).
        return super().get_queryset().select_related("project", "period")


class ProgressReport(models.Model):
    """One project's report on one period: the figures the platform fills in, the team's narrative
    and evidence files. Approved, it is frozen: `approved_snapshot` holds the figures and the text
    as approved, and the pages show those, whatever is corrected later."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("progress report status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("progress report status", "Submitted")
        APPROVED = "approved", pgettext_lazy("progress report status", "Approved")
        RETURNED = "returned", pgettext_lazy("progress report status", "Returned")

    # The team writes and submits while the report is one of these.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    NARRATIVE_FIELDS = ("highlights", "problems", "next_steps")

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting period")
    )
    project = models.ForeignKey(
        "microprojects.MicroProject",
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("micro project"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    highlights = models.TextField(_("highlights"), blank=True)
    problems = models.TextField(_("problems and deviations"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    # The coordinator's words when the report was last returned (the whole history is in events).
    return_comment = models.TextField(_("coordinator's comments"), blank=True)
    # The figures as the platform filled them in at the last submission.
    submitted_figures = models.JSONField(null=True, blank=True, editable=False)
    # Figures, text and corrections to earlier periods as approved: what the report shows from then on.
    approved_snapshot = models.JSONField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressReportManager()

    class Meta:
        ordering = ["period__start", "project__title", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["period", "project"], name="progress_report_one_per_period"),
        ]
        indexes = [models.Index(fields=["project", "period"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.project} ({self.period})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class ProgressReportEvent(models.Model):
    """A step of a report's workflow: submitted, returned (with the coordinator's comment), approved."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("progress report step", "Submitted")
        RETURNED = "returned", pgettext_lazy("progress report step", "Returned")
        APPROVED = "approved", pgettext_lazy("progress report step", "Approved")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("progress report step")
        verbose_name_plural = _("progress report steps")

    def __str__(self):
        return f"{self.report_id} {self.action}"


def evidence_upload_to(evidence: "EvidenceFile", filename: str) -> str:
    # An unguessable folder outside any served path: evidence is only handed out by the
    # permission-checked download views (there is no media route).
    import uuid

    from django.utils import timezone

    return f"progress-evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class EvidenceFile(models.Model):
    """A file the team attaches to a progress report: a PDF, an image or an office document."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.filename
