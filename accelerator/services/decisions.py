"""Decisions on applications, closing a round's decision, and telling the applicants."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sempre import audit
from sempre.languages import language_of
from sempre.rules import require

from .. import selectors
from ..models import Application, Decision, DecisionRecord, Round, StartUp
from ..portfolio import Candidate, violations
from ..ranking import round_rank

# The Celery task that runs `applicants_notify` (accelerator.tasks.notify_applicants), named rather
# than imported: tasks call services, never the other way round.
NOTIFY_APPLICANTS_TASK = "sempre.accelerator.notify_applicants"


@transaction.atomic
def decision_record(
    *, application: Application, by, outcome: str, rationale: str, quota_override_reason: str = ""
) -> Decision:
    """The coordinator's decision on one application. Selecting one that breaks a maximum quota
    needs an explicit reason."""
    require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=application.round_id)
    if round.status != Round.Status.DECIDING:
        raise ValidationError({"outcome": _("Decisions are taken while the round is in its deciding phase.")})
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose selected, reserve or not selected.")})
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
    return [Candidate(a.pk, 0.0, selectors.application_attributes(a)) for a in applications]


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@transaction.atomic
def round_close_decision(*, round: Round, by, quota_override_reason: str = "") -> DecisionRecord:
    """Freeze the decision: every application decided, minimum quotas met (or a reason given).
    Writes the immutable record, sets the applications' status, creates the start-ups and queues
    the applicants' notifications. Closing again returns the existing record."""
    require(by, "accelerator.manage_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status == Round.Status.DECIDED:
        return round.decision_record
    if round.status != Round.Status.DECIDING:
        raise ValidationError({"status": _("Only a round in its deciding phase can be closed.")})
    applications = list(
        Application.objects.competing().filter(round=round).select_related("project", "decision")
    )
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
    inputs = selectors.decision_inputs(round)
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
    transaction.on_commit(partial(_queue_notifications, round_id=round.pk))
    audit.record(
        actor=by, action=audit.DECISION_CLOSED, target=round, data={"selected": [a.pk for a in selected]}
    )
    return record


# Telling the applicants -------------------------------------------------------------------------


def _queue_notifications(*, round_id: int) -> None:
    current_app.signature(NOTIFY_APPLICANTS_TASK, args=(round_id,)).delay()


def applicants_notify(*, round: Round) -> int:
    """E-mail each applicant the outcome with per-criterion feedback (no reviewer identities), each
    in the language saved on their account (sempre.languages; English when they chose none).
    Each application is mailed once: safe to run again after a partial failure."""
    sent = 0
    for pk in (
        Application.objects.competing()
        .filter(round=round, notified_at__isnull=True)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("project", "round", "submitted_by", "decision")
                .filter(pk=pk, notified_at__isnull=True)
                .first()
            )
            if application is None:
                continue
            people = [*application.project.lead_social_workers.all(), application.submitted_by]
            # One e-mail per language, each in the language saved on its recipients' accounts.
            by_language: dict[str, set[str]] = defaultdict(set)
            for person in people:
                if person is not None and person.email:
                    by_language[language_of(person)].add(person.email)
            for language, recipients in sorted(by_language.items()):
                with translation.override(language):
                    subject, body = decision_email(application)
                send_mail(
                    subject=subject,
                    message=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=sorted(recipients),
                )
            application.notified_at = timezone.now()
            application.save(update_fields=["notified_at"])
            sent += 1
    return sent


def decision_email(application: Application) -> tuple[str, str]:
    """The subject and text of the e-mail telling an applicant the decision, in the active language
    (templates/accelerator/email/decision_subject.txt and decision_body.txt)."""
    decision = getattr(application, "decision", None)
    context = {
        "application": application,
        "decision": decision,
        "outcome": decision.get_outcome_display() if decision else application.get_status_display(),
        "feedback": selectors.application_feedback(application),
        "comments": selectors.application_comments(application),
    }
    subject = render_to_string("accelerator/email/decision_subject.txt", context)
    body = render_to_string("accelerator/email/decision_body.txt", context)
    return "".join(subject.strip().splitlines()), body.strip()
