"""The toolkit's and the accelerator's share of the seed: tool instances with entries, and a round in review.

Called from seed_scale.run() inside its transaction, with the projects and people already written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.seed_rows import NOW, copy_model

ENTRY_TEXTS = [
    "Long-term unemployed people in the village",
    "A weekly lunch cooked by the participants",
    "Sales at the Saturday market",
    "The municipality's social services",
    "Volunteers from the church",
    "Rent for the kitchen and ingredients",
    "People cook and eat together instead of alone",
    "Word of mouth and the parish newsletter",
]
CRITERIA = [
    ("Social impact", Decimal("3")),
    ("Client involvement", Decimal("2")),
    ("Market potential", Decimal("2")),
    ("Financial sustainability", Decimal("2")),
    ("Team capacity", Decimal("1.5")),
    ("Innovation", Decimal("1")),
    ("Rural relevance", Decimal("1")),
    ("Scalability", Decimal("1")),
]


def seeded_models():
    from accelerator.models import (
        Application,
        Criterion,
        Review,
        ReviewAssignment,
        ReviewerProfile,
        Round,
        Score,
    )
    from toolkit.models import Entry, ToolInstance

    return [
        ToolInstance,
        Entry,
        Round,
        Criterion,
        Application,
        ReviewAssignment,
        ReviewerProfile,
        Review,
        Score,
    ]


def seed_toolkit(ctx) -> None:
    """Tool instances (canvases) on every fifth project, each block with two entries."""
    from django.core.management import call_command

    from toolkit.models import Block, Entry, ToolInstance, ToolTemplate

    canvases = ToolTemplate.objects.filter(kind=ToolTemplate.Kind.CANVAS)
    if not canvases.exists():
        call_command("load_tool_templates", verbosity=0)
    templates = list(canvases.order_by("id"))
    blocks = {
        t.id: list(Block.objects.filter(template=t).order_by("order").values_list("key", flat=True))
        for t in templates
    }
    sbmc = next((t for t in templates if t.slug == "sbmc"), templates[0])
    plan, rng = ctx.plan, ctx.rng
    step = max(1, plan.projects // plan.tool_instances)
    instances, entries = [], []
    for n in range(plan.tool_instances):
        project_id, organisation_id, *_ = ctx.projects[(n * step) % len(ctx.projects)]
        template = sbmc if n % 4 else templates[n % len(templates)]
        instance_id = n + 1
        author = ctx.staff_by_organisation[organisation_id][-1]
        created = NOW - dt.timedelta(days=300 - n % 300)
        instances.append((instance_id, project_id, template.id, "", "draft", 1, author, created, created))
        for key in blocks[template.id]:
            for order in range(2):
                client = rng.random() < 0.3
                entries.append(
                    (
                        len(entries) + 1,
                        instance_id,
                        key,
                        rng.choice(ENTRY_TEXTS),
                        order,
                        "en",
                        None if client else author,
                        "client" if client else "staff",
                        f"Client {order + 1}" if client else "",
                        created,
                        created,
                    )
                )
    ctx.counts["tool_instances"] = copy_model(
        ctx.cursor,
        ToolInstance,
        ["id", "project", "template", "title", "status", "version", "created_by", "created_at", "updated_at"],
        instances,
    )
    ctx.counts["tool_entries"] = copy_model(
        ctx.cursor,
        Entry,
        [
            "id",
            "instance",
            "block_key",
            "text",
            "order",
            "language",
            "author",
            "source",
            "client_label",
            "created_at",
            "updated_at",
        ],
        entries,
    )


def seed_accelerator(ctx) -> None:
    """One round in review: applications from every tenth project, five reviews each, eight criteria."""
    from accelerator.models import (
        Application,
        Criterion,
        Review,
        ReviewAssignment,
        ReviewerProfile,
        Round,
        Score,
    )

    plan, rng = ctx.plan, ctx.rng
    opens = NOW - dt.timedelta(days=90)
    closes = NOW - dt.timedelta(days=30)
    ctx.counts["rounds"] = copy_model(
        ctx.cursor,
        Round,
        [
            "id",
            "title",
            "opens_at",
            "closes_at",
            "review_deadline",
            "places",
            "reviewers_per_application",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ],
        [
            (
                1,
                "Benchmark round",
                opens,
                closes,
                closes + dt.timedelta(days=60),
                8,
                plan.reviews_per_application,
                "reviewing",
                ctx.coordinator_id,
                opens,
                opens,
            )
        ],
    )
    criteria = [
        (k + 1, 1, name, weight, 0, 5, k) for k, (name, weight) in enumerate(CRITERIA[: plan.criteria])
    ]
    ctx.counts["criteria"] = copy_model(
        ctx.cursor, Criterion, ["id", "round", "name", "weight", "scale_min", "scale_max", "order"], criteria
    )
    ctx.counts["reviewer_profiles"] = copy_model(
        ctx.cursor,
        ReviewerProfile,
        ["id", "user", "country"],
        [(k + 1, user_id, "NO") for k, user_id in enumerate(ctx.reviewer_ids)],
    )
    step = max(1, plan.projects // plan.applications)
    applications, assignments, reviews, scores = [], [], [], []
    reviewers = ctx.reviewer_ids
    for n in range(plan.applications):
        project_id, organisation_id, *_ = ctx.projects[(n * step) % len(ctx.projects)]
        application_id = n + 1
        submitted = opens + dt.timedelta(minutes=n * 37 % 80000)
        author = ctx.staff_by_organisation[organisation_id][-1]
        applications.append((application_id, 1, project_id, "{}", "submitted", author, submitted))
        quality = rng.gauss(0, 1)  # the application's own merit, which reviewers see through noise
        for k in range(plan.reviews_per_application):
            reviewer = reviewers[(n * plan.reviews_per_application + k) % len(reviewers)]
            assignment_id = len(assignments) + 1
            assignments.append(
                (assignment_id, application_id, reviewer, "active", False, ctx.coordinator_id, opens)
            )
            leniency = (reviewer % 7 - 3) * 0.15
            reviews.append((assignment_id, assignment_id, "", "yes", 3, closes, closes))
            for criterion_id, *_ in criteria:
                value = round(2.5 + quality + leniency + rng.gauss(0, 0.8))
                scores.append((len(scores) + 1, assignment_id, criterion_id, min(5, max(0, value))))
    ctx.counts["applications"] = copy_model(
        ctx.cursor,
        Application,
        ["id", "round", "project", "answers", "status", "submitted_by", "submitted_at"],
        applications,
    )
    ctx.counts["review_assignments"] = copy_model(
        ctx.cursor,
        ReviewAssignment,
        ["id", "application", "reviewer", "status", "same_country", "assigned_by", "created_at"],
        assignments,
    )
    ctx.counts["reviews"] = copy_model(
        ctx.cursor,
        Review,
        ["id", "assignment", "comment", "recommendation", "confidence", "submitted_at", "updated_at"],
        reviews,
    )
    ctx.counts["scores"] = copy_model(ctx.cursor, Score, ["id", "review", "criterion", "value"], scores)
