"""The micro projects' demo story (demo.microprojects, demo.people, demo.stories): deterministic,
idempotent, and only ever about the demo's own projects."""

import datetime as dt
import io

import pytest
from django.db.models import F, Q
from django.utils import timezone

from demo import microprojects as demo
from demo.people import ORGANISATIONS
from demo.stories import FLAGSHIP, PROJECTS
from microprojects.models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from microprojects.selectors import indicator_is_off_track, with_progress
from microprojects.services import activity_validate_counts
from sempre.models import Membership, Organisation, User

from .helpers import database_snapshot

COUNTRIES = {"DE", "DK", "SE", "FI", "PL", "LT", "LV", "EE"}


@pytest.fixture
def seeded(db):
    demo.seed(stdout=io.StringIO())
    return demo.reference_date()


# Idempotency ------------------------------------------------------------------------------------


def test_seed_demo_rerun_on_a_later_day_changes_nothing(seeded, monkeypatch):
    before = database_snapshot()
    monkeypatch.setattr(timezone, "localdate", lambda *args: seeded + dt.timedelta(days=45))
    assert demo.reference_date() == seeded
    demo.seed(stdout=io.StringIO())
    assert database_snapshot() == before


def test_seed_demo_keeps_what_people_changed(seeded):
    project = MicroProject.objects.get(title=FLAGSHIP.title)
    project.summary = "Edited by a social worker."
    project.save()
    Activity.objects.filter(project=project).first().delete()
    before = database_snapshot()
    demo.seed(stdout=io.StringIO())
    assert database_snapshot() == before


def test_seed_demo_recreates_a_deleted_project_the_same_way(seeded):
    spec = next(p for p in PROJECTS if "recipe book" in p.title)

    def activities():
        return list(
            Activity.objects.filter(project__title=spec.title)
            .order_by("date", "title", "participants_total")
            .values_list("date", "title", "participants_total", "women", "age_55_plus", "notes")
        )

    first = activities()
    MicroProject.objects.filter(title=spec.title).delete()
    demo.seed(stdout=io.StringIO())
    assert activities() == first
    assert MicroProject.objects.count() == 30


def test_seed_demo_generates_the_same_data_on_a_fresh_database(seeded):
    def natural_rows():
        return sorted(
            Measurement.objects.values_list("indicator__project__title", "indicator__name", "date", "value")
        )

    first = natural_rows()
    MicroProject.objects.all().delete()
    demo.seed(stdout=io.StringIO())
    assert natural_rows() == first


def test_seed_demo_does_not_recreate_a_renamed_demo_project(seeded):
    project = MicroProject.objects.get(title=FLAGSHIP.title)
    project.title = "Fruit bags: our cooperative"
    project.save()
    before = database_snapshot()
    demo.seed(stdout=io.StringIO())
    assert database_snapshot() == before
    assert demo.reference_date() == seeded


# What the demo created --------------------------------------------------------------------------


def test_demo_projects_are_the_thirty_the_demo_created(seeded):
    assert demo.demo_projects().count() == 30


def test_a_project_a_person_created_is_not_a_demo_project_even_with_a_demo_title(seeded):
    lulea = Organisation.objects.get(name=ORGANISATIONS[0].name)
    anna = User.objects.get(username="anna")
    own = MicroProject.objects.create(organisation=lulea, title=FLAGSHIP.title, country="SE", created_by=anna)
    assert own not in demo.demo_projects()
    assert demo.demo_projects().count() == 30


def test_seed_demo_leaves_a_person_s_project_with_a_demo_title_alone(db):
    """Created before the demo: the demo neither takes it over nor adds a second project of that title."""
    demo.seed(stdout=io.StringIO())
    project = MicroProject.objects.get(title=FLAGSHIP.title)
    MicroProject.objects.filter(pk=project.pk).delete()
    own = MicroProject.objects.create(
        organisation=project.organisation, title=FLAGSHIP.title, country="SE", created_by=project.created_by
    )
    demo.seed(stdout=io.StringIO())
    assert list(MicroProject.objects.filter(title=FLAGSHIP.title)) == [own]
    assert not own.activities.exists()
    assert not own.indicators.exists()
    assert own not in demo.demo_projects()


def test_demo_users_hold_every_role(seeded):
    assert User.objects.get(username="coordinator").is_coordinator
    assert User.objects.filter(is_reviewer=True).count() >= 1
    for organisation in Organisation.objects.all():
        roles = list(organisation.memberships.values_list("role", flat=True))
        assert roles.count(Membership.Role.ORG_ADMIN) == 1, organisation
        assert 1 <= roles.count(Membership.Role.SOCIAL_WORKER) <= 2, organisation


# The story --------------------------------------------------------------------------------------


def test_demo_has_thirty_projects_of_sixteen_organisations_in_eight_countries(seeded):
    assert MicroProject.objects.count() == 30
    assert Organisation.objects.count() == 16
    assert set(MicroProject.objects.values_list("country", flat=True)) == COUNTRIES
    assert set(Organisation.objects.values_list("country", flat=True)) == COUNTRIES
    assert not Organisation.objects.filter(projects__isnull=True).exists()
    for project in MicroProject.objects.select_related("organisation"):
        assert project.country == project.organisation.country
        assert project.summary
        assert project.problem
        assert project.target_groups.exists()
        assert project.lead_social_workers.exists()
        assert project.budget_eur > 0


def test_demo_tells_of_the_syrian_fruit_bag_cooperative_in_lulea(seeded):
    project = MicroProject.objects.get(title__icontains="fruit bags")
    assert project.country == "SE"
    assert project.region == "Luleå"
    assert "Norrbotten" in project.organisation.region
    assert "Syrian" in project.summary
    assert "plastic" in project.summary
    assert "migrants-refugees" in set(project.target_groups.values_list("slug", flat=True))
    assert project.status == MicroProject.Status.ACTIVE
    assert set(project.lead_social_workers.values_list("username", flat=True)) >= {"anna"}
    assert project.history.filter(history_type="+", history_user__username="anna").exists()


def test_demo_tells_of_the_recipe_book_in_western_latvia(seeded):
    project = MicroProject.objects.get(title__icontains="recipe book")
    assert project.country == "LV"
    assert "Kurzeme" in project.organisation.region
    assert project.region == "Kuldīga"
    assert {"people-with-disabilities", "low-income"} <= set(
        project.target_groups.values_list("slug", flat=True)
    )
    assert "recipe book" in project.summary


def test_demo_statuses_are_mostly_active_with_some_completed_draft_and_discontinued(seeded):
    counts = {s: MicroProject.objects.filter(status=s).count() for s in MicroProject.Status.values}
    assert counts["active"] >= 18
    assert counts["completed"] >= 2
    assert 1 <= counts["draft"] <= 4
    assert 1 <= counts["discontinued"] <= 3
    assert not Activity.objects.filter(project__status=MicroProject.Status.DRAFT).exists()
    assert not MicroProject.objects.filter(end_date__lt=F("start_date")).exists()


def test_demo_activities_cover_eighteen_months_up_to_the_reference_date(seeded):
    dates = Activity.objects.order_by("date").values_list("date", flat=True)
    first, last = dates.first(), dates.last()
    assert last <= seeded
    assert (seeded - last).days <= 7
    assert 17 * 30 <= (seeded - first).days <= 19 * 31
    for project in MicroProject.objects.filter(status=MicroProject.Status.ACTIVE):
        latest = project.activities.order_by("-date").values_list("date", flat=True).first()
        assert latest is not None
        assert (seeded - latest).days <= 31, project
    assert Activity.objects.count() >= 30 * 18


def test_demo_participant_breakdowns_add_up(seeded):
    gender_sum = F("women") + F("men") + F("non_binary") + F("gender_not_stated")
    age_sum = F("age_under_18") + F("age_18_29") + F("age_30_54") + F("age_55_plus") + F("age_not_stated")
    assert not Activity.objects.filter(women__isnull=False).exclude(participants_total=gender_sum).exists()
    assert not Activity.objects.filter(age_18_29__isnull=False).exclude(participants_total=age_sum).exists()
    assert not Activity.objects.filter(participants_new__gt=F("participants_total")).exists()
    assert Activity.objects.filter(women__isnull=False).count() == Activity.objects.count()
    assert Activity.objects.filter(age_18_29__isnull=False).count() > Activity.objects.count() * 0.7
    for values in Activity.objects.values(*Activity.COUNT_FIELDS):
        activity_validate_counts(values)


def test_demo_indicators_have_codes_monthly_measurements_and_a_few_are_off_track(seeded):
    for project in MicroProject.objects.all():
        assert 1 <= project.indicators.count() <= 4
    assert Indicator.objects.count() >= 2 * 27
    codes = set(Indicator.objects.exclude(code="").values_list("code", flat=True))
    assert any(code.startswith(("RCO", "RCR")) for code in codes)
    assert any(code.startswith(("PI", "OI")) for code in codes)
    for indicator in Indicator.objects.filter(project__status=MicroProject.Status.ACTIVE):
        months = (seeded - indicator.project.start_date).days // 31
        assert indicator.measurements.count() >= months - 1, indicator
    assert not Indicator.objects.filter(Q(baseline=F("target"))).exists()
    indicators = with_progress(Indicator.objects.select_related("project"))
    off_track = [i for i in indicators if indicator_is_off_track(i, today=seeded)]
    assert 2 <= len(off_track) <= 10
    completed = indicators.filter(project__status=MicroProject.Status.COMPLETED)
    assert completed
    assert all(i.progress >= 100 for i in completed)


# Target groups ----------------------------------------------------------------------------------


def test_target_group_migration_seeds_seven_groups_with_stable_slugs_once(db):
    """Runs the migration's function itself: a transactional test elsewhere may have flushed the
    rows the migration created when the test database was built."""
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("microprojects.migrations.0002_seed_target_groups")
    TargetGroup.objects.all().delete()
    migration.seed_target_groups(global_apps, None)
    migration.seed_target_groups(global_apps, None)
    rows = list(TargetGroup.objects.order_by("order").values_list("slug", "name"))
    assert rows == list(demo.TARGET_GROUPS)
    slugs = [slug for slug, _name in rows]
    assert slugs == [
        "migrants-refugees",
        "people-with-disabilities",
        "low-income",
        "older-people",
        "young-neet",
        "long-term-unemployed",
        "others",
    ]
    assert TargetGroup.objects.get(slug="young-neet").name == "Young people not in work or education"


def test_seed_demo_recreates_deleted_target_groups(db):
    TargetGroup.objects.all().delete()
    demo.seed(stdout=io.StringIO())
    assert TargetGroup.objects.count() == 7
    assert MicroProject.objects.filter(target_groups__slug="migrants-refugees").exists()
