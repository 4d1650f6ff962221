"""Writes on micro projects: each a plain function, validated, atomic, permission-checked.

Errors are `django.core.exceptions.ValidationError` keyed by field name (the API answers 400 with
them, forms show them next to the field) or `PermissionDenied`.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sempre.models import Organisation

from .models import Activity, Indicator, Measurement, MicroProject

PROJECT_FIELDS = (
    "title",
    "summary",
    "problem",
    "country",
    "region",
    "setting",
    "start_date",
    "end_date",
    "budget_eur",
)


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def _check_fields(data: dict, allowed: tuple[str, ...]) -> None:
    """Services take only the fields they know; anything else is a programming error, not input."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _assign(instance, data: dict, allowed: tuple[str, ...]) -> None:
    _check_fields(data, allowed)
    for field, value in data.items():
        setattr(instance, field, value)


def _validate_dates(start: date | None, end: date | None):
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date must be on or after the start date.")})


def default_organisation_for(user) -> Organisation:
    """The organisation a new project belongs to when none is named: the user's only one."""
    ids = sorted(user.organisation_ids)
    if len(ids) == 1:
        return Organisation.objects.get(pk=ids[0])
    if not ids:
        raise ValidationError({"organisation": _("You are not a member of any organisation.")})
    raise ValidationError({"organisation": _("You belong to several organisations: choose one.")})


@transaction.atomic
def project_create(
    *, by, organisation: Organisation | None = None, target_groups=(), lead_social_workers=(), **data
) -> MicroProject:
    organisation = organisation or default_organisation_for(by)
    if not by.has_perm("microprojects.create_in_organisation", organisation):
        raise ValidationError({"organisation": _("You can only create projects for your own organisation.")})
    _check_fields(data, PROJECT_FIELDS)
    data.setdefault("country", organisation.country)
    _validate_dates(data.get("start_date"), data.get("end_date"))
    project = MicroProject(organisation=organisation, created_by=by, **data)
    project.full_clean(exclude=["organisation"])
    project.save()
    project.target_groups.set(target_groups)
    _set_leads(project, lead_social_workers)
    return project


def _set_leads(project: MicroProject, users):
    users = list(users)
    outsiders = [u for u in users if project.organisation_id not in u.organisation_ids]
    if outsiders:
        raise ValidationError(
            {
                "lead_social_workers": _("%(names)s is not a member of %(organisation)s.")
                % {"names": ", ".join(str(u) for u in outsiders), "organisation": project.organisation}
            }
        )
    project.lead_social_workers.set(users)


@transaction.atomic
def project_update(*, project: MicroProject, by, target_groups=None, lead_social_workers=None, **data):
    _require(by, "microprojects.change_microproject", project)
    if "status" in data:
        raise ValidationError({"status": _("Change the status with a transition.")})
    _assign(project, data, PROJECT_FIELDS)
    _validate_dates(project.start_date, project.end_date)
    project.full_clean(exclude=["organisation"])
    project.save()
    if target_groups is not None:
        project.target_groups.set(target_groups)
    if lead_social_workers is not None:
        _set_leads(project, lead_social_workers)
    return project


@transaction.atomic
def project_transition(*, project: MicroProject, by, status: str) -> MicroProject:
    """Move a project along draft -> active -> completed | discontinued. Repeating the current
    status is a no-op; any other move names the allowed ones."""
    _require(by, "microprojects.change_microproject", project)
    project = MicroProject.objects.select_for_update().get(pk=project.pk)
    if status == project.status:
        return project
    if status not in MicroProject.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    allowed = project.allowed_transitions
    if status not in allowed:
        names = ", ".join(str(MicroProject.Status(s).label) for s in allowed) or _("none")
        raise ValidationError(
            {
                "status": _("A %(current)s project cannot become %(new)s. Allowed: %(allowed)s.")
                % {
                    "current": project.get_status_display().lower(),
                    "new": str(MicroProject.Status(status).label).lower(),
                    "allowed": names,
                }
            }
        )
    project.status = status
    if status == MicroProject.Status.ACTIVE and project.start_date is None:
        project.start_date = date.today()
    project.save()
    return project


@transaction.atomic
def project_delete(*, project: MicroProject, by) -> None:
    _require(by, "microprojects.delete_microproject", project)
    try:
        project.delete()
    except ProtectedError as error:
        # e.g. an accelerator application refers to it: a 400 in plain words, not a server error.
        raise ValidationError(
            _(
                "This project cannot be deleted because other records refer to it "
                "(for example an accelerator application). Discontinue it instead."
            )
        ) from error


# Activities -------------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "date",
    "kind",
    "title",
    "notes",
    "staff_hours",
    "volunteer_hours",
    *Activity.COUNT_FIELDS,
)


def activity_validate_counts(values: dict) -> None:
    """Each breakdown that is filled must add up to the total; new ones cannot exceed it."""
    total = values.get("participants_total") or 0
    errors = {}
    new = values.get("participants_new")
    if new is not None and new > total:
        errors["participants_new"] = _("New participants (%(new)s) cannot exceed the total (%(total)s).") % {
            "new": new,
            "total": total,
        }
    for fields, label in (
        (Activity.GENDER_FIELDS, _("by gender")),
        (Activity.AGE_FIELDS, _("by age")),
    ):
        filled = [values.get(f) for f in fields if values.get(f) is not None]
        if filled and sum(filled) != total:
            errors[fields[0]] = _(
                "Participants %(breakdown)s add up to %(sum)s, but the total is %(total)s."
            ) % {"breakdown": label, "sum": sum(filled), "total": total}
    for field in Activity.COUNT_FIELDS:
        value = values.get(field)
        if value is not None and value < 0:
            errors[field] = _("Cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _activity_check(activity: Activity):
    activity_validate_counts({f: getattr(activity, f) for f in Activity.COUNT_FIELDS})
    activity.full_clean(exclude=["project"])


@transaction.atomic
def activity_log(*, project: MicroProject, by, **data) -> Activity:
    _require(by, "microprojects.log_activity", project)
    _check_fields(data, ACTIVITY_FIELDS)
    activity = Activity(project=project, created_by=by, **data)
    _activity_check(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by, **data) -> Activity:
    _require(by, "microprojects.log_activity", activity.project)
    _assign(activity, data, ACTIVITY_FIELDS)
    _activity_check(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    _require(by, "microprojects.log_activity", activity.project)
    activity.delete()


# Indicators and measurements --------------------------------------------------------------------

INDICATOR_FIELDS = ("name", "code", "unit", "baseline", "target", "target_date", "direction")


def _indicator_check(indicator: Indicator):
    if (
        indicator.baseline is not None
        and indicator.target is not None
        and indicator.baseline == indicator.target
    ):
        raise ValidationError({"target": _("The target must differ from the baseline.")})
    if indicator.baseline is not None and indicator.target is not None:
        wants = (
            Indicator.Direction.INCREASE
            if indicator.target > indicator.baseline
            else Indicator.Direction.DECREASE
        )
        if indicator.direction != wants:
            raise ValidationError(
                {
                    "direction": _(
                        "A target of %(target)s from a baseline of %(baseline)s means “%(wants)s”."
                    )
                    % {"target": indicator.target, "baseline": indicator.baseline, "wants": wants.label}
                }
            )
    indicator.full_clean(exclude=["project"])


@transaction.atomic
def indicator_create(*, project: MicroProject, by, **data) -> Indicator:
    _require(by, "microprojects.manage_indicators", project)
    _check_fields(data, INDICATOR_FIELDS)
    if "direction" not in data and data.get("baseline") is not None and data.get("target") is not None:
        data["direction"] = (
            Indicator.Direction.DECREASE
            if Decimal(data["target"]) < Decimal(data["baseline"])
            else Indicator.Direction.INCREASE
        )
    indicator = Indicator(project=project, **data)
    _indicator_check(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, by, **data) -> Indicator:
    _require(by, "microprojects.manage_indicators", indicator.project)
    _assign(indicator, data, INDICATOR_FIELDS)
    _indicator_check(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    _require(by, "microprojects.manage_indicators", indicator.project)
    indicator.delete()


@transaction.atomic
def measurement_record(*, indicator: Indicator, by, date: date, value, note: str = "") -> Measurement:
    _require(by, "microprojects.manage_indicators", indicator.project)
    measurement = Measurement(indicator=indicator, date=date, value=value, note=note, created_by=by)
    measurement.full_clean(exclude=["indicator"])
    measurement.save()
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by) -> None:
    _require(by, "microprojects.manage_indicators", measurement.indicator.project)
    measurement.delete()
