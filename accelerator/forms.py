"""Forms for the accelerator pages: they check the shape of the input; services apply the rules."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sempre.forms import ServiceModelForm

from .models import Criterion, Decision, Milestone, MonthlyFigure, Review, Round, StartUp, TieBreak

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(ServiceModelForm):
    tie_break = forms.CharField(
        label=_("Tie-break order"),
        help_text=_("Keys separated by commas, applied in order: %(keys)s.")
        % {"keys": ", ".join(f"{k} ({label})" for k, label in TieBreak.choices)},
    )
    quotas = forms.CharField(
        label=_("Quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "JSON, e.g. "
            '[{"attribute": "country", "max": 2}, {"attribute": "setting", "value": "rural", "min": 3}]'
        ),
    )
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
        self.initial.setdefault("tie_break", ", ".join(instance.tie_break))
        self.initial["quotas"] = json.dumps(instance.quotas) if instance.quotas else ""
        self.initial["questions"] = "\n".join(instance.questions)
        for name in ("opens_at", "closes_at", "review_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_tie_break(self):
        return [part.strip() for part in self.cleaned_data["tie_break"].split(",") if part.strip()]

    def clean_quotas(self):
        text = self.cleaned_data["quotas"].strip()
        if not text:
            return []
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("This is not valid JSON.")) from error

    def clean_questions(self):
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]


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
    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.questions = list(questions)

    def answers(self) -> dict:
        return {q: self.cleaned_data[f"q{i}"] for i, q in enumerate(self.questions)}


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
