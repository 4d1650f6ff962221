"""Accelerator: rounds, criteria, applications, reviews, decisions, and the start-ups that follow.

State changes go through `accelerator.services`; these models only hold data and a few derived
properties. Scores are stored as given by the reviewer; the ranking (`accelerator.ranking`) derives
everything else, so it can always be recomputed from the inputs.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from microprojects.models import MicroProject


class TieBreak(models.TextChoices):
    """Keys applied in order when two applications have the same score (rounded to 4 places)."""

    MEDIAN = "median", _("Higher median total")
    TOP_CRITERION = "top_criterion", _("Higher mean on the most heavily weighted criterion")
    LOWER_SPREAD = "lower_spread", _("Less disagreement between reviewers")
    EARLIER_SUBMISSION = "earlier_submission", _("Earlier submission")


DEFAULT_TIE_BREAK = [
    TieBreak.MEDIAN,
    TieBreak.TOP_CRITERION,
    TieBreak.LOWER_SPREAD,
    TieBreak.EARLIER_SUBMISSION,
]


def default_tie_break():
    return [str(key) for key in DEFAULT_TIE_BREAK]


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("round status", "Draft")
        OPEN = "open", _("Open for applications")
        REVIEWING = "reviewing", _("Reviewing")
        DECIDING = "deciding", _("Deciding")
        DECIDED = "decided", _("Decided")

    # The only moves `round_transition` accepts; "decided" is reached by closing the decision.
    TRANSITIONS = {
        Status.DRAFT: (Status.OPEN,),
        Status.OPEN: (Status.REVIEWING,),
        Status.REVIEWING: (Status.DECIDING,),
        Status.DECIDING: (),
        Status.DECIDED: (),
    }

    class Normalisation(models.TextChoices):
        SHRINKAGE = "shrinkage", _("Shrinkage estimate of each reviewer's leniency")
        ZSCORE = "zscore", _("z-score within reviewer, rescaled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    review_deadline = models.DateTimeField(_("review deadline"))
    places = models.PositiveSmallIntegerField(_("places"), default=8, validators=[MinValueValidator(1)])
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3, validators=[MinValueValidator(1)]
    )
    quotas = models.JSONField(
        _("quotas"),
        default=list,
        blank=True,
        help_text=_(
            'A list of rules, e.g. [{"attribute": "country", "max": 2}] or '
            '[{"attribute": "setting", "value": "rural", "min": 4}].'
        ),
    )
    tie_break = models.JSONField(_("tie-break order"), default=default_tie_break)
    blind_review = models.BooleanField(_("blind review"), default=True)
    normalisation = models.CharField(
        _("reviewer normalisation method"),
        max_length=16,
        choices=Normalisation.choices,
        default=Normalisation.SHRINKAGE,
    )
    questions = models.JSONField(_("questions to applicants"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Moves on every change the ranking depends on (services.round_ranking_changed); the cached
    # ranking (selectors.round_ranking) is kept per version.
    ranking_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("closes_at")), name="round_review_after_close"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def allowed_transitions(self):
        return self.TRANSITIONS[self.Status(self.status)]


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    guidance = models.JSONField(
        _("guidance per level"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"0": "absent", "5": "excellent"}'),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["round_id", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_order"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def levels(self):
        """(score, guidance) for every level of the scale, guidance "" where none is given."""
        return [
            (level, self.guidance.get(str(level), "")) for level in range(self.scale_min, self.scale_max + 1)
        ]


class ApplicationQuerySet(models.QuerySet):
    def competing(self):
        """The applications still in the round: a withdrawn one gets no reviewers, no place in the
        ranking, the portfolio or the decisions, and no decision e-mail."""
        return self.exclude(status=Application.Status.WITHDRAWN)


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("Reserve")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="applications")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # Frozen copies of the project's canvas and theory of change at submission (toolkit snapshots),
    # so the application reads the same whatever happens to the tools later.
    sbmc_snapshot = models.ForeignKey(
        "toolkit.Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    toc_snapshot = models.ForeignKey(
        "toolkit.Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # The project's key figures at submission (activities, participants with breakdowns, indicators
    # with progress; counts only, no names): see accelerator.submission.project_figures.
    figures = models.JSONField(_("key figures at submission"), default=dict, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # The language the answers are written in (one of settings.LANGUAGES), shown to reviewers; by
    # default the applicant's language when submitting.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Until the round closes the applicant may change the answers (and freeze the tools again) or
    # withdraw (services.application_update, application_withdraw).
    edited_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="one_application_per_project")
        ]

    def __str__(self):
        return f"{self.project} ({self.round})"


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("review assignment status", "Active")
        CONFLICT = "conflict", _("Withdrawn: conflict of interest")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    same_country = models.BooleanField(
        _("same country"), default=False, help_text=_("The reviewer works in the applicant's country.")
    )
    conflict_reason = models.TextField(_("conflict of interest"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment_per_reviewer"),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"


class ReviewerProfile(models.Model):
    """Where a reviewer comes from: the country used to avoid same-country reviews."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    country = models.CharField(_("country"), max_length=2)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self):
        return f"{self.user} ({self.country})"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (unsure) to 5 (very sure)"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.assignment}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.SmallIntegerField(_("score"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("Reserve")
        REJECTED = "rejected", _("Not selected")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"))
    quota_override_reason = models.TextField(_("reason for breaking a quota"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"


class ImmutableError(Exception):
    pass


class DecisionRecord(models.Model):
    """What was decided and on what basis, frozen when the coordinator closes the decision."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="decision_record")
    payload = models.JSONField(editable=False)
    inputs_sha256 = models.CharField(max_length=64, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")

    def __str__(self):
        return f"{self.round} ({self.inputs_sha256[:12]})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A decision record cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A decision record cannot be deleted.")


class StartUp(models.Model):
    class Stage(models.TextChoices):
        PILOT = "pilot", _("Pilot")
        LAUNCHED = "launched", _("Launched")
        SELF_SUSTAINING = "self_sustaining", _("Self-sustaining")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="startup")
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=120, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PILOT, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("start-up")
        verbose_name_plural = _("start-ups")

    def __str__(self):
        return self.name


class Milestone(models.Model):
    startup = models.ForeignKey(StartUp, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


money = {"max_digits": 12, "decimal_places": 2, "default": 0, "validators": [MinValueValidator(0)]}


class MonthlyFigure(models.Model):
    startup = models.ForeignKey(StartUp, on_delete=models.CASCADE, related_name="figures")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    earned_income = models.DecimalField(_("earned income (EUR)"), **money)
    grants = models.DecimalField(_("grants (EUR)"), **money)
    costs = models.DecimalField(_("costs (EUR)"), **money)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    paid_jobs = models.DecimalField(_("paid jobs (FTE)"), max_digits=6, decimal_places=2, default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)

    class Meta:
        ordering = ["startup_id", "month"]
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["startup", "month"], name="one_figure_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="figure_month_first_day"),
        ]

    def __str__(self):
        return f"{self.startup} {self.month:%Y-%m}"

    @property
    def self_sufficiency(self) -> Decimal | None:
        """Earned income / costs; None when there were no costs."""
        if not self.costs:
            return None
        return (self.earned_income / self.costs).quantize(Decimal("0.001"))


class MentoringSession(models.Model):
    startup = models.ForeignKey(StartUp, on_delete=models.CASCADE, related_name="mentoring_sessions")
    date = models.DateField(_("date"))
    mentor = models.CharField(_("mentor"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self):
        return f"{self.startup} {self.date}"
