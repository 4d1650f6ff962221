"""Shared API plumbing: pagination, error format, the permission class that maps actions to
`rules` permissions, and a faster read path for serializers of long lists."""

import datetime as dt
import decimal
from operator import attrgetter

import django_filters
import orjson
import rules
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import (
    ISO_8601,
    exceptions,
    filters,
    pagination,
    permissions,
    relations,
    renderers,
    serializers,
)
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class CountInPageQueryPaginator(Paginator):
    """Django's Paginator, except that the page's query counts all the rows too (`count(*) OVER ()`),
    so a page costs one query instead of a COUNT and a SELECT.

    Only for lists whose every row is cheap to read: the window makes the database read all the
    matching rows, not just the page. A project's activities are; the project list, whose rows
    carry subqueries, is not. A page number that is not a page, or a page past the end, goes
    Django's way (with a COUNT), so its errors are Django's.
    """

    def page(self, number):
        if "count" not in self.__dict__ and not self.orphans and _whole_number_from_one(number):
            number = int(number)
            first = (number - 1) * self.per_page
            rows = list(
                self.object_list.annotate(page_total_=Window(Count("*")))[first : first + self.per_page]
            )
            if rows:
                self.count = rows[0].page_total_
                return self._get_page(rows, number, self)
        return super().page(number)


def _whole_number_from_one(value) -> bool:
    return isinstance(value, int | str) and str(value).isdigit() and int(value) >= 1


class CountInPageQueryPagination(Pagination):
    """Pagination for short lists of plain rows: see CountInPageQueryPaginator."""

    django_paginator_class = CountInPageQueryPaginator


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer, with the writing done by orjson: several times faster (0.12 ms -> 0.01 ms
    for a page of 25 activities, far more on the ranking's 1,000 rows).

    The bytes are DRF's: what orjson would write otherwise (dates and times, decimals, lazy
    translations, anything unusual) goes through DRF's own JSON encoder, U+2028/U+2029 are escaped
    as DRF escapes them, and whatever orjson cannot write at all (an integer beyond 64 bits) as well
    as indented output (the browsable API) is left to DRF's renderer. Numbers in exponent form may
    be spelled differently (1e16 / 1e+16), and NaN becomes null where DRF would refuse to answer.
    tests/api/test_api_support.py compares both renderers byte for byte.
    """

    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_encode_as_drf, option=self._options)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        return rendered.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


_encode_as_drf = renderers.JSONRenderer.encoder_class().default


def validation_error_detail(error: DjangoValidationError):
    """A Django ValidationError as DRF detail: {"field": ["message", ...]}."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for e in errors for m in e.messages
            ]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Services raise Django's ValidationError and PermissionDenied; answer them as DRF would."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a request naming none of the view's filters leaves the
    queryset as it is without building the filter form.

    A filter given no value filters nothing, so the result is the same; what is saved is the
    FilterSet and its form, built anew per request (about 1 ms, a fifth of a short list's time).
    A query parameter counts as naming a filter when it is the filter's name or starts with it and
    an underscore (`date_after`, `date_before` of a range filter).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(request.query_params, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """DRF's OrderingFilter, except that the view's default ordering is not applied again to a
    queryset that is ordered that way already (by the model's Meta.ordering): same rows, one
    queryset clone and one resolution of the field names fewer on every list request."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering or list(ordering) == _effective_ordering(queryset):
            return queryset
        return queryset.order_by(*ordering)


def _effective_ordering(queryset) -> list | None:
    """The names the queryset's ORDER BY is built from: its order_by(), else the model's ordering.
    (A reverse() applies alike whether DRF's order_by() runs or not, so it does not count here.)"""
    query = queryset.query
    if query.extra_order_by:
        return None
    if query.order_by:
        return list(query.order_by)
    return list(queryset.model._meta.ordering) if query.default_ordering else []


def _names_a_filter(query_params, filterset_class) -> bool:
    names = filterset_class.base_filters.keys()
    return any(param == name or param.startswith(name + "_") for param in query_params for name in names)


class IdFilter(django_filters.NumberFilter):
    """A filter on an object id: a whole number within the database's id range. A number like
    -5e159 is a 400 naming the parameter, not an integer overflow in the database (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class RulesPermission(permissions.IsAuthenticated):
    """Maps each viewset action to a `rules` permission, via `view.rules_permissions`:

    - a permission name (`"microprojects.change_microproject"`) is checked on the object the
      action works on: `view.get_rules_object(obj)`, by default the object itself;
    - a predicate (`is_org_staff`) is checked on the user alone, before anything is read.

    Actions that are not named need only a logged-in user: what one may see is decided by the
    viewset's queryset, which starts from a `*_visible_to(user)` selector, so an object one may
    not see answers 404, and one one may see but not change answers 403.
    """

    def _rule(self, view):
        return getattr(view, "rules_permissions", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        rule = self._rule(view)
        if isinstance(rule, rules.Predicate):
            return rule.test(request.user)
        return True

    def has_object_permission(self, request, view, obj):
        rule = self._rule(view)
        if isinstance(rule, str):
            get_object = getattr(view, "get_rules_object", None)
            return request.user.has_perm(rule, get_object(obj) if get_object else obj)
        return True


# Field types whose output depends on the value alone: no request, no context, no other field.
_VALUE_ONLY_FIELDS = frozenset(
    {
        serializers.BigIntegerField,
        serializers.BooleanField,
        serializers.CharField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.DecimalField,
        serializers.EmailField,
        serializers.FloatField,
        serializers.IntegerField,
        serializers.SlugField,
        serializers.URLField,
        serializers.UUIDField,
    }
)


def _attribute_path(model, source_attrs: list[str]) -> str | None:
    """`source_attrs` as a dotted path when it leads through forward relations to a stored column
    (nothing callable on the way), or names an annotation, else None. A foreign key at the end reads
    its id column."""
    path = []
    for position, name in enumerate(source_attrs):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            if len(source_attrs) == 1 and not hasattr(model, name):
                # Nothing of the model's class: an annotation of the queryset, read with getattr as
                # DRF reads it (DRF would call it if it were callable; a column's value never is).
                return name
            return None  # a property, a method: DRF calls it
        if field.many_to_many or field.one_to_many or (field.is_relation and field.auto_created):
            return None
        if position < len(source_attrs) - 1:  # a step on the way: only a forward relation leads on
            if not field.is_relation:
                return None
            model = field.related_model
            path.append(name)
        elif not field.concrete:
            return None
        else:
            path.append(field.attname)
    return ".".join(path)


def _getter(path: str):
    """Read `a.b.c` as DRF does: None as soon as a step is None."""
    if "." not in path:
        return attrgetter(path)
    steps = path.split(".")

    def get(instance):
        for step in steps:
            if instance is None:
                return None
            instance = getattr(instance, step)
        return instance

    return get


def _identity(value):
    return value


class _BoundPerSerializer:
    """A field's to_representation with what DRF looks up for every value (the current timezone,
    the decimal context) looked up once per serializer instance, i.e. once per request, by
    `bound()`. Called unbound, it is DRF's own method."""

    def __init__(self, field):
        self.field = field

    def __call__(self, value):
        return self.field.to_representation(value)

    def bound(self):
        raise NotImplementedError


class _CurrentTimezoneDateTime(_BoundPerSerializer):
    """DateTimeField (ISO 8601): the value in the current timezone, "Z" for UTC, as DRF writes it.
    Anything but an aware datetime goes to DRF's own method."""

    def bound(self):
        field, zone = self.field, self.field.default_timezone()
        if zone is None:
            return field.to_representation

        def to_representation(value):
            if type(value) is not dt.datetime or value.utcoffset() is None:
                return field.to_representation(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:  # DRF's own method answers it with its "overflow" error
                return field.to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return to_representation


class _QuantizedDecimal(_BoundPerSerializer):
    """DecimalField as a string: quantized to the field's places in a copy of the current decimal
    context (its precision set to max_digits), as DRF does, with the copy made once."""

    def bound(self):
        field = self.field
        if (
            not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
            or field.localize
            or field.normalize_output
            or field.decimal_places is None
        ):
            return field.to_representation
        context = decimal.getcontext().copy()
        if field.max_digits is not None:
            context.prec = field.max_digits
        quantum, rounding = decimal.Decimal(".1") ** field.decimal_places, field.rounding

        def to_representation(value):
            if type(value) is not decimal.Decimal:
                return field.to_representation(value)
            return f"{value.quantize(quantum, rounding=rounding, context=context):f}"

        return to_representation


def _iso_date(field):
    """DateField (ISO 8601): date.isoformat, as DRF writes it; anything but a date goes to DRF."""

    def to_representation(value):
        if type(value) is not dt.date:
            return field.to_representation(value)
        return value.isoformat()

    return to_representation


def _iso_format(field, setting: str) -> bool:
    return str(getattr(field, "format", getattr(api_settings, setting))).lower() == ISO_8601


def _converter(field):
    """How the plan turns a value of `field` into its representation: DRF's own method, or what
    that method comes down to for the field's settings (the same output, fewer steps)."""
    kind = type(field)
    if kind is serializers.IntegerField:
        return int  # IntegerField.to_representation is int(value)
    if kind is serializers.CharField:
        return str  # CharField.to_representation is str(value)
    if kind is serializers.DateField and _iso_format(field, "DATE_FORMAT"):
        return _iso_date(field)
    if kind is serializers.DecimalField:
        return _QuantizedDecimal(field)
    if (
        kind is serializers.DateTimeField
        and not hasattr(field, "timezone")  # DRF keeps a timezone given to the field there
        and _iso_format(field, "DATETIME_FORMAT")
    ):
        return _CurrentTimezoneDateTime(field)
    return field.to_representation


class CompiledRepresentation:
    """A ModelSerializer mixin for serializers of long lists: output from a plan made once per class.

    DRF builds every field of a serializer anew for each request (1.3 ms for the 23 fields of an
    activity) and reads each value through several generic steps. The plan keeps, per readable
    field, a plain attribute getter and the field's own `to_representation`, for field types whose
    output depends on the value alone; any other field (a method field, a nested serializer, one
    that needs the request) stays on DRF's path. The output is the same dictionary, key for key:
    tests/api/test_api_support.py compares both paths for every serializer that uses this.

    Only for serializers whose fields are the same for every request (no fields chosen per user).
    """

    @classmethod
    def _representation_plan(cls):
        plan = cls.__dict__.get("_compiled_plan")
        if plan is None:
            prototype = cls()
            model = prototype.Meta.model
            plan = []
            for field in prototype._readable_fields:
                path = _attribute_path(model, field.source_attrs)
                if path is None:
                    plan.append((field.field_name, None, None))
                elif type(field) is relations.PrimaryKeyRelatedField and field.pk_field is None:
                    plan.append((field.field_name, _getter(path), _identity))
                elif type(field) in _VALUE_ONLY_FIELDS:
                    plan.append((field.field_name, _getter(path), _converter(field)))
                else:
                    plan.append((field.field_name, None, None))
            cls._compiled_plan = plan
        return plan

    def _bound_plan(self):
        """The class's plan with what depends on the request (the current timezone) looked up."""
        plan = self.__dict__.get("_bound_plan_")
        if plan is None:
            plan = self.__dict__["_bound_plan_"] = [
                (name, get, convert.bound() if isinstance(convert, _BoundPerSerializer) else convert)
                for name, get, convert in self._representation_plan()
            ]
        return plan

    def to_representation(self, instance):
        representation = {}
        for name, get, convert in self._bound_plan():
            if get is not None:
                value = get(instance)
                representation[name] = None if value is None else convert(value)
                continue
            field = self.fields[name]  # DRF's own path, as in Serializer.to_representation
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
            representation[name] = None if check_for_none is None else field.to_representation(attribute)
        return representation
