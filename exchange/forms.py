"""Forms of the practice cases' pages: validate, then the services write (exchange.services.cases)."""

from django import forms
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from microprojects.models import TargetGroup

from .models import Case, Method
from .selectors import case_project_choices, case_quotes, projects_to_adapt_into, quotable_for_case

TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "what_we_did",
    "what_changed",
    "lessons",
    "costs_and_time",
    "contact_role",
    "language",
)


class SnapshotChoice(forms.ModelChoiceField):
    def label_from_instance(self, snapshot):
        when = f"{snapshot.created_at:%Y-%m-%d}"
        return f"{snapshot.instance.display_title} · #{snapshot.number} {snapshot.note} ({when})"


class QuotedStoriesChoice(forms.ModelMultipleChoiceField):
    """A story as the team chooses it: the teller's nickname (or "A client"), what changed in one
    line, and its language. Never a recording."""

    def label_from_instance(self, story):
        teller = story.nickname or _("A client")
        change = Truncator(" ".join(story.what_changed.split())).chars(120)
        return f"{teller}: “{change}” ({story.get_language_display()})"


class CaseForm(forms.Form):
    """A case's texts and methods; for an existing case also its outcomes, indicators and
    snapshots (the project's own). A new case first chooses its project."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences another team reads first."),
    )
    problem = forms.CharField(
        label=_("The problem"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_we_did = forms.CharField(
        label=_("What we did"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step a line."),
    )
    what_changed = forms.CharField(
        label=_("What changed"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("What we would do differently"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    costs_and_time = forms.CharField(
        label=_("Costs and time"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_role = forms.CharField(
        label=_("Contact role"),
        max_length=200,
        required=False,
        help_text=_("A role, such as “social worker for young people”, never a person's name or e-mail."),
    )
    language = forms.ChoiceField(label=_("Language of the case"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is None:
            self.fields["project"] = forms.ModelChoiceField(
                label=_("Project"),
                queryset=projects_to_adapt_into(user),
                help_text=_("The project this case tells about."),
            )
            self.order_fields(["project"])  # first: the rest tells about it
        self.fields["methods"] = forms.ModelMultipleChoiceField(
            label=_("Methods used"),
            queryset=Method.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if case is not None:
            choices = case_project_choices(user, case)
            self.fields["outcomes"] = forms.ModelMultipleChoiceField(
                label=_("Outcomes of the Theory of Change it changed"),
                queryset=choices["outcomes"],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["indicators"] = forms.ModelMultipleChoiceField(
                label=_("Indicators whose figures it shows"),
                queryset=choices["indicators"],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Counts from 1 to 4 are shown as “<5”."),
            )
            self.fields["quoted_stories"] = QuotedStoriesChoice(
                label=_("Clients' stories of change to quote"),
                queryset=quotable_for_case(case.project),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Only stories whose tellers let them be published in a practice case. A story "
                    "withdrawn later disappears from the case by itself."
                ),
            )
            snapshots = choices["snapshots"]
            self.fields["canvas_snapshot"] = SnapshotChoice(
                label=_("Snapshot of the canvas"),
                queryset=snapshots.filter(instance__template__slug__in=("sbmc", "bmc")),
                required=False,
                help_text=_(
                    "Others may adapt it into their projects. Client contributions are never copied."
                ),
            )
            self.fields["toc_snapshot"] = SnapshotChoice(
                label=_("Snapshot of the Theory of Change"),
                queryset=snapshots.filter(instance__template__slug="theory-of-change"),
                required=False,
            )
            self.initial.update(
                {
                    **{name: getattr(case, name) for name in TEXT_FIELDS},
                    "methods": list(case.methods.all()),
                    "outcomes": list(case.outcomes.all()),
                    "indicators": list(case.indicators.all()),
                    "quoted_stories": case_quotes(case),
                    "canvas_snapshot": case.canvas_snapshot_id,
                    "toc_snapshot": case.toc_snapshot_id,
                }
            )
        elif user.language:
            self.initial.setdefault("language", user.language)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("project", None)
        return data


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG or PNG, at most 8 MB. Place and camera data are removed. Show no faces without consent."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the team change?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PublishForm(forms.Form):
    """One checkbox per privacy finding: "not personal data"."""

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = findings
        for finding in findings:
            self.fields[f"confirm_{finding.key}"] = forms.BooleanField(
                label=_("Not personal data"), required=False
            )

    def rows(self):
        return [(finding, self[f"confirm_{finding.key}"]) for finding in self.findings]

    def confirmed(self) -> list[str]:
        return [f.key for f in self.findings if self.cleaned_data.get(f"confirm_{f.key}")]


class AdaptForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = forms.ModelChoiceField(
            label=_("Into which of your projects?"), queryset=projects_to_adapt_into(user)
        )


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    share_email = forms.BooleanField(
        label=_("Share my e-mail address with them"),
        help_text=_("Off: they never see your address. On: they see it with this message only."),
        required=False,
    )


class CaseFilterForm(forms.Form):
    """The list's filters, the same as the API's (GET /api/v1/cases/)."""

    search = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.order_by("order", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All target groups"),
    )
    method = forms.ModelChoiceField(
        label=pgettext_lazy("way of working", "Method"),
        queryset=Method.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All methods"),
    )
    outcome = forms.CharField(
        label=_("Outcome area"),
        max_length=100,
        required=False,
        help_text=_("Words of the outcome, such as “employment” or “loneliness”."),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]
        self.fields["status"].choices = [("", _("Any status")), *Case.Status.choices]

    def clean(self):
        cleaned = super().clean()
        for name in ("search", "outcome"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("This text holds a character that is not allowed."))
        return cleaned

    def selector_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "search": (data.get("search") or "").strip(),
            "country": data.get("country") or "",
            "target_group": _slug(data.get("target_group")),
            "method": _slug(data.get("method")),
            "outcome": (data.get("outcome") or "").strip(),
            "language": data.get("language") or "",
            "status": data.get("status") or "",
        }


def _slug(value) -> str:
    return getattr(value, "slug", value) or ""


class CaseApiFilterForm(CaseFilterForm):
    """The API's filters: a method or target group is a slug, and one that names none finds no
    case (the schema cannot list the slugs, which are data)."""

    target_group = forms.SlugField(max_length=50, required=False)
    method = forms.SlugField(max_length=50, required=False)
