"""The methods library (issue #20 §1): read-only to everybody signed in; what a method page says
about the projects that used it is limited to what the reader may see (tests/exchange)."""

from django.urls import reverse

from tests.exchange.factories import method

WEB_LOGGED_IN = "login login ok ok ok ok ok ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_LOGGED_IN = "403 403 ok ok ok ok ok ok"
READ_ONLY = "- - - - - - - -"  # the route offers no write method

EXPECTED = {
    "exchange:methods": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "exchange:method": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "api:method-list": (API_LOGGED_IN, READ_ONLY),
    "api:method-detail": (API_LOGGED_IN, READ_ONLY),
}

URLS = {
    "exchange:methods": lambda w: reverse("exchange:methods"),
    "exchange:method": lambda w: reverse("exchange:method", args=[w.method.slug]),
    "api:method-list": lambda w: reverse("api:method-list"),
    "api:method-detail": lambda w: reverse("api:method-detail", args=[w.method.slug]),
}


def extend_world(world) -> None:
    world.objects["method"] = method("sbmc")
