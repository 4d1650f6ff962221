"""Making, e-mailing and reading notifications.

- `notifications_collect(now=)`: asks every registered kind what is due now and makes each
  notification once, in the recipient's language, with the recipient's choice for the kind (an
  opted-out kind makes nothing). The unique key of `Notification` is the sent-log: running it twice,
  or twice at once, makes nothing twice (rows already there are skipped; a row another run wrote
  in between is ignored by the database, `ignore_conflicts`).
- `notifications_email_immediate()`, `notifications_email_digests(delivery=)`: e-mail what is
  not e-mailed yet, one e-mail per notification or one per person. Each row is claimed under a row
  lock (`select_for_update(skip_locked=True)`) and marked in the transaction that sends it, so two
  workers never send it twice; an e-mail that cannot be sent rolls its rows back for the next run.
"""

import logging
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sempre.languages import language_of
from sempre.models import Delivery, Notification, NotificationChoice

from .registry import get_kind, kinds, kinds_for

logger = logging.getLogger(__name__)

TITLE_MAX = 300


def _target_key(target) -> tuple[str, str]:
    return target._meta.label_lower, str(target.pk)


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SEMPRE_SITE_URL.rstrip("/") + url


# Making them -------------------------------------------------------------------------------------


def notifications_collect(*, now: datetime | None = None) -> int:
    """Make what is due now for every registered kind; returns how many were made."""
    now = now or timezone.now()
    made = 0
    failed = []
    for kind in kinds():
        # One app's broken kind must not keep the others' reminders back: it is logged, the rest
        # run, and the error is raised at the end (the task fails visibly, or retries a database
        # that was away).
        try:
            made += _collect_kind(kind, now=now)
        except Exception as error:
            logger.exception("notification kind %s failed", kind.key)
            failed.append(error)
    if failed:
        raise failed[0]
    return made


def _collect_kind(kind, *, now: datetime) -> int:
    dues = [due for due in kind.due(now) if due.recipient.is_active]
    if not dues:
        return 0
    recipient_ids = {due.recipient.pk for due in dues}
    choices = dict(
        NotificationChoice.objects.filter(kind=kind.key, user_id__in=recipient_ids).values_list(
            "user_id", "delivery"
        )
    )
    target_ids = {str(due.target.pk) for due in dues}
    already = set(
        Notification.objects.filter(
            kind=kind.key, recipient_id__in=recipient_ids, target_id__in=target_ids
        ).values_list("recipient_id", "target_type", "target_id", "occasion")
    )
    rows = []
    for due in dues:
        delivery = choices.get(due.recipient.pk, kind.default)
        if delivery == Delivery.OFF:
            continue
        key = (due.recipient.pk, *_target_key(due.target), due.occasion)
        if key in already:
            continue
        already.add(key)  # a kind that yields the same notification twice makes it once
        with translation.override(language_of(due.recipient)):
            title = str(due.title())[:TITLE_MAX]
        target_type, target_id = _target_key(due.target)
        rows.append(
            Notification(
                recipient_id=due.recipient.pk,
                kind=kind.key,
                target_type=target_type,
                target_id=target_id,
                occasion=due.occasion,
                title=title,
                url=due.url,
                delivery=delivery,
                created_at=now,
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        # Another run may have written some of these since they were read: the unique key keeps
        # theirs and drops ours.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        unread_recount(user_ids={row.recipient_id for row in rows})
    return len(rows)


def unread_recount(*, user_ids) -> None:
    """Count each person's unread notifications afresh (one UPDATE): the number in the navigation."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    get_user_model().objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )


# Reading them ------------------------------------------------------------------------------------


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark one's own notifications read: those named in `ids`, or all. Another person's ids are
    ignored (they are not one's own). Returns how many changed."""
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        changed = unread.update(read_at=timezone.now())
        unread_recount(user_ids=[user.pk])
    return changed


def notification_choices_set(*, user, choices: dict[str, str]) -> None:
    """Save a person's choice per kind ({kind key: delivery}); every unknown kind or delivery is
    named in one ValidationError and nothing is saved."""
    offered = {kind.key for kind in kinds_for(user)}
    errors = {}
    for key, delivery in choices.items():
        if key not in offered:
            errors[key] = _("There is no such kind of notification.")
        elif delivery not in Delivery.values:
            errors[key] = _("Choose one of the offered ways.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for key, delivery in choices.items():
            NotificationChoice.objects.update_or_create(user=user, kind=key, defaults={"delivery": delivery})


def notification_choices_of(user) -> dict[str, str]:
    """Each offered kind's delivery for this person: their choice or the kind's default."""
    saved = dict(NotificationChoice.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: saved.get(kind.key, kind.default) for kind in kinds_for(user)}


# E-mailing them ----------------------------------------------------------------------------------


def _to_email(delivery: str):
    return (
        Notification.objects.filter(delivery=delivery, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("recipient_id", "created_at", "pk")
    )


def notifications_email_immediate() -> int:
    """One e-mail per notification its recipient wants at once; returns how many were sent."""
    sent = 0
    for pk in list(_to_email(Delivery.IMMEDIATELY).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .filter(pk=pk, emailed_at__isnull=True)
                    .first()
                )
                if notification is None:  # another worker has it, or had it
                    continue
                recipient = notification.recipient
                with translation.override(language_of(recipient)):
                    context = {
                        "notification": notification,
                        "link": absolute(notification.url),
                        "choices_link": absolute(reverse("notification-choices")),
                    }
                    send_mail(
                        subject=notification.title,
                        message=render_to_string("sempre/notifications/email_one.txt", context).strip(),
                        from_email=None,
                        recipient_list=[recipient.email],
                    )
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
                sent += 1
        except OSError:  # the mail server is away: the next run sends it
            logger.warning("could not e-mail notification %s", pk, exc_info=True)
    return sent


def notifications_email_digests(*, delivery: str) -> int:
    """One e-mail per person with every notification of theirs not e-mailed yet whose delivery is
    `delivery` (daily or weekly); returns how many e-mails were sent."""
    if delivery not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError(f"not a digest: {delivery!r}")
    sent = 0
    by_recipient: dict[int, list[int]] = defaultdict(list)
    for pk, recipient_id in _to_email(delivery).values_list("pk", "recipient_id"):
        by_recipient[recipient_id].append(pk)
    for recipient_id, pks in by_recipient.items():
        try:
            with transaction.atomic():
                rows = list(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk__in=pks, emailed_at__isnull=True)
                    .order_by("created_at", "pk")
                )
                if not rows:
                    continue
                recipient = get_user_model().objects.get(pk=recipient_id)
                with translation.override(language_of(recipient)):
                    context = {
                        "notifications": [(row, absolute(row.url)) for row in rows],
                        "delivery": delivery,
                        "list_link": absolute(reverse("notifications")),
                        "choices_link": absolute(reverse("notification-choices")),
                    }
                    subject = ngettext(
                        "SEMPRE: %(count)d new notification", "SEMPRE: %(count)d new notifications", len(rows)
                    ) % {"count": len(rows)}
                    send_mail(
                        subject=subject,
                        message=render_to_string("sempre/notifications/email_digest.txt", context).strip(),
                        from_email=None,
                        recipient_list=[recipient.email],
                    )
                Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=timezone.now())
                sent += 1
        except OSError:
            logger.warning("could not e-mail the digest of user %s", recipient_id, exc_info=True)
    return sent


def kind_label(key: str) -> str:
    kind = get_kind(key)
    return str(kind.label) if kind else key
