"""The field app that works without a signal (issue #18, docs/offline.md): the service worker and
the web app manifest served from the site root, the data a device keeps for its person (their own
projects with their periods and indicators), the queue page, a measurement form that works
offline, and the page a device shows for what does not.

The entries themselves are sent to POST /api/v1/sync/ (microprojects.api.sync.SyncViewSet) by
static/js/offline-queue.js, from the page or from the service worker."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sempre.forms import add_service_errors
from sempre.rules import require

from . import services
from .forms import FieldMeasurementForm
from .models import Activity, Measurement
from .selectors import field_projects

# Bump when the service worker's caching changes: its caches of an older version are deleted.
SERVICE_WORKER_VERSION = "1"
# The pages a device keeps for use without a signal (the service worker's PAGES).
OFFLINE_URL_NAMES = (
    "microprojects:activity_quick_log",
    "microprojects:field_measurement",
    "microprojects:queue",
    "microprojects:offline",
    "microprojects:field_data",
)


# The fields whose names the queue page shows beside the server's messages.
FIELD_LABELS = {"date", "kind", "title", "notes", "staff_hours", "volunteer_hours", "value", "note"} | set(
    Activity.COUNT_FIELDS
)


def offline_strings() -> dict:
    """What the pages' script says, in the reader's language, rendered into the page with
    json_script (no JavaScript catalogue to download: docs/offline.md, "Translations"). The
    checks' messages are the services' own, so the device and the server say the same."""
    return {
        "saved": _("Saved on this phone. It is sent when there is a connection."),
        "waiting": _("Waiting to be sent: %(count)s"),
        "attention_count": _("Needs your attention: %(count)s"),
        "last_sync": _("Last sent: %(time)s"),
        "never_synced": _("Nothing sent from this phone yet."),
        "all_sent": _("Everything is sent."),
        "no_connection": _("No connection: the entries wait on this phone."),
        "login": _("Your session has ended. Log in again; then the entries are sent."),
        "required": _("This field is required."),
        "activity_future": _("An activity cannot be dated in the future."),
        "activity_before": _("The project started on %(start)s; an activity cannot be dated before that."),
        "activity_after": _("The project ended on %(end)s; an activity cannot be dated after that."),
        "measurement_future": _("A measurement cannot be dated in the future."),
        "measurement_before": _(
            "The project started on %(start)s; a measurement cannot be dated before that."
        ),
        "measurement_negative": _("A measurement cannot be negative."),
        "new_exceeds": _("New participants (%(new)s) cannot exceed the total (%(total)s)."),
        "breakdown": _("Participants %(breakdown)s add up to %(sum)s, but the total is %(total)s."),
        "by_gender": _("by gender"),
        "by_age": _("by age"),
        "negative": _("Cannot be negative."),
        "unusual": _("%(label)s: %(value)s is unusually high for one activity. If it is right, confirm it."),
        "confirm_figures": _("Yes, these figures are right"),
        "send_again": _("Send again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this entry? It is not sent, and it cannot be brought back."),
        "activity": pgettext("entry kind", "Activity"),
        "measurement": pgettext("entry kind", "Measurement"),
        "labels": {
            field.name: capfirst(field.verbose_name)
            for model in (Activity, Measurement)
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name") and field.name in FIELD_LABELS
        },
        # The server's date: a phone whose clock is in another time zone does not refuse today.
        "today": timezone.localdate().isoformat(),
        "unusual_limits": Activity.UNUSUAL,
        "gender_fields": Activity.GENDER_FIELDS,
        "age_fields": Activity.AGE_FIELDS,
        "count_fields": Activity.COUNT_FIELDS,
    }


def _may_log(user) -> None:
    require(
        user,
        "microprojects.quick_log_activity",
        message=_("Only members of an organisation can log activities."),
    )


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js: at the site root, so that it may control every page (Service-Worker-Allowed says so
    too); never cached by HTTP, so that a new version is found at the next visit."""
    config = {
        "version": SERVICE_WORKER_VERSION,
        "pages": [reverse(name) for name in OFFLINE_URL_NAMES],
        "offline": reverse("microprojects:offline"),
        "queue": reverse("microprojects:queue"),
        "forms": {
            reverse("microprojects:activity_quick_log"): "activity",
            reverse("microprojects:field_measurement"): "measurement",
        },
        # Besides the files the kept pages name (found in them at install).
        # The quick log names its scripts in a <meta> (fetched once it is shown, issue #15), where
        # the install's scan of src= and href= does not look: kept by name. So is its stylesheet,
        # which a kept copy of the page may link instead of carrying (inline_css_until_kept).
        "static": [
            static(path)
            for path in (
                "favicon.svg",
                "icons/icon-192.png",
                "js/sempre.js",
                "js/offline-queue.js",
                "js/offline.js",
                "css/quick-log.min.css",
            )
        ],
        "workbox": static("vendor/workbox/workbox-sw.js"),
        "queue_script": static("js/offline-queue.js"),
    }
    response = render(
        request,
        "sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def manifest(request):
    """/manifest.webmanifest: what a phone needs to add SEMPRE to its home screen."""
    return JsonResponse(
        {
            "name": "SEMPRE",
            "short_name": "SEMPRE",
            "description": _("Log activities and measurements in the field, also without a signal."),
            "lang": get_language(),
            "start_url": reverse("microprojects:activity_quick_log"),
            "scope": "/",
            "display": "standalone",
            "theme_color": "#1f5f8b",
            "background_color": "#ffffff",
            "icons": [
                {
                    "src": static(f"icons/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
                for size in (192, 512)
            ]
            + [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )


@login_required
@require_safe
@cache_control(private=True, no_cache=True)
def field_data(request):
    """The person's own projects, their periods and indicators, as the device keeps them for the
    checks it makes before an entry is queued (dates inside the period) and for the measurement
    form. Nothing about clients; no other organisation's project, coordinators included."""
    _may_log(request.user)
    projects = [
        {
            "id": project.pk,
            "title": project.title,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "indicators": [
                {"id": indicator.pk, "name": indicator.name, "unit": indicator.unit}
                for indicator in project.indicators.all()
            ],
        }
        for project in field_projects(request.user)
    ]
    return JsonResponse({"user": request.user.pk, "projects": projects})


@login_required
@require_safe
def queue(request):
    """What waits on this device to be sent, and what the server refused (filled in by the page's
    script from the device's queue: the server knows nothing of entries not yet sent)."""
    _may_log(request.user)
    return render(
        request,
        "microprojects/offline/queue.html",
        {"saved": "saved" in request.GET, "offline_strings": offline_strings()},
    )


@login_required
def field_measurement(request):
    """Record a measurement of any of one's projects' indicators: a plain form, which the page's
    script keeps on the device when there is no signal."""
    _may_log(request.user)
    form = FieldMeasurementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        indicator = data.pop("indicator")
        try:
            services.measurement_record_once(indicator=indicator, by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Measurement for “%(name)s” recorded.") % {"name": indicator.name})
            return redirect("microprojects:field_measurement")
    return render(
        request,
        "microprojects/offline/measurement.html",
        {"form": form, "offline_strings": offline_strings()},
    )


@require_safe
def offline(request):
    """What a device shows for a page it cannot reach without a signal (kept by the service
    worker): what works offline, and how many entries wait."""
    return render(request, "microprojects/offline/offline.html", {"offline_strings": offline_strings()})
