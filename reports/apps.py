from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Report jobs rendered by Celery workers (PDF, XLSX, CSV)."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import tasks  # noqa: F401 - registers the Celery tasks, which the services send by name
