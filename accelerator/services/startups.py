"""Start-ups: what the selected projects report as they grow (figures, milestones, mentoring),
and the stage that follows from their figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sempre.rules import require
from sempre.updates import UNCHANGED, Unchanged, given

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
) -> MonthlyFigure:
    """Record (or correct) one month's figures; the stage follows. A figure not given keeps its
    recorded value (zero for a new month)."""
    require(by, "accelerator.report_startup", startup)
    if month.day != 1:
        month = month.replace(day=1)
    figure = MonthlyFigure.objects.filter(startup=startup, month=month).first() or MonthlyFigure(
        startup=startup, month=month
    )
    amounts = given(earned_income=earned_income, grants=grants, costs=costs, paid_jobs=paid_jobs)
    counts = given(customers=customers, volunteers=volunteers, beneficiaries=beneficiaries)
    for field, value in amounts.items():
        setattr(figure, field, Decimal(str(value)))
    for field, value in counts.items():
        setattr(figure, field, value)
    figure.full_clean(exclude=["startup"], validate_unique=False)
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
