"""The template's sheets and columns, and how a cell becomes a field's value.

A column that stands for a model field is read with that field's own rules: its choices, its
form field (Field.formfield(), what the web forms use: numbers, lengths, whole numbers), and
then the service that writes the row checks the rest (the model's validators, counts that must
add up, dates within the project's period) exactly as for the forms and the API.

Dates: a date cell, or text in ISO form (YYYY-MM-DD, optionally followed by a time, as in
KoboToolbox's exports). Other text ("31.3.2025", "3/31/25") is refused: its meaning depends on
the language of whoever typed it, and a wrong guess would put an activity in the wrong month.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Activity, Indicator, Measurement, MicroProject, TargetGroup

ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
# Choices beyond this many are not listed in an error (countries): the template's "choices"
# sheet and its drop-downs list them.
LISTED_CHOICES = 12


@dataclass(frozen=True)
class Column:
    key: str  # the heading in the file
    model: type | None = None  # the model whose field this column fills (None: see `kind`)
    kind: str = "field"  # field | project | indicator | target_groups | yes_no
    required: bool = False
    # An empty cell means "as the service decides" (None) instead of the field's default.
    empty_is_none: bool = False
    help: str = ""

    @property
    def field(self):
        return self.model._meta.get_field(self.key) if self.kind == "field" else None

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) of a column with a closed set of values, for drop-downs and errors."""
        if self.kind == "target_groups":
            return [(g.slug, str(g)) for g in TargetGroup.objects.order_by("order", "name")]
        if self.kind == "yes_no":
            return [("yes", _("yes")), ("no", _("no"))]
        if self.field is not None and self.field.choices:
            return [(str(value), str(label)) for value, label in self.field.flatchoices]
        return []


def _external_id(help_text):
    return Column("external_id", kind="external_id", required=True, help=help_text)


PROJECT = Column(
    "project",
    kind="project",
    required=True,
    help=gettext_lazy(
        "The project's external_id (from the projects sheet), or its title exactly as in SEMPRE."
    ),
)

SHEETS: dict[str, list[Column]] = {
    "projects": [
        _external_id(gettext_lazy("Your own key for the project; unique within your organisation.")),
        Column("title", MicroProject, required=True),
        Column("summary", MicroProject),
        Column("problem", MicroProject),
        Column(
            "country", MicroProject, help=gettext_lazy("Two-letter ISO code; empty: your organisation's.")
        ),
        Column("region", MicroProject),
        Column("setting", MicroProject),
        Column(
            "status",
            MicroProject,
            empty_is_none=True,
            help=gettext_lazy("Empty: a new project is a draft; an existing one keeps its status."),
        ),
        Column("start_date", MicroProject),
        Column("end_date", MicroProject),
        Column("budget_eur", MicroProject),
        Column(
            "target_groups",
            kind="target_groups",
            help=gettext_lazy("One or more of the choices, separated by commas."),
        ),
    ],
    "activities": [
        _external_id(gettext_lazy("Your own key for the activity; unique within your organisation.")),
        PROJECT,
        Column("date", Activity, required=True),
        Column("kind", Activity),
        Column("title", Activity, required=True),
        Column("participants_total", Activity),
        Column("participants_new", Activity),
        *(Column(name, Activity) for name in Activity.GENDER_FIELDS),
        *(Column(name, Activity) for name in Activity.AGE_FIELDS),
        Column("staff_hours", Activity),
        Column("volunteer_hours", Activity),
        Column("notes", Activity, help=gettext_lazy("No client names, please.")),
        Column(
            "confirm",
            kind="yes_no",
            help=gettext_lazy("“yes” when unusually high figures are right."),
        ),
    ],
    "indicators": [
        _external_id(gettext_lazy("Your own key for the indicator; unique within your organisation.")),
        PROJECT,
        Column("name", Indicator, required=True),
        Column("code", Indicator),
        Column("unit", Indicator),
        Column("baseline", Indicator),
        Column("target", Indicator),
        Column("target_date", Indicator),
        Column(
            "direction",
            Indicator,
            empty_is_none=True,
            help=gettext_lazy("Empty: worked out from the baseline and the target."),
        ),
    ],
    "measurements": [
        _external_id(gettext_lazy("Your own key for the measurement; unique within your organisation.")),
        Column(
            "project",
            kind="project",
            help=gettext_lazy("Needed when the indicator is named by its name rather than its external_id."),
        ),
        Column(
            "indicator",
            kind="indicator",
            required=True,
            help=gettext_lazy("The indicator's external_id, or its name in the project."),
        ),
        Column("date", Measurement, required=True),
        Column("value", Measurement, required=True),
        Column("note", Measurement),
    ],
}

SHEET_LABELS = {
    "projects": gettext_lazy("Projects"),
    "activities": gettext_lazy("Activities"),
    "indicators": gettext_lazy("Indicators"),
    "measurements": gettext_lazy("Measurements"),
}

# What a KoboToolbox export's columns can become: the activity sheet's columns.
KOBO_FIELDS = [column.key for column in SHEETS["activities"] if column.key != "confirm"]
KOBO_REQUIRED = ("external_id", "date", "title")
# A KoboToolbox export's own columns that usually mean a field (a first guess in the mapping form).
# ("_id" is the export's row number on that server, "start" the moment the form was opened.)
KOBO_GUESSES = {"_uuid": "external_id", "today": "date"}


def column_label(key: str) -> str:
    """A column's name in the person's words: its model field's label where it has one."""
    for columns in SHEETS.values():
        for column in columns:
            if column.key == key and column.field is not None:
                return str(column.field.verbose_name)
    return {
        "external_id": _("external ID"),
        "project": _("project"),
        "indicator": _("indicator"),
        "target_groups": _("target groups"),
        "confirm": _("figures confirmed"),
    }.get(key, key)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_cell(column: Column, raw):
    """The value of one cell for its column, or a ValidationError in plain words."""
    if column.kind == "yes_no":
        text = "" if raw is None else str(raw).strip().lower()
        if raw is True or text in YES or text == _("yes").lower():
            return True
        if raw is False or text in NO or text == _("no").lower():
            return False
        raise ValidationError(_("Write “yes” or “no”."))
    if column.kind == "target_groups":
        return _clean_target_groups(column, raw)
    if column.kind in ("external_id", "project", "indicator"):
        if is_empty(raw):
            if column.required:
                raise ValidationError(_("This cell is empty; it needs a value."))
            return ""
        text = _text(raw)
        if column.kind == "external_id" and len(text) > 100:
            raise ValidationError(_("At most 100 characters, please."))
        return text
    field = column.field
    if is_empty(raw):
        if column.required:
            raise ValidationError(_("This cell is empty; it needs a value."))
        if column.empty_is_none:
            return None
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.blank:
            return ""
        raise ValidationError(_("This cell is empty; it needs a value."))
    if isinstance(field, models.DateField):
        return clean_date(raw)
    if field.choices:
        return _clean_choice(column, raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (date, datetime)):
        raise ValidationError(_("This cell holds a date; it needs a number or text."))
    return field.formfield().clean(raw.strip() if isinstance(raw, str) else raw)


def _text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def clean_date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    match = ISO_DATE.match(text)
    try:
        if match:
            return date.fromisoformat(match[1])
    except ValueError:
        pass
    raise ValidationError(
        _(
            "“%(value)s” is not a date SEMPRE can read. Enter it as a date cell, or as text in "
            "the form YYYY-MM-DD (2025-03-31)."
        )
        % {"value": text[:40]}
    )


def _clean_choice(column: Column, raw) -> str:
    text = _text(raw)
    wanted = text.casefold()
    for value, label in column.choices():
        if wanted in (value.casefold(), label.casefold()):
            return value
    choices = column.choices()
    if len(choices) > LISTED_CHOICES:
        raise ValidationError(
            _("“%(value)s” is not one of the choices (see the drop-down list or the sheet “choices”).")
            % {"value": text[:40]}
        )
    raise ValidationError(
        _("“%(value)s” is not one of the choices: %(choices)s.")
        % {"value": text[:40], "choices": ", ".join(value for value, _label in choices)}
    )


def _clean_target_groups(column: Column, raw) -> list[TargetGroup] | None:
    if is_empty(raw):
        return []
    groups = {}
    for group in TargetGroup.objects.all():
        groups[group.slug.casefold()] = group
        groups[str(group).casefold()] = group
    chosen, unknown = [], []
    for part in str(raw).split(","):
        if not part.strip():
            continue
        group = groups.get(part.strip().casefold())
        if group is None:
            unknown.append(part.strip())
        elif group not in chosen:
            chosen.append(group)
    if unknown:
        raise ValidationError(
            _("Unknown target group: %(names)s. The choices: %(choices)s.")
            % {
                "names": ", ".join(unknown)[:80],
                "choices": ", ".join(value for value, _label in column.choices()),
            }
        )
    return chosen


def clean_row(columns: list[Column], values: dict) -> tuple[dict, dict[str, list[str]]]:
    """(cleaned values by column key, errors by column key) of one row: every cell's error at once."""
    cleaned, errors = {}, {}
    for column in columns:
        try:
            cleaned[column.key] = clean_cell(column, values.get(column.key))
        except ValidationError as error:
            errors[column.key] = [str(message) for message in error.messages]
    return cleaned, errors
