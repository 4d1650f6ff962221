"""Empowerment tools as data.

A `ToolTemplate` (with its `Block`s) is loaded from toolkit/fixtures/templates/<slug>.json, so a new
canvas needs a fixture, not code. A `ToolInstance` is one project's copy of a template: canvases hold
`Entry` rows per block; the Theory of Change holds a graph of `Outcome`s, `CausalLink`s,
`Intervention`s and `Assumption`s. Every write bumps `ToolInstance.version` (optimistic locking).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from microprojects.models import Indicator, MicroProject

TEXT_FIELDS = ("label", "guiding_question", "plain_question")


class ToolTemplate(models.Model):
    class Kind(models.TextChoices):
        CANVAS = "canvas", _("Canvas")
        GRAPH = "graph", _("Theory of Change graph")

    slug = models.SlugField(_("slug"), unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CANVAS)
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    # Size of the classic board layout, in grid cells; blocks are placed on this grid.
    layout_columns = models.PositiveSmallIntegerField(default=1)
    layout_rows = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)
    translations = models.JSONField(default=dict, blank=True, help_text=_("{language: {name, description}}"))

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tool template")
        verbose_name_plural = _("tool templates")

    def __str__(self):
        return self.display_name()

    @property
    def is_graph(self) -> bool:
        return self.kind == self.Kind.GRAPH

    def display_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        return (self.translations.get(language) or {}).get("name") or self.name


class Block(models.Model):
    """One area of a canvas (or, for the Theory of Change, one kind of element a client may suggest)."""

    template = models.ForeignKey(ToolTemplate, on_delete=models.CASCADE, related_name="blocks")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=200)
    guiding_question = models.TextField(_("guiding question"), blank=True)
    plain_question = models.TextField(_("plain-language question"), blank=True)
    # Position on the template's layout grid (1-based), as in the classic printed canvas.
    column = models.PositiveSmallIntegerField(default=1)
    row = models.PositiveSmallIntegerField(default=1)
    column_span = models.PositiveSmallIntegerField(default=1)
    row_span = models.PositiveSmallIntegerField(default=1)
    translations = models.JSONField(
        default=dict, blank=True, help_text=_("{language: {label, guiding_question, plain_question}}")
    )

    class Meta:
        ordering = ["template_id", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_block_key")]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self):
        return self.text().get("label", self.label)

    def text(self, language: str | None = None) -> dict[str, str]:
        """label, guiding_question and plain_question in `language` (default: the active one),
        each falling back to English when not translated."""
        language = (language or get_language() or "en").split("-")[0]
        translated = self.translations.get(language) or {}
        return {field: translated.get(field) or getattr(self, field) for field in TEXT_FIELDS}

    @property
    def display_label(self) -> str:
        return self.text()["label"]


class ToolInstance(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("tool status", "Draft")
        COMPLETE = "complete", pgettext_lazy("tool status", "Complete")

    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="tools")
    template = models.ForeignKey(ToolTemplate, on_delete=models.PROTECT, related_name="instances")
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Provenance of a tool copied from another project's snapshot ("Adapt this" on a practice case):
    # what it was adapted from, in words (the case's title), and the snapshot itself. The source
    # project stays private: the tool page shows the words, never a link into that project.
    adapted_from = models.CharField(_("adapted from"), max_length=300, blank=True)
    adapted_from_snapshot = models.ForeignKey(
        "Snapshot", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "template"])]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")

    def __str__(self):
        return self.title or str(self.template)

    @property
    def display_title(self) -> str:
        return self.title or self.template.display_name()

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class Entry(models.Model):
    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        CLIENT = "client", _("Client")
        ON_BEHALF = "on_behalf", _("Staff on behalf of a client")

    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="entries")
    block_key = models.SlugField(_("block"), max_length=60)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)
    language = models.CharField(_("language"), max_length=10, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.STAFF)
    client_label = models.CharField(_("client pseudonym"), max_length=80, blank=True)
    # Links that make the tools one system.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="canvas_entries"
    )
    intervention = models.ForeignKey(
        "Intervention", on_delete=models.SET_NULL, null=True, blank=True, related_name="canvas_entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instance_id", "block_key", "order", "id"]
        indexes = [models.Index(fields=["instance", "block_key", "order"])]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self):
        return self.text[:80]


class Outcome(models.Model):
    class Level(models.TextChoices):
        IMPACT = "impact", _("Impact")
        LONG_TERM = "long_term", _("Long-term outcome")
        INTERMEDIATE = "intermediate", _("Intermediate outcome")
        EARLY = "early", _("Early outcome")

    # Top to bottom in the diagram.
    LEVEL_ORDER = (Level.IMPACT, Level.LONG_TERM, Level.INTERMEDIATE, Level.EARLY)

    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="outcomes")
    text = models.CharField(_("text"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.EARLY)
    above_ceiling = models.BooleanField(
        _("above the ceiling of accountability"),
        default=False,
        help_text=_("The project contributes to it but cannot be held accountable for it alone."),
    )
    indicators = models.ManyToManyField(
        Indicator, related_name="toc_outcomes", blank=True, verbose_name=_("indicators")
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instance_id", "order", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.text

    @property
    def level_rank(self) -> int:
        return self.LEVEL_ORDER.index(self.Level(self.level))


class CausalLink(models.Model):
    class Kind(models.TextChoices):
        CAUSAL = "causal", _("Causal")
        FEEDBACK = "feedback", _("Feedback")

    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="incoming_links")
    rationale = models.TextField(
        _("rationale"), blank=True, help_text=_("Why does the one lead to the other?")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CAUSAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instance_id", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_causal_link")]
        verbose_name = _("causal link")
        verbose_name_plural = _("causal links")

    def __str__(self):
        return f"{self.source} → {self.target}"


class Intervention(models.Model):
    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="interventions")
    text = models.CharField(_("text"), max_length=300)
    outputs = models.TextField(_("outputs"), blank=True, help_text=_("What the intervention produces."))
    outcomes = models.ManyToManyField(
        Outcome, related_name="interventions", blank=True, verbose_name=_("outcomes it serves")
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instance_id", "order", "id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self):
        return self.text


class Assumption(models.Model):
    class Status(models.TextChoices):
        UNTESTED = "untested", _("Not yet checked")
        HOLDS = "holds", _("Holds")
        DOUBTFUL = "doubtful", _("Doubtful")
        FAILED = "failed", _("Does not hold")

    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="assumptions")
    text = models.TextField(_("text"))
    link = models.ForeignKey(
        CausalLink, on_delete=models.CASCADE, null=True, blank=True, related_name="assumptions"
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="assumptions"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNTESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instance_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(link__isnull=True, outcome__isnull=False)
                | Q(link__isnull=False, outcome__isnull=True),
                name="assumption_on_link_or_outcome",
            )
        ]
        verbose_name = _("assumption")
        verbose_name_plural = _("assumptions")

    def __str__(self):
        return self.text[:80]


class Snapshot(models.Model):
    """A frozen copy of a tool instance's content (see `services.instance_state`)."""

    instance = models.ForeignKey(ToolInstance, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveIntegerField(_("number"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    instance_version = models.PositiveIntegerField(_("tool version"))
    data = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instance_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["instance", "number"], name="unique_snapshot_number")]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self):
        return f"#{self.number} {self.note}".strip()
