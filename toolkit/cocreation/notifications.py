"""Notifications about client contributions, registered with the core (sempre.notifications) from
`CocreationConfig.ready()`: contributions waiting for review more than N days
(settings.SEMPRE_CONTRIBUTION_REMINDER_DAYS, default 7)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from microprojects.notifications import project_recipients, recipient_prefetch
from sempre import notifications
from sempre.models import Delivery
from sempre.rules import is_org_staff
from toolkit.models import ToolInstance

from .models import Contribution


def waiting_days() -> int:
    return getattr(settings, "SEMPRE_CONTRIBUTION_REMINDER_DAYS", 7)


def contributions_waiting(now):
    """Per tool, the contributions waiting for review for more than N days. Once per waiting
    stretch: the occasion names the oldest waiting contribution, so a new reminder comes only
    when, after that one is reviewed, others wait too long."""
    days = waiting_days()
    waiting = {
        row["tool_id"]: row
        for row in Contribution.objects.filter(
            status=Contribution.Status.PENDING, status_changed_at__lte=now - timedelta(days=days)
        )
        .values("tool_id")
        .annotate(count=Count("pk"), oldest=Min("pk"))
        .order_by()
    }
    if not waiting:
        return
    tools = (
        ToolInstance.objects.filter(pk__in=waiting)
        .select_related("template", "project__organisation")
        .prefetch_related(*recipient_prefetch("project__"))
        .order_by("pk")
    )
    for tool in tools:
        row = waiting[tool.pk]

        def title(tool=tool, count=row["count"]):
            return ngettext(
                "%(count)d client contribution to “%(tool)s” (%(project)s) has waited "
                "more than %(days)d days for review",
                "%(count)d client contributions to “%(tool)s” (%(project)s) have waited "
                "more than %(days)d days for review",
                count,
            ) % {"count": count, "tool": tool.display_title, "project": tool.project.title, "days": days}

        for person in project_recipients(tool.project):
            yield notifications.Due(
                recipient=person,
                target=tool,
                occasion=f"waiting-{row['oldest']}",
                title=title,
                url=reverse("cocreation:queue") + f"?tool={tool.pk}",
            )


def register() -> None:
    notifications.register(
        notifications.Kind(
            key="cocreation.contributions_waiting",
            label=gettext_lazy("Client contributions waiting for review"),
            help_text=gettext_lazy(
                "When clients' ideas have waited several days for you to accept them or mark them not used."
            ),
            due=contributions_waiting,
            shown_to=is_org_staff,
            default=Delivery.DAILY,
            order=200,
        )
    )
