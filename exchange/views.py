"""Web pages of the exchange: the methods library (/exchange/methods/)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .filters import MethodFilter
from .selectors import method_use, methods_available


@login_required
@require_GET
def method_list(request):
    """Every method, filtered by target group, tool or accessibility need. Wrong filters show their
    errors and no list, rather than a list nobody asked for."""
    methods = MethodFilter(request.GET or None, queryset=methods_available())
    is_valid = methods.is_bound is False or methods.is_valid()
    return render(
        request,
        "exchange/method_list.html",
        {
            "filter": methods,
            "methods": list(methods.qs) if is_valid else [],
            "is_filtered": methods.is_bound and is_valid,
            "is_valid": is_valid,
        },
    )


@login_required
@require_GET
def method_detail(request, slug):
    method = get_object_or_404(methods_available(), slug=slug)
    return render(
        request,
        "exchange/method_detail.html",
        {"method": method, "text": method.text(), **method_use(method, request.user)},
    )
