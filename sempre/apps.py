from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SempreConfig(AppConfig):
    name = "sempre"
    verbose_name = _("SEMPRE core")
