"""Rounds and their criteria: create, change while that is allowed, move through the statuses."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sempre import formats
from sempre.rules import require
from sempre.updates import UNCHANGED, Unchanged, given, without_none
from sempre.validation import with_field_rules

from ..models import Application, Criterion, ReviewAssignment, Round, TieBreak
from ..portfolio import validate_quotas

# What may still change once a round is open: dates and wording, not how it is judged.
OPEN_ROUND_FIELDS = ("description", "closes_at", "review_deadline")

# A round's dates fall in this span; outside it a date is a typo (and years like 1000 have no
# modern time-zone offset to show it with).
ROUND_YEARS = (2000, 2100)


def _round_check(round: Round):
    errors = {}
    for field in ("opens_at", "closes_at", "review_deadline"):
        value = getattr(round, field)
        if value and not ROUND_YEARS[0] <= value.year <= ROUND_YEARS[1]:
            errors[field] = _("Give a date between the years %(first)s and %(last)s.") % {
                "first": ROUND_YEARS[0],
                "last": ROUND_YEARS[1],
            }
    if round.opens_at and round.closes_at and round.closes_at <= round.opens_at and "closes_at" not in errors:
        errors["closes_at"] = _("The round must close after it opens.")
    late = round.closes_at and round.review_deadline and round.review_deadline < round.closes_at
    if late and "review_deadline" not in errors:
        errors["review_deadline"] = _("The review deadline cannot be before the round closes.")
    quota_errors = validate_quotas(round.quotas)
    if quota_errors:
        errors["quotas"] = quota_errors
    if not isinstance(round.tie_break, list) or any(key not in TieBreak.values for key in round.tie_break):
        errors["tie_break"] = _("Choose tie-break keys from: %(keys)s.") % {
            "keys": ", ".join(TieBreak.values)
        }
    elif len(set(round.tie_break)) != len(round.tie_break):
        repeated = [key for index, key in enumerate(round.tie_break) if key in round.tie_break[:index]]
        errors["tie_break"] = _("Each rule can be used once; “%(rule)s” is chosen more than once.") % {
            "rule": TieBreak(repeated[0]).label
        }
    if not isinstance(round.questions, list) or not all(
        isinstance(q, str) and q.strip() for q in round.questions
    ):
        errors["questions"] = _("Questions must be a list of texts.")
    # the fields' own rules (places at least 1, ...), reported with the errors above
    errors = with_field_rules(round, errors, exclude=["quotas", "tie_break", "questions"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(
    *,
    by,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    review_deadline: datetime,
    description: str = "",
    places: int | None = None,
    reviewers_per_application: int | None = None,
    quotas: list | None = None,
    tie_break: list | None = None,
    blind_review: bool | None = None,
    normalisation: str | None = None,
    questions: list | None = None,
) -> Round:
    """A new round, in draft. Settings left at None take the model's default (8 places, 3 reviewers
    per application, no quotas, the standard tie-break order, blind review, shrinkage)."""
    require(by, "accelerator.manage_round")
    round = Round(
        created_by=by,
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        review_deadline=review_deadline,
        **without_none(
            places=places,
            reviewers_per_application=reviewers_per_application,
            quotas=quotas,
            tie_break=tie_break,
            blind_review=blind_review,
            normalisation=normalisation,
            questions=questions,
        ),
    )
    _round_check(round)
    round.save()
    return round


@transaction.atomic
def round_update(
    *,
    round: Round,
    by,
    title: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    opens_at: datetime | Unchanged = UNCHANGED,
    closes_at: datetime | Unchanged = UNCHANGED,
    review_deadline: datetime | Unchanged = UNCHANGED,
    places: int | Unchanged = UNCHANGED,
    reviewers_per_application: int | Unchanged = UNCHANGED,
    quotas: list | Unchanged = UNCHANGED,
    tie_break: list | Unchanged = UNCHANGED,
    blind_review: bool | Unchanged = UNCHANGED,
    normalisation: str | Unchanged = UNCHANGED,
    questions: list | Unchanged = UNCHANGED,
) -> Round:
    """Change a round's settings. Once it is open, only its wording and dates (OPEN_ROUND_FIELDS)."""
    require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    changes = given(
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        review_deadline=review_deadline,
        places=places,
        reviewers_per_application=reviewers_per_application,
        quotas=quotas,
        tie_break=tie_break,
        blind_review=blind_review,
        normalisation=normalisation,
        questions=questions,
    )
    if round.status != Round.Status.DRAFT:
        frozen = sorted(
            f for f, v in changes.items() if f not in OPEN_ROUND_FIELDS and getattr(round, f) != v
        )
        if frozen:
            raise ValidationError({f: _("This cannot change once the round is open.") for f in frozen})
    for field, value in changes.items():
        setattr(round, field, value)
    _round_check(round)
    round.save()
    round_ranking_changed(round_id=round.pk)
    round.refresh_from_db(fields=["ranking_version"])
    return round


@transaction.atomic
def round_transition(*, round: Round, by, status: str, confirm: bool = False, now=None) -> Round:
    """draft -> open -> reviewing -> deciding; repeating the current status is a no-op.
    "decided" is reached only by `round_close_decision`.

    Moving on early (to reviewing before applications close) or with reviews outstanding (to
    deciding) needs `confirm=True`; without it a ValidationError with code "confirm" says what is
    missing (see `round_transition_warnings`)."""
    require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    if status == round.status:
        return round
    if status not in Round.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    if status not in round.allowed_transitions:
        raise ValidationError(
            {
                "status": _("A round that is “%(current)s” cannot become “%(new)s”.")
                % {"current": round.get_status_display(), "new": Round.Status(status).label}
            }
        )
    if status == Round.Status.OPEN and not round.criteria.exists():
        raise ValidationError({"status": _("Add at least one criterion before opening the round.")})
    warnings = round_transition_warnings(round=round, status=status, now=now)
    if warnings and not confirm:
        raise ValidationError({"confirm": [ValidationError(w, code="confirm") for w in warnings]})
    round.status = status
    round.save(update_fields=["status", "updated_at"])
    return round


def round_transition_warnings(*, round: Round, status: str, now=None) -> list[str]:
    """What is missing for the move to `status` to be on time: applications still open (moving to
    reviewing before the closing date) or reviews not submitted (moving to deciding). Empty when
    nothing is missing."""
    now = now or timezone.now()
    warnings = []
    if status == Round.Status.REVIEWING and now < round.closes_at:
        warnings.append(
            _(
                "Applications are open until %(closes)s: moving to reviewing now closes them early, "
                "and nobody can apply or change an application after that."
            )
            % {"closes": django_formats.date_format(timezone.localtime(round.closes_at), "DATETIME_FORMAT")}
        )
    if status == Round.Status.DECIDING:
        counts = _review_counts(round)
        missing = sum(max(0, expected - row.review_count) for row, expected in counts)
        applications = sum(1 for row, expected in counts if row.review_count < expected)
        if missing:
            warnings.append(
                ngettext(
                    "%(missing)s review is not submitted yet.",
                    "%(missing)s reviews are not submitted yet.",
                    missing,
                )
                % {"missing": formats.number(missing)}
                + " "
                + _("Applications still waiting for a review: %(applications)s.")
                % {"applications": formats.number(applications)}
                + " "
                + _("The ranking will be provisional, and reviewers can no longer submit.")
            )
    return warnings


def _review_counts(round: Round):
    """(application annotated with review_count, reviews expected) for each application of the round."""
    applications = (
        Application.objects.competing()
        .filter(round=round)
        .annotate(
            review_count=Count(
                "assignments__review",
                filter=Q(
                    assignments__status=ReviewAssignment.Status.ACTIVE,
                    assignments__review__submitted_at__isnull=False,
                ),
            ),
            assigned=Count("assignments", filter=Q(assignments__status=ReviewAssignment.Status.ACTIVE)),
        )
    )
    return [(a, max(round.reviewers_per_application, a.assigned)) for a in applications]


# Criteria ---------------------------------------------------------------------------------------


def _criterion_check(criterion: Criterion):
    if (
        criterion.scale_max is not None
        and criterion.scale_min is not None
        and criterion.scale_max <= criterion.scale_min
    ):
        raise ValidationError({"scale_max": _("The highest score must be above the lowest.")})
    if not isinstance(criterion.guidance, dict):
        raise ValidationError({"guidance": _("Guidance is a mapping from score to text.")})
    bad = [
        level
        for level in criterion.guidance
        if not str(level).lstrip("-").isdigit()
        or not criterion.scale_min <= int(level) <= criterion.scale_max
    ]
    if bad:
        raise ValidationError(
            {
                "guidance": _("Guidance for levels outside the scale: %(levels)s.")
                % {"levels": ", ".join(map(str, bad))}
            }
        )
    criterion.full_clean(exclude=["round", "guidance"])


def _round_in_draft(round: Round):
    if round.status != Round.Status.DRAFT:
        raise ValidationError({"round": _("Criteria can only change while the round is a draft.")})


@transaction.atomic
def criterion_create(
    *,
    round: Round,
    by,
    name: str,
    description: str = "",
    weight: Decimal | int | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
    guidance: dict | None = None,
    order: int | None = None,
) -> Criterion:
    """A criterion of a draft round; settings left at None take the model's default (weight 1,
    scale 0-5, no guidance), and it comes last unless given an `order`."""
    require(by, "accelerator.manage_round")
    _round_in_draft(round)
    criterion = Criterion(
        round=round,
        name=name,
        description=description,
        order=round.criteria.count() if order is None else order,
        **without_none(weight=weight, scale_min=scale_min, scale_max=scale_max, guidance=guidance),
    )
    _criterion_check(criterion)
    criterion.save()
    round_ranking_changed(round_id=criterion.round_id)
    return criterion


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    by,
    name: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    weight: Decimal | int | Unchanged = UNCHANGED,
    scale_min: int | Unchanged = UNCHANGED,
    scale_max: int | Unchanged = UNCHANGED,
    guidance: dict | Unchanged = UNCHANGED,
    order: int | Unchanged = UNCHANGED,
) -> Criterion:
    require(by, "accelerator.manage_round")
    _round_in_draft(criterion.round)
    changes = given(
        name=name,
        description=description,
        weight=weight,
        scale_min=scale_min,
        scale_max=scale_max,
        guidance=guidance,
        order=order,
    )
    for field, value in changes.items():
        setattr(criterion, field, value)
    _criterion_check(criterion)
    criterion.save()
    round_ranking_changed(round_id=criterion.round_id)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by) -> None:
    require(by, "accelerator.manage_round")
    _round_in_draft(criterion.round)
    criterion.delete()
    round_ranking_changed(round_id=criterion.round_id)


def round_ranking_changed(*, round_id: int) -> None:
    """Something the round's ranking depends on changed (its settings, criteria, applications or
    reviews): its version moves, in the caller's transaction, so a cached ranking of the old
    version is never read again (selectors.round_ranking). Every service that changes such a
    thing calls this."""
    Round.objects.filter(pk=round_id).update(ranking_version=F("ranking_version") + 1)
