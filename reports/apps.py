from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Report jobs rendered by Celery workers (PDF, XLSX, CSV)."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")
