from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_methods(sender, using="default", **kwargs):
    """Methods are data that must exist wherever the schema does (dev, tests, production)."""
    from django.db import connections

    from .loader import load_methods
    from .models import Method

    tables = set(connections[using].introspection.table_names())
    if Method._meta.db_table in tables:  # not after migrating to zero
        load_methods(using=using)


class ExchangeConfig(AppConfig):
    """The methods library and the practice cases projects publish for each other (docs/exchange.md)."""

    name = "exchange"
    verbose_name = _("Exchange")

    def ready(self):
        post_migrate.connect(_load_methods, sender=self, dispatch_uid="exchange_load_methods")

        from . import notifications

        notifications.register()  # reminders: a case returned or published

        from . import reports

        reports.register_report_kinds()  # the handbook
        from . import rules, tasks  # noqa: F401 (permissions and tasks known in every process)
