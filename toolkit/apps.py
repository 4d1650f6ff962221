from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_templates(sender, using="default", **kwargs):
    """Templates are data that must exist wherever the schema does (dev, tests, production)."""
    from django.db import connections

    from .loader import load_templates
    from .models import Block, ToolTemplate

    tables = set(connections[using].introspection.table_names())
    if {ToolTemplate._meta.db_table, Block._meta.db_table} <= tables:  # not after migrating to zero
        load_templates(using=using)


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = _("Empowerment toolkit")

    def ready(self):
        post_migrate.connect(_load_templates, sender=self, dispatch_uid="toolkit_load_templates")

        from . import reports

        reports.register_report_sections()  # the project's boards in the project report

        from sempre import panels
        from sempre.rules import is_org_staff

        panels.DASHBOARD.register(
            panels.Panel(
                name="recent_tools",
                template="toolkit/_dashboard_tools.html",
                order=160,
                shown_to=is_org_staff,
            )
        )
        from .panels import project_tools_context

        panels.PROJECT.register(
            panels.Panel(
                name="tools", template="toolkit/_project_tools.html", order=100, context=project_tools_context
            )
        )
