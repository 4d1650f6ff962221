from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Indicator frameworks, reporting periods and progress reports (docs/programme-reporting.md)."""

    name = "programme"
    verbose_name = _("Programme reporting")
