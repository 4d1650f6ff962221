"""Reads of the core's data, shared by every app."""

from django.db.models import QuerySet

from .models import Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Coordinators see every organisation; staff their own; anybody else none."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_coordinator:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=user.organisation_ids)
