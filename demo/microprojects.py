"""Demo data that tells the SEMPRE story: 30 micro projects of 16 social service providers in rural
regions of eight Baltic Sea countries, with 18 months of activities and indicators. The people are in
`demo.people`, the projects' stories in `demo.stories`; this module makes them into rows.

`seed(stdout=...)` is called by `manage.py seed_demo`. It is idempotent and deterministic:

- The demo touches only what it created. Each project it creates carries `DEMO_CHANGE_REASON` on
  its creation record in the project's history; `demo_projects()` reads that mark back, and the
  other demo modules (tools, invites, applications, reports) work on those projects only. A project
  a person created is never given demo tools, entries or activities, whatever its title.
- Organisations and users are looked up by a natural key (organisation name, username) and only
  what is missing is created. A demo project that still exists (even renamed or edited) is left
  alone with all its activities and indicators, so a rerun changes nothing, and never undoes what
  people did with the demo data. A demo project that was deleted is created again.
- Random choices come from `random.Random` seeded with 2019 (the year SEMPRE started) and the
  project's title, so a project gets the same activities whatever else exists.
- Dates are anchored to a *reference date*: the day the demo was first loaded (today on an empty
  database). The flagship project (the Luleå fruit-bag cooperative) starts a fixed number of days
  before it, so later runs read the reference date back from that project instead of using today.
  This keeps "18 months of activities ending near today" at the first load, and any later rerun,
  on any day, changes nothing. Other demo modules should use `reference_date()` too.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from microprojects.models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from microprojects.services import activity_validate_counts
from sempre.models import Membership, Organisation, User

from .people import (
    COORDINATOR,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    ORGANISATIONS,
    REVIEWERS,
    Person,
    organisation_spec,
)
from .stories import FLAGSHIP, PROJECTS, IndicatorSpec, ProjectSpec

SEED = 2019
# The flagship project starts this many days before the reference date (about 17 months).
FLAGSHIP_DAYS_BEFORE_REFERENCE = 520
# The mark on the creation record (in the project's history) of every project the demo creates.
DEMO_CHANGE_REASON = "Demo data (manage.py seed_demo)"

A = Activity.Kind
S = MicroProject.Status

# The same seven as migration 0002_seed_target_groups (a migration must not import demo data).
TARGET_GROUPS = (
    ("migrants-refugees", "Migrants and refugees"),
    ("people-with-disabilities", "People with disabilities"),
    ("low-income", "People on low incomes"),
    ("older-people", "Older people"),
    ("young-neet", "Young people not in work or education"),
    ("long-term-unemployed", "Long-term unemployed"),
    ("others", "Others"),
)

GENERAL_NOTES = {
    A.WORKSHOP: (
        "Worked in small groups.",
        "Two people came for the first time.",
        "Good energy, coffee ran out.",
    ),
    A.MEETING: ("Decided the plan for next month.", "Minutes shared with everybody."),
    A.TRAINING: ("Certificates handed out at the end.", "The trainer will come back next month."),
    A.EVENT: ("Lots of visitors from the village.", "Local newspaper took photos."),
    A.OUTREACH: ("Left leaflets in three languages.", "Met the municipal social worker on the way."),
    A.PRODUCTION: (
        "Finished the order on time.",
        "Material ran short; ordered more.",
        "New member learned quickly.",
    ),
    A.OTHER: ("",),
}

BASE_STAFF_HOURS = {
    A.WORKSHOP: 3,
    A.MEETING: 1.5,
    A.TRAINING: 4,
    A.EVENT: 6,
    A.OUTREACH: 3,
    A.PRODUCTION: 4,
    A.OTHER: 2,
}
SIZE_FACTOR = {A.EVENT: 2.5, A.MEETING: 0.6, A.OUTREACH: 0.8}


# Dates ------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def reference_date() -> date:
    """The day the demo data is anchored to: the day it was first loaded (today on an empty
    database), read back from the flagship project's creation record on later runs (so a person
    who moves the flagship's start date does not move the whole demo)."""
    start = _demo_creation_records().filter(title=FLAGSHIP.title).values_list("start_date", flat=True).first()
    if start is not None:
        return start + timedelta(days=FLAGSHIP_DAYS_BEFORE_REFERENCE)
    return timezone.localdate()


# What the demo created --------------------------------------------------------------------------


def _demo_creation_records() -> QuerySet:
    """The creation records, in the projects' history, of the demo's projects that still exist."""
    return MicroProject.history.filter(
        history_type="+",
        history_change_reason=DEMO_CHANGE_REASON,
        id__in=MicroProject.objects.values("pk"),
    )


def demo_projects() -> QuerySet[MicroProject]:
    """The projects the demo created (and nobody deleted), however people renamed or edited them
    since: the only projects the other demo modules give tools, invites, applications and reports.
    A project a person created is never among them, even with a demo title."""
    return MicroProject.objects.filter(pk__in=_demo_creation_records().values("id"))


def _weekday(day: date) -> date:
    """Social services work on weekdays: move Saturday back to Friday, Sunday on to Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# Seeding ----------------------------------------------------------------------------------------


@dataclass
class _Created:
    organisations: int = 0
    users: int = 0
    memberships: int = 0
    projects: int = 0
    activities: int = 0
    indicators: int = 0
    measurements: int = 0
    skipped_projects: list[str] = field(default_factory=list)


def seed(*, stdout) -> None:
    """Load the micro projects story; see the module docstring. Writes a short summary to stdout."""
    with transaction.atomic():
        created = _Created()
        reference = reference_date()
        groups = _ensure_target_groups()
        organisations = _seed_organisations(created)
        users = _seed_users(organisations, created)
        _seed_projects(organisations, users, groups, reference, created)
    stdout.write(
        f"Micro projects (reference date {reference.isoformat()}): created {created.organisations} "
        f"organisations, {created.users} users, {created.memberships} memberships, {created.projects} "
        f"projects, {created.activities} activities, {created.indicators} indicators, "
        f"{created.measurements} measurements; {len(created.skipped_projects)} projects already there.\n"
    )


def _ensure_target_groups() -> dict[str, TargetGroup]:
    """The target groups by slug. Migration 0002 creates them; they are created again here should
    they have been deleted (a flushed test database, an over-eager admin)."""
    for order, (slug, name) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    return TargetGroup.objects.in_bulk(field_name="slug")


def _seed_organisations(created: _Created) -> dict[str, Organisation]:
    existing = Organisation.objects.in_bulk([o.name for o in ORGANISATIONS], field_name="name")
    new = [
        Organisation(name=o.name, country=o.country, region=o.region, kind=o.kind)
        for o in ORGANISATIONS
        if o.name not in existing
    ]
    Organisation.objects.bulk_create(new)
    created.organisations = len(new)
    by_name = Organisation.objects.in_bulk([o.name for o in ORGANISATIONS], field_name="name")
    return {o.key: by_name[o.name] for o in ORGANISATIONS}


def _seed_users(organisations: dict[str, Organisation], created: _Created) -> dict[str, User]:
    people: list[tuple[Person, dict]] = [(COORDINATOR, {"is_coordinator": True})]
    people += [(p, {"is_reviewer": True}) for p in REVIEWERS]
    for spec in ORGANISATIONS:
        people += [(spec.admin, {}), *((p, {}) for p in spec.social_workers)]
    usernames = [p.username for p, _ in people]
    existing = User.objects.in_bulk(usernames, field_name="username")
    missing = [(p, flags) for p, flags in people if p.username not in existing]
    if missing:
        # One hash for all: hashing is deliberately slow, and the demo users share a password.
        password = make_password(DEMO_PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    username=p.username,
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=f"{p.username}@{DEMO_EMAIL_DOMAIN}",
                    password=password,
                    **flags,
                )
                for p, flags in missing
            ]
        )
    created.users = len(missing)
    users = User.objects.in_bulk(usernames, field_name="username")

    wanted = []
    for spec in ORGANISATIONS:
        organisation = organisations[spec.key]
        wanted.append((users[spec.admin.username], organisation, Membership.Role.ORG_ADMIN))
        wanted += [
            (users[p.username], organisation, Membership.Role.SOCIAL_WORKER) for p in spec.social_workers
        ]
    have = set(
        Membership.objects.filter(organisation__in=organisations.values()).values_list(
            "user_id", "organisation_id"
        )
    )
    new = [
        Membership(user=user, organisation=organisation, role=role)
        for user, organisation, role in wanted
        if (user.pk, organisation.pk) not in have
    ]
    Membership.objects.bulk_create(new)
    created.memberships = len(new)
    return users


def _seed_projects(organisations, users, groups, reference: date, created: _Created) -> None:
    # The titles the demo gave its projects, found even after a rename; and the titles in use, so a
    # person's project with a demo title is neither duplicated nor taken over.
    made = set(_demo_creation_records().values_list("title", flat=True))
    in_use = set(
        MicroProject.objects.filter(organisation__in=organisations.values()).values_list(
            "organisation_id", "title"
        )
    )
    todo = []
    for spec in PROJECTS:
        organisation = organisations[spec.organisation]
        if spec.title in made or (organisation.pk, spec.title) in in_use:
            created.skipped_projects.append(spec.title)
            continue
        todo.append((spec, organisation))
    if not todo:
        return

    plans = [_plan_project(spec, organisation, users, reference) for spec, organisation in todo]
    projects = bulk_create_with_history(
        [plan.project for plan in plans], MicroProject, default_change_reason=DEMO_CHANGE_REASON
    )
    # bulk_create sets created_at to now; the demo says when each project was registered.
    for plan, project in zip(plans, projects, strict=True):
        plan.project = project
        project.created_at = plan.registered_at
    MicroProject.objects.bulk_update(projects, ["created_at"])
    created.projects = len(projects)

    MicroProject.target_groups.through.objects.bulk_create(
        [
            MicroProject.target_groups.through(
                microproject_id=plan.project.pk, targetgroup_id=groups[slug].pk
            )
            for plan in plans
            for slug in plan.spec.target_groups
        ]
    )
    MicroProject.lead_social_workers.through.objects.bulk_create(
        [
            MicroProject.lead_social_workers.through(microproject_id=plan.project.pk, user_id=lead.pk)
            for plan in plans
            for lead in plan.leads
        ]
    )

    activities = []
    for plan in plans:
        for activity in plan.activities:
            activity.project = plan.project
            activities.append(activity)
    Activity.objects.bulk_create(activities, batch_size=500)
    created.activities = len(activities)

    indicators = []
    for plan in plans:
        for indicator, _measurements in plan.indicators:
            indicator.project = plan.project
            indicators.append(indicator)
    Indicator.objects.bulk_create(indicators)
    created.indicators = len(indicators)

    measurements = []
    for plan in plans:
        for indicator, indicator_measurements in plan.indicators:
            for measurement in indicator_measurements:
                measurement.indicator = indicator
                measurements.append(measurement)
    Measurement.objects.bulk_create(measurements, batch_size=500)
    created.measurements = len(measurements)


@dataclass
class _Plan:
    spec: ProjectSpec
    project: MicroProject
    registered_at: datetime
    leads: list[User]
    activities: list[Activity]
    indicators: list[tuple[Indicator, list[Measurement]]]


def _plan_project(spec: ProjectSpec, organisation: Organisation, users, reference: date) -> _Plan:
    """Everything about one project, in memory, from its own deterministic random generator."""
    rng = random.Random(f"{SEED}:{spec.title}")
    org_spec = organisation_spec(spec.organisation)
    leads = [users[p.username] for p in org_spec.social_workers[: spec.leads]]

    if spec is FLAGSHIP:
        start = reference - timedelta(days=FLAGSHIP_DAYS_BEFORE_REFERENCE)
    else:
        start = _weekday(add_months(reference, -spec.started_months_ago).replace(day=rng.randint(1, 20)))
    planned_end = add_months(start, spec.months) - timedelta(days=1)
    if spec.status in (S.COMPLETED, S.DISCONTINUED):
        end = min(planned_end, reference - timedelta(days=30))
        last_activity = end
    else:
        end = planned_end
        last_activity = reference if spec.status == S.ACTIVE else None

    project = MicroProject(
        organisation=organisation,
        title=spec.title,
        summary=spec.summary,
        problem=spec.problem,
        country=organisation.country,
        region=spec.region,
        setting=spec.setting,
        status=spec.status,
        start_date=start,
        end_date=end,
        budget_eur=Decimal(spec.budget),
        created_by=leads[0],
    )
    # Registered a few weeks before it started; drafts (starting later) a few days before the reference date.
    registered = min(
        start - timedelta(days=rng.randint(10, 40)), reference - timedelta(days=rng.randint(1, 14))
    )
    registered_at = _aware(registered, hour=rng.randint(8, 15))
    project._history_user = leads[0]
    project._history_date = registered_at

    activities = _plan_activities(spec, rng, start, last_activity, leads) if last_activity else []
    indicators = [
        _plan_indicator(
            indicator_spec,
            rng,
            start=start,
            end=end,
            last=last_activity,
            completed=spec.status == S.COMPLETED,
            by=leads[0],
        )
        for indicator_spec in spec.indicators
    ]
    return _Plan(spec, project, registered_at, leads, activities, indicators)


def _split(rng: random.Random, total: int, weights) -> list[int]:
    """Distribute `total` people over categories: the counts always add up to the total."""
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _plan_activities(spec: ProjectSpec, rng: random.Random, start: date, last: date, leads) -> list[Activity]:
    kinds = [kind for kind, _title, _weight in spec.activities]
    titles = [title for _kind, title, _weight in spec.activities]
    weights = [weight for _kind, _title, weight in spec.activities]
    gender_weights = (spec.women_share * 97.6, (1 - spec.women_share) * 97.6, 0.4, 2)
    activities = []
    month_start = start.replace(day=1)
    month_number = 0
    seen = set()
    while month_start <= last:
        days = calendar.monthrange(month_start.year, month_start.month)[1]
        for _ in range(rng.randint(*spec.per_month)):
            day = _weekday(month_start.replace(day=rng.randint(1, days)))
            if day < start or day > last:
                continue
            choice = rng.choices(range(len(titles)), weights=weights)[0]
            if (day, choice) in seen:  # one session of a kind a day
                continue
            seen.add((day, choice))
            kind = kinds[choice]
            # Groups grow in the first months, then settle.
            growth = min(1.15, 0.6 + 0.06 * month_number)
            size = spec.group_size * growth * SIZE_FACTOR.get(kind, 1)
            total = max(1, round(rng.gauss(size, max(1.0, size * 0.2))))
            new_share = max(0.04, 0.85 * 0.72**month_number) + (0.25 if kind in (A.EVENT, A.OUTREACH) else 0)
            new = sum(rng.random() < min(new_share, 0.95) for _ in range(total))
            values = dict(zip(Activity.GENDER_FIELDS, _split(rng, total, gender_weights), strict=True))
            # Ages are not asked at big events; elsewhere they mostly are.
            if rng.random() < (0.5 if kind == A.EVENT else 0.9):
                values.update(zip(Activity.AGE_FIELDS, _split(rng, total, spec.ages), strict=True))
            values.update(participants_total=total, participants_new=new)
            activity_validate_counts(values)
            notes = ""
            if rng.random() < 0.35:
                notes = rng.choice(spec.notes + GENERAL_NOTES[kind])
            staff = BASE_STAFF_HOURS[kind] + rng.choice((0, 0.5, 1, 1.5, 2))
            volunteer = round(total * spec.volunteer_factor * rng.uniform(0.5, 1.5) * 2) / 2
            activities.append(
                Activity(
                    date=day,
                    kind=kind,
                    title=titles[choice],
                    notes=notes,
                    staff_hours=Decimal(str(staff)),
                    volunteer_hours=Decimal(str(volunteer)),
                    created_by=rng.choice(leads),
                    **values,
                )
            )
        month_start = add_months(month_start, 1)
        month_number += 1
    activities.sort(key=lambda a: a.date)
    return activities


PACE = {"on": (1.05, 1.12), "ahead": (1.2, 1.35), "off": (0.35, 0.5)}


def _plan_indicator(
    spec: IndicatorSpec, rng, *, start: date, end: date, last: date | None, completed: bool, by
):
    """The indicator and its monthly measurements (at each month's end) up to `last`. A completed
    project closes with a final count on its end date that reaches the target."""
    baseline, target = Decimal(spec.baseline), Decimal(spec.target)
    indicator = Indicator(
        name=spec.name,
        code=spec.code,
        unit=spec.unit,
        baseline=baseline,
        target=target,
        target_date=end,
        direction=Indicator.Direction.INCREASE if target > baseline else Indicator.Direction.DECREASE,
    )
    measurements = []
    if last is None:
        return indicator, measurements
    pace = rng.uniform(*PACE[spec.pace])
    quantum = Decimal("0.1") if spec.unit == "%" else Decimal("1")
    span = max(1, (end - start).days)
    previous = baseline

    def value_at(progress: float) -> Decimal:
        value = (baseline + (target - baseline) * Decimal(str(max(0.0, progress)))).quantize(quantum)
        return max(value, previous) if spec.cumulative and target > baseline else value

    day = month_end(start)
    while day < last:
        progress = min(1.08, (day - start).days / span * pace + rng.uniform(-0.02, 0.02))
        previous = value_at(progress)
        note = "" if rng.random() < 0.8 else "Counted from the monthly log."
        measurements.append(Measurement(date=day, value=previous, note=note, created_by=by))
        day = month_end(add_months(day.replace(day=1), 1))
    if completed:
        final = value_at(rng.uniform(1.0, 1.08))
        note = "Final count at the end of the project."
        measurements.append(Measurement(date=end, value=final, note=note, created_by=by))
    return indicator, measurements
