"""Forms of the progress report pages: they shape input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sempre.forms import DateInput

from ..models import ProgressReport
from . import services


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    due = forms.DateField(
        label=_("Due date"),
        widget=DateInput(),
        help_text=_("The day by which the teams submit their reports."),
    )


def _narrative_field(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=True,
        max_length=services.NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class NarrativeForm(forms.Form):
    """The team's words. All three may be left empty while writing; submitting needs all three."""

    highlights = _narrative_field(
        _("Highlights"), _("What went well in this period: results, moments, what participants said.")
    )
    problems = _narrative_field(
        _("Problems and deviations"), _("What did not go as planned, and what you changed because of it.")
    )
    next_steps = _narrative_field(_("Next steps"), _("What you will do in the next period."))

    def __init__(self, *args, report: ProgressReport, **kwargs):
        kwargs.setdefault(
            "initial", {name: getattr(report, name) for name in ProgressReport.NARRATIVE_FIELDS}
        )
        super().__init__(*args, **kwargs)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, an image or an office document (Word, Excel, LibreOffice), at most 10 MB."),
    )
    description = forms.CharField(label=_("What it shows"), required=False, max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return to the team"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=services.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you return the report: say what the team should change."),
    )
