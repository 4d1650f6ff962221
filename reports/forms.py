"""The web form to ask for a report: the kind, the language, and each kind's parameters. The
parameters are validated again by the service (report_clean_params); this form only shapes them."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .kinds import kinds_for


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kinds = {kind.name: kind for kind in kinds_for(user)}
        self.fields["kind"].choices = [(name, kind.label) for name, kind in self.kinds.items()]
        self.fields["language"].initial = translation.get_language()
        # One fieldset per parameters form, in the order of the kinds (labelled by its legend).
        self.fieldsets = []
        seen = set()
        for kind in self.kinds.values():
            params_form = kind.params_form
            if params_form in seen or not params_form.base_fields:
                continue
            seen.add(params_form)
            names = []
            for name, field in params_form(user=user).fields.items():
                field.required = False  # required per kind; the service names what is missing
                self.fields[name] = field
                names.append(name)
            self.fieldsets.append((params_form.legend, names))

    @property
    def bound_fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def params(self) -> dict:
        """The raw parameters of the chosen kind, as the API would send them."""
        kind = self.kinds[self.cleaned_data["kind"]]
        raw = {}
        for name in kind.params_form.base_fields:
            value = self.data.get(name, "")
            if value not in ("", None):
                raw[name] = value
        return raw

    def add_service_errors(self, error) -> None:
        for key, messages in error.message_dict.items():
            name = key.removeprefix("params.")
            self.add_error(name if name in self.fields else None, messages)
