"""The methods library's filters (django-filter): the page's, and the API's, which differ only in how
they take a target group or tool that does not exist."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from microprojects.models import TargetGroup
from toolkit.models import ToolTemplate

from .models import Method
from .selectors import methods_suiting

ACCESSIBILITY_CHOICES = [
    ("low_literacy", _("People who read little")),
    ("no_shared_language", _("No shared language")),
    ("disabilities", _("People with disabilities")),
]


class MethodFilter(django_filters.FilterSet):
    target_group = django_filters.ModelChoiceFilter(
        field_name="target_groups",
        to_field_name="slug",
        queryset=TargetGroup.objects.order_by("order", "name"),
        label=_("Target group"),
        empty_label=_("All target groups"),
    )
    tool = django_filters.ModelChoiceFilter(
        field_name="tool_template",
        to_field_name="slug",
        queryset=ToolTemplate.objects.order_by("order", "name"),
        label=pgettext_lazy("empowerment tool", "Tool"),
        empty_label=_("Any tool or none"),
    )
    need = django_filters.ChoiceFilter(
        choices=ACCESSIBILITY_CHOICES,
        method="filter_need",
        label=_("Works well with"),
        empty_label=_("Anyone"),
    )

    class Meta:
        model = Method
        fields = ["target_group", "tool", "need"]

    def filter_need(self, queryset, name, value):
        return queryset.filter(methods_suiting(value))


class MethodApiFilter(MethodFilter):
    """The API's filters: a target group or tool is named by its slug, and one that names nothing
    finds no method (an empty list, not a 400), as the project list's `target_group` does. Target
    groups and tools are data, so the schema cannot list them."""

    target_group = django_filters.CharFilter(field_name="target_groups__slug", label=_("Target group slug"))
    tool = django_filters.CharFilter(field_name="tool_template__slug", label=_("Tool template slug"))
