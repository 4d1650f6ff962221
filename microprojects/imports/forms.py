"""Web forms of imports: they clean what the person sent and hand it to the services."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sempre.models import Organisation

from ..models import MicroProject
from . import files, sheets
from .selectors import column_mappings_visible_to


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), required=False)
    mapping = forms.ModelChoiceField(
        queryset=None,
        label=_("Saved column mapping"),
        required=False,
        help_text=_(
            "KoboToolbox exports only. Empty: a mapping with the file's columns, or you choose them next."
        ),
    )
    project = forms.ModelChoiceField(
        queryset=None,
        label=_("Project"),
        required=False,
        help_text=_("KoboToolbox exports only: the project of rows that do not name one."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "The SEMPRE spreadsheet (.xlsx) or a KoboToolbox export (.csv), at most %(size)s MB."
        ) % {"size": files.MAX_BYTES // 1024 // 1024}
        organisation_ids = sorted(user.organisation_ids)
        if len(organisation_ids) > 1:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=organisation_ids
            ).order_by("name")
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        self.fields["mapping"].queryset = column_mappings_visible_to(user).order_by("name", "pk")
        self.fields["project"].queryset = MicroProject.objects.filter(
            organisation_id__in=organisation_ids
        ).order_by("title", "pk")

    def read_file(self) -> tuple[bytes, str]:
        """The file's bytes (one more than the limit at most: enough to refuse it) and its name."""
        uploaded = self.cleaned_data["file"]
        return uploaded.read(files.MAX_BYTES + 1), uploaded.name


class ColumnsForm(forms.Form):
    """Each column of a KoboToolbox export -> a field of activities, or ignored; saved under a name."""

    name = forms.CharField(label=_("Save these choices as"), max_length=120)

    def __init__(self, *args, headings, initial_columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(ignore this column)"))] + [
            (f, capfirst(sheets.column_label(f))) for f in sheets.KOBO_FIELDS
        ]
        self.headings = headings
        initial_columns = initial_columns or {}
        guessed = set()
        for index, heading in enumerate(headings):
            guess = initial_columns.get(heading)
            if guess is None:  # a first guess: a column named as a field, or KoboToolbox's own
                guess = heading if heading in sheets.KOBO_FIELDS else sheets.KOBO_GUESSES.get(heading, "")
                guess = "" if guess in guessed else guess
                guessed.add(guess)
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=heading, choices=choices, required=False, initial=guess
            )

    def heading_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headings))]

    def columns(self) -> dict:
        return {
            heading: self.cleaned_data.get(f"column_{index}") or ""
            for index, heading in enumerate(self.headings)
        }


class SavedMappingForm(forms.Form):
    mapping = forms.ModelChoiceField(queryset=None, label=_("Saved column mapping"))

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = column_mappings_visible_to(user).filter(organisation=organisation)
