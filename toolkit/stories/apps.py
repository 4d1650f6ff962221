from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    """Clients tell what changed for them, through an invite link, in their language, typed or spoken."""

    name = "toolkit.stories"
    label = "stories"
    verbose_name = _("Stories of change")

    def ready(self):
        from sempre import panels

        from . import reports, tasks  # noqa: F401 (tasks: every process knows the purge task)
        from .panels import project_stories_context

        reports.register_report_sections()  # the chosen stories in the project report
        panels.PROJECT.register(
            panels.Panel(
                name="stories",
                template="stories/_project_stories.html",
                order=150,
                context=project_stories_context,
            )
        )
