"""Writes on people, organisations and roles.

`user_add` is what `manage.py adduser` (and any provisioning script) calls: it creates or updates
a user, gives them a role, and creates the organisation on first use. Errors are
`ValidationError`s keyed by field name, in plain words; nothing is written when one is raised.
There is no `by` argument and no permission check: the callers are trusted operators (the command
line, provisioning scripts). A web or API form for managing staff must check permissions itself.
`user_language_set` saves the language a person chose for themselves (the language menu, /account/).
"""

import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_countries import countries

from . import audit
from .languages import language_codes
from .models import Membership, Organisation, User

PROGRAMME_ROLES = ("coordinator", "reviewer")
ORGANISATION_ROLES = tuple(Membership.Role.values)  # social_worker, org_admin
ROLES = (*ORGANISATION_ROLES, *PROGRAMME_ROLES)


@dataclass(frozen=True)
class UserAddResult:
    user: User
    user_created: bool
    organisation: Organisation | None
    organisation_created: bool
    role_added: bool  # False when the user already had exactly this role
    password_changed: bool


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper case, or a ValidationError on `country`."""
    code = (value or "").strip().upper()
    if len(code) != 2 or not countries.alpha2(code):
        raise ValidationError(
            {
                "country": _(
                    "“%(value)s” is not a country code. Use the two-letter ISO 3166-1 code, "
                    "for example SE, LV or DE."
                )
                % {"value": value}
            }
        )
    return code


def _organisation_get_or_create(*, name: str, country: str | None, region: str, kind: str | None):
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is not None:
        if country and country_code(country) != organisation.country.code:
            raise ValidationError(
                {
                    "country": _("%(organisation)s is registered in %(existing)s, not in %(given)s.")
                    % {"organisation": organisation, "existing": organisation.country.code, "given": country}
                }
            )
        return organisation, False
    if not country:
        raise ValidationError(
            {
                "country": _(
                    "There is no organisation called “%(name)s” yet. To create it, also give its country "
                    "(two-letter code, for example SE)."
                )
                % {"name": name}
            }
        )
    if kind is not None and kind not in Organisation.Kind.values:
        raise ValidationError(
            {
                "kind": _("Unknown kind of organisation “%(kind)s”. Choose one of: %(choices)s.")
                % {"kind": kind, "choices": ", ".join(Organisation.Kind.values)}
            }
        )
    organisation = Organisation(
        name=name, country=country_code(country), region=region or "", kind=kind or Organisation.Kind.NGO
    )
    organisation.full_clean()
    organisation.save()
    return organisation, True


def _retried_on_unique_race(service):
    """Two provisioning runs adding the same new person (or organisation) at once both pass the
    "does it exist?" check; the loser's INSERT then breaks a unique constraint. Its transaction
    is rolled back and the service runs once more, now finding the winner's rows: a clean retry."""

    @functools.wraps(service)
    def retried(**kwargs):
        for attempt in range(3):
            try:
                return service(**kwargs)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    return retried


@_retried_on_unique_race
@transaction.atomic
def user_add(
    *,
    username: str,
    role: str,
    organisation_name: str | None = None,
    country: str | None = None,
    region: str = "",
    kind: str | None = None,
    password: str | None = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    by: User | None = None,
) -> UserAddResult:
    """Create the user or update them, and give them `role`. Idempotent: running it again with the
    same arguments changes nothing. The password of an existing user changes only when given.
    A role given or changed goes to the audit log, with `by` (None: the command line) as actor."""
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Give a user name.")})
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if role not in ROLES:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”. Choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)}
            }
        )
    organisation_name = (organisation_name or "").strip() or None
    if role in ORGANISATION_ROLES and not organisation_name:
        raise ValidationError(
            {"organisation": _("A %(role)s belongs to an organisation: give its name.") % {"role": role}}
        )
    if role in PROGRAMME_ROLES and organisation_name:
        raise ValidationError(
            {
                "organisation": _(
                    "The %(role)s role is programme-wide, not tied to an organisation. To also make the "
                    "person a member of an organisation, add them again with the social_worker or "
                    "org_admin role."
                )
                % {"role": role}
            }
        )
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError(
                {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
            ) from error

    user = User.objects.select_for_update().filter(username=username).first()
    user_created = user is None
    if user_created:
        if not password:
            raise ValidationError({"password": _("A new user needs a password.")})
        user = User(username=username)
    dirty = user_created
    for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value is not None and getattr(user, field) != value:
            setattr(user, field, value)
            dirty = True
    password_changed = False
    # hashers.check_password, not user.check_password: the latter may re-save an upgraded hash.
    if password and (user_created or not check_password(password, user.password)):
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
        password_changed = dirty = True

    organisation, organisation_created, role_added = None, False, False
    if role in ORGANISATION_ROLES:
        organisation, organisation_created = _organisation_get_or_create(
            name=organisation_name, country=country, region=region, kind=kind
        )
    elif role == "coordinator" and not user.is_coordinator:
        user.is_coordinator = role_added = dirty = True
    elif role == "reviewer" and not user.is_reviewer:
        user.is_reviewer = role_added = dirty = True

    if dirty:
        # the unique user name is left to the database: a race ends in IntegrityError and a retry
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save()
    if organisation is not None:
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        role_added = created
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            role_added = True
    if role_added:
        audit.record(
            actor=by,
            action=audit.ROLE_CHANGED,
            target=user,
            data={"role": role, "organisation": organisation.name if organisation else ""},
        )
    return UserAddResult(
        user=user,
        user_created=user_created,
        organisation=organisation,
        organisation_created=organisation_created,
        role_added=role_added,
        password_changed=password_changed,
    )


def user_language_set(*, user: User, language: str) -> User:
    """Save the language `user` chose for their pages, e-mails and reports (sempre.languages).
    An empty language clears the choice: their pages follow the browser again."""
    language = (language or "").strip()
    if language and language not in language_codes():
        raise ValidationError(
            {
                "language": _("Unknown language “%(language)s”. Choose one of: %(codes)s.")
                % {"language": language, "codes": ", ".join(language_codes())}
            }
        )
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
    return user
