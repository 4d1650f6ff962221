"""Start-ups: what the selected projects report as they grow (figures, milestones, mentoring),
and the stage that follows from their figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sempre.rules import require
from sempre.updates import UNCHANGED, Unchanged, given
from sempre.validation import with_field_rules

from .. import selectors
from ..models import MentoringSession, Milestone, MonthlyFigure, StartUp


def startup_refresh_stage(startup: StartUp) -> StartUp:
    stage = selectors.stage_from_figures(list(startup.figures.all()))
    if stage != startup.stage:
        StartUp.objects.filter(pk=startup.pk).update(stage=stage)
        startup.stage = stage
    return startup


@transaction.atomic
def startup_update(
    *,
    startup: StartUp,
    by,
    name: str | Unchanged = UNCHANGED,
    legal_form: str | Unchanged = UNCHANGED,
    founded: date | Unchanged | None = UNCHANGED,
) -> StartUp:
    require(by, "accelerator.report_startup", startup)
    for field, value in given(name=name, legal_form=legal_form, founded=founded).items():
        setattr(startup, field, value)
    startup.full_clean(exclude=["application"])
    startup.save()
    return startup


def _month_errors(*, startup: StartUp, month: date, replace: bool = False, recorded=None) -> list:
    """What is wrong with recording `month` for `startup`: a month that has not begun, or one
    already recorded without `replace` (code "already_recorded")."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        return [
            ValidationError(
                _("%(month)s has not begun yet: figures can be recorded up to the current month.")
                % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
                code="future",
            )
        ]
    if recorded is None:
        recorded = MonthlyFigure.objects.filter(startup=startup, month=month).exists()
    if recorded and not replace:
        return [
            ValidationError(
                _("Figures for %(month)s are already recorded. Confirm that they should be replaced.")
                % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
                code="already_recorded",
            )
        ]
    return []


@transaction.atomic
def figure_record(
    *,
    startup: StartUp,
    by,
    month: date,
    earned_income: Decimal | float | Unchanged = UNCHANGED,
    grants: Decimal | float | Unchanged = UNCHANGED,
    costs: Decimal | float | Unchanged = UNCHANGED,
    customers: int | Unchanged = UNCHANGED,
    paid_jobs: Decimal | float | Unchanged = UNCHANGED,
    volunteers: int | Unchanged = UNCHANGED,
    beneficiaries: int | Unchanged = UNCHANGED,
    replace: bool = False,
) -> MonthlyFigure:
    """Record one month's figures, or with `replace` correct a month already recorded; the stage
    follows. A figure not given keeps its recorded value (zero for a new month).

    Refused, with every error at once: a month that has not begun, negative amounts, and a month
    already recorded unless `replace` confirms it (error code "already_recorded")."""
    require(by, "accelerator.report_startup", startup)
    month = month.replace(day=1)
    figure = MonthlyFigure.objects.select_for_update().filter(
        startup=startup, month=month
    ).first() or MonthlyFigure(startup=startup, month=month)
    errors: dict[str, list] = {}
    if month_errors := _month_errors(startup=startup, month=month, replace=replace, recorded=figure.pk):
        errors["month"] = month_errors
    amounts = given(earned_income=earned_income, grants=grants, costs=costs, paid_jobs=paid_jobs)
    counts = given(customers=customers, volunteers=volunteers, beneficiaries=beneficiaries)
    for field, value in amounts.items():
        setattr(figure, field, Decimal(str(value)))
    for field, value in counts.items():
        setattr(figure, field, value)
    errors = with_field_rules(figure, errors, exclude=["startup"], validate_unique=False)
    if errors:
        raise ValidationError(errors)
    figure.save()
    startup_refresh_stage(startup)
    return figure


@transaction.atomic
def milestone_create(
    *, startup: StartUp, by, title: str, due: date, evidence: str = "", done_on=None
) -> Milestone:
    require(by, "accelerator.report_startup", startup)
    milestone = Milestone(startup=startup, title=title, due=due, evidence=evidence, done_on=done_on)
    milestone.full_clean(exclude=["startup"])
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by, done_on: date, evidence: str = "") -> Milestone:
    require(by, "accelerator.report_startup", milestone.startup)
    if milestone.done_on:
        return milestone
    if not evidence.strip() and not milestone.evidence:
        raise ValidationError({"evidence": _("Say what shows the milestone is reached.")})
    milestone.done_on = done_on
    milestone.evidence = evidence.strip() or milestone.evidence
    milestone.save(update_fields=["done_on", "evidence"])
    return milestone


@transaction.atomic
def mentoring_session_log(
    *, startup: StartUp, by, date: date, mentor: str, notes: str = ""
) -> MentoringSession:
    require(by, "accelerator.report_startup", startup)
    session = MentoringSession(startup=startup, date=date, mentor=mentor, notes=notes)
    session.full_clean(exclude=["startup"])
    session.save()
    return session
