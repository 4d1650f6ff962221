from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    """Clients contribute to tool instances through invite links, without an account."""

    name = "toolkit.cocreation"
    label = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self):
        from sempre import panels
        from sempre.rules import is_org_staff

        panels.DASHBOARD.register(
            panels.Panel(
                name="pending_contributions",
                template="cocreation/_dashboard_pending_contributions.html",
                order=150,
                shown_to=is_org_staff,
            )
        )

        from . import notifications

        notifications.register()  # reminders: contributions waiting for review
