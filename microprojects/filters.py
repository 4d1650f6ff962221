"""Query-string filters for the micro project API (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sempre.api_support import IdFilter

from .models import Activity, Indicator, Measurement, MicroProject


class ProjectFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(
        field_name="country", lookup_expr="iexact", label=_("Country (ISO 3166-1 alpha-2 code)")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=MicroProject.Status.choices, label=_("Status"), distinct=False
    )
    setting = django_filters.ChoiceFilter(choices=MicroProject.Setting.choices, label=_("Rural or urban"))
    organisation = IdFilter(field_name="organisation_id", label=_("Organisation id"))
    target_group = django_filters.CharFilter(method="filter_target_group", label=_("Target group id or slug"))
    lead_social_worker = IdFilter(field_name="lead_social_workers", label=_("Lead social worker (user id)"))
    start_date = django_filters.DateFromToRangeFilter(label=_("Start date between"))
    end_date = django_filters.DateFromToRangeFilter(label=_("End date between"))

    class Meta:
        model = MicroProject
        fields = [
            "country",
            "status",
            "setting",
            "organisation",
            "target_group",
            "lead_social_worker",
            "start_date",
            "end_date",
        ]

    def filter_target_group(self, queryset, name, value):
        match = Q(target_groups__slug=value)
        if value.isdigit():
            match |= Q(target_groups__id=int(value))
        return queryset.filter(match).distinct()


class ActivityFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("Project id"))
    organisation = IdFilter(field_name="project__organisation_id", label=_("Organisation id"))
    country = django_filters.CharFilter(
        field_name="project__country", lookup_expr="iexact", label=_("Country")
    )
    kind = django_filters.MultipleChoiceFilter(choices=Activity.Kind.choices, label=_("Kind"))
    date = django_filters.DateFromToRangeFilter(label=_("Date between (date_after, date_before)"))

    class Meta:
        model = Activity
        fields = ["project", "organisation", "country", "kind", "date"]


class IndicatorFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("Project id"))
    direction = django_filters.ChoiceFilter(choices=Indicator.Direction.choices, label=_("Direction"))
    code = django_filters.CharFilter(lookup_expr="iexact", label=_("Code"))
    target_date = django_filters.DateFromToRangeFilter(label=_("Target date between"))

    class Meta:
        model = Indicator
        fields = ["project", "direction", "code", "target_date"]


class MeasurementFilter(django_filters.FilterSet):
    date = django_filters.DateFromToRangeFilter(label=_("Date between (date_after, date_before)"))

    class Meta:
        model = Measurement
        fields = ["date"]
