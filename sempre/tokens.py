"""API tokens that end (issue #19).

django-rest-knox authenticates `Authorization: Token <t>` against `sempre.ApiToken`, which keeps
only a hash of each token and when it ends (REST_KNOX["TOKEN_TTL"], SEMPRE_API_TOKEN_DAYS days; an
expired token is deleted by knox when it is next shown). A person may hold several tokens, named,
listed and revoked on /account/api-token/ and at /api/v1/auth/tokens/.

Every token of a person is revoked when:

- their password changes, however (the password change and reset pages, the admin,
  `changepassword`): Django's `set_password` marks the user, and `_on_user_saved` (post_save on the
  user model) revokes once the new password is saved. A password hash upgraded at login is not a
  change (Django clears the mark before saving it);
- they are deactivated (saved with `is_active` false, in the admin or anywhere else);
- they log out everywhere (`user_sign_out_everywhere`: every session and every token);
- their account is erased or deleted (the rows go with the user).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, User
from .user_sessions import user_sessions_end_all

NAME_LENGTH = ApiToken._meta.get_field("name").max_length
# Enough for every program a person runs; a client that asks for a new token on every run and never
# revokes one fills it (the answer says what to do).
MAX_TOKENS_PER_PERSON = 100

PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"
SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
REVOKED_BY_OWNER = "revoked"


# Selectors ---------------------------------------------------------------------------------------


def api_tokens_visible_to(user):
    """One's own tokens that have not ended; nobody sees another person's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))


def api_token_lifetime_days() -> int:
    return settings.SEMPRE_API_TOKEN_DAYS


# Services ----------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > NAME_LENGTH:
        raise ValidationError(
            {"name": _("Ensure this field has no more than %(limit)s characters.") % {"limit": NAME_LENGTH}}
        )
    return name


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for `user`: (its row, the token itself). The token is shown this once; only its
    hash is kept."""
    name = _clean_name(name)
    if not user.is_active:
        raise PermissionDenied(_("This account is deactivated."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time per person
    if api_tokens_visible_to(user).count() >= MAX_TOKENS_PER_PERSON:
        raise ValidationError(
            _(
                "You have %(count)s API tokens, the most one person may hold. Revoke those you no "
                "longer use on your account page, then ask again."
            )
            % {"count": MAX_TOKENS_PER_PERSON}
        )
    token, key = ApiToken.objects.create(user=user, name=name)
    audit.record(actor=user, action=audit.TOKEN_ISSUED, target=token, data={"name": name}, request=request)
    return token, key


@transaction.atomic
def api_token_rename(*, token: ApiToken, by: User, name: str) -> ApiToken:
    if token.user_id != by.pk:
        raise PermissionDenied(_("This is not your API token."))
    token.name = _clean_name(name)
    token.save(update_fields=["name"])
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User, request=None) -> None:
    """Revoke one token: programs using it can no longer sign in with it."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("This is not your API token."))
    audit.record(
        actor=by,
        action=audit.TOKEN_REVOKED,
        target=token,
        data={"name": token.name, "reason": REVOKED_BY_OWNER},
        request=request,
    )
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: str, by: User | None = None, request=None) -> int:
    """Revoke every token of `user`; how many there were. Idempotent (none: no audit line)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            actor=by or user,
            action=audit.TOKEN_REVOKED,
            target=user,
            data={"count": deleted, "reason": reason},
            request=request,
        )
    return deleted


def user_sign_out_everywhere(*, user: User, request=None) -> int:
    """Log out everywhere: end every session of `user` (this browser's too) and revoke every API
    token. Returns how many tokens were revoked."""
    revoked = api_tokens_revoke_all(user=user, reason=SIGNED_OUT_EVERYWHERE, request=request)
    user_sessions_end_all(user=user)
    return revoked


# Django's signals --------------------------------------------------------------------------------


def _on_user_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    # Django's AbstractBaseUser keeps the new raw password in `_password` from set_password() until
    # its save() has run (post_save is sent inside it); a hash upgrade at login clears it first.
    if getattr(instance, "_password", None) is not None:
        api_tokens_revoke_all(user=instance, reason=PASSWORD_CHANGED)
    elif not instance.is_active:
        api_tokens_revoke_all(user=instance, reason=DEACTIVATED)


def connect_signals():
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="sempre.tokens.user_saved")
