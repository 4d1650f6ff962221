"""The web form to ask for a report: the kind, the language, and each kind's parameters. The
parameters are validated again by the service (report_clean_params); this form only shapes them."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sempre.languages import language_of

from .kinds import kinds_for

# A choice among more objects than this (a coordinator's 10,000 projects) is typed as a number, as
# Django's admin does with raw_id_fields: a list of them all would weigh megabytes and take seconds.
CHOICES_LISTED = 100


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kinds = {kind.name: kind for kind in kinds_for(user)}
        self.fields["kind"].choices = [(name, kind.label) for name, kind in self.kinds.items()]
        self.fields["language"].initial = language_of(user, fallback=translation.get_language())
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
                if isinstance(field, forms.ModelChoiceField):
                    _listed_or_typed(field)
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


def _listed_or_typed(field: forms.ModelChoiceField) -> None:
    """Up to CHOICES_LISTED objects: a list, its options from one query. More: a number box (the
    number in the object's address, e.g. /projects/12/); the field checks it against the same
    objects, so one the user may not see is refused like an unknown one."""
    listed = list(field.queryset[: CHOICES_LISTED + 1])
    if len(listed) > CHOICES_LISTED:
        field.widget = forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
        field.help_text = _(
            "Too many to list: type the number at the end of the page address, e.g. 12 for …/12/."
        )
        return
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = [*empty, *((item.pk, field.label_from_instance(item)) for item in listed)]
