"""Methods (data, like tool templates) and practice cases (docs/exchange.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from microprojects.models import Indicator, MicroProject, TargetGroup
from sempre.models import Organisation
from toolkit.models import Outcome, Snapshot, ToolTemplate

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


# Practice cases -------------------------------------------------------------------------------------


class Case(models.Model):
    """A project's practice story, written by its team and published, with care, for every other
    organisation of the programme (docs/exchange.md, "Practice cases"). The project stays private:
    a published case shows what the team chose to say, its chosen figures and snapshots."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("case status", "Submitted")
        PUBLISHED = "published", pgettext_lazy("case status", "Published")
        RETURNED = "returned", pgettext_lazy("case status", "Returned")

    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    problem = models.TextField(_("the problem"), max_length=4000, blank=True)
    what_we_did = models.TextField(
        _("what we did"), max_length=6000, blank=True, help_text=_("One step a line.")
    )
    methods = models.ManyToManyField(Method, related_name="cases", blank=True, verbose_name=_("methods used"))
    what_changed = models.TextField(_("what changed"), max_length=4000, blank=True)
    outcomes = models.ManyToManyField(
        Outcome, related_name="cases", blank=True, verbose_name=_("outcomes of the Theory of Change")
    )
    indicators = models.ManyToManyField(
        Indicator, related_name="cases", blank=True, verbose_name=_("indicators with figures")
    )
    lessons = models.TextField(_("what we would do differently"), max_length=4000, blank=True)
    costs_and_time = models.TextField(_("costs and time"), max_length=2000, blank=True)
    contact_role = models.CharField(
        _("contact role"),
        max_length=200,
        blank=True,
        help_text=_("A role, such as “social worker for young people”, never a person's name or e-mail."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    # The team's choice of its clients' stories to quote. Always read through
    # `selectors.case_quotes` (toolkit.stories' quotable_stories): a story withdrawn, or no longer
    # consented for cases, stays in this table but is never shown.
    quoted_stories = models.ManyToManyField(
        "stories.Story",
        related_name="quoted_in_cases",
        blank=True,
        verbose_name=_("quoted stories of change"),
    )
    canvas_snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("snapshot of the canvas"),
    )
    toc_snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("snapshot of the Theory of Change"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True)
    # The keys of the privacy findings a coordinator confirmed as "not personal data"
    # (exchange.screening); a finding whose text changed has a new key and is asked again.
    confirmed_findings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        verbose_name = _("practice case")
        verbose_name_plural = _("practice cases")

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.what_we_did.splitlines() if line.strip()]


def case_photo_upload_to(photo, filename) -> str:
    # A random name: the file is never served by its path (see exchange views, case_photo).
    return f"exchange/cases/{uuid.uuid4().hex}.{photo.extension}"


class CasePhoto(models.Model):
    """A photo of a case: checked and re-saved by Pillow (no EXIF), stored privately, served only
    through a view that checks the reader may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=case_photo_upload_to, max_length=200)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or f"#{self.pk}"

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


class CaseThread(models.Model):
    """The conversation between a case's team and one organisation that asked about it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="threads")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="case_threads",
        verbose_name=_("asking organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="unique_case_thread_per_organisation"
            )
        ]
        verbose_name = _("conversation about a case")
        verbose_name_plural = _("conversations about cases")

    def __str__(self):
        return f"{self.case} · {self.organisation}"


class CaseMessage(models.Model):
    thread = models.ForeignKey(CaseThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # True: written by the case's team; False: by the asking organisation.
    from_team = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=4000)
    # The author chose to show their e-mail address to the other side with this message (issue #20):
    # only this message shows it, and only theirs.
    share_email = models.BooleanField(_("share my e-mail address with them"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the other side was told by e-mail (the task sends each message once).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["thread_id", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.text[:80]

    @property
    def shared_email(self) -> str | None:
        """The author's address if they chose to share it with this message, else None."""
        if self.share_email and self.author is not None and self.author.email:
            return self.author.email
        return None
