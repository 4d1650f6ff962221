"""Notifications: reminders and news for one person, in the platform and by e-mail.

The core knows no domain app. Each app registers its kinds of notification from its
`AppConfig.ready()` (sempre.notifications.registry), each with a function that says what is due now;
the Celery beat task `sempre.notifications.collect` asks every kind, makes each notification once
(the unique key of `sempre.models.Notification`) and e-mails those whose recipient wants them at
once; `sempre.notifications.daily_digest` and `weekly_digest` e-mail the others, collected.
docs/programme-reporting.md, "Reminders, notifications and calendar".
"""

from .registry import Due, Kind, get_kind, kinds, kinds_for, register

__all__ = ["Due", "Kind", "get_kind", "kinds", "kinds_for", "register"]
