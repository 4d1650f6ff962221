"""Forms for the accelerator pages: they check the shape of the input; services apply the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from microprojects.models import MicroProject
from sempre.forms import ServiceModelForm

from .models import Criterion, Decision, Milestone, MonthlyFigure, Review, Round, StartUp, TieBreak

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


TIE_BREAK_LABELS = (_("First"), _("Then"), _("Then"), _("Then"))
QUOTA_ATTRIBUTES = (
    ("", "—"),
    ("country", _("Country")),
    ("setting", _("Rural or urban")),
    ("organisation", _("Organisation")),
)
QUOTA_BOUNDS = (("max", _("at most")), ("min", _("at least")))
QUOTA_BLANK_ROWS = 2  # empty rules offered below the round's own, for adding one without JavaScript


def _quota_values():
    """Values a rule may be limited to: each setting, each country the programme works in (first),
    then every other country. Empty: every value counts on its own ("at most 2 from any one country")."""
    programme = set(MicroProject.objects.values_list("country", flat=True).distinct())
    return [
        ("", _("each one separately")),
        (_("Rural or urban"), list(MicroProject.Setting.choices)),
        (_("The programme's countries"), [(c.code, c.name) for c in countries if c.code in programme]),
        (_("Other countries"), [(c.code, c.name) for c in countries if c.code and c.code not in programme]),
    ]


class RoundForm(ServiceModelForm):
    """Quotas and tie-breaks are chosen with form controls: each quota rule is a row of four
    fields (quota_N_attribute, _value, _bound, _number), the tie-break order a row of selects
    (tie_break_1..4). `service_data()` turns them into the lists the service takes."""

    # Not inputs: they hold the service's errors about the order and the rules, shown in their
    # fieldsets (the controls are tie_break_N and quota_N_*).
    tie_break = forms.Field(required=False, widget=forms.HiddenInput)
    quotas = forms.Field(required=False, widget=forms.HiddenInput)
    questions = forms.CharField(
        label=_("Questions to applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line."),
    )

    class Meta:
        model = Round
        fields = [
            "title",
            "description",
            "opens_at",
            "closes_at",
            "review_deadline",
            "places",
            "reviewers_per_application",
            "blind_review",
            "normalisation",
        ]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "review_deadline": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.initial["questions"] = "\n".join(instance.questions)
        for name in ("opens_at", "closes_at", "review_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        tie_choices = [("", "—"), *TieBreak.choices]
        for position, label in enumerate(TIE_BREAK_LABELS, start=1):
            self.fields[f"tie_break_{position}"] = forms.ChoiceField(
                label=label, choices=tie_choices, required=False
            )
            keys = list(instance.tie_break or [])
            self.initial.setdefault(
                f"tie_break_{position}", keys[position - 1] if position <= len(keys) else ""
            )
        quotas = list(instance.quotas or []) if isinstance(instance.quotas, list) else []
        if self.is_bound:
            rows = {k.split("_")[1] for k in self.data if k.startswith(self.add_prefix("quota_"))}
            count = max((int(n) for n in rows if n.isdigit()), default=0)
        else:
            count = len(quotas) + QUOTA_BLANK_ROWS
        values = _quota_values()
        for index in range(1, count + 1):
            rule = quotas[index - 1] if index <= len(quotas) and isinstance(quotas[index - 1], dict) else {}
            bound = "min" if "min" in rule else "max"
            self.fields[f"quota_{index}_attribute"] = forms.ChoiceField(
                label=_("Count projects by"),
                choices=QUOTA_ATTRIBUTES,
                required=False,
                initial=rule.get("attribute", ""),
            )
            self.fields[f"quota_{index}_value"] = forms.ChoiceField(
                label=_("Only"), choices=values, required=False, initial=str(rule.get("value", ""))
            )
            self.fields[f"quota_{index}_bound"] = forms.ChoiceField(
                label=_("Limit"), choices=QUOTA_BOUNDS, initial=bound
            )
            self.fields[f"quota_{index}_number"] = forms.IntegerField(
                label=_("Number of projects"), min_value=0, required=False, initial=rule.get(bound)
            )
        self.quota_count = count

    # Groups of fields for the template --------------------------------------------------------

    def main_fields(self):
        return [
            f
            for f in self
            if f.name not in ("tie_break", "quotas") and not f.name.startswith(("tie_break_", "quota_"))
        ]

    def tie_break_fields(self):
        return [self[f"tie_break_{position}"] for position in range(1, len(TIE_BREAK_LABELS) + 1)]

    def quota_rows(self):
        return [
            (index, [self[f"quota_{index}_{part}"] for part in ("attribute", "value", "bound", "number")])
            for index in range(1, self.quota_count + 1)
        ]

    # Cleaning ---------------------------------------------------------------------------------

    def clean(self):
        """Assemble the lists the service takes. Whether they are right (a rule repeated, a rule
        without its number) is the service's to say, so that it comes with every other error."""
        cleaned = super().clean()
        cleaned["tie_break"] = [
            cleaned[f"tie_break_{position}"]
            for position in range(1, len(TIE_BREAK_LABELS) + 1)
            if cleaned.get(f"tie_break_{position}")
        ]
        quotas = []
        for index in range(1, self.quota_count + 1):
            attribute = cleaned.get(f"quota_{index}_attribute")
            if not attribute:
                continue  # an empty row, or one being removed
            rule = {
                "attribute": attribute,
                cleaned.get(f"quota_{index}_bound") or "max": cleaned.get(f"quota_{index}_number"),
            }
            if cleaned.get(f"quota_{index}_value"):
                rule["value"] = cleaned[f"quota_{index}_value"]
            quotas.append(rule)
        cleaned["quotas"] = quotas
        return cleaned

    def clean_questions(self):
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(("tie_break_", "quota_"))}
        return data


class CriterionForm(ServiceModelForm):
    guidance = forms.CharField(
        label=_("Guidance per level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One level per line, e.g. “5: strong evidence from clients”."),
    )

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_min", "scale_max"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_guidance(self):
        guidance = {}
        for line in self.cleaned_data["guidance"].splitlines():
            if not line.strip():
                continue
            level, _sep, text = line.partition(":")
            if not level.strip().lstrip("-").isdigit() or not text.strip():
                raise forms.ValidationError(_("Write each line as “level: text”."))
            guidance[str(int(level))] = text.strip()
        return guidance


class ApplicationForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of this application"),
        choices=settings.LANGUAGES,
        required=False,  # left out: the language of the page
        help_text=_("The language your answers are written in: the reviewers see it."),
    )

    def __init__(self, *args, questions=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question, widget=forms.Textarea(attrs={"rows": 3}), initial=answers.get(question, "")
            )
        self.questions = list(questions)
        # After the answers: they are about them.
        for name in ("language", "refreeze"):
            if name in self.fields:
                self.fields[name] = self.fields.pop(name)
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = (get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def answers(self) -> dict:
        return {q: self.cleaned_data[f"q{i}"] for i, q in enumerate(self.questions)}


class ApplicationEditForm(ApplicationForm):
    """Change an application until the round closes (docs/accelerator.md, "Changing an application")."""

    refreeze = forms.BooleanField(
        label=_("Freeze the project's canvas, Theory of Change and key figures again, as they are now"),
        required=False,
        help_text=_("Leave it unticked to keep what was frozen when you applied."),
    )


class AssignForm(forms.Form):
    application = forms.ModelChoiceField(queryset=None, label=_("Application"))
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Reviewer"))

    def __init__(self, *args, applications, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["reviewer"].queryset = reviewers


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Review.Recommendation.choices], required=False
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        choices=[("", "—"), *((i, str(i)) for i in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 (unsure) to 5 (very sure)"),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [("", "—")] + [
                (level, f"{level}: {text}" if text else str(level)) for level, text in criterion.levels
            ]
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]


class ReviewerCountryForm(forms.Form):
    country = CountryField().formfield(label=_("Country"))


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict of interest?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}))
    quota_override_reason = forms.CharField(
        label=_("Reason for breaking a quota (if any)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


class CloseForm(forms.Form):
    quota_override_reason = forms.CharField(
        label=_("Reason for missing a minimum quota (if any)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Closing cannot be undone and e-mails every applicant: the page asks for a tick first.
    confirm = forms.BooleanField(
        label=_("I have checked the decisions: close the selection and e-mail the applicants"),
        error_messages={"required": _("Tick the box to confirm that the selection can be closed.")},
    )


class StartUpForm(ServiceModelForm):
    class Meta:
        model = StartUp
        fields = ["name", "legal_form", "founded"]
        widgets = {"founded": DATE}


class FigureForm(ServiceModelForm):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    # Shown only once the month turns out to be recorded already (the service's "already_recorded").
    replace = forms.BooleanField(label=_("Yes, replace the figures recorded for this month"), required=False)

    @property
    def asks_to_replace(self) -> bool:
        return self.has_error("month", "already_recorded") or bool(self.data.get(self.add_prefix("replace")))

    class Meta:
        model = MonthlyFigure
        fields = [
            "month",
            "earned_income",
            "grants",
            "costs",
            "customers",
            "paid_jobs",
            "volunteers",
            "beneficiaries",
        ]


class MilestoneForm(ServiceModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due", "done_on", "evidence"]
        widgets = {"due": DATE, "done_on": DATE, "evidence": forms.Textarea(attrs={"rows": 2})}


class MentoringForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    mentor = forms.CharField(label=_("Mentor"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
