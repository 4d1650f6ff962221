from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    """Clients contribute to tool instances through invite links, without an account."""

    name = "toolkit.cocreation"
    label = "cocreation"
    verbose_name = _("Co-creation")
