from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicroprojectsConfig(AppConfig):
    name = "microprojects"
    verbose_name = _("Micro projects")

    def ready(self):
        from . import reports

        reports.register_report_kinds()  # the project and programme reports and exports

        from . import panels

        panels.register()  # the dashboard's panels of social workers and coordinators

        from . import notifications

        notifications.register()  # reminders: an indicator off track

        from . import tasks  # noqa: F401 - every process (web and worker) knows the refresh task
        from .imports import rules as import_rules  # noqa: F401 - the import permissions
        from .imports import tasks as import_tasks  # noqa: F401 - the dry run and import tasks
