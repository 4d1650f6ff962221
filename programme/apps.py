from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_frameworks(sender, using="default", **kwargs):
    """The frameworks are data that must exist wherever the schema does (dev, tests, production)."""
    from django.db import connections

    from .loader import load_frameworks
    from .models import Framework, FrameworkIndicator

    tables = set(connections[using].introspection.table_names())
    if {Framework._meta.db_table, FrameworkIndicator._meta.db_table} <= tables:  # not after migrating to zero
        load_frameworks(using=using)


class ProgrammeConfig(AppConfig):
    """Indicator frameworks, reporting periods and progress reports (docs/programme-reporting.md)."""

    name = "programme"
    verbose_name = _("Programme reporting")

    def ready(self):
        post_migrate.connect(_load_frameworks, sender=self, dispatch_uid="programme_load_frameworks")

        from sempre import panels

        from . import reports, rules  # noqa: F401 - rules: the permissions of the crosswalk and the totals
        from .panels import project_frameworks_context

        panels.PROJECT.register(
            panels.Panel(
                name="frameworks",
                template="programme/_project_frameworks.html",
                order=200,
                context=project_frameworks_context,
            )
        )
        reports.register()  # the framework summary and sheets in the programme PDF and XLSX
        self._ready_progress_reports()

        from .progress import notifications as progress_notifications

        progress_notifications.register()  # reminders of reports due or late; due dates in the calendar

    def _ready_progress_reports(self):
        """Reporting periods and progress reports: permissions, the dashboard panel, the report kind
        and the Celery task (imported so that every process knows it)."""
        from sempre import panels
        from sempre.rules import is_coordinator, is_org_staff

        from .progress import reports, rules, tasks  # noqa: F401 - permissions and the task, registered
        from .progress.panels import dashboard_progress_context

        panels.DASHBOARD.register(
            panels.Panel(
                name="progress_reports",
                template="programme/progress/_dashboard_progress.html",
                order=120,
                shown_to=is_org_staff | is_coordinator,
                context=dashboard_progress_context,
            )
        )
        reports.register_report_kinds()
