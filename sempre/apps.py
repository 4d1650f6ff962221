from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SempreConfig(AppConfig):
    name = "sempre"
    verbose_name = _("SEMPRE core")

    def ready(self):
        from . import audit, tokens, user_sessions

        audit.connect_signals()  # logins and failed logins go to the audit log
        user_sessions.connect_signals()  # one's own sessions, listed at /account/sessions/
        tokens.connect_signals()  # a password change or deactivation revokes the API tokens

        # The beat's notification tasks, known to every process (web and worker).
        from .notifications import tasks  # noqa: F401
