"""Applications and their reviews: submitting a project to a round, assigning reviewers (by hand
or automatically), conflicts of interest, and saving or submitting a review."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries as known_countries

from microprojects.models import MicroProject
from sempre import audit
from sempre.audit_actions import APPLICATION_CHANGED, APPLICATION_WITHDRAWN
from sempre.models import User
from sempre.rules import require

from .. import selectors
from ..eligibility import eligibility_by_project, freeze_tools
from ..models import Application, Review, ReviewAssignment, ReviewerProfile, Round, Score
from ..submission import project_figures
from .rounds import round_ranking_changed


def _language(value, *, default: str = "") -> str:
    """A language code of the platform's (settings.LANGUAGES); `default` when none is given."""
    code = (value or default or "").strip().lower()
    known = dict(settings.LANGUAGES)
    if code not in known:
        code = code.split("-")[0]
    if code not in known:
        raise ValidationError(
            {
                "language": _("Choose one of: %(languages)s.")
                % {"languages": ", ".join(f"{c} ({label})" for c, label in settings.LANGUAGES)}
            }
        )
    return code


def _answer_errors(round: Round, answers: dict) -> list[str]:
    missing = [q for q in round.questions if not str(answers.get(q, "")).strip()]
    unknown = [q for q in answers if q not in round.questions]
    return [_("Please answer: %(question)s") % {"question": q} for q in missing] + [
        _("Not a question of this round: %(question)s") % {"question": q} for q in unknown
    ]


def _freeze(*, round: Round, project: MicroProject, by, now, errors: dict) -> dict:
    """The fields an application freezes from the project now: its canvas and Theory of Change
    (toolkit snapshots) and its key figures. Adds the eligibility's reasons to `errors` instead."""
    check = eligibility_by_project([project])[project.pk]
    if not check.eligible:
        errors["project"] = check.reasons
        return {}
    note = _("Frozen for the application to %(round)s") % {"round": round.title}
    sbmc, toc = freeze_tools(eligibility=check, by=by, note=note)
    return {
        "sbmc_snapshot": sbmc,
        "toc_snapshot": toc,
        "figures": project_figures(project, today=timezone.localdate(now)),
    }


@transaction.atomic
def application_submit(
    *,
    round: Round,
    project: MicroProject,
    by,
    answers: dict | None = None,
    language: str = "",
    now=None,
) -> Application:
    """Submit a project to an open round before it closes; freezes snapshots of its canvas and
    theory of change. `language`: the language the answers are written in (default: the
    submitter's active language). Submitting again for the same project returns the existing
    application, unless it was withdrawn: then it is submitted afresh (frozen again)."""
    require(
        by,
        "accelerator.apply_for_project",
        project,
        message=_("Only social workers of the project's organisation can apply for it."),
    )
    now = now or timezone.now()
    round = Round.objects.select_for_update().get(pk=round.pk)
    existing = Application.objects.filter(round=round, project=project).first()
    if existing and existing.status != Application.Status.WITHDRAWN:
        return existing
    if round.status != Round.Status.DRAFT and now > round.closes_at:
        raise ValidationError(
            {
                "round": _("The deadline has passed: applications closed on %(deadline)s.")
                % {"deadline": formats.date_format(timezone.localtime(round.closes_at), "DATETIME_FORMAT")}
            }
        )
    if round.status != Round.Status.OPEN or now < round.opens_at:
        raise ValidationError({"round": _("This round is not open for applications.")})
    answers = dict(answers or {})
    errors: dict = {}
    if answer_errors := _answer_errors(round, answers):
        errors["answers"] = answer_errors
    try:
        language = _language(language, default=get_language() or settings.LANGUAGE_CODE)
    except ValidationError as error:
        errors.update(error.message_dict)
    frozen = _freeze(round=round, project=project, by=by, now=now, errors=errors) if not errors else {}
    if errors:
        raise ValidationError(errors)
    values = {
        "answers": answers,
        "language": language,
        "submitted_by": by,
        "submitted_at": now,
        "status": Application.Status.SUBMITTED,
        "withdrawn_at": None,
        "edited_at": None,
        **frozen,
    }
    if existing:  # withdrawn, and now submitted again
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save()
        application = existing
    else:
        application = Application.objects.create(round=round, project=project, **values)
    round_ranking_changed(round_id=round.pk)
    return application


def _lock_for_change(application: Application, by, now) -> Application:
    require(
        by,
        "accelerator.change_application",
        application,
        message=_("Only staff of the applying organisation can change or withdraw its application."),
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "project")
        .get(pk=application.pk)
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    by,
    answers: dict | None = None,
    language: str | None = None,
    refreeze: bool = False,
    now=None,
) -> Application:
    """The applicant changes an application until the round closes: the answers to the round's
    questions, the language they are written in, and (`refreeze`) the frozen canvas, Theory of
    Change and key figures, replaced by the project's current ones (which must still be eligible).
    Every problem is reported at once; nothing is changed unless everything is right."""
    now = now or timezone.now()
    application = _lock_for_change(application, by, now)
    refusal = selectors.application_change_refusal(application, now=now)
    if refusal:
        raise ValidationError({"round": refusal})
    errors: dict = {}
    changes: dict = {}
    if answers is not None:
        answers = dict(answers)
        if answer_errors := _answer_errors(application.round, answers):
            errors["answers"] = answer_errors
        elif answers != application.answers:
            changes["answers"] = answers
    if language is not None:
        try:
            code = _language(language)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if code != application.language:
                changes["language"] = code
    if refreeze and not errors:
        changes.update(
            _freeze(round=application.round, project=application.project, by=by, now=now, errors=errors)
        )
    if errors:
        raise ValidationError(errors)
    if not changes:
        return application
    for field, value in changes.items():
        setattr(application, field, value)
    application.edited_at = now
    application.save(update_fields=[*changes, "edited_at"])
    audit.record(
        actor=by,
        action=APPLICATION_CHANGED,
        target=application,
        data={"round": application.round_id, "changed": sorted(changes)},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, now=None) -> Application:
    """The applicant withdraws the application until the round closes: it leaves the reviewers'
    pages, the ranking, the portfolio and the decisions; the coordinator sees it marked withdrawn.
    Recorded in the audit log. Withdrawing again is a no-op; the project may apply again while
    the round is open."""
    now = now or timezone.now()
    application = _lock_for_change(application, by, now)
    if application.status == Application.Status.WITHDRAWN:
        return application
    refusal = selectors.application_change_refusal(application, now=now)
    if refusal:
        raise ValidationError({"round": refusal})
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["status", "withdrawn_at"])
    audit.record(
        actor=by, action=APPLICATION_WITHDRAWN, target=application, data={"round": application.round_id}
    )
    round_ranking_changed(round_id=application.round_id)
    return application


# Assignment -------------------------------------------------------------------------------------


@transaction.atomic
def reviewer_country_set(*, reviewer: User, country: str, by) -> ReviewerProfile:
    """Record the country a reviewer comes from (used to avoid same-country reviews)."""
    require(by, "accelerator.manage_round")
    country = (country or "").strip().upper()
    if country not in dict(known_countries):
        raise ValidationError({"country": _("Choose a country.")})
    if not reviewer.is_reviewer:
        raise ValidationError({"reviewer": _("%(name)s is not a reviewer.") % {"name": reviewer}})
    profile, _created = ReviewerProfile.objects.update_or_create(user=reviewer, defaults={"country": country})
    return profile


def _assignment_refusal(application: Application, reviewer: User) -> str | None:
    if not reviewer.is_reviewer:
        return _("%(name)s is not a reviewer.") % {"name": reviewer}
    if application.project.organisation_id in {m.organisation_id for m in reviewer.memberships.all()}:
        return _("%(name)s works for the applicant's organisation.") % {"name": reviewer}
    return None


@transaction.atomic
def assignment_create(*, application: Application, reviewer: User, by) -> ReviewAssignment:
    """Assign by hand; a same-country reviewer is allowed but flagged. Repeating is a no-op."""
    require(by, "accelerator.manage_round")
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError({"application": _("The applicant withdrew this application.")})
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
    assignment = ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        same_country=selectors.reviewer_country(reviewer) == str(application.project.country),
        assigned_by=by,
    )
    round_ranking_changed(round_id=application.round_id)  # the reviews expected (a provisional ranking)
    return assignment


@transaction.atomic
def assignments_auto(*, round: Round, by, per_application: int | None = None) -> list[ReviewAssignment]:
    """Top every application up to k active reviewers.

    Rules, in order: never a reviewer from the applicant's organisation (nor one who declared a
    conflict); at least one reviewer from another country whenever one is available (even above
    the fair share); then balance the load (a reviewer above the fair share only when nobody else
    fits); then prefer other countries; lowest id last, so the result is deterministic.
    Same-country picks are flagged.
    """
    require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status not in (Round.Status.OPEN, Round.Status.REVIEWING):
        raise ValidationError({"round": _("Reviewers can be assigned while the round is open or reviewing.")})
    k = per_application or round.reviewers_per_application
    reviewers = selectors.reviewers_for_assignment()
    if not reviewers:
        raise ValidationError({"round": _("There are no reviewers yet.")})
    countries = {r.pk: selectors.reviewer_country(r) for r in reviewers}
    orgs = {r.pk: {m.organisation_id for m in r.memberships.all()} for r in reviewers}
    applications = list(
        Application.objects.competing()
        .filter(round=round)
        .select_related("project")
        .prefetch_related("assignments")
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
    if created:
        round_ranking_changed(round_id=round.pk)  # the reviews expected (a provisional ranking)
    return created


@transaction.atomic
def assignment_declare_conflict(*, assignment: ReviewAssignment, by, reason: str) -> ReviewAssignment:
    """The reviewer declares a conflict of interest: the assignment is withdrawn (and the
    application can be given to someone else). Repeating is a no-op."""
    require(by, "accelerator.review", assignment)
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
    round_ranking_changed(round_id=assignment.application.round_id)
    return assignment


# Reviews ----------------------------------------------------------------------------------------


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
    require(by, "accelerator.review", assignment)
    now = now or timezone.now()
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__round")
        .get(pk=assignment.pk)
    )
    locked = selectors.review_is_locked(assignment, now=now)
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
    round_ranking_changed(round_id=assignment.application.round_id)
    return review
