"""Writes in the accelerator: each a plain function, validated, atomic, permission-checked,
idempotent where repeating makes sense. Errors are ValidationError keyed by field or PermissionDenied.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from microprojects.models import MicroProject
from sempre import audit
from sempre.models import User

from . import eligibility as eligibility_module
from .models import (
    Application,
    Criterion,
    Decision,
    DecisionRecord,
    MentoringSession,
    Milestone,
    MonthlyFigure,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    Round,
    Score,
    StartUp,
    TieBreak,
)
from .portfolio import validate_quotas, violations


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


# Rounds and criteria ----------------------------------------------------------------------------

ROUND_FIELDS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "review_deadline",
    "places",
    "reviewers_per_application",
    "quotas",
    "tie_break",
    "blind_review",
    "normalisation",
    "questions",
)
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
    if errors:
        raise ValidationError(errors)
    if round.opens_at and round.closes_at and round.closes_at <= round.opens_at:
        errors["closes_at"] = _("The round must close after it opens.")
    if round.closes_at and round.review_deadline and round.review_deadline < round.closes_at:
        errors["review_deadline"] = _("The review deadline cannot be before the round closes.")
    quota_errors = validate_quotas(round.quotas)
    if quota_errors:
        errors["quotas"] = quota_errors
    if not isinstance(round.tie_break, list) or any(key not in TieBreak.values for key in round.tie_break):
        errors["tie_break"] = _("Choose tie-break keys from: %(keys)s.") % {
            "keys": ", ".join(TieBreak.values)
        }
    elif len(set(round.tie_break)) != len(round.tie_break):
        errors["tie_break"] = _("Each tie-break key can appear once.")
    if not isinstance(round.questions, list) or not all(
        isinstance(q, str) and q.strip() for q in round.questions
    ):
        errors["questions"] = _("Questions must be a list of texts.")
    if errors:
        raise ValidationError(errors)
    round.full_clean(exclude=["quotas", "tie_break", "questions"])


@transaction.atomic
def round_create(*, by, **data) -> Round:
    _require(by, "accelerator.manage_round")
    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    round = Round(created_by=by, **data)
    _round_check(round)
    round.save()
    return round


@transaction.atomic
def round_update(*, round: Round, by, **data) -> Round:
    _require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    if round.status != Round.Status.DRAFT:
        frozen = sorted(f for f, v in data.items() if f not in OPEN_ROUND_FIELDS and getattr(round, f) != v)
        if frozen:
            raise ValidationError({f: _("This cannot change once the round is open.") for f in frozen})
    for field, value in data.items():
        setattr(round, field, value)
    _round_check(round)
    round.save()
    return round


@transaction.atomic
def round_transition(*, round: Round, by, status: str) -> Round:
    """draft -> open -> reviewing -> deciding; repeating the current status is a no-op.
    "decided" is reached only by `round_close_decision`."""
    _require(by, "accelerator.manage_round")
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
    round.status = status
    round.save(update_fields=["status", "updated_at"])
    return round


CRITERION_FIELDS = ("name", "description", "weight", "scale_min", "scale_max", "guidance", "order")


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
def criterion_create(*, round: Round, by, **data) -> Criterion:
    _require(by, "accelerator.manage_round")
    _round_in_draft(round)
    unknown = set(data) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    data.setdefault("order", round.criteria.count())
    criterion = Criterion(round=round, **data)
    _criterion_check(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, by, **data) -> Criterion:
    _require(by, "accelerator.manage_round")
    _round_in_draft(criterion.round)
    unknown = set(data) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(criterion, field, value)
    _criterion_check(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by) -> None:
    _require(by, "accelerator.manage_round")
    _round_in_draft(criterion.round)
    criterion.delete()


# Applications -----------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, round: Round, project: MicroProject, by, answers: dict | None = None, now=None
) -> Application:
    """Submit a project to an open round before it closes; freezes snapshots of its canvas and
    theory of change. Submitting again for the same project returns the existing application."""
    if not by.has_perm("accelerator.apply_for_project", project):
        raise PermissionDenied(_("Only social workers of the project's organisation can apply for it."))
    now = now or timezone.now()
    round = Round.objects.select_for_update().get(pk=round.pk)
    existing = Application.objects.filter(round=round, project=project).first()
    if existing:
        return existing
    if round.status != Round.Status.DRAFT and now > round.closes_at:
        raise ValidationError(
            {
                "round": _("The deadline has passed: applications closed on %(deadline)s.")
                % {"deadline": timezone.localtime(round.closes_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if round.status != Round.Status.OPEN or now < round.opens_at:
        raise ValidationError({"round": _("This round is not open for applications.")})
    answers = dict(answers or {})
    missing = [q for q in round.questions if not str(answers.get(q, "")).strip()]
    unknown = [q for q in answers if q not in round.questions]
    if missing or unknown:
        raise ValidationError(
            {
                "answers": [_("Please answer: %(question)s") % {"question": q} for q in missing]
                + [_("Not a question of this round: %(question)s") % {"question": q} for q in unknown]
            }
        )
    check = eligibility_module.eligibility_by_project([project])[project.pk]
    if not check.eligible:
        raise ValidationError({"project": check.reasons})
    note = _("Frozen for the application to %(round)s") % {"round": round.title}
    sbmc, toc = eligibility_module.freeze_tools(eligibility=check, by=by, note=note)
    return Application.objects.create(
        round=round,
        project=project,
        answers=answers,
        sbmc_snapshot=sbmc,
        toc_snapshot=toc,
        submitted_by=by,
        submitted_at=now,
    )


# Assignment -------------------------------------------------------------------------------------


def reviewer_country(reviewer: User) -> str:
    """The reviewer's country: from their reviewer profile, else their (first) organisation."""
    profile = getattr(reviewer, "reviewer_profile", None)
    if profile is not None and profile.country:
        return profile.country
    memberships = sorted(reviewer.memberships.all(), key=lambda m: m.pk)
    return str(memberships[0].organisation.country) if memberships else ""


@transaction.atomic
def reviewer_country_set(*, reviewer: User, country: str, by) -> ReviewerProfile:
    """Record the country a reviewer comes from (used to avoid same-country reviews)."""
    from django_countries import countries

    _require(by, "accelerator.manage_round")
    country = (country or "").strip().upper()
    if country not in dict(countries):
        raise ValidationError({"country": _("Choose a country.")})
    if not reviewer.is_reviewer:
        raise ValidationError({"reviewer": _("%(name)s is not a reviewer.") % {"name": reviewer}})
    profile, _created = ReviewerProfile.objects.update_or_create(user=reviewer, defaults={"country": country})
    return profile


def _reviewers():
    return list(
        User.objects.filter(is_reviewer=True, is_active=True)
        .select_related("reviewer_profile")
        .prefetch_related("memberships__organisation")
        .order_by("pk")
    )


def _assignment_refusal(application: Application, reviewer: User) -> str | None:
    if not reviewer.is_reviewer:
        return _("%(name)s is not a reviewer.") % {"name": reviewer}
    if application.project.organisation_id in {m.organisation_id for m in reviewer.memberships.all()}:
        return _("%(name)s works for the applicant's organisation.") % {"name": reviewer}
    return None


@transaction.atomic
def assignment_create(*, application: Application, reviewer: User, by) -> ReviewAssignment:
    """Assign by hand; a same-country reviewer is allowed but flagged. Repeating is a no-op."""
    _require(by, "accelerator.manage_round")
    if application.round.status not in (Round.Status.OPEN, Round.Status.REVIEWING):
        raise ValidationError(
            {"reviewer": _("Reviewers can be assigned while the round is open or reviewing.")}
        )
    existing = ReviewAssignment.objects.filter(application=application, reviewer=reviewer).first()
    if existing:
        if existing.status == ReviewAssignment.Status.CONFLICT:
            raise ValidationError(
                {"reviewer": _("%(name)s declared a conflict of interest.") % {"name": reviewer}}
            )
        return existing
    refusal = _assignment_refusal(application, reviewer)
    if refusal:
        raise ValidationError({"reviewer": refusal})
    return ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        same_country=reviewer_country(reviewer) == str(application.project.country),
        assigned_by=by,
    )


@transaction.atomic
def assignments_auto(*, round: Round, by, per_application: int | None = None) -> list[ReviewAssignment]:
    """Top every application up to k active reviewers.

    Rules, in order: never a reviewer from the applicant's organisation (nor one who declared a
    conflict); at least one reviewer from another country whenever one is available (even above
    the fair share); then balance the load (a reviewer above the fair share only when nobody else
    fits); then prefer other countries; lowest id last, so the result is deterministic.
    Same-country picks are flagged.
    """
    _require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status not in (Round.Status.OPEN, Round.Status.REVIEWING):
        raise ValidationError({"round": _("Reviewers can be assigned while the round is open or reviewing.")})
    k = per_application or round.reviewers_per_application
    reviewers = _reviewers()
    if not reviewers:
        raise ValidationError({"round": _("There are no reviewers yet.")})
    countries = {r.pk: reviewer_country(r) for r in reviewers}
    orgs = {r.pk: {m.organisation_id for m in r.memberships.all()} for r in reviewers}
    applications = list(
        Application.objects.filter(round=round).select_related("project").prefetch_related("assignments")
    )
    load = {r.pk: 0 for r in reviewers}
    for row in (
        ReviewAssignment.objects.filter(application__round=round, status=ReviewAssignment.Status.ACTIVE)
        .values("reviewer_id")
        .annotate(n=Count("id"))
    ):
        if row["reviewer_id"] in load:
            load[row["reviewer_id"]] = row["n"]
    needed = {
        a.pk: max(0, k - sum(1 for x in a.assignments.all() if x.status == ReviewAssignment.Status.ACTIVE))
        for a in applications
    }
    fair_share = math.ceil((sum(load.values()) + sum(needed.values())) / len(reviewers))

    def candidates(application):
        taken = {x.reviewer_id for x in application.assignments.all()}
        return [
            r
            for r in reviewers
            if r.pk not in taken and application.project.organisation_id not in orgs[r.pk]
        ]

    # Hardest first: fewest possible reviewers, then fewest foreign ones.
    def difficulty(application):
        pool = candidates(application)
        foreign = sum(1 for r in pool if countries[r.pk] != str(application.project.country))
        return (len(pool), foreign, application.pk)

    created = []
    for application in sorted(applications, key=difficulty):
        country = str(application.project.country)
        pool = candidates(application)
        has_foreign = any(
            x.status == ReviewAssignment.Status.ACTIVE and countries.get(x.reviewer_id, "") != country
            for x in application.assignments.all()
        )
        for _slot in range(needed[application.pk]):
            if not pool:
                break

            def preference(r, has_foreign=has_foreign, country=country):
                foreign = countries[r.pk] != country
                # The first foreign reviewer outranks the fair share; after that, load comes first.
                return (not (foreign or has_foreign), load[r.pk] >= fair_share, not foreign, load[r.pk], r.pk)

            best = min(pool, key=preference)
            pool.remove(best)
            load[best.pk] += 1
            has_foreign = has_foreign or countries[best.pk] != country
            created.append(
                ReviewAssignment(
                    application=application,
                    reviewer=best,
                    same_country=countries[best.pk] == country,
                    assigned_by=by,
                )
            )
    ReviewAssignment.objects.bulk_create(created)
    return created


@transaction.atomic
def assignment_declare_conflict(*, assignment: ReviewAssignment, by, reason: str) -> ReviewAssignment:
    """The reviewer declares a conflict of interest: the assignment is withdrawn (and the
    application can be given to someone else). Repeating is a no-op."""
    _require(by, "accelerator.review", assignment)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == ReviewAssignment.Status.CONFLICT:
        return assignment
    if not reason.strip():
        raise ValidationError({"conflict_reason": _("Say briefly what the conflict is.")})
    if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise ValidationError({"conflict_reason": _("The review has already been submitted.")})
    Review.objects.filter(assignment=assignment).delete()
    assignment.status = ReviewAssignment.Status.CONFLICT
    assignment.conflict_reason = reason.strip()
    assignment.save(update_fields=["status", "conflict_reason"])
    return assignment


# Reviews ----------------------------------------------------------------------------------------


def review_is_locked(assignment: ReviewAssignment, *, now=None) -> str | None:
    """Why the review cannot be changed, or None."""
    now = now or timezone.now()
    round = assignment.application.round
    review = getattr(assignment, "review", None)
    if assignment.status != ReviewAssignment.Status.ACTIVE:
        return _("This assignment was withdrawn.")
    if review is not None and review.submitted_at is not None:
        return _("The review has been submitted.")
    if round.status != Round.Status.REVIEWING:
        return _("The round is not in its reviewing phase.")
    if now > round.review_deadline:
        return _("The review deadline has passed.")
    return None


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    by,
    scores: dict,
    comment: str = "",
    recommendation: str = "",
    confidence: int | None = None,
    submit: bool = False,
    now=None,
) -> Review:
    """Save a draft or submit a review. A submitted review is final; so is everything after the deadline."""
    _require(by, "accelerator.review", assignment)
    now = now or timezone.now()
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__round")
        .get(pk=assignment.pk)
    )
    locked = review_is_locked(assignment, now=now)
    if locked:
        raise ValidationError({"review": locked})
    criteria = {c.pk: c for c in assignment.application.round.criteria.all()}
    errors = {}
    clean = {}
    for key, value in (scores or {}).items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, ValueError, TypeError):
            errors.setdefault("scores", []).append(_("Unknown criterion %(id)s.") % {"id": key})
            continue
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (ValueError, TypeError):
            number = None
        if number is None or not criterion.scale_min <= number <= criterion.scale_max:
            errors.setdefault("scores", []).append(
                _("%(name)s: give a whole number from %(low)s to %(high)s.")
                % {"name": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max}
            )
            continue
        clean[criterion.pk] = number
    if recommendation and recommendation not in Review.Recommendation.values:
        errors["recommendation"] = _("Choose yes, maybe or no.")
    if confidence not in (None, "") and not (isinstance(confidence, int) and 1 <= confidence <= 5):
        errors["confidence"] = _("Confidence goes from 1 to 5.")
    if submit:
        missing = [c.name for pk, c in criteria.items() if pk not in clean]
        if missing:
            errors.setdefault("scores", []).append(
                _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)}
            )
        if not recommendation:
            errors["recommendation"] = _("Give a recommendation before submitting.")
    if errors:
        raise ValidationError(errors)
    review, _created = Review.objects.update_or_create(
        assignment=assignment,
        defaults={
            "comment": comment,
            "recommendation": recommendation,
            "confidence": confidence or None,
            "submitted_at": now if submit else None,
        },
    )
    review.scores.exclude(criterion_id__in=clean).delete()
    for criterion_id, value in clean.items():
        Score.objects.update_or_create(review=review, criterion_id=criterion_id, defaults={"value": value})
    return review


# Decisions --------------------------------------------------------------------------------------


def application_attributes(application: Application) -> dict:
    project = application.project
    return {
        "country": str(project.country),
        "organisation": str(project.organisation_id),
        "setting": project.setting,
    }


@transaction.atomic
def decision_record(
    *, application: Application, by, outcome: str, rationale: str, quota_override_reason: str = ""
) -> Decision:
    """The coordinator's decision on one application. Selecting one that breaks a maximum quota
    needs an explicit reason."""
    _require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=application.round_id)
    if round.status != Round.Status.DECIDING:
        raise ValidationError({"outcome": _("Decisions are taken while the round is in its deciding phase.")})
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose selected, reserve or rejected.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give a rationale for the decision.")})
    if outcome == Decision.Outcome.SELECTED:
        others = [
            d.application
            for d in Decision.objects.filter(application__round=round, outcome=Decision.Outcome.SELECTED)
            .exclude(application=application)
            .select_related("application__project")
        ]
        max_rules = [rule for rule in round.quotas if "max" in rule]
        broken = violations(max_rules, _candidates([*others, application]))
        if broken and not quota_override_reason.strip():
            raise ValidationError(
                {
                    "quota_override_reason": _(
                        "Selecting this application breaks a quota (%(quotas)s): give a reason."
                    )
                    % {"quotas": "; ".join(broken)}
                }
            )
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "rationale": rationale.strip(),
            "quota_override_reason": quota_override_reason.strip(),
            "decided_by": by,
        },
    )
    audit.record(
        actor=by,
        action=audit.DECISION,
        target=application,
        data={"outcome": outcome, "quota_override": bool(quota_override_reason.strip())},
    )
    return decision


def _candidates(applications):
    from .portfolio import Candidate

    return [Candidate(a.pk, 0.0, application_attributes(a)) for a in applications]


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def decision_inputs(round: Round) -> dict:
    """Everything the decision rests on, in a canonical form (for the record and its hash)."""
    criteria = [
        {
            "id": c.pk,
            "name": c.name,
            "weight": str(c.weight),
            "scale": [c.scale_min, c.scale_max],
        }
        for c in round.criteria.order_by("order", "id")
    ]
    scores = list(
        Score.objects.filter(review__assignment__application__round=round, review__submitted_at__isnull=False)
        .order_by("review__assignment__application_id", "review__assignment__reviewer_id", "criterion_id")
        .values_list(
            "review__assignment__application_id", "review__assignment__reviewer_id", "criterion_id", "value"
        )
    )
    return {
        "round": round.pk,
        "settings": {
            "places": round.places,
            "quotas": round.quotas,
            "tie_break": round.tie_break,
            "normalisation": round.normalisation,
            "blind_review": round.blind_review,
        },
        "criteria": criteria,
        "applications": sorted(Application.objects.filter(round=round).values_list("pk", flat=True)),
        "scores": [list(row) for row in scores],
    }


@transaction.atomic
def round_close_decision(*, round: Round, by, quota_override_reason: str = "") -> DecisionRecord:
    """Freeze the decision: every application decided, minimum quotas met (or a reason given).
    Writes the immutable record, sets the applications' status, creates the start-ups and queues
    the applicants' notifications. Closing again returns the existing record."""
    from .ranking import round_rank

    _require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status == Round.Status.DECIDED:
        return round.decision_record
    if round.status != Round.Status.DECIDING:
        raise ValidationError({"status": _("Only a round in its deciding phase can be closed.")})
    applications = list(Application.objects.filter(round=round).select_related("project", "decision"))
    undecided = [a for a in applications if not hasattr(a, "decision")]
    if undecided:
        raise ValidationError(
            {
                "decisions": _("Decide on every application first: %(titles)s.")
                % {"titles": ", ".join(a.project.title for a in undecided)}
            }
        )
    selected = [a for a in applications if a.decision.outcome == Decision.Outcome.SELECTED]
    broken = violations([rule for rule in round.quotas if "min" in rule], _candidates(selected))
    if broken and not quota_override_reason.strip():
        raise ValidationError(
            {
                "quota_override_reason": _(
                    "The selection misses a minimum quota (%(quotas)s): give a reason."
                )
                % {"quotas": "; ".join(broken)}
            }
        )
    inputs = decision_inputs(round)
    ranking = round_rank(round=round, normalise=True)
    payload = {
        "inputs": inputs,
        "weights_normalised": {str(k): v for k, v in ranking.weights.items()},
        "ranking_settings": {
            "normalise": True,
            "method": ranking.method,
            "draws": ranking.draws,
            "seed": ranking.seed,
        },
        "ranking": [
            {k: v for k, v in asdict(row).items() if k not in ("raw_totals",)} for row in ranking.rows
        ],
        "decisions": [
            {
                "application": a.pk,
                "project": a.project.title,
                "outcome": a.decision.outcome,
                "rationale": a.decision.rationale,
                "quota_override_reason": a.decision.quota_override_reason,
                "decided_by": a.decision.decided_by_id,
            }
            for a in applications
        ],
        "quota_override_reason": quota_override_reason.strip(),
    }
    payload = json.loads(_canonical(payload))
    record = DecisionRecord.objects.create(
        round=round,
        payload=payload,
        inputs_sha256=hashlib.sha256(_canonical(inputs).encode()).hexdigest(),
        closed_by=by,
    )
    for application in applications:
        application.status = application.decision.outcome
    Application.objects.bulk_update(applications, ["status"])
    for application in selected:
        StartUp.objects.get_or_create(application=application, defaults={"name": application.project.title})
    round.status = Round.Status.DECIDED
    round.save(update_fields=["status", "updated_at"])

    from .tasks import notify_applicants

    transaction.on_commit(lambda: notify_applicants.delay(round.pk))
    audit.record(
        actor=by, action=audit.DECISION_CLOSED, target=round, data={"selected": [a.pk for a in selected]}
    )
    return record


def application_feedback(application: Application) -> list[dict]:
    """Per-criterion feedback for the applicant: mean score and the reviewers' comments,
    without reviewer identities."""
    criteria = list(application.round.criteria.order_by("order", "id"))
    reviews = list(
        Review.objects.filter(
            assignment__application=application,
            assignment__status=ReviewAssignment.Status.ACTIVE,
            submitted_at__isnull=False,
        ).prefetch_related("scores")
    )
    rows = []
    for c in criteria:
        values = [s.value for r in reviews for s in r.scores.all() if s.criterion_id == c.pk]
        rows.append(
            {
                "criterion": c.name,
                "scale": f"{c.scale_min}-{c.scale_max}",
                "mean": round(sum(values) / len(values), 2) if values else None,
            }
        )
    return rows


def application_comments(application: Application) -> list[str]:
    return list(
        Review.objects.filter(
            assignment__application=application,
            assignment__status=ReviewAssignment.Status.ACTIVE,
            submitted_at__isnull=False,
        )
        .exclude(comment="")
        .order_by("pk")
        .values_list("comment", flat=True)
    )


def applicants_notify(*, round: Round) -> int:
    """E-mail each applicant the outcome with per-criterion feedback (no reviewer identities).
    Each application is mailed once: safe to run again after a partial failure."""
    sent = 0
    for pk in Application.objects.filter(round=round, notified_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("project", "round", "submitted_by", "decision")
                .filter(pk=pk, notified_at__isnull=True)
                .first()
            )
            if application is None:
                continue
            recipients = sorted(
                {u.email for u in application.project.lead_social_workers.all() if u.email}
                | (
                    {application.submitted_by.email}
                    if application.submitted_by and application.submitted_by.email
                    else set()
                )
            )
            if recipients:
                send_mail(
                    subject=_("%(round)s: decision on %(project)s")
                    % {"round": application.round.title, "project": application.project.title},
                    message=notification_text(application),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
            application.notified_at = timezone.now()
            application.save(update_fields=["notified_at"])
            sent += 1
    return sent


def notification_text(application: Application) -> str:
    decision = getattr(application, "decision", None)
    lines = [
        _("Dear applicant,"),
        "",
        _("The accelerator round “%(round)s” has been decided. Your project “%(project)s”: %(outcome)s.")
        % {
            "round": application.round.title,
            "project": application.project.title,
            "outcome": decision.get_outcome_display() if decision else application.get_status_display(),
        },
    ]
    if decision and decision.rationale:
        lines += ["", _("Rationale: %(text)s") % {"text": decision.rationale}]
    lines += ["", _("Feedback per criterion (mean of the reviewers' scores):")]
    for row in application_feedback(application):
        mean = "-" if row["mean"] is None else f"{row['mean']:.1f}"
        lines.append(f"- {row['criterion']}: {mean} ({row['scale']})")
    comments = application_comments(application)
    if comments:
        lines += ["", _("Reviewers' comments:")]
        lines += [f"- {c}" for c in comments]
    return "\n".join(lines)


# Start-ups --------------------------------------------------------------------------------------


def stage_from_figures(figures: list[MonthlyFigure]) -> str:
    """pilot until the first month with earned income; launched after; self-sustaining once
    earned income covered costs (ratio >= 1.0) in three consecutive calendar months."""
    run = 0
    previous = None
    launched = False
    for figure in sorted(figures, key=lambda f: f.month):
        launched = launched or figure.earned_income > 0
        ratio = figure.self_sufficiency
        consecutive = (
            previous is not None
            and (figure.month.year * 12 + figure.month.month) - (previous.year * 12 + previous.month) == 1
        )
        run = (run + 1 if consecutive else 1) if ratio is not None and ratio >= 1 else 0
        previous = figure.month
        if run >= 3:
            return StartUp.Stage.SELF_SUSTAINING
    return StartUp.Stage.LAUNCHED if launched else StartUp.Stage.PILOT


def startup_refresh_stage(startup: StartUp) -> StartUp:
    stage = stage_from_figures(list(startup.figures.all()))
    if stage != startup.stage:
        StartUp.objects.filter(pk=startup.pk).update(stage=stage)
        startup.stage = stage
    return startup


@transaction.atomic
def startup_update(*, startup: StartUp, by, **data) -> StartUp:
    _require(by, "accelerator.report_startup", startup)
    unknown = set(data) - {"name", "legal_form", "founded"}
    if unknown:
        raise TypeError(f"Unknown start-up fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(startup, field, value)
    startup.full_clean(exclude=["application"])
    startup.save()
    return startup


FIGURE_FIELDS = ("earned_income", "grants", "costs", "customers", "paid_jobs", "volunteers", "beneficiaries")


@transaction.atomic
def figure_record(*, startup: StartUp, by, month: date, **data) -> MonthlyFigure:
    """Record (or correct) one month's figures; the stage follows."""
    _require(by, "accelerator.report_startup", startup)
    unknown = set(data) - set(FIGURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown figure fields: {sorted(unknown)}")
    if month.day != 1:
        month = month.replace(day=1)
    figure = MonthlyFigure.objects.filter(startup=startup, month=month).first() or MonthlyFigure(
        startup=startup, month=month
    )
    for field, value in data.items():
        setattr(
            figure,
            field,
            Decimal(str(value)) if field in ("earned_income", "grants", "costs", "paid_jobs") else value,
        )
    figure.full_clean(exclude=["startup"], validate_unique=False)
    figure.save()
    startup_refresh_stage(startup)
    return figure


@transaction.atomic
def milestone_create(
    *, startup: StartUp, by, title: str, due: date, evidence: str = "", done_on=None
) -> Milestone:
    _require(by, "accelerator.report_startup", startup)
    milestone = Milestone(startup=startup, title=title, due=due, evidence=evidence, done_on=done_on)
    milestone.full_clean(exclude=["startup"])
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by, done_on: date, evidence: str = "") -> Milestone:
    _require(by, "accelerator.report_startup", milestone.startup)
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
    _require(by, "accelerator.report_startup", startup)
    session = MentoringSession(startup=startup, date=date, mentor=mentor, notes=notes)
    session.full_clean(exclude=["startup"])
    session.save()
    return session
