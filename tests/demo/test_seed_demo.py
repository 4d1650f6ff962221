"""`manage.py seed_demo`: loads the whole story, changes nothing on a rerun (least of all what
people created), and ends with the logins and the address to open."""

import io
import sys

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from demo import microprojects
from demo import reports as demo_reports
from demo.management.commands import seed_demo
from demo.people import DEMO_PASSWORD, demo_logins
from microprojects.models import Activity, Indicator, MicroProject
from sempre.models import Membership, User
from toolkit.cocreation.models import Invite
from toolkit.models import Entry, ToolInstance

from .helpers import database_snapshot


def run_seed_demo(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def only_microprojects(monkeypatch):
    """Run just the micro projects seeder: the other apps' demo data is slower and not the
    subject of the test."""
    monkeypatch.setattr(seed_demo, "SEEDERS", (microprojects,))


# Idempotency ------------------------------------------------------------------------------------


# One test, three runs: the whole demo is the slowest thing the suite seeds, so the rerun on the
# demo alone and the rerun around a person's project start from the same first run instead of a
# first run each. Without the demo reports (their PDFs were two thirds of the time): that they are
# made once is tests/demo/test_reports.py's.
@pytest.mark.slow(15)
def test_seed_demo_reruns_change_nothing_and_leave_a_person_s_project_alone(db, as_user):
    run_seed_demo("--without-reports")
    before = database_snapshot()
    assert before["microprojects.MicroProject"][0] == 30

    # A second run changes nothing.
    run_seed_demo("--without-reports")
    after = database_snapshot()
    changed = {
        label: (before[label][0], after[label][0]) for label in before if before[label] != after[label]
    }
    # The message names the models (so the app whose demo seeder is not idempotent), rows before -> after.
    assert not changed, f"a second seed_demo changed: {changed}"

    # A person's own project, then a third run: it leaves the project alone.
    anna = User.objects.get(username="anna")
    response = as_user(anna).post("/api/v1/projects/", {"title": "Our own sewing café"}, format="json")
    assert response.status_code == 201, response.content
    own = MicroProject.objects.get(pk=response.json()["id"])
    history = list(own.history.values_list())

    run_seed_demo("--without-reports")

    assert not ToolInstance.objects.filter(project=own).exists()
    assert not Entry.objects.filter(instance__project=own).exists()
    assert not Invite.objects.filter(tool__project=own).exists()
    assert not Activity.objects.filter(project=own).exists()
    assert not Indicator.objects.filter(project=own).exists()
    assert not own.applications.exists()
    assert list(own.history.values_list()) == history


# Logins and the address -------------------------------------------------------------------------


def test_seed_demo_prints_logins_with_a_lulea_social_worker_first(db, only_microprojects):
    output = run_seed_demo()
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Demo logins"))
    assert DEMO_PASSWORD in lines[header]
    assert lines[header + 1].split() == ["username", "password", "role", "organisation"]
    first = lines[header + 2].split()
    assert first[:3] == ["anna", DEMO_PASSWORD, "social_worker"]
    assert "Luleå" in lines[header + 2]
    user = User.objects.get(username="anna")
    assert user.memberships.get().organisation.country.code == "SE"
    assert user.memberships.get().role == Membership.Role.SOCIAL_WORKER


def test_seed_demo_ends_with_the_logins_and_the_address_to_open(db, only_microprojects, monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    lines = run_seed_demo().splitlines()
    assert lines[-1] == "Open http://127.0.0.1:8000/ and sign in with one of these logins."
    logins = lines[-2 - len(demo_logins()) : -2]
    assert [line.split()[0] for line in logins] == [login["username"] for login in demo_logins()]


def test_seed_demo_gives_the_port_make_run_serves_on(db, only_microprojects, monkeypatch):
    monkeypatch.setenv("PORT", "8001")
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert "Open http://127.0.0.1:8001/ " in run_seed_demo().splitlines()[-1]


def test_every_printed_demo_login_works_with_the_shared_password(db, only_microprojects):
    output = run_seed_demo()
    usernames = [login["username"] for login in demo_logins()]
    assert len(usernames) == len(set(usernames)) == User.objects.count()
    for username in usernames:
        assert f"  {username} " in output
        # django-axes needs the request to throttle logins by user name and address.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username


# The orchestrator -------------------------------------------------------------------------------


def test_seed_demo_runs_the_seeders_after_the_micro_projects(db, tmp_path, monkeypatch):
    (tmp_path / "fake_seeder.py").write_text(
        "from microprojects.models import MicroProject\n"
        "calls = []\n"
        "def seed(*, stdout):\n"
        "    calls.append(MicroProject.objects.count())\n"
        "    stdout.write('fake seeder ran')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import fake_seeder

    monkeypatch.setattr(seed_demo, "SEEDERS", (microprojects, fake_seeder))
    output = run_seed_demo()
    assert fake_seeder.calls == [30]
    assert "fake seeder ran" in output
    monkeypatch.delitem(sys.modules, "fake_seeder")


def test_seed_demo_without_reports_leaves_out_only_the_reports(db, monkeypatch):
    ran = []
    monkeypatch.setattr(demo_reports, "seed", lambda *, stdout: ran.append("reports"))
    monkeypatch.setattr(seed_demo, "SEEDERS", (microprojects, demo_reports))
    run_seed_demo("--without-reports")
    assert (ran, MicroProject.objects.count()) == ([], 30)
    run_seed_demo()
    assert ran == ["reports"]


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
