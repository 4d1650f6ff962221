"""Notifications about projects, registered with the core (sempre.notifications) from
`MicroprojectsConfig.ready()`: an indicator off track. `project_recipients` says who hears about a
project, for the apps above too (co-creation, the accelerator)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sempre import notifications
from sempre.models import Delivery, Membership
from sempre.rules import is_org_staff

from .models import Indicator, MicroProject
from .selectors import indicator_is_off_track, with_progress

# Prefetch these on a queryset of projects (or `<path>__` + these) before `project_recipients`.
RECIPIENT_PREFETCH = (
    "lead_social_workers",
    Prefetch(
        "organisation__memberships",
        queryset=Membership.objects.select_related("user").order_by("pk"),
        to_attr="members_for_notifications",
    ),
)


def recipient_prefetch(path: str = "") -> list:
    """RECIPIENT_PREFETCH for projects reached through `path` (e.g. "application__project__")."""
    if not path:
        return list(RECIPIENT_PREFETCH)
    return [
        path + RECIPIENT_PREFETCH[0],
        Prefetch(
            path + "organisation__memberships",
            queryset=Membership.objects.select_related("user").order_by("pk"),
            to_attr="members_for_notifications",
        ),
    ]


def project_recipients(project: MicroProject) -> list:
    """Who hears about a project: its lead social workers; a project without leads, every member
    of its organisation. Active people only; needs `recipient_prefetch`."""
    leads = [user for user in project.lead_social_workers.all() if user.is_active]
    if leads:
        return leads
    return [
        membership.user
        for membership in project.organisation.members_for_notifications
        if membership.user.is_active
    ]


def indicators_off_track(now):
    """Each indicator off track in an active project (microprojects.selectors.indicator_is_off_track),
    once a month while it stays so (occasion: the month)."""
    today = now.date()
    indicators = (
        with_progress(
            Indicator.objects.filter(project__status=MicroProject.Status.ACTIVE, target_date__isnull=False)
        )
        .select_related("project__organisation")
        .prefetch_related(*recipient_prefetch("project__"))
        .order_by("pk")
    )
    for indicator in indicators:
        if not indicator_is_off_track(indicator, today=today):
            continue

        def title(indicator=indicator):
            return _("Indicator off track: “%(indicator)s” in %(project)s") % {
                "indicator": indicator.name,
                "project": indicator.project.title,
            }

        for person in project_recipients(indicator.project):
            yield notifications.Due(
                recipient=person,
                target=indicator,
                occasion=f"off-track-{today:%Y-%m}",
                title=title,
                url=reverse("microprojects:detail", args=[indicator.project_id]),
            )


def register() -> None:
    notifications.register(
        notifications.Kind(
            key="microprojects.indicator_off_track",
            label=gettext_lazy("An indicator of your projects is off track"),
            help_text=gettext_lazy(
                "Its progress lags well behind the time passed towards its target date. "
                "At most once a month per indicator."
            ),
            due=indicators_off_track,
            shown_to=is_org_staff,
            default=Delivery.WEEKLY,
            order=300,
        )
    )
