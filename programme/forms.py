"""Web forms of the crosswalk and the framework totals."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .models import FrameworkIndicator, IndicatorMapping, ReportingPeriod
from .selectors import framework_indicators_to_map

PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class FrameworkIndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: FrameworkIndicator) -> str:
        return f"{obj.framework.display_name()}: {obj.code} {obj.display_name()}"


class MappingForm(forms.Form):
    framework_indicator = FrameworkIndicatorChoice(
        label=_("Framework indicator"), queryset=FrameworkIndicator.objects.none(), required=False
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=IndicatorMapping.Relation.choices,
        initial=IndicatorMapping.Relation.EQUIVALENT,
        help_text=_(
            "Equivalent: measures the same thing. Contributes to: counts part of it. "
            "Proxy: stands in for it where it is not measured."
        ),
    )
    factor = forms.DecimalField(
        label=_("Conversion factor"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=4,
        initial=1,
        help_text=_("The project's value is multiplied by this to give the framework's value."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_indicator"].queryset = framework_indicators_to_map()


def parse_period(value: str) -> tuple[date, date]:
    """ "2026-01-01..2026-06-30" -> (date, date); ValueError when it is not two dates in order."""
    match = PERIOD.match(value.strip())
    if not match:
        raise ValueError(value)
    first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
    if last < first:
        raise ValueError(value)
    return first, last


class TotalsForm(forms.Form):
    """?period=YYYY-MM-DD..YYYY-MM-DD or a reporting period's id, &country=ISO (both optional), for
    the page and the API."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        help_text=_("From..to, for example 2026-01-01..2026-06-30, or a reporting period's number."),
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(self.fields["country"].choices)
        self.fields["country"].choices = [("", _("All countries")), *choices[1:]]

    def clean_period(self):
        value = self.cleaned_data["period"]
        if not value:
            return None
        if value.isascii() and value.isdigit():
            period = ReportingPeriod.objects.filter(pk=int(value)).first()
            if period is None:
                raise forms.ValidationError(_("There is no reporting period %(id)s.") % {"id": value})
            return period.start, period.end
        try:
            return parse_period(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the period as two dates, the first not after the second: 2026-01-01..2026-06-30.")
            ) from None
