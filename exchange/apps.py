from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The methods library and the practice cases projects publish for each other (docs/exchange.md)."""

    name = "exchange"
    verbose_name = _("Exchange")
