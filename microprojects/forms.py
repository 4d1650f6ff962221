"""Web forms for micro projects. They clean input and hand it to `microprojects.services`."""

import uuid
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sempre.forms import CountInput, DateInput, DecimalInput, ServiceModelForm
from sempre.selectors import organisations_visible_to

from .models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from .selectors import field_projects, project_countries, projects_visible_to


def _members_of(organisation_ids):
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id__in=organisation_ids, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ProjectForm(ServiceModelForm):
    """Create or edit a project. On create, the organisation is chosen only by people who work
    for more than one; on edit it cannot change."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), required=False)

    class Meta:
        model = MicroProject
        fields = [
            "title",
            "summary",
            "problem",
            "country",
            "region",
            "setting",
            "target_groups",
            "start_date",
            "end_date",
            "budget_eur",
            "lead_social_workers",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "setting": forms.RadioSelect,
            "target_groups": forms.CheckboxSelectMultiple,
            "lead_social_workers": forms.CheckboxSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
            "budget_eur": DecimalInput(attrs={"min": "0"}),
        }
        help_texts = {
            "summary": _("What the project does, in two or three sentences."),
            "problem": _("The problem the clients face that the project addresses."),
            "lead_social_workers": _(
                "Colleagues who lead the project; they see it first on their dashboard."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            del self.fields["organisation"]
            organisation_ids = [self.instance.organisation_id]
        else:
            organisations = organisations_visible_to(user).filter(pk__in=user.organisation_ids)
            self.fields["organisation"].queryset = organisations
            organisation_ids = list(user.organisation_ids)
            if len(organisation_ids) > 1:
                self.fields["organisation"].required = True
            else:
                # One organisation: the service picks it, nothing to choose.
                del self.fields["organisation"]
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("order", "name")
        self.fields["lead_social_workers"].queryset = _members_of(organisation_ids)
        self.fields["lead_social_workers"].label_from_instance = lambda u: str(u)
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Leave empty to use the organisation's country.")

    def service_data(self) -> dict:
        """Arguments for services.project_create or project_update. No country: the organisation's
        on a new project (the service's default), the project's own on an edit."""
        data = dict(self.cleaned_data)
        if not data.get("country") and self.instance.pk:
            del data["country"]
        return data


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=MicroProject.Status.choices, label=_("New status"))


class ActivityForm(ServiceModelForm):
    """The activity quick-log form: large inputs, number keypads, the breakdowns in fieldsets.

    Without a project (the quick log from the dashboard), the form asks which project."""

    project = forms.ModelChoiceField(queryset=None, label=_("Project"), required=True)
    # Shown once figures are unusual (Activity.UNUSUAL); ticking it saves them as they are.
    confirm = forms.BooleanField(label=_("Yes, these figures are right"), required=False)
    # A new activity's identifier, made when the form is shown (offline, by the page's script):
    # a second tap or a re-sent POST answers the activity already logged (services.activity_log_once).
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "date",
            "kind",
            "title",
            "participants_total",
            "participants_new",
            *Activity.GENDER_FIELDS,
            *Activity.AGE_FIELDS,
            "staff_hours",
            "volunteer_hours",
            "notes",
        ]
        widgets = {
            "date": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "staff_hours": DecimalInput(attrs={"min": "0", "step": "0.25"}),
            "volunteer_hours": DecimalInput(attrs={"min": "0", "step": "0.25"}),
            **dict.fromkeys(Activity.COUNT_FIELDS, CountInput),
        }

    # (legend, fields, whether the fields sit side by side in a grid of small number inputs)
    fieldsets = (
        (_("What and when"), ("project", "date", "kind", "title"), False),
        (_("Participants"), ("participants_total", "participants_new"), True),
        (_("By gender (optional, must add up to the total)"), Activity.GENDER_FIELDS, True),
        (_("By age (optional, must add up to the total)"), Activity.AGE_FIELDS, True),
        (_("Hours"), ("staff_hours", "volunteer_hours"), True),
        (_("Notes"), ("notes",), False),
    )

    def __init__(self, *args, user, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            del self.fields["project"]
        else:
            self.fields["project"].queryset = (
                projects_visible_to(user)
                .filter(
                    organisation_id__in=user.organisation_ids,
                    status__in=(MicroProject.Status.DRAFT, MicroProject.Status.ACTIVE),
                )
                .order_by("title")
            )
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("client_uuid", uuid.uuid4())
        if self.instance.pk is not None:
            del self.fields["client_uuid"]
        self.fields["participants_total"].help_text = _("Everybody who took part, staff not counted.")

    @property
    def asks_to_confirm(self) -> bool:
        """Whether to show "Yes, these figures are right": once figures turned out unusual."""
        unusual = any(self.has_error(field, "unusual") for field in Activity.UNUSUAL)
        return unusual or bool(self.data.get(self.add_prefix("confirm")))

    def fieldset_rows(self):
        """(legend, [bound fields], is_grid) for the template, skipping fields the form does not have."""
        return [
            (legend, [self[name] for name in names if name in self.fields], is_grid)
            for legend, names, is_grid in self.fieldsets
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("project", None)
        return data


class IndicatorForm(ServiceModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "code", "unit", "baseline", "target", "target_date", "direction"]
        widgets = {
            "baseline": DecimalInput,
            "target": DecimalInput,
            "target_date": DateInput,
            "direction": forms.RadioSelect,
        }


class MeasurementForm(ServiceModelForm):
    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]
        widgets = {"date": DateInput, "value": DecimalInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, indicator):
        return f"{indicator.project.title}: {indicator.name}" + (
            f" ({indicator.unit})" if indicator.unit else ""
        )


class FieldMeasurementForm(ServiceModelForm):
    """A measurement of any of one's own projects' indicators (the field app, docs/offline.md)."""

    indicator = IndicatorChoiceField(queryset=None, label=_("Indicator"))
    # As ActivityForm.client_uuid: a second send of the same form records nothing twice.
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]
        widgets = {"date": DateInput, "value": DecimalInput}

    field_order = ["indicator", "date", "value", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(project__in=field_projects(user))
            .select_related("project")
            .order_by("project__title", "name", "id")
        )
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("client_uuid", uuid.uuid4())


class ProjectFilter(django_filters.FilterSet):
    """Search and filters of the project list; every choice comes from what the user may see."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    status = django_filters.ChoiceFilter(
        choices=MicroProject.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    target_group = django_filters.ModelChoiceFilter(
        field_name="target_groups",
        queryset=TargetGroup.objects.order_by("order", "name"),
        label=_("Target group"),
        empty_label=_("All target groups"),
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Organisation"), empty_label=_("All organisations")
    )

    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("created_at", "created"),
            ("participant_total", "participants"),
            ("country", "country"),
        ),
        choices=[
            ("title", _("Title")),
            ("-created", _("Newest first")),
            ("-participants", _("Most participants")),
            ("country", _("Country")),
        ],
        label=_("Sort by"),
        empty_label=None,
    )

    class Meta:
        model = MicroProject
        fields = ["q", "country", "status", "target_group", "organisation"]

    # More organisations than this (a national programme has hundreds) are not listed: the search
    # box finds a project by its organisation's name, and a link's ?organisation= still filters.
    ORGANISATION_CHOICES = 100

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.filters["organisation"].queryset = organisations_visible_to(user).order_by("name")
        organisations = list(self.filters["organisation"].queryset[: self.ORGANISATION_CHOICES + 1])
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in project_countries(user)), key=lambda pair: str(pair[1])
        )
        organisation = self.form.fields["organisation"]
        if len(organisations) > self.ORGANISATION_CHOICES:
            organisation.widget = forms.HiddenInput()
            organisation.label = ""
        else:  # the options from the list just read, not from a second query
            organisation.widget.choices = [
                ("", organisation.empty_label),
                *((choice.pk, str(choice)) for choice in organisations),
            ]
        self.form.label_suffix = ""
        self.form.fields["q"].widget.input_type = "search"
        self.form.fields["q"].widget.attrs.update(
            {"placeholder": _("Title, summary, region or organisation"), "autocomplete": "off"}
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(region__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_queryset(self, queryset):
        # Filtering on a many-to-many (target group) may repeat a project; keep each once.
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("target_group"):
            queryset = queryset.distinct()
        return queryset


class ActivityPeriodForm(forms.Form):
    """The form of ProjectActivityFilter: a period that ends before it starts is an error (with every
    other error of the form, at once)."""

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned_data


class ProjectActivityFilter(django_filters.FilterSet):
    """The filters of a project's activities (its page and its CSV download)."""

    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=DateInput
    )
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"), widget=DateInput)
    kind = django_filters.ChoiceFilter(
        choices=Activity.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )

    class Meta:
        model = Activity
        fields = ["date_from", "date_to", "kind"]
        form = ActivityPeriodForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.label_suffix = ""
        # The page has other forms: ids of their own, so labels and errors point at these fields.
        self.form.auto_id = "id_activities_%s"

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.form.cleaned_data.values())

    @property
    def query(self) -> str:
        """The filters as a query string, for the page links and the CSV download."""
        if not self.is_bound:
            return ""
        return urlencode(
            [(name, value) for name in self.Meta.fields if (value := self.data.get(name)) not in (None, "")]
        )
