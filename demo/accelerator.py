"""Demo data: the "SEMPRE Accelerators" round, played through the services from call to start-ups.

Runs after the micro projects and toolkit seeders. Deterministic (seeded, dated relative to the
micro projects' reference date) and idempotent: each step checks what is already there, and a
decided round is only topped up with missing start-up data.

Story: the eligible demo projects apply (never a project a person created; if fewer than
MIN_APPLICATIONS are eligible, the missing tools of further active demo projects are completed
through the toolkit services, as their social workers would); six reviewers from six countries
score them, three per application; the coordinator selects eight under "at most two per country";
the start-ups report twelve months.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accelerator import services
from accelerator.eligibility import eligibility_by_project
from accelerator.models import Application, Decision, Review, ReviewerProfile, Round, StartUp
from accelerator.ranking import round_rank
from accelerator.selectors import round_portfolio
from microprojects.models import Indicator, MicroProject
from microprojects.services import indicator_create
from sempre.models import User
from toolkit import services as toolkit_services

from .microprojects import add_months, demo_projects, reference_date
from .people import COORDINATOR

TITLE = "SEMPRE Accelerators"
MIN_APPLICATIONS = 16
MAX_APPLICATIONS = 22
SEED = 8
REVIEWER_COUNTRIES = {
    "reviewer1": "DK",
    "reviewer2": "LT",
    "reviewer3": "FI",
    "reviewer4": "PL",
    "reviewer5": "DE",
    "reviewer6": "EE",
}
CRITERIA = (
    (
        "Social impact",
        "How much the clients' lives change, and how well the Theory of Change shows it.",
        3,
        {
            "0": "No plausible effect",
            "3": "Plausible effect, some evidence",
            "5": "Strong evidence from clients",
        },
    ),
    (
        "Co-creation",
        "How far clients shaped the service (canvas, theory of change, contributions).",
        2,
        {"0": "Designed for clients", "3": "Clients consulted", "5": "Designed with clients throughout"},
    ),
    (
        "Earned income potential",
        "Customers who would pay, and a path to covering costs.",
        2,
        {
            "0": "No paying customers in sight",
            "3": "First paying customers",
            "5": "Costs covered within a year",
        },
    ),
    ("Team and partners", "Capacity to run it: staff, volunteers, partners.", 1, {}),
    ("Transferability", "Could another rural region use it?", 1, {}),
)
QUESTIONS = ["Who pays for the service, and who benefits?", "What will the accelerator's support change?"]
COMMENTS = (
    "Clear value for the clients; the revenue model needs a second paying customer group.",
    "Impressive co-creation with clients; costs look optimistic.",
    "Good fit with the region's needs, but the team depends on one person.",
    "The theory of change is convincing; indicators are well chosen.",
    "Promising, though the earned income is still mostly hypothetical.",
    "Strong partnerships with the municipality; could be transferred easily.",
)
LEGAL_FORMS = ("Social cooperative", "Non-profit association", "Limited company (social enterprise)")


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(*, stdout) -> None:
    with transaction.atomic():
        reference = reference_date()
        coordinator = User.objects.filter(username=COORDINATOR.username).first()
        if coordinator is None:
            stdout.write("Accelerator: no coordinator (run the micro projects seeder first); skipped.\n")
            return
        reviewers = _reviewers()
        round = _round(coordinator, reference)
        if round.status == Round.Status.OPEN:
            _apply(round, reference)
            services.assignments_auto(round=round, by=coordinator)
            round = services.round_transition(
                round=round, by=coordinator, status=Round.Status.REVIEWING, confirm=True
            )
        if round.status == Round.Status.REVIEWING:
            _review(round, reference)
            round = services.round_transition(
                round=round, by=coordinator, status=Round.Status.DECIDING, confirm=True
            )
        if round.status == Round.Status.DECIDING:
            _decide(round, coordinator)
            services.round_close_decision(round=round, by=coordinator)
            round.refresh_from_db()
            # The demo's applicants have example addresses: no mail is sent for them.
            Application.objects.filter(round=round).update(notified_at=timezone.now())
        created = _startups(round, coordinator, reference)
    stdout.write(
        f"Accelerator: round “{TITLE}” {round.get_status_display().lower()} with "
        f"{round.applications.count()} applications, {len(reviewers)} reviewers, "
        f"{StartUp.objects.filter(application__round=round).count()} start-ups "
        f"({created} monthly figures added).\n"
    )


def _reviewers() -> list[User]:
    reviewers = list(User.objects.filter(username__in=REVIEWER_COUNTRIES).order_by("username"))
    for reviewer in reviewers:
        if not reviewer.is_reviewer:
            User.objects.filter(pk=reviewer.pk).update(is_reviewer=True)
        ReviewerProfile.objects.get_or_create(
            user=reviewer, defaults={"country": REVIEWER_COUNTRIES[reviewer.username]}
        )
    return reviewers


def _round(coordinator, reference: date) -> Round:
    round = Round.objects.filter(title=TITLE).first()
    if round is not None:
        return round
    opens = add_months(reference, -15)
    round = services.round_create(
        by=coordinator,
        title=TITLE,
        description=(
            "Eight of the most promising micro projects become self-sustaining social start-ups, "
            "with a year of mentoring and seed funding."
        ),
        opens_at=_aware(opens),
        closes_at=_aware(opens + timedelta(days=42), 23),
        review_deadline=_aware(opens + timedelta(days=70), 23),
        places=8,
        reviewers_per_application=3,
        quotas=[{"attribute": "country", "max": 2}],
        questions=QUESTIONS,
    )
    for order, (name, description, weight, guidance) in enumerate(CRITERIA):
        services.criterion_create(
            round=round,
            by=coordinator,
            name=name,
            description=description,
            weight=weight,
            scale_min=0,
            scale_max=5,
            guidance=guidance,
            order=order,
        )
    return services.round_transition(round=round, by=coordinator, status=Round.Status.OPEN)


def _member(project: MicroProject) -> User | None:
    """Someone who may act for the project: a lead social worker, else any member."""
    leads = sorted(project.lead_social_workers.all(), key=lambda u: u.pk)
    if leads:
        return leads[0]
    return User.objects.filter(memberships__organisation=project.organisation).order_by("pk").first()


def _complete_tools(project: MicroProject, by: User, readiness) -> None:
    """Fill what is missing, as the project's social worker would, through the toolkit services."""
    if readiness is None or readiness.sbmc is None or not readiness.sbmc_complete:
        sbmc = readiness.sbmc if readiness is not None and readiness.sbmc is not None else None
        sbmc = sbmc or toolkit_services.tool_create(project=project, template="sbmc", by=by)
        filled = set(sbmc.entries.values_list("block_key", flat=True))
        for block in sbmc.template.blocks.all():
            if block.key not in filled:
                toolkit_services.entry_add(
                    instance=sbmc,
                    block_key=block.key,
                    by=by,
                    text=f"{block.key.replace('_', ' ').capitalize()} of “{project.title}”, "
                    "agreed with clients.",
                )
        toolkit_services.tool_update(instance=sbmc, by=by, status="complete")
    if readiness is None or readiness.toc is None or readiness.toc_errors:
        toc = toolkit_services.tool_create(
            project=project, template="theory-of-change", by=by, title="Theory of Change"
        )
        impact = toolkit_services.outcome_add(
            instance=toc,
            by=by,
            level="impact",
            text="Clients live independently and take part in village life",
        )
        indicator = (
            Indicator.objects.filter(project=project, baseline__isnull=False, target__isnull=False)
            .order_by("pk")
            .first()
        )
        if indicator is None:
            indicator = indicator_create(
                project=project, by=by, name="Clients taking part", unit="people", baseline=0, target=25
            )
        early = toolkit_services.outcome_add(
            instance=toc,
            by=by,
            level="early",
            text="Clients take part in the service every week",
            indicators=[indicator],
        )
        toolkit_services.link_add(
            instance=toc,
            source=early,
            target=impact,
            by=by,
            rationale="Regular participation builds skills, contacts and confidence.",
        )
        toolkit_services.intervention_add(
            instance=toc,
            by=by,
            text=f"Run “{project.title}” with clients",
            outputs="Weekly sessions",
            outcomes=[early],
        )


def _apply(round: Round, reference: date) -> None:
    # The demo's own projects only: a person's project neither applies nor gets its tools completed.
    projects = list(
        demo_projects()
        .filter(status__in=[MicroProject.Status.ACTIVE, MicroProject.Status.COMPLETED])
        .select_related("organisation")
        .prefetch_related("lead_social_workers")
        .order_by("organisation__name", "title", "pk")
    )
    checks = eligibility_by_project(projects)
    eligible = [p for p in projects if checks[p.pk].eligible]
    for project in projects:
        if len(eligible) >= MIN_APPLICATIONS:
            break
        if project in eligible:
            continue
        by = _member(project)
        if by is None:
            continue
        _complete_tools(project, by, checks[project.pk].readiness)
        eligible.append(project)
    applied = set(Application.objects.filter(round=round).values_list("project_id", flat=True))
    for index, project in enumerate(eligible[:MAX_APPLICATIONS]):
        if project.pk in applied:
            continue
        by = _member(project)
        if by is None:
            continue
        services.application_submit(
            round=round,
            project=project,
            by=by,
            answers={
                QUESTIONS[0]: "The municipality and local businesses pay; older and isolated people benefit.",
                QUESTIONS[1]: "Mentoring on pricing and a first year of seed funding.",
            },
            now=round.opens_at + timedelta(days=7, hours=index),
        )


def _review(round: Round, reference: date) -> None:
    rng = random.Random(SEED)
    criteria = list(round.criteria.order_by("order", "id"))
    applications = list(Application.objects.filter(round=round).order_by("pk"))
    quality = {a.pk: rng.uniform(1.5, 4.6) for a in applications}
    leniency = {name: rng.uniform(-0.8, 0.8) for name in sorted(REVIEWER_COUNTRIES)}
    now = round.closes_at + timedelta(days=14)
    for application in applications:
        for assignment in (
            application.assignments.filter(status="active").select_related("reviewer").order_by("pk")
        ):
            if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
                continue
            base = quality[application.pk] + leniency.get(assignment.reviewer.username, 0.0)
            scores = {c.pk: max(0, min(5, round_half(base + rng.gauss(0, 0.6)))) for c in criteria}
            mean = sum(scores.values()) / len(scores)
            services.review_save(
                assignment=assignment,
                by=assignment.reviewer,
                scores=scores,
                comment=rng.choice(COMMENTS),
                recommendation="yes" if mean >= 3.5 else "maybe" if mean >= 2.5 else "no",
                confidence=rng.randint(3, 5),
                submit=True,
                now=now,
            )


def round_half(value: float) -> int:
    return int(value + 0.5)


def _decide(round: Round, coordinator) -> None:
    portfolio = round_portfolio(round=round)
    selected = set(portfolio["selected"])
    applications = {a.pk: a for a in Application.objects.filter(round=round).select_related("project")}
    order = [row.application_id for row in round_rank(round=round, draws=0).rows]
    reserve = [i for i in order if i not in selected][:3]
    decided = set(Decision.objects.filter(application__round=round).values_list("application_id", flat=True))
    for application_id in order:
        if application_id in decided:
            continue
        if application_id in selected:
            outcome, rationale = "selected", "In the best portfolio under the country quota."
        elif application_id in reserve:
            outcome, rationale = "reserve", "Strong; on the reserve list if a place frees up."
        else:
            outcome, rationale = "rejected", "Below the cut-off; the feedback shows where to grow."
        services.decision_record(
            application=applications[application_id], by=coordinator, outcome=outcome, rationale=rationale
        )


def _startups(accelerator_round: Round, coordinator, reference: date) -> int:
    """Twelve months of figures, three milestones and four mentoring sessions per start-up."""
    created = 0
    first_month = add_months(reference.replace(day=1), -12)
    startups = list(
        StartUp.objects.filter(application__round=accelerator_round)
        .select_related("application__project")
        .order_by("pk")
    )
    for index, startup in enumerate(startups):
        rng = random.Random(SEED * 1000 + startup.application.project_id)
        if not startup.legal_form:
            services.startup_update(
                startup=startup,
                by=coordinator,
                legal_form=LEGAL_FORMS[index % len(LEGAL_FORMS)],
                founded=first_month - timedelta(days=20),
            )
        have = set(startup.figures.values_list("month", flat=True))
        costs = rng.randint(25, 60) * 100
        start_ratio, end_ratio = rng.uniform(0.15, 0.45), rng.uniform(0.7, 1.4)
        for m in range(12):
            month = add_months(first_month, m)
            if month in have:
                continue
            ratio = start_ratio + (end_ratio - start_ratio) * m / 11 + rng.uniform(-0.05, 0.05)
            month_costs = costs + rng.randint(-3, 3) * 100
            services.figure_record(
                startup=startup,
                by=coordinator,
                month=month,
                earned_income=round(month_costs * max(ratio, 0), 2),
                grants=round(month_costs * 0.3, 2),
                costs=month_costs,
                customers=int(5 + m * rng.uniform(1, 4)),
                paid_jobs=round(1 + m * 0.1, 2),
                volunteers=rng.randint(2, 8),
                beneficiaries=int(20 + m * rng.uniform(2, 6)),
            )
            created += 1
        if not startup.milestones.exists():
            for offset, title, done in (
                (2, "Business plan agreed with clients", True),
                (6, "First paying customer group", True),
                (14, "Earned income covers costs", False),
            ):
                due = add_months(first_month, offset)
                services.milestone_create(
                    startup=startup,
                    by=coordinator,
                    title=title,
                    due=due,
                    done_on=due - timedelta(days=5) if done else None,
                    evidence="Minutes of the co-creation workshop" if done else "",
                )
        if not startup.mentoring_sessions.exists():
            for session in range(4):
                services.mentoring_session_log(
                    startup=startup,
                    by=coordinator,
                    date=add_months(first_month, 1 + session * 3) + timedelta(days=9),
                    mentor=("Ulla Berg", "Marek Nowak")[session % 2],
                    notes=(
                        "Pricing and first customers",
                        "Cost structure",
                        "Partnerships",
                        "Grant exit plan",
                    )[session],
                )
    return created
