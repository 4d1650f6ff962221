"""Methods (data, like tool templates) and practice cases (docs/exchange.md)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from microprojects.models import TargetGroup
from toolkit.models import ToolTemplate

# The texts of a method that are translated; "steps" is a list of strings, the others are strings.
METHOD_TEXT_FIELDS = (
    "title",
    "purpose",
    "when_to_use",
    "steps",
    "time_needed",
    "group_size",
    "materials",
    "low_literacy",
    "no_shared_language",
    "disabilities",
)
# Accessibility needs a method has a note for (the library's filter), in display order.
ACCESSIBILITY_NEEDS = ("low_literacy", "no_shared_language", "disabilities")


class Method(models.Model):
    """A way of working with a group, loaded from exchange/fixtures/methods/<slug>.json.

    English texts in the columns, every other language in `translations`
    ({language: {field: text}}); a missing translation falls back to English.
    """

    slug = models.SlugField(_("slug"), unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    when_to_use = models.TextField(_("when to use it"), blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True, help_text=_("An ordered list of steps."))
    time_needed = models.CharField(_("time needed"), max_length=200, blank=True)
    group_size = models.CharField(_("group size"), max_length=200, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    # Accessibility notes: how to run the method with people who ... (empty: no advice given).
    low_literacy = models.TextField(_("people who read little"), blank=True)
    no_shared_language = models.TextField(_("no shared language"), blank=True)
    disabilities = models.TextField(_("people with disabilities"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="methods", blank=True, verbose_name=_("target groups")
    )
    tool_template = models.ForeignKey(
        ToolTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="methods",
        verbose_name=_("related tool"),
    )
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    translations = models.JSONField(default=dict, blank=True, help_text=_("{language: {field: text}}"))

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("method")
        verbose_name_plural = _("methods")

    def __str__(self):
        return self.text()["title"]

    def text(self, language: str | None = None) -> dict:
        """Every text field in `language` (default: the active one), each falling back to English."""
        language = (language or get_language() or "en").split("-")[0]
        translated = self.translations.get(language) or {}
        return {field: translated.get(field) or getattr(self, field) for field in METHOD_TEXT_FIELDS}

    @property
    def display_title(self) -> str:
        return self.text()["title"]
