"""Micro projects, what happens in them, and what they achieve."""

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from sempre.models import Organisation


class TargetGroup(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return str(_(self.name))


class MicroProject(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("project status", "Draft")
        ACTIVE = "active", pgettext_lazy("project status", "Active")
        COMPLETED = "completed", pgettext_lazy("project status", "Completed")
        DISCONTINUED = "discontinued", pgettext_lazy("project status", "Discontinued")

    # Allowed status changes; anything else is refused with the allowed ones named.
    TRANSITIONS = {
        Status.DRAFT: (Status.ACTIVE, Status.DISCONTINUED),
        Status.ACTIVE: (Status.COMPLETED, Status.DISCONTINUED),
        Status.COMPLETED: (),
        Status.DISCONTINUED: (),
    }
    # A completed or discontinued project can be made active again by an admin of its organisation
    # (a slip undone, or work taken up again): the "microprojects.reopen_microproject" permission.
    REOPEN_FROM = (Status.COMPLETED, Status.DISCONTINUED)
    # Moves that end the project's work: the page asks to confirm them.
    FINAL = (Status.COMPLETED, Status.DISCONTINUED)

    class Setting(models.TextChoices):
        RURAL = "rural", _("Rural")
        URBAN = "urban", _("Urban")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region or municipality"), max_length=200, blank=True)
    setting = models.CharField(
        _("rural or urban"), max_length=8, choices=Setting.choices, default=Setting.RURAL
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="projects", blank=True, verbose_name=_("target groups")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The day the project was completed or discontinued in the platform (project_transition), empty
    # while it runs and again when it is made active: nothing is logged in it dated after that day.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    budget_eur = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    lead_social_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="led_projects",
        blank=True,
        verbose_name=_("lead social workers"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by an import from a spreadsheet or KoboToolbox (microprojects.imports): the row's own key
    # in the organisation's file, so the same file imported again changes nothing.
    external_id = models.CharField(_("external ID"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[target_groups, lead_social_workers], excluded_fields=["updated_at"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("micro project")
        verbose_name_plural = _("micro projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="project_budget_not_negative",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="project_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["country", "status"]),
            # The lists' orders (the web list by title, the API newest first): a page is read in
            # index order instead of sorting every matching project (docs/performance.md, section 7).
            models.Index(fields=["title", "id"]),
            models.Index(fields=["-created_at", "-id"]),
        ]

    def __str__(self):
        return self.title

    @property
    def allowed_transitions(self):
        return self.TRANSITIONS[self.Status(self.status)]

    @property
    def status_sentence(self) -> str:
        """ "The project is completed.": a whole sentence per status, never a status label put into
        a sentence as an adjective (which Baltic and Slavic languages must inflect)."""
        return str(STATUS_SENTENCES[self.status])


STATUS_SENTENCES = {
    MicroProject.Status.DRAFT: _("The project is a draft."),
    MicroProject.Status.ACTIVE: _("The project is active."),
    MicroProject.Status.COMPLETED: _("The project is completed."),
    MicroProject.Status.DISCONTINUED: _("The project is discontinued."),
}


class Activity(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        EVENT = "event", _("Event")
        OUTREACH = "outreach", _("Outreach")
        PRODUCTION = "production", _("Production")
        OTHER = "other", _("Other")

    # Breakdowns of participants_total: each, when filled, must add up to the total.
    GENDER_FIELDS = ("women", "men", "non_binary", "gender_not_stated")
    AGE_FIELDS = ("age_under_18", "age_18_29", "age_30_54", "age_55_plus", "age_not_stated")
    COUNT_FIELDS = ("participants_total", "participants_new", *GENDER_FIELDS, *AGE_FIELDS)
    # Above these one activity's figures are unusual: saved only once the person confirms them.
    UNUSUAL = {"participants_total": 500, "staff_hours": 40, "volunteer_hours": 40}

    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WORKSHOP)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, help_text=_("No client names, please."))
    staff_hours = models.DecimalField(
        _("staff hours"), max_digits=7, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=7, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    participants_total = models.PositiveIntegerField(_("participants"), default=0)
    # Figures beyond Activity.UNUSUAL are possible but rare; the person who logged them confirmed
    # that they are right (services.activity_log / activity_update with confirm=True).
    unusual_confirmed = models.BooleanField(_("unusual figures confirmed"), default=False)
    participants_new = models.PositiveIntegerField(_("of which new"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    non_binary = models.PositiveIntegerField(_("non-binary"), null=True, blank=True)
    gender_not_stated = models.PositiveIntegerField(_("gender not stated"), null=True, blank=True)
    age_under_18 = models.PositiveIntegerField(_("under 18"), null=True, blank=True)
    age_18_29 = models.PositiveIntegerField(_("18-29"), null=True, blank=True)
    age_30_54 = models.PositiveIntegerField(_("30-54"), null=True, blank=True)
    age_55_plus = models.PositiveIntegerField(_("55 and over"), null=True, blank=True)
    age_not_stated = models.PositiveIntegerField(_("age not stated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Made by the device that logged the activity (docs/offline.md): the same entry sent again
    # answers the stored row, never a second one (services.activity_log_once).
    client_uuid = models.UUIDField(_("device's identifier"), null=True, blank=True, editable=False)
    # Set by an import from a spreadsheet or KoboToolbox (microprojects.imports): the row's own key
    # in the organisation's file, so the same file imported again changes nothing.
    external_id = models.CharField(_("external ID"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["project", "-date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_new__isnull=True)
                | Q(participants_new__lte=models.F("participants_total")),
                name="activity_new_within_total",
            ),
            models.UniqueConstraint(fields=["client_uuid"], name="activity_client_uuid_unique"),
            models.UniqueConstraint(
                fields=["project", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.date}: {self.title}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("An Interreg RCO/RCR or IRIS+ code, if any.")
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    # Set by an import from a spreadsheet or KoboToolbox (microprojects.imports): the row's own key
    # in the organisation's file, so the same file imported again changes nothing.
    external_id = models.CharField(_("external ID"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "name", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"],
                condition=~Q(external_id=""),
                name="indicator_external_id_unique",
            ),
        ]

    def __str__(self):
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As Activity.client_uuid (services.measurement_record_once).
    client_uuid = models.UUIDField(_("device's identifier"), null=True, blank=True, editable=False)
    # Set by an import from a spreadsheet or KoboToolbox (microprojects.imports): the row's own key
    # in the organisation's file, so the same file imported again changes nothing.
    external_id = models.CharField(_("external ID"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    # Corrections and deletions keep the earlier values (issue #16: a wrong value can be corrected).
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "-date", "-id"])]
        constraints = [
            models.UniqueConstraint(fields=["client_uuid"], name="measurement_client_uuid_unique"),
            models.UniqueConstraint(
                fields=["indicator", "external_id"],
                condition=~Q(external_id=""),
                name="measurement_external_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.date})"


class FiguresSnapshot(models.Model):
    """Figures that would read every row of the programme, computed once and kept here for the
    pages (docs/performance.md, "Precomputed figures"). One row per scope; SCOPE_PROGRAMME holds the
    figures of every project, which only users who see every project (coordinators) are shown.

    `changed_at` moves whenever a service changes what the figures count; the refresh task
    recomputes when it is later than `computed_at` (the moment the last computation started)."""

    SCOPE_PROGRAMME = "programme"

    scope = models.CharField(max_length=40, unique=True)
    figures = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")

    def __str__(self):
        return f"{self.scope} ({self.computed_at})"

    @property
    def is_stale(self) -> bool:
        return self.computed_at is None or self.changed_at > self.computed_at


class ColumnMapping(models.Model):
    """How the columns of an organisation's KoboToolbox export become activities: chosen once,
    saved under a name, reused for the next export of the same form (microprojects.imports)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="column_mappings", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    # CSV column heading -> activity field (microprojects.imports.sheets.KOBO_FIELDS), "" = ignored.
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="column_mapping_name_unique"),
        ]

    def __str__(self):
        return self.name


class ImportJob(models.Model):
    """A file brought in by an organisation's staff: checked first (the dry run: what would be
    created or changed, every error by row and column), imported once confirmed. The file is kept
    in the row (it is small: microprojects.imports.files.MAX_BYTES)."""

    class Status(models.TextChoices):
        CHECKING = "checking", pgettext_lazy("import status", "Being checked")
        NEEDS_MAPPING = "needs_mapping", pgettext_lazy("import status", "Columns to be chosen")
        INVALID = "invalid", pgettext_lazy("import status", "Has errors")
        CHECKED = "checked", pgettext_lazy("import status", "Ready to import")
        IMPORTING = "importing", pgettext_lazy("import status", "Being imported")
        IMPORTED = "imported", pgettext_lazy("import status", "Imported")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    ACTIVE = (Status.CHECKING, Status.IMPORTING)

    class Source(models.TextChoices):
        SPREADSHEET = "xlsx", _("SEMPRE spreadsheet (XLSX)")
        KOBO = "csv", _("KoboToolbox export (CSV)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("organisation")
    )
    source = models.CharField(_("kind of file"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    # A KoboToolbox export: the mapping chosen (its columns copied into `columns`, so a later edit
    # of the mapping does not change what this job checked), and the project for rows without one.
    mapping = models.ForeignKey(
        ColumnMapping, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    columns = models.JSONField(default=dict, blank=True)
    project = models.ForeignKey(
        MicroProject, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    # {"error": file-level message, "sheets": [{"name", "rows": [...], "counts": {...}}]}
    dry_run = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return self.filename

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
