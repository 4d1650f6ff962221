"""Fill a PostgreSQL database with programme-scale data for the benchmarks.

    .venv/bin/python bench/seed_scale.py --projects 10000

At 10,000 projects: 500 organisations, 1,000,000 activities, 50,000 indicators with 500,000
measurements, 2,000 tool instances with entries (bench/seed_extra.py) and a round
with 1,000 applications x 5 reviews x 8 criteria. --projects scales everything proportionally.

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sempre_bench); it is
created if missing and migrated. The tables this script fills are emptied first (TRUNCATE), so it
refuses a database whose name does not contain "bench" unless --force is given.

Fast: rows are generated in Python with a seeded random generator (same data every run, ids
assigned here so foreign keys need no round trips) and streamed with psycopg 3's COPY. Foreign key
triggers are off during the load (session_replication_role = replica: the data is consistent by
construction), secondary indexes of the big tables are dropped and rebuilt after the load, and
every table is ANALYZEd at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import seed_extra
from bench.common import database_name, database_url, ensure_database, setup_django
from bench.seed_rows import NOW, copy_model, secondary_indexes

SEED = 20260601
PASSWORD = "bench-pass-2026"
COORDINATOR_USERNAME = "bench-coordinator"
# A social worker in the first organisations, who sees exactly PROGRAMME_PROJECTS projects: the
# programme PDF is measured "for 1,000 projects" through what this user may see.
PROGRAMME_USERNAME = "bench-programme"
PROGRAMME_PROJECTS = 1000
COUNTRIES = ["SE", "FI", "DK", "DE", "PL", "LT", "LV", "EE"]
TODAY = NOW.date()


@dataclass(frozen=True)
class Plan:
    """How many of each thing, all proportional to the number of projects."""

    projects: int
    projects_per_organisation: int = 20
    activities_per_project: int = 100
    indicators_per_project: int = 5
    measurements_per_indicator: int = 10
    staff_per_organisation: int = 2
    reviews_per_application: int = 5
    criteria: int = 8

    @property
    def organisations(self) -> int:
        return max(1, -(-self.projects // self.projects_per_organisation))

    @property
    def activities(self) -> int:
        return self.projects * self.activities_per_project

    @property
    def indicators(self) -> int:
        return self.projects * self.indicators_per_project

    @property
    def measurements(self) -> int:
        return self.indicators * self.measurements_per_indicator

    @property
    def tool_instances(self) -> int:
        return max(1, self.projects // 5)

    @property
    def applications(self) -> int:
        return max(1, self.projects // 10)

    @property
    def reviewers(self) -> int:
        # Each reviewer scores about 100 applications at full scale; at least enough for 5 per application.
        return max(self.reviews_per_application, self.applications // 20)

    def as_dict(self) -> dict:
        names = ("projects", "organisations", "activities", "indicators", "measurements")
        names += ("tool_instances", "applications", "reviewers", "reviews_per_application", "criteria")
        return {name: getattr(self, name) for name in names}


@dataclass
class Context:
    """What later steps need to know about what earlier steps wrote."""

    plan: Plan
    rng: random.Random
    cursor: object
    password_hash: str = ""
    coordinator_id: int = 0
    organisation_ids: list[int] = field(default_factory=list)
    organisation_country: dict[int, str] = field(default_factory=dict)
    staff_by_organisation: dict[int, list[int]] = field(default_factory=dict)
    reviewer_ids: list[int] = field(default_factory=list)
    projects: list[tuple] = field(default_factory=list)  # (id, organisation_id, start, end, status)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    next_user_id: int = 1


# --- the steps -----------------------------------------------------------------------------------


def _step(ctx: Context, name: str):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"  {name} ...", end="", flush=True)

        def __exit__(self, *exc):
            elapsed = time.perf_counter() - self.start
            ctx.timings[name] = round(elapsed, 2)
            print(f" {elapsed:.1f}s", flush=True)

    return Timer()


def seed_people(ctx: Context) -> None:
    from django.contrib.auth.hashers import make_password

    from sempre.models import Membership, Organisation, User

    plan, rng = ctx.plan, ctx.rng
    ctx.password_hash = make_password(PASSWORD)
    kinds = [k.value for k in Organisation.Kind]
    organisations = []
    for index in range(1, plan.organisations + 1):
        country = COUNTRIES[(index - 1) % len(COUNTRIES)]
        ctx.organisation_ids.append(index)
        ctx.organisation_country[index] = country
        organisations.append(
            (
                index,
                f"Organisation {index:05d}",
                country,
                f"Region {rng.randint(1, 40)}",
                rng.choice(kinds),
                NOW - dt.timedelta(days=900 - index % 300),
            )
        )
    ctx.counts["organisations"] = copy_model(
        ctx.cursor, Organisation, ["id", "name", "country", "region", "kind", "created_at"], organisations
    )

    users, memberships = [], []
    user_fields = [
        "id",
        "username",
        "password",
        "first_name",
        "last_name",
        "email",
        "is_coordinator",
        "is_reviewer",
        "date_joined",
    ]
    user_id = 1
    ctx.coordinator_id = user_id
    users.append(
        (
            user_id,
            COORDINATOR_USERNAME,
            ctx.password_hash,
            "Bench",
            "Coordinator",
            "coordinator@bench.invalid",
            True,
            False,
            NOW,
        )
    )
    for organisation_id in ctx.organisation_ids:
        staff = []
        for k in range(plan.staff_per_organisation):
            user_id += 1
            username = f"staff-{organisation_id:05d}-{k}"
            users.append(
                (
                    user_id,
                    username,
                    ctx.password_hash,
                    "Staff",
                    f"{organisation_id}-{k}",
                    f"{username}@bench.invalid",
                    False,
                    False,
                    NOW,
                )
            )
            role = Membership.Role.ORG_ADMIN if k == 0 else Membership.Role.SOCIAL_WORKER
            memberships.append((len(memberships) + 1, user_id, organisation_id, role.value, NOW))
            staff.append(user_id)
        ctx.staff_by_organisation[organisation_id] = staff
    for k in range(plan.reviewers):
        user_id += 1
        users.append(
            (
                user_id,
                f"reviewer-{k:04d}",
                ctx.password_hash,
                "Reviewer",
                str(k),
                f"reviewer-{k}@bench.invalid",
                False,
                True,
                NOW,
            )
        )
        ctx.reviewer_ids.append(user_id)
    user_id += 1
    users.append(
        (
            user_id,
            PROGRAMME_USERNAME,
            ctx.password_hash,
            "Programme",
            "Reader",
            "programme@bench.invalid",
            False,
            False,
            NOW,
        )
    )
    programme_organisations = -(-min(PROGRAMME_PROJECTS, plan.projects) // plan.projects_per_organisation)
    for organisation_id in ctx.organisation_ids[:programme_organisations]:
        memberships.append((len(memberships) + 1, user_id, organisation_id, "social_worker", NOW))
    ctx.next_user_id = user_id + 1
    ctx.counts["users"] = copy_model(ctx.cursor, User, user_fields, users)
    ctx.counts["memberships"] = copy_model(
        ctx.cursor, Membership, ["id", "user", "organisation", "role", "created_at"], memberships
    )


PROJECT_WORDS = [
    "Community kitchen",
    "Repair café",
    "Bike workshop",
    "Digital help desk",
    "Garden",
    "Sewing studio",
    "Language café",
    "Catering",
    "Woodwork",
    "Second-hand shop",
    "Care transport",
    "Berry picking",
    "Youth radio",
    "Senior tech club",
    "Bakery",
]
STATUS_WEIGHTS = [("active", 60), ("draft", 15), ("completed", 20), ("discontinued", 5)]


def seed_projects(ctx: Context) -> None:
    from microprojects.models import MicroProject, TargetGroup

    plan, rng = ctx.plan, ctx.rng
    statuses = [s for s, weight in STATUS_WEIGHTS for _ in range(weight)]
    target_group_ids = list(TargetGroup.objects.order_by("id").values_list("id", flat=True))
    rows, history, groups, leads = [], [], [], []
    for project_id in range(1, plan.projects + 1):
        organisation_id = ctx.organisation_ids[(project_id - 1) // plan.projects_per_organisation]
        country = ctx.organisation_country[organisation_id]
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        end = start + dt.timedelta(days=rng.randint(180, 900))
        status = rng.choice(statuses)
        created = NOW - dt.timedelta(days=900, minutes=-project_id * 7)
        staff = ctx.staff_by_organisation[organisation_id]
        title = f"{rng.choice(PROJECT_WORDS)} {project_id}"
        summary = "Clients and social workers run a small service together and share what it earns."
        problem = "Isolation and lack of income in a rural municipality."
        setting = "rural" if rng.random() < 0.7 else "urban"
        budget = Decimal(rng.randint(20, 600) * 100)
        row = (
            project_id,
            organisation_id,
            title,
            summary,
            problem,
            country,
            f"Municipality {project_id % 97}",
            setting,
            status,
            start,
            end,
            budget,
            staff[-1],
            created,
            created,
        )
        rows.append(row)
        history.append(
            (
                project_id,
                title,
                summary,
                problem,
                country,
                row[6],
                setting,
                status,
                start,
                end,
                budget,
                organisation_id,
                staff[-1],
                created,
                project_id,
                created,
                "+",
                staff[-1],
            )
        )
        for group_id in rng.sample(target_group_ids, k=rng.randint(1, 2)) if target_group_ids else []:
            groups.append((len(groups) + 1, project_id, group_id))
        leads.append((project_id, project_id, staff[-1]))
        ctx.projects.append((project_id, organisation_id, start, end, status))
    fields = [
        "id",
        "organisation",
        "title",
        "summary",
        "problem",
        "country",
        "region",
        "setting",
        "status",
        "start_date",
        "end_date",
        "budget_eur",
        "created_by",
        "created_at",
        "updated_at",
    ]
    ctx.counts["projects"] = copy_model(ctx.cursor, MicroProject, fields, rows)
    Historical = MicroProject.history.model
    history_fields = [
        "id",
        "title",
        "summary",
        "problem",
        "country",
        "region",
        "setting",
        "status",
        "start_date",
        "end_date",
        "budget_eur",
        "organisation",
        "created_by",
        "created_at",
        "history_id",
        "history_date",
        "history_type",
        "history_user",
    ]
    ctx.counts["project_history"] = copy_model(ctx.cursor, Historical, history_fields, history)
    TargetGroups = MicroProject.target_groups.through
    ctx.counts["project_target_groups"] = copy_model(
        ctx.cursor, TargetGroups, ["id", "microproject", "targetgroup"], groups
    )
    Leads = MicroProject.lead_social_workers.through
    ctx.counts["project_leads"] = copy_model(ctx.cursor, Leads, ["id", "microproject", "user"], leads)


ACTIVITY_TITLES = [
    "Co-creation workshop",
    "Weekly meeting",
    "Training: bookkeeping",
    "Open day",
    "Outreach walk",
    "Production day",
    "Canvas session",
    "Market stall",
    "Mentoring",
    "Planning",
]


def _activity_rows(ctx: Context) -> Iterable[tuple]:
    from microprojects.models import Activity

    plan, rng = ctx.plan, ctx.rng
    kinds = [k.value for k in Activity.Kind]
    hours = [Decimal(f"{h / 2:.2f}") for h in range(1, 17)]
    activity_id = 0
    randint, random_ = rng.randint, rng.random
    for project_id, organisation_id, start, end, _status in ctx.projects:
        span = max(1, (min(end, TODAY) - start).days)
        author = ctx.staff_by_organisation[organisation_id][-1]
        for n in range(plan.activities_per_project):
            activity_id += 1
            day = start + dt.timedelta(days=n * span // plan.activities_per_project)
            total = randint(0, 30)
            new = randint(0, total)
            women = randint(0, total)
            young = randint(0, total)
            middle = randint(0, total - young)
            created = dt.datetime.combine(day, dt.time(18, 0), tzinfo=dt.UTC)
            yield (
                activity_id,
                project_id,
                day,
                kinds[activity_id % 7],
                ACTIVITY_TITLES[activity_id % 10],
                "" if random_() < 0.8 else "Good turnout, planned the next steps together.",
                hours[activity_id % 16],
                hours[(activity_id * 7) % 16] if random_() < 0.5 else hours[0],
                total,
                new,
                women,
                total - women,
                0,
                0,
                0,
                young,
                middle,
                total - young - middle,
                0,
                author,
                created,
                created,
            )


def seed_activities(ctx: Context) -> None:
    from microprojects.models import Activity

    fields = [
        "id",
        "project",
        "date",
        "kind",
        "title",
        "notes",
        "staff_hours",
        "volunteer_hours",
        "participants_total",
        "participants_new",
        "women",
        "men",
        "non_binary",
        "gender_not_stated",
        "age_under_18",
        "age_18_29",
        "age_30_54",
        "age_55_plus",
        "age_not_stated",
        "created_by",
        "created_at",
        "updated_at",
    ]
    ctx.counts["activities"] = copy_model(ctx.cursor, Activity, fields, _activity_rows(ctx))


INDICATORS = [
    ("People taking part", "RCO 87", "people"),
    ("Jobs created", "RCR 104", "jobs"),
    ("Earned income", "PI4060", "EUR"),
    ("Clients involved in design", "", "people"),
    ("Volunteer hours", "OI8869", "hours"),
    ("Customers served", "PI6372", "customers"),
]


def seed_indicators(ctx: Context) -> None:
    from microprojects.models import Indicator, Measurement

    plan, rng = ctx.plan, ctx.rng
    indicators, measurements = [], []
    indicator_id = measurement_id = 0
    for project_id, organisation_id, start, end, _status in ctx.projects:
        author = ctx.staff_by_organisation[organisation_id][-1]
        for k in range(plan.indicators_per_project):
            indicator_id += 1
            name, code, unit = INDICATORS[(project_id + k) % len(INDICATORS)]
            baseline = rng.randint(0, 20)
            target = baseline + rng.randint(10, 100)
            indicators.append(
                (
                    indicator_id,
                    project_id,
                    name,
                    code,
                    unit,
                    Decimal(baseline),
                    Decimal(target),
                    end,
                    "increase",
                    NOW,
                )
            )
            step = max(1, (min(end, TODAY) - start).days // plan.measurements_per_indicator)
            for m in range(plan.measurements_per_indicator):
                measurement_id += 1
                day = start + dt.timedelta(days=m * step)
                value = Decimal(
                    baseline
                    + (target - baseline) * (m + 1) // plan.measurements_per_indicator
                    + rng.randint(-3, 3)
                )
                measurements.append((measurement_id, indicator_id, day, value, author, NOW))
    ctx.counts["indicators"] = copy_model(
        ctx.cursor,
        Indicator,
        [
            "id",
            "project",
            "name",
            "code",
            "unit",
            "baseline",
            "target",
            "target_date",
            "direction",
            "created_at",
        ],
        indicators,
    )
    ctx.counts["measurements"] = copy_model(
        ctx.cursor,
        Measurement,
        ["id", "indicator", "date", "value", "created_by", "created_at"],
        measurements,
    )


# --- the run -------------------------------------------------------------------------------------


BIG_TABLES = ("microprojects_activity", "microprojects_measurement", "microprojects_indicator")


def seeded_models():
    """Models whose tables the seed fills (and so empties first). The precomputed programme
    figures are emptied too: the dashboard's first visit counts the new data."""
    from microprojects.models import Activity, FiguresSnapshot, Indicator, Measurement, MicroProject
    from sempre.models import Membership, Organisation, User

    models = [
        User,
        Organisation,
        Membership,
        MicroProject,
        MicroProject.history.model,
        MicroProject.target_groups.through,
        MicroProject.lead_social_workers.through,
        Activity,
        Indicator,
        Measurement,
        FiguresSnapshot,
    ]
    return models + seed_extra.seeded_models()


def run(plan: Plan, *, migrate: bool = True, verbosity: int = 1) -> Context:
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        ctx = Context(plan=plan, rng=random.Random(SEED), cursor=cursor)
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        models = seeded_models()
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with _step(ctx, "empty tables"):
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        dropped = []
        for table in BIG_TABLES:
            for name, definition in secondary_indexes(cursor, table):
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(definition)
        with _step(ctx, "organisations and people"):
            seed_people(ctx)
        with _step(ctx, "projects"):
            seed_projects(ctx)
        with _step(ctx, "activities"):
            seed_activities(ctx)
        with _step(ctx, "indicators and measurements"):
            seed_indicators(ctx)
        with _step(ctx, "toolkit"):
            seed_extra.seed_toolkit(ctx)
        with _step(ctx, "accelerator"):
            seed_extra.seed_accelerator(ctx)
        with _step(ctx, "rebuild indexes"):
            for definition in dropped:
                cursor.execute(definition)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    with _step(ctx, "analyze"), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    ctx.timings["total"] = round(time.perf_counter() - started, 2)
    return ctx


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10000, help="number of projects (default 10000)")
    parser.add_argument("--force", action="store_true", help="allow a database whose name lacks 'bench'")
    args = parser.parse_args(argv)
    url = database_url()
    if "bench" not in database_name(url) and not args.force:
        parser.error(
            f"{database_name(url)!r} does not look like a benchmark database (it is emptied); use --force"
        )
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    created = ensure_database(url)
    setup_django()
    plan = Plan(projects=args.projects)
    print(f"Seeding {database_name(url)}{' (created)' if created else ''}: {plan.as_dict()}")
    ctx = run(plan)
    print(f"Done in {ctx.timings['total']:.1f}s: {ctx.counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
