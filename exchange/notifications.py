"""Practice cases in the reminders, registered with the core (sempre.notifications) from
`ExchangeConfig.ready()`: kind "exchange.case_status", to the project's team, when a coordinator
returns their case (once per submission: the occasion names the submission) or publishes it (once
per publication, for cases published in the last RECENT_DAYS days, so that switching the kind on
does not announce every case published long ago)."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microprojects.notifications import project_recipients, recipient_prefetch
from sempre import notifications
from sempre.models import Delivery
from sempre.rules import is_org_staff

from .models import Case

RECENT_DAYS = 14


def cases_returned_or_published(now):
    cases = (
        Case.objects.filter(
            Q(status=Case.Status.RETURNED)
            | Q(status=Case.Status.PUBLISHED, published_at__gte=now - timedelta(days=RECENT_DAYS))
        )
        .select_related("project__organisation")
        .prefetch_related(*recipient_prefetch("project__"))
        .order_by("pk")
    )
    for case in cases:
        if case.status == Case.Status.RETURNED:
            submitted = case.submitted_at or case.updated_at
            occasion = f"returned-{submitted:%Y%m%dT%H%M%S}"

            def title(case=case):
                return _("Your case “%(case)s” was returned: please see what to change") % {
                    "case": case.title
                }
        else:
            occasion = f"published-{case.published_at:%Y%m%dT%H%M%S}"

            def title(case=case):
                return _("Your case “%(case)s” is published: every organisation can read it now") % {
                    "case": case.title
                }

        for person in project_recipients(case.project):
            yield notifications.Due(
                recipient=person,
                target=case,
                occasion=occasion,
                title=title,
                url=reverse("exchange:case", args=[case.pk]),
            )


def register() -> None:
    notifications.register(
        notifications.Kind(
            key="exchange.case_status",
            label=gettext_lazy("Your practice case returned or published"),
            help_text=gettext_lazy(
                "When a coordinator returns your case with what to change, or publishes it."
            ),
            due=cases_returned_or_published,
            shown_to=is_org_staff,
            default=Delivery.IMMEDIATELY,
        )
    )
