"""Named permission predicates shared by every app."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@rules.predicate
def is_authenticated(user):
    return bool(user and user.is_authenticated)


@rules.predicate
def is_coordinator(user):
    return bool(user and user.is_authenticated and user.is_coordinator)


@rules.predicate
def is_reviewer(user):
    return bool(user and user.is_authenticated and user.is_reviewer)


@rules.predicate
def is_org_staff(user):
    """A social worker or organisation admin of at least one organisation."""
    return bool(user and user.is_authenticated and user.organisation_ids)


@rules.predicate
def is_member_of(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in user.organisation_ids


@rules.predicate
def is_admin_of(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in user.admin_organisation_ids


rules.add_perm("sempre.view_organisation", is_coordinator | is_member_of)
rules.add_perm("sempre.manage_organisation", is_admin_of)
# The audit log and people's personal data (export, erasure) are the programme coordinators'.
rules.add_perm("sempre.view_programme_records", is_coordinator)


def require(user, perm: str, obj=None, *, message=None) -> None:
    """Refuse (PermissionDenied) unless `user` holds `perm` on `obj`: the one check services and views
    make before a write. `message` says in plain words what may not be done."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this."))
