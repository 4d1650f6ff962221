"""Form plumbing shared by the web UI of every app.

Forms validate input field by field and hand the cleaned data to a service. The service holds the
business rules; when it refuses, its `ValidationError` (keyed by field name) is put back on the
form, so the error shows next to the field it names.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .languages import language_codes, language_of


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names when the form has
    that field, at the top of the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, list(errors))  # ValidationErrors keep their codes (form.has_error)
            continue
        messages = [message for item in errors for message in item.messages]
        target = None
        if target is None and field != "__all__":
            label = _field_label(form, field)
            messages = [f"{label}: {message}" for message in messages] if label else messages
        form.add_error(target, messages)


def _field_label(form, field: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(field).verbose_name).capitalize()
    except Exception:  # an unknown field name: show the message without a label
        return ""


class ServiceModelForm(forms.ModelForm):
    """A ModelForm used for its fields, labels and widgets only.

    It does not validate or save the model instance: the service does both, inside its
    transaction. `service_data()` is what to pass to the service.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        # Django would copy the data onto the instance and run model validation here; that is
        # the service's job, so that the rules live in one place and the instance stays untouched
        # until the service changes it.
        pass

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def save(self, commit=True):  # pragma: no cover - a guard against bypassing the service
        raise NotImplementedError("Call the service with form.service_data() instead.")


class DateInput(forms.DateInput):
    """A native date picker (accepts ISO dates, which is what browsers send)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CountInput(forms.NumberInput):
    """A whole-number input that brings up the number keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "min": "0", "step": "1", **(attrs or {})})


class DecimalInput(forms.NumberInput):
    """A decimal input with the decimal keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "step": "any", **(attrs or {})})


# Audit log filter (security) --------------------------------------------------------------------

AUDIT_COLUMNS = (
    "at",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "data",
    "ip_address",
)


class AuditFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Kind of action"), required=False)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from .audit import GROUPS

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All")), *GROUPS.items()]

    def filter(self, events):
        data = self.cleaned_data
        if data.get("group"):
            events = events.filter(action__startswith=data["group"] + ".")
        if data.get("user"):
            events = events.filter(actor_label__iexact=data["user"].strip())
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        return events


class LanguageSelect(forms.Select):
    """Each language named in itself ("Latviešu", "العربية") and marked with its `lang`, so a person
    finds theirs whatever language the page is in, and a screen reader says it right."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class AccountLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        widget=LanguageSelect,
        help_text=_("Your pages, e-mails and reports use it, on every device you log in on."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Not chosen: the language this browser asks for")),
            *((code, get_language_info(code)["name_local"]) for code in language_codes()),
        ]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, with the e-mail in the language saved on the account it is for (the
    person asking may be on someone else's phone); the language of the page asked from otherwise."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context["user"], fallback=translation.get_language())):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. the program that uses it."),
    )
