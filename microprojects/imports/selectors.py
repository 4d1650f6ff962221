"""Reads of imports: each starts from what the user may see (their own organisations')."""

from ..models import ColumnMapping, ImportJob


def import_jobs_visible_to(user):
    if not user.is_authenticated:
        return ImportJob.objects.none()
    return (
        ImportJob.objects.filter(organisation_id__in=user.organisation_ids)
        .select_related("organisation", "created_by", "mapping")
        .defer("content")
    )


def column_mappings_visible_to(user):
    if not user.is_authenticated:
        return ColumnMapping.objects.none()
    return ColumnMapping.objects.filter(organisation_id__in=user.organisation_ids).select_related(
        "organisation"
    )
