"""Shared API plumbing: pagination, the error format, the id filter and the permission class that
maps actions to `rules` permissions. JSON, filtering and ordering are drf-orjson-renderer's,
django-filter's and DRF's, as they come (REST_FRAMEWORK in config/settings.py)."""

import django_filters
import rules
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Count, Window
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, pagination, permissions
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    """Every list of the API: `?page=` from 1, `?page_size=` from 1 to 200 (25 by default). A
    page size that is not such a number is refused (400 naming `page_size`), not silently
    replaced by the default: a client that asked for 500 rows must not take 200 for all there is."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s, please.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class SearchFilter(filters.SearchFilter):
    """DRF's search, with a NUL character refused as the other parameters refuse it: a 400 naming
    `search` (DRF's answered a bare list)."""

    def get_search_terms(self, request):
        if "\x00" in request.query_params.get(self.search_param, ""):
            message = ProhibitNullCharactersValidator.message  # Django's words and translations
            raise exceptions.ValidationError({self.search_param: [message]})
        return super().get_search_terms(request)


class CountInPageQueryPaginator(Paginator):
    """Django's Paginator, except that the page's query counts all the rows too (`count(*) OVER ()`),
    so a page costs one query instead of a COUNT and a SELECT.

    Only for lists whose every row is cheap to read: the window makes the database read all the
    matching rows, not just the page. A project's activities are; the project list, whose rows
    carry subqueries, is not. A page number that is not a page, or a page past the end, goes
    Django's way (with a COUNT), so its errors are Django's.
    """

    def page(self, number):
        if (
            "count" not in self.__dict__
            and not self.orphans
            and _whole_number_from_one(number)
            # An offset PostgreSQL can take (a bigint); a page further on is past the end anyway.
            and int(number) * self.per_page < 2**63
        ):
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


# The largest id the database holds (bigint): an id field of a body or a filter says so, so that a
# larger number is a 400 naming the field, and the schema says it too.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A filter on an object id: a whole number within the database's id range. A number like
    -5e159 is a 400 naming the parameter, not an integer overflow in the database (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
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


@csrf_exempt  # as every API view: a POST to no route is a 404, not a CSRF failure page
def not_found(request, *args, **kwargs):
    """/api/… that no route matches (`/api/v1/projects/-1/tools/`: `<int:…>` takes no minus): the
    API's 404, in JSON, not the web pages' HTML one."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)  # DRF's words
