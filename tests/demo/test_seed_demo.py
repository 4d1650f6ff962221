import datetime as dt
import hashlib
import io
import sys

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.test import RequestFactory
from django.utils import timezone

from microprojects import demo
from microprojects.models import Activity, Indicator, Measurement, MicroProject
from microprojects.selectors import indicator_is_off_track, with_progress
from microprojects.services import activity_validate_counts
from sempre.management.commands import seed_demo
from sempre.models import Membership, Organisation, User

COUNTRIES = {"DE", "DK", "SE", "FI", "PL", "LT", "LV", "EE"}


def run_seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def only_microprojects(monkeypatch):
    """Run just the micro projects seeder: the other apps' demo data is slower and not the
    subject of the test."""
    monkeypatch.setattr(seed_demo, "SEEDERS", ("microprojects.demo",))


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every model's row count and a checksum of all its rows, in primary key order."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        rows = list(model._base_manager.order_by("pk").values_list())
        snapshot[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return snapshot


@pytest.fixture
def seeded(db):
    demo.seed(stdout=io.StringIO())
    return demo.reference_date()


# Idempotency ------------------------------------------------------------------------------------


def test_seed_demo_second_run_changes_nothing(db):
    run_seed_demo()
    before = database_snapshot()
    assert before["microprojects.MicroProject"][0] == 30
    run_seed_demo()
    after = database_snapshot()
    changed = {
        label: (before[label][0], after[label][0]) for label in before if before[label] != after[label]
    }
    # The message names the models (so the app whose demo seeder is not idempotent), rows before -> after.
    assert not changed, f"a second seed_demo changed: {changed}"


def test_seed_demo_rerun_on_a_later_day_changes_nothing(seeded, monkeypatch):
    before = database_snapshot()
    monkeypatch.setattr(timezone, "localdate", lambda *args: seeded + dt.timedelta(days=45))
    assert demo.reference_date() == seeded
    demo.seed(stdout=io.StringIO())
    assert database_snapshot() == before


def test_seed_demo_keeps_what_people_changed(seeded):
    project = MicroProject.objects.get(title=demo.FLAGSHIP.title)
    project.summary = "Edited by a social worker."
    project.save()
    Activity.objects.filter(project=project).first().delete()
    before = database_snapshot()
    demo.seed(stdout=io.StringIO())
    assert database_snapshot() == before


def test_seed_demo_recreates_a_deleted_project_the_same_way(seeded):
    spec = next(p for p in demo.PROJECTS if "recipe book" in p.title)

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


# Logins -----------------------------------------------------------------------------------------


def test_seed_demo_prints_logins_with_a_lulea_social_worker_first(db, only_microprojects):
    output = run_seed_demo()
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Demo logins"))
    assert demo.DEMO_PASSWORD in lines[header]
    assert lines[header + 1].split() == ["username", "password", "role", "organisation"]
    first = lines[header + 2].split()
    assert first[:3] == ["anna", demo.DEMO_PASSWORD, "social_worker"]
    assert "Luleå" in lines[header + 2]
    user = User.objects.get(username="anna")
    assert user.memberships.get().organisation.country.code == "SE"
    assert user.memberships.get().role == Membership.Role.SOCIAL_WORKER


def test_every_printed_demo_login_works_with_the_shared_password(db, only_microprojects):
    output = run_seed_demo()
    usernames = [login["username"] for login in demo.demo_logins()]
    assert len(usernames) == len(set(usernames)) == User.objects.count()
    for username in usernames:
        assert f"  {username} " in output
        # django-axes needs the request to throttle logins by user name and address.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=demo.DEMO_PASSWORD) is not None, username


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


# The orchestrator -------------------------------------------------------------------------------


def test_load_seeder_skips_a_module_that_does_not_exist():
    assert seed_demo.load_seeder("toolkit.no_such_demo_module") is None
    assert seed_demo.load_seeder("no_such_package.demo") is None


def test_load_seeder_reports_a_broken_import_inside_a_seeder(tmp_path, monkeypatch):
    (tmp_path / "broken_seeder.py").write_text("import a_dependency_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        seed_demo.load_seeder("broken_seeder")


def test_seed_demo_runs_the_optional_seeders_after_the_micro_projects(db, tmp_path, monkeypatch):
    (tmp_path / "fake_seeder.py").write_text(
        "from microprojects.models import MicroProject\n"
        "calls = []\n"
        "def seed(*, stdout):\n"
        "    calls.append(MicroProject.objects.count())\n"
        "    stdout.write('fake seeder ran')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(seed_demo, "SEEDERS", ("microprojects.demo", "missing_seeder.demo", "fake_seeder"))
    output = run_seed_demo()
    assert sys.modules["fake_seeder"].calls == [30]
    assert "fake seeder ran" in output
    monkeypatch.delitem(sys.modules, "fake_seeder")


def test_seed_demo_refuses_a_production_installation(db, only_microprojects, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run_seed_demo()
    assert not User.objects.exists()
    assert not MicroProject.objects.exists()


def test_seed_demo_loads_in_production_when_explicitly_allowed(db, only_microprojects, settings):
    settings.PRODUCTION = True
    call_command("seed_demo", "--allow-production", stdout=io.StringIO())
    assert MicroProject.objects.count() == 30


def test_target_group_migration_seeds_seven_groups_with_stable_slugs_once(db):
    """Runs the migration's function itself: a transactional test elsewhere may have flushed the
    rows the migration created when the test database was built."""
    import importlib

    from django.apps import apps as global_apps

    from microprojects.models import TargetGroup

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
    from microprojects.models import TargetGroup

    TargetGroup.objects.all().delete()
    demo.seed(stdout=io.StringIO())
    assert TargetGroup.objects.count() == 7
    assert MicroProject.objects.filter(target_groups__slug="migrants-refugees").exists()
