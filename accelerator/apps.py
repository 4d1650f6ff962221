from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "accelerator"
    verbose_name = _("Accelerator")

    def ready(self):
        from . import reports

        reports.register_report_kinds()  # the selection and start-up reports

        from sempre import panels
        from sempre.rules import is_coordinator, is_reviewer

        panels.DASHBOARD.register(
            panels.Panel(
                name="accelerator",
                template="accelerator/_dashboard_coordinator.html",
                order=250,
                shown_to=is_coordinator,
            )
        )
        panels.DASHBOARD.register(
            panels.Panel(
                name="reviews",
                template="accelerator/_dashboard_reviewer.html",
                order=300,
                shown_to=is_reviewer,
            )
        )
        panels.PROJECT.register(
            panels.Panel(name="accelerator", template="accelerator/_project_accelerator.html", order=300)
        )

        from . import notifications

        notifications.register()  # reminders (reviews, start-up figures) and calendar events

        # The Celery task that services.decisions queues by name (services never import tasks).
        from . import tasks  # noqa: F401
