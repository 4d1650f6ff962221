"""Writes on micro projects: each a plain function with keyword-only arguments, validated, atomic,
permission-checked.

Errors are `django.core.exceptions.ValidationError` keyed by field name (the API answers 400 with
them, forms show them next to the field) or `PermissionDenied`. An argument a service does not
know is a TypeError: a programming error, not input.
"""

import json
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sempre import audit, audit_actions, formats
from sempre.models import Organisation
from sempre.rules import require
from sempre.updates import UNCHANGED, apply_given
from sempre.validation import with_field_rules

from .models import Activity, FiguresSnapshot, Indicator, Measurement, MicroProject, TargetGroup
from .selectors import default_organisation_for, programme_figures_to_store


def _validate_dates(start: date | None, end: date | None):
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date must be on or after the start date.")})


@transaction.atomic
def project_create(
    *,
    by,
    title: str,
    organisation: Organisation | None = None,
    summary: str = "",
    problem: str = "",
    country: str = "",
    region: str = "",
    setting: str = MicroProject.Setting.RURAL,
    start_date: date | None = None,
    end_date: date | None = None,
    budget_eur: Decimal | None = None,
    target_groups: Iterable[TargetGroup] = (),
    lead_social_workers: Iterable = (),
) -> MicroProject:
    """Register a project in `organisation` (by default the creator's only one); without a country,
    the organisation's."""
    organisation = organisation or default_organisation_for(by)
    if not by.has_perm("microprojects.create_in_organisation", organisation):
        raise ValidationError({"organisation": _("You can only create projects for your own organisation.")})
    _validate_dates(start_date, end_date)
    project = MicroProject(
        organisation=organisation,
        created_by=by,
        title=title,
        summary=summary,
        problem=problem,
        country=country or organisation.country,
        region=region,
        setting=setting,
        start_date=start_date,
        end_date=end_date,
        budget_eur=budget_eur,
    )
    project.full_clean(exclude=["organisation"])
    project.save()
    project.target_groups.set(target_groups)
    _set_leads(project, lead_social_workers)
    figures_changed()
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
def project_update(
    *,
    project: MicroProject,
    by,
    title: str = UNCHANGED,
    summary: str = UNCHANGED,
    problem: str = UNCHANGED,
    country: str = UNCHANGED,
    region: str = UNCHANGED,
    setting: str = UNCHANGED,
    start_date: date | None = UNCHANGED,
    end_date: date | None = UNCHANGED,
    budget_eur: Decimal | None = UNCHANGED,
    target_groups: Iterable[TargetGroup] = UNCHANGED,
    lead_social_workers: Iterable = UNCHANGED,
) -> MicroProject:
    """Change the fields given; the others stay. The organisation stays, and the status changes
    only by project_transition."""
    require(by, "microprojects.change_microproject", project)
    apply_given(
        project,
        {
            "title": title,
            "summary": summary,
            "problem": problem,
            "country": country,
            "region": region,
            "setting": setting,
            "start_date": start_date,
            "end_date": end_date,
            "budget_eur": budget_eur,
        },
    )
    _validate_dates(project.start_date, project.end_date)
    project.full_clean(exclude=["organisation"])
    project.save()
    if target_groups is not UNCHANGED:
        project.target_groups.set(target_groups)
    if lead_social_workers is not UNCHANGED:
        _set_leads(project, lead_social_workers)
    if country is not UNCHANGED or target_groups is not UNCHANGED:
        figures_changed()
    return project


def project_transitions_for(project: MicroProject, user) -> tuple[str, ...]:
    """The statuses `user` may move `project` to: the usual next steps, and for an admin of its
    organisation, back to active from completed or discontinued."""
    if not user.has_perm("microprojects.change_microproject", project):
        return ()
    allowed = tuple(project.allowed_transitions)
    reopens = project.status in MicroProject.REOPEN_FROM
    if reopens and user.has_perm("microprojects.reopen_microproject", project):
        allowed += (MicroProject.Status.ACTIVE,)
    return allowed


@transaction.atomic
def project_transition(*, project: MicroProject, by, status: str, request=None) -> MicroProject:
    """Move a project along draft -> active -> completed | discontinued; an admin of its organisation
    may make a completed or discontinued project active again (recorded in the audit log; the
    project's history has every status change). Repeating the current status is a no-op; any other
    move names the allowed ones."""
    require(by, "microprojects.change_microproject", project)
    project = MicroProject.objects.select_for_update().get(pk=project.pk)
    if status == project.status:
        return project
    if status not in MicroProject.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    allowed = project_transitions_for(project, by)
    if status not in allowed:
        if status == MicroProject.Status.ACTIVE and project.status in MicroProject.REOPEN_FROM:
            raise ValidationError(
                {
                    "status": _("%(status)s Only an admin of %(organisation)s can make it active again.")
                    % {"status": project.status_sentence, "organisation": project.organisation.name}
                }
            )
        names = ", ".join(str(MicroProject.Status(s).label) for s in allowed) or _("none")
        raise ValidationError(
            {
                "status": _("%(status)s It cannot become “%(new)s”. Allowed: %(allowed)s.")
                % {
                    "status": project.status_sentence,
                    "new": MicroProject.Status(status).label,
                    "allowed": names,
                }
            }
        )
    previous = project.status
    project.status = status
    if status == MicroProject.Status.ACTIVE and project.start_date is None:
        project.start_date = date.today()
    project.closed_on = timezone.localdate() if status in MicroProject.FINAL else None
    project.save()
    figures_changed()
    if previous in MicroProject.REOPEN_FROM:
        audit.record(
            actor=by,
            action=audit_actions.PROJECT_REOPENED,
            target=project,
            data={"from": previous, "to": status},
            request=request,
        )
    return project


@transaction.atomic
def project_delete(*, project: MicroProject, by) -> None:
    require(by, "microprojects.delete_microproject", project)
    try:
        project.delete()
        figures_changed()
    except ProtectedError as error:
        # e.g. an accelerator application refers to it: a 400 in plain words, not a server error.
        raise ValidationError(
            _(
                "This project cannot be deleted because other records refer to it "
                "(for example an accelerator application). Discontinue it instead."
            )
        ) from error


# Activities -------------------------------------------------------------------------------------


def activity_count_errors(values: dict) -> dict[str, str]:
    """Each breakdown that is filled must add up to the total; new ones cannot exceed it; no count
    is negative. The errors by field (empty when the counts are right)."""
    total = values.get("participants_total") or 0
    errors = {}
    new = values.get("participants_new")
    if new is not None and new > total:
        errors["participants_new"] = _("New participants (%(new)s) cannot exceed the total (%(total)s).") % {
            "new": formats.number(new),
            "total": formats.number(total),
        }
    for fields, label in (
        (Activity.GENDER_FIELDS, _("by gender")),
        (Activity.AGE_FIELDS, _("by age")),
    ):
        filled = [values.get(f) for f in fields if values.get(f) is not None]
        if filled and sum(filled) != total:
            errors[fields[0]] = _(
                "Participants %(breakdown)s add up to %(sum)s, but the total is %(total)s."
            ) % {"breakdown": label, "sum": formats.number(sum(filled)), "total": formats.number(total)}
    for field in Activity.COUNT_FIELDS:
        value = values.get(field)
        if value is not None and value < 0:
            errors[field] = _("Cannot be negative.")
    return errors


def activity_validate_counts(values: dict) -> None:
    """activity_count_errors, raised as one ValidationError."""
    if errors := activity_count_errors(values):
        raise ValidationError(errors)


def _activity_date_errors(activity: Activity) -> dict[str, str]:
    if not isinstance(activity.date, date):
        return {}  # full_clean names a missing or malformed date
    project = activity.project
    if activity.date > timezone.localdate():
        return {"date": _("An activity cannot be dated in the future.")}
    if project.start_date and activity.date < project.start_date:
        return {
            "date": _("The project started on %(start)s; an activity cannot be dated before that.")
            % {"start": date_format(project.start_date)}
        }
    if project.end_date and activity.date > project.end_date:
        return {
            "date": _("The project ended on %(end)s; an activity cannot be dated after that.")
            % {"end": date_format(project.end_date)}
        }
    closed = _closed_project_error(project, activity.date)
    return {"date": closed} if closed else {}


def _closed_project_error(project: MicroProject, day: date) -> str | None:
    """Nothing is logged in a completed or discontinued project dated after the day it was closed:
    an entry typed on a phone before the project was closed (and sent later) still arrives, one
    dated later is refused, naming who can make the project active again."""
    if project.status not in MicroProject.FINAL or not project.closed_on or day <= project.closed_on:
        return None
    values = {"day": date_format(project.closed_on), "organisation": project.organisation.name}
    if project.status == MicroProject.Status.COMPLETED:
        message = _(
            "The project was completed on %(day)s; nothing can be logged in it dated after that. "
            "Only an admin of %(organisation)s can make it active again."
        )
    else:
        message = _(
            "The project was discontinued on %(day)s; nothing can be logged in it dated after that. "
            "Only an admin of %(organisation)s can make it active again."
        )
    return message % values


def _activity_unusual(activity: Activity) -> dict[str, ValidationError]:
    """Figures that are possible but rare for one activity, each asking to be confirmed."""
    unusual = {}
    for field, limit in Activity.UNUSUAL.items():
        value = getattr(activity, field)
        try:
            too_high = value is not None and Decimal(str(value)) > limit
        except ArithmeticError:
            too_high = False  # full_clean names a malformed number
        if too_high:
            label = Activity._meta.get_field(field).verbose_name
            unusual[field] = ValidationError(
                _("%(label)s: %(value)s is unusually high for one activity. If it is right, confirm it.")
                % {"value": formats.number(value), "label": capfirst(label)},
                code="unusual",
            )
    return unusual


def _activity_check(activity: Activity, *, confirm: bool = False) -> None:
    """Refuse what cannot be right and ask about what is unusual, every error in one answer:
    counts that do not add up or are negative, a date after today or outside the project's period,
    the fields' own rules, and (unless `confirm`) figures above Activity.UNUSUAL. Confirmed unusual
    figures are saved with `unusual_confirmed`."""
    errors: dict[str, list] = {}
    for field, message in (
        activity_count_errors({f: getattr(activity, f) for f in Activity.COUNT_FIELDS})
        | _activity_date_errors(activity)
    ).items():
        errors[field] = [message]
    # client_uuid: its uniqueness is the constraint's, answered by activity_log_once.
    errors = with_field_rules(activity, errors, exclude=["project", "client_uuid"])
    unusual = _activity_unusual(activity)
    if not confirm:
        for field, error in unusual.items():
            errors.setdefault(field, []).append(error)
    if errors:
        raise ValidationError(errors)
    activity.unusual_confirmed = bool(unusual)


@transaction.atomic
def activity_log(
    *,
    project: MicroProject,
    by,
    date: date,
    title: str,
    kind: str = Activity.Kind.WORKSHOP,
    notes: str = "",
    staff_hours: Decimal = Decimal(0),
    volunteer_hours: Decimal = Decimal(0),
    participants_total: int = 0,
    participants_new: int | None = None,
    women: int | None = None,
    men: int | None = None,
    non_binary: int | None = None,
    gender_not_stated: int | None = None,
    age_under_18: int | None = None,
    age_18_29: int | None = None,
    age_30_54: int | None = None,
    age_55_plus: int | None = None,
    age_not_stated: int | None = None,
    confirm: bool = False,
    client_uuid: uuid.UUID | None = None,
) -> Activity:
    """Log what happened in a project; each participant breakdown that is filled adds up to the
    total. Unusual figures (Activity.UNUSUAL) need `confirm` (see _activity_check). An entry
    from a device carries its `client_uuid`: log it with activity_log_once."""
    require(by, "microprojects.log_activity", project)
    activity = Activity(
        project=project,
        created_by=by,
        client_uuid=client_uuid,
        date=date,
        title=title,
        kind=kind,
        notes=notes,
        staff_hours=staff_hours,
        volunteer_hours=volunteer_hours,
        participants_total=participants_total,
        participants_new=participants_new,
        women=women,
        men=men,
        non_binary=non_binary,
        gender_not_stated=gender_not_stated,
        age_under_18=age_under_18,
        age_18_29=age_18_29,
        age_30_54=age_30_54,
        age_55_plus=age_55_plus,
        age_not_stated=age_not_stated,
    )
    _activity_check(activity, confirm=confirm)
    activity.save()
    figures_changed()
    return activity


def activity_log_once(
    *, project: MicroProject, by, client_uuid: uuid.UUID | None, **fields
) -> tuple[Activity, bool]:
    """activity_log for an entry made on a device or in a form (docs/offline.md): the same
    `client_uuid` sent again, also by two sends at once, answers the activity already stored,
    never a second one. Returns (activity, created). A `client_uuid` that is another entry's
    (someone else's, or another project's) is refused under `client_uuid`, and nothing of that
    entry is told. Without a `client_uuid`, activity_log."""
    if client_uuid is None:
        return activity_log(project=project, by=by, **fields), True
    require(by, "microprojects.log_activity", project)
    return _once(
        Activity.objects.filter(client_uuid=client_uuid),
        lambda row: row.created_by_id == by.pk and row.project_id == project.pk,
        lambda: activity_log(project=project, by=by, client_uuid=client_uuid, **fields),
    )


def _once(stored, is_same_entry, create):
    """(row, created): the row `stored` holds if it is the same entry, else what `create` makes.

    Two sends of one entry may race past the first look: the loser's INSERT waits for the
    winner's commit and fails on the unique constraint. `create` is a service, atomic: its own
    transaction, or a savepoint inside a caller's, rolled back alone, so the caller's transaction
    goes on. The second look (a new statement: it sees the winner's commit under READ COMMITTED)
    finds the winner's row. An IntegrityError with no row to find was another constraint's and is
    raised."""
    if (row := stored.first()) is None:
        try:
            return create(), True
        except IntegrityError:
            if (row := stored.first()) is None:
                raise
    if not is_same_entry(row):
        raise ValidationError(
            {"client_uuid": _("This identifier belongs to another entry. Send the entry with a new one.")},
            code="taken",
        )
    return row, False


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    date: date = UNCHANGED,
    title: str = UNCHANGED,
    kind: str = UNCHANGED,
    notes: str = UNCHANGED,
    staff_hours: Decimal = UNCHANGED,
    volunteer_hours: Decimal = UNCHANGED,
    participants_total: int = UNCHANGED,
    participants_new: int | None = UNCHANGED,
    women: int | None = UNCHANGED,
    men: int | None = UNCHANGED,
    non_binary: int | None = UNCHANGED,
    gender_not_stated: int | None = UNCHANGED,
    age_under_18: int | None = UNCHANGED,
    age_18_29: int | None = UNCHANGED,
    age_30_54: int | None = UNCHANGED,
    age_55_plus: int | None = UNCHANGED,
    age_not_stated: int | None = UNCHANGED,
    confirm: bool = False,
) -> Activity:
    """Change the fields given; the breakdowns are checked against the total as it then is.
    Unusual figures confirmed before stay confirmed while they are not changed."""
    require(by, "microprojects.log_activity", activity.project)
    confirmed = {f: getattr(activity, f) for f in Activity.UNUSUAL} if activity.unusual_confirmed else None
    apply_given(
        activity,
        {
            "date": date,
            "title": title,
            "kind": kind,
            "notes": notes,
            "staff_hours": staff_hours,
            "volunteer_hours": volunteer_hours,
            "participants_total": participants_total,
            "participants_new": participants_new,
            "women": women,
            "men": men,
            "non_binary": non_binary,
            "gender_not_stated": gender_not_stated,
            "age_under_18": age_under_18,
            "age_18_29": age_18_29,
            "age_30_54": age_30_54,
            "age_55_plus": age_55_plus,
            "age_not_stated": age_not_stated,
        },
    )
    unchanged = confirmed is not None and all(getattr(activity, f) == v for f, v in confirmed.items())
    _activity_check(activity, confirm=confirm or unchanged)
    activity.save()
    figures_changed()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    require(by, "microprojects.log_activity", activity.project)
    activity.delete()
    figures_changed()


# Indicators and measurements --------------------------------------------------------------------


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
def indicator_create(
    *,
    project: MicroProject,
    by,
    name: str,
    code: str = "",
    unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    target_date: date | None = None,
    direction: str | None = None,
) -> Indicator:
    """Add an indicator to a project. Without a direction, a target below the baseline means
    "decrease", anything else "increase"."""
    require(by, "microprojects.manage_indicators", project)
    if direction is None:
        direction = (
            Indicator.Direction.DECREASE
            if baseline is not None and target is not None and Decimal(target) < Decimal(baseline)
            else Indicator.Direction.INCREASE
        )
    indicator = Indicator(
        project=project,
        name=name,
        code=code,
        unit=unit,
        baseline=baseline,
        target=target,
        target_date=target_date,
        direction=direction,
    )
    _indicator_check(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by,
    name: str = UNCHANGED,
    code: str = UNCHANGED,
    unit: str = UNCHANGED,
    baseline: Decimal | None = UNCHANGED,
    target: Decimal | None = UNCHANGED,
    target_date: date | None = UNCHANGED,
    direction: str = UNCHANGED,
) -> Indicator:
    """Change the fields given; the others stay."""
    require(by, "microprojects.manage_indicators", indicator.project)
    apply_given(
        indicator,
        {
            "name": name,
            "code": code,
            "unit": unit,
            "baseline": baseline,
            "target": target,
            "target_date": target_date,
            "direction": direction,
        },
    )
    _indicator_check(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    require(by, "microprojects.manage_indicators", indicator.project)
    indicator.delete()


def _measurement_check(measurement: Measurement) -> None:
    """A value that cannot be right is refused, every error at once: a date after today, before
    the project started or after it was closed, a negative value, and the fields' own rules."""
    errors: dict[str, list] = {}
    project = measurement.indicator.project
    if isinstance(measurement.date, date):
        if measurement.date > timezone.localdate():
            errors["date"] = [_("A measurement cannot be dated in the future.")]
        elif project.start_date and measurement.date < project.start_date:
            errors["date"] = [
                _("The project started on %(start)s; a measurement cannot be dated before that.")
                % {"start": date_format(project.start_date)}
            ]
        elif closed := _closed_project_error(project, measurement.date):
            errors["date"] = [closed]
    try:
        value = Decimal(str(measurement.value))
    except ArithmeticError:
        value = None  # full_clean names it
    if value is not None and value.is_finite() and value < 0:
        errors["value"] = [_("A measurement cannot be negative.")]
    errors = with_field_rules(measurement, errors, exclude=["indicator", "client_uuid"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, by, date: date, value, note: str = "", client_uuid: uuid.UUID | None = None
) -> Measurement:
    require(by, "microprojects.manage_indicators", indicator.project)
    measurement = Measurement(
        indicator=indicator, date=date, value=value, note=note, created_by=by, client_uuid=client_uuid
    )
    _measurement_check(measurement)
    measurement.save()
    return measurement


def measurement_record_once(
    *, indicator: Indicator, by, client_uuid: uuid.UUID | None, **fields
) -> tuple[Measurement, bool]:
    """measurement_record for an entry made on a device or in a form, as activity_log_once:
    (measurement, created), the stored one when `client_uuid` comes again."""
    if client_uuid is None:
        return measurement_record(indicator=indicator, by=by, **fields), True
    require(by, "microprojects.manage_indicators", indicator.project)
    return _once(
        Measurement.objects.filter(client_uuid=client_uuid),
        lambda row: row.created_by_id == by.pk and row.indicator_id == indicator.pk,
        lambda: measurement_record(indicator=indicator, by=by, client_uuid=client_uuid, **fields),
    )


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, by, date: date = UNCHANGED, value=UNCHANGED, note: str = UNCHANGED
) -> Measurement:
    """Correct a measurement; its earlier values stay in its history. The indicator's latest value
    and progress follow, as they are read from the measurements."""
    require(by, "microprojects.manage_indicators", measurement.indicator.project)
    apply_given(measurement, {"date": date, "value": value, "note": note})
    _measurement_check(measurement)
    measurement._change_reason = "corrected"
    measurement.save()
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by) -> None:
    require(by, "microprojects.manage_indicators", measurement.indicator.project)
    measurement.delete()


# Precomputed figures (FiguresSnapshot) -----------------------------------------------------------

# The task that refreshes a snapshot, queued by name so this module needs no import of tasks.py.
FIGURES_REFRESH_TASK = "sempre.microprojects.refresh_figures"
# Seconds a refresh waits after a change, so a burst of changes (a busy hour of field workers, an
# import) is counted by one computation: the tasks that run after it find the figures fresh.
FIGURES_REFRESH_DELAY = 10


def figures_changed() -> None:
    """Say that what the programme figures count has changed (an activity, a project's status,
    country or target groups): after the commit, the snapshot is marked changed and its refresh is
    queued. Both wait for the commit, so no transaction holds the snapshot's row meanwhile, and a
    refresh sees the change. A broker that cannot be reached does not undo the change: the hourly
    refresh (CELERY_BEAT_SCHEDULE) counts it then."""
    transaction.on_commit(_figures_mark_changed, robust=True)


def _figures_mark_changed() -> None:
    FiguresSnapshot.objects.filter(scope=FiguresSnapshot.SCOPE_PROGRAMME).update(changed_at=timezone.now())
    current_app.signature(FIGURES_REFRESH_TASK, args=[FiguresSnapshot.SCOPE_PROGRAMME]).apply_async(
        countdown=FIGURES_REFRESH_DELAY
    )


def figures_refresh(*, scope: str = FiguresSnapshot.SCOPE_PROGRAMME, force: bool = False) -> FiguresSnapshot:
    """Compute a snapshot's figures again when something changed since its last computation (or
    when forced: writes that bypass the services, a new month). Safe to run twice and side by side:
    a computation that started earlier than the stored one never overwrites it, and one that finds
    nothing changed writes nothing (the figures stay those "as of" their first computation)."""
    if scope != FiguresSnapshot.SCOPE_PROGRAMME:
        raise ValueError(f"unknown figures scope {scope!r}")
    snapshot, _created = FiguresSnapshot.objects.get_or_create(scope=scope)
    if not force and not snapshot.is_stale:
        return snapshot
    started = timezone.now()
    figures = programme_figures_to_store(MicroProject.objects.all())
    if not snapshot.is_stale and json.loads(json.dumps(figures, cls=DjangoJSONEncoder)) == snapshot.figures:
        return snapshot  # forced, and the same figures: they are still those of `computed_at`
    FiguresSnapshot.objects.filter(
        Q(computed_at__isnull=True) | Q(computed_at__lt=started), pk=snapshot.pk
    ).update(figures=figures, computed_at=started)
    snapshot.refresh_from_db()
    return snapshot
