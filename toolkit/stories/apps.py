from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    """Clients tell what changed for them, through an invite link, in their language, typed or spoken."""

    name = "toolkit.stories"
    label = "stories"
    verbose_name = _("Stories of change")
