"""Personal data of staff users: export (JSON) and erasure.

Erasure deletes the account. What the person wrote for the programme (projects, activities,
canvas entries, reviews, decisions) stays, anonymised:

- references that may be empty (`created_by`, `author`, ...) become empty when the user row goes;
- references the programme cannot lose (a reviewer's assignment, a coordinator's decision, a
  closed selection: PROTECT) move to a placeholder account, inactive, without name, e-mail or
  password, one per erased person (so "one assignment per reviewer" still holds);
- history rows (django-simple-history) and audit lines lose the name; audit lines keep the action;
- the person's own report jobs and files, memberships, API tokens and reviewer profile are deleted.

Clients have no accounts: their contributions are handled by the co-creation retention rules.
"""

import secrets

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, AuditEvent, CalendarFeed, User

ERASED_LABEL = "erased-user"
EXPORT_FORMAT_VERSION = 1
# Models whose rows are a user's own data but hold secrets or are not content (never exported
# as rows; the API tokens are listed on their own, without their hashes).
# The calendar link keeps a hash of its token: listed on its own, when it was made.
_NOT_EXPORTED = {"sempre.apitoken", "admin.logentry", "sempre.auditevent", "sempre.calendarfeed"}


def _user_references():
    """(model, field) for every concrete reference to the user model, history tables included."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and getattr(field, "related_model", None) is User and field.is_relation:
                yield model, field


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") or model._meta.db_table.endswith("_history")


def _require_coordinator(by):
    if by is not None and not (by.is_authenticated and by.is_coordinator):
        raise PermissionDenied(_("Only a coordinator may export or erase a person's data."))


def user_data_export(*, user: User, by: User | None = None) -> dict:
    """Everything the platform holds about `user`, as a JSON-able dict. `by` is the coordinator
    asking (None: the command line); the export is audited."""
    _require_coordinator(by)
    profile = {
        field: getattr(user, field)
        for field in (
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "is_coordinator",
            "is_reviewer",
            "is_active",
            "date_joined",
            "last_login",
        )
    }
    content: dict[str, list] = {}
    for model, field in _user_references():
        label = model._meta.label_lower
        if label in _NOT_EXPORTED or _is_history(model):
            continue
        if field.many_to_many:
            rows = model.objects.filter(**{field.name: user})
        else:
            rows = model._default_manager.filter(**{field.name: user})
        if rows.exists():
            content.setdefault(f"{label}.{field.name}", []).extend(
                serializers.serialize("python", rows.order_by("pk"))
            )
    reviews = apps.get_model("accelerator", "Review").objects.filter(assignment__reviewer=user)
    if reviews.exists():
        content["accelerator.review"] = serializers.serialize("python", reviews.order_by("pk"))
    data = {
        "format": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "user": profile,
        "api_tokens": list(
            ApiToken.objects.filter(user=user).order_by("created").values("name", "created", "expiry")
        ),
        "calendar_links": list(CalendarFeed.objects.filter(user=user).values("created_at")),
        "audit_events": list(
            AuditEvent.objects.filter(actor=user)
            .order_by("at")
            .values("at", "action", "target_type", "target_id", "target_label", "ip_address")
        ),
        "content": content,
    }
    audit.record(actor=by, action=audit.PRIVACY_EXPORT, target=user)
    return data


def _placeholder() -> User:
    user = User(username=f"{ERASED_LABEL}-{secrets.token_hex(6)}", is_active=False)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_erase(*, user: User, by: User | None = None) -> dict:
    """Delete `user`'s account and anonymise what they authored (see the module docstring).
    Returns counts per kind of change. `by` is the coordinator (None: the command line)."""
    _require_coordinator(by)
    if by is not None and by.pk == user.pk:
        raise ValidationError({"user": _("You cannot erase your own account.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    counts: dict[str, int] = {}
    placeholder = None
    for model, field in _user_references():
        label = f"{model._meta.label_lower}.{field.name}"
        if field.many_to_many:
            through = getattr(model, field.name).through
            deleted, _rows = through.objects.filter(**{f"{field.m2m_reverse_field_name()}": user}).delete()
            if deleted:
                counts[label] = deleted
            continue
        on_delete = field.remote_field.on_delete
        rows = model._default_manager.filter(**{field.attname: user.pk})
        if on_delete is models.PROTECT:
            if rows.exists():
                placeholder = placeholder or _placeholder()
                counts[label] = rows.update(**{field.attname: placeholder.pk})
        elif on_delete is models.DO_NOTHING and field.null:
            # history tables: no database constraint, so clear the reference ourselves
            changed = rows.update(**{field.attname: None})
            if changed:
                counts[label] = changed
    jobs = apps.get_model("reports", "ReportJob").objects.filter(requested_by=user)
    for job in jobs:
        if job.file:
            job.file.delete(save=False)
    counts["audit_events"] = AuditEvent.objects.filter(actor=user).update(
        actor=None, actor_label=ERASED_LABEL
    )
    AuditEvent.objects.filter(actor__isnull=True, actor_label=user.username).update(actor_label=ERASED_LABEL)
    AuditEvent.objects.filter(target_type=User._meta.label_lower, target_id=str(user.pk)).update(
        target_label=ERASED_LABEL
    )
    AuditEvent.objects.filter(data__username=user.username).update(data={"username": ERASED_LABEL})
    user_id = user.pk
    user.delete()
    audit.record(
        actor=by,
        action=audit.PRIVACY_ERASURE,
        target=ERASED_LABEL,
        data={"user_id": user_id, "placeholder": placeholder.username if placeholder else ""},
    )
    return counts
