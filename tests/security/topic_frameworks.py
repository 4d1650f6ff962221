"""Indicator frameworks and the crosswalk (programme/, docs/programme-reporting.md)."""

from django.urls import reverse

from programme.models import FrameworkIndicator, IndicatorMapping

WEB_PROJECT = "login login ok 404 ok 404 404 ok"
WEB_COORDINATOR = "login login 403 403 403 403 403 ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_LOGGED_IN = "403 403 ok ok ok ok ok ok"
API_PROJECT = "403 403 ok 404 ok 404 404 ok"
READ_ONLY = "- - - - - - - -"

EXPECTED = {
    # the coordinator's totals pages: exact figures
    "programme:framework_list": (WEB_COORDINATOR, WEB_NO_SUCH_METHOD),
    "programme:framework_totals": (WEB_COORDINATOR, WEB_NO_SUCH_METHOD),
    # mapping a project indicator: its project's staff and coordinators; others do not see it
    "programme:indicator_frameworks": (WEB_PROJECT, WEB_PROJECT),
    "programme:mapping_remove": (WEB_NO_SUCH_METHOD, WEB_PROJECT),
    "api:framework-list": (API_LOGGED_IN, READ_ONLY),
    "api:framework-detail": (API_LOGGED_IN, READ_ONLY),
    "api:framework-indicators": (API_LOGGED_IN, READ_ONLY),
    # organisation staff (their own projects counted) and coordinators (all); reviewers see no project
    "api:framework-totals": ("403 403 ok ok ok 403 403 ok", READ_ONLY),
    # POST without a body: refused as invalid for everybody logged in (the indicator must be one they see)
    "api:indicator-mapping-list": (API_LOGGED_IN, "403 403 bad bad bad bad bad bad"),
    "api:indicator-mapping-detail": (API_PROJECT, "403 403 ok 404 ok 404 404 ok"),
}


def _r(name, **kwargs):
    return lambda w: reverse(name, kwargs={k: (v(w) if callable(v) else v) for k, v in kwargs.items()})


URLS = {
    "programme:framework_list": _r("programme:framework_list"),
    "programme:framework_totals": _r("programme:framework_totals", slug="esf-plus"),
    "programme:indicator_frameworks": _r("programme:indicator_frameworks", pk=lambda w: w.indicator.pk),
    "programme:mapping_remove": _r("programme:mapping_remove", pk=lambda w: w.mapping.pk),
    "api:framework-list": _r("api:framework-list"),
    "api:framework-detail": _r("api:framework-detail", slug="interreg"),
    "api:framework-indicators": _r("api:framework-indicators", slug="interreg"),
    "api:framework-totals": _r("api:framework-totals", slug="interreg"),
    "api:indicator-mapping-list": _r("api:indicator-mapping-list"),
    "api:indicator-mapping-detail": _r("api:indicator-mapping-detail", pk=lambda w: w.mapping.pk),
}


def extend_world(world) -> None:
    world.objects["mapping"] = IndicatorMapping.objects.create(
        indicator=world.indicator,
        framework_indicator=FrameworkIndicator.objects.get(framework__slug="interreg", code="RCO 84"),
        relation=IndicatorMapping.Relation.EQUIVALENT,
    )
