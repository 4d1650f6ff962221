"""Parameters of report kinds, as forms: they validate a request (from the UI or the API) and limit
every choice to what the requester may see, so asking for another organisation's project is refused
like an unknown one.

The engine's own forms are here (no parameters; the programme filters by country, organisation and
period); a kind whose parameters are objects of an app (a project, an accelerator round) gets its
form from that app (`microprojects/reports.py`, `accelerator/reports.py`), a subclass of
`ReportParamsForm`."""

from datetime import date

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sempre.selectors import organisations_visible_to


class ReportParamsForm(forms.Form):
    legend = ""  # the fieldset's legend on the Reports page

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class NoParams(ReportParamsForm):
    pass


class ProgrammeParams(ReportParamsForm):
    legend = _("For programme reports (optional filters)")
    country = forms.ChoiceField(label=_("Country"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("There is no such organisation.")},
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["organisation"].queryset = organisations_visible_to(user).order_by("name")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period must be on or after its start."))
        return cleaned


def type_errors(form: forms.Form, params: dict) -> dict[str, str]:
    """Parameters whose JSON type the form would misread, by name: an object's id is a whole number
    (or its digits as text), never `true` (which Python takes for 1) nor a fraction; any other
    parameter is text or a number, never an array or an object (issue #19). A web form sends text
    only, so this matters for the API."""
    errors = {}
    for name, value in params.items():
        field = form.fields.get(name)
        if field is None or value is None:
            continue
        if isinstance(field, forms.ModelChoiceField):
            if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit())
            ):
                errors[name] = _("Expected the id of one %(thing)s (a whole number), got %(value)s.") % {
                    "thing": field.queryset.model._meta.verbose_name,
                    "value": _json_type(value),
                }
        elif isinstance(value, bool | list | dict):
            errors[name] = _("Expected text or a number, got %(value)s.") % {"value": _json_type(value)}
    return errors


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, float):
        return _("a fraction")
    return _("text")


def normalise(cleaned: dict) -> dict:
    """Cleaned form data as plain JSON (ids, ISO dates, codes), without empty values, so that two
    identical requests have identical parameters."""
    plain = {}
    for name, value in cleaned.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        elif not isinstance(value, bool | int | float | str):
            value = str(value)
        plain[name] = value
    return plain
