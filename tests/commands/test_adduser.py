import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sempre.models import Membership, Organisation, User

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from ..workers import worker_database_url

GOOD_PASSWORD = "fruit-bags-from-lulea"


class FakeStdin(io.StringIO):
    def __init__(self, text="", *, tty=False):
        super().__init__(text)
        self._tty = tty

    def isatty(self):
        return self._tty


def adduser(*args, stdin=None):
    out = io.StringIO()
    call_command("adduser", *args, stdout=out, stdin=stdin or FakeStdin(""))
    return out.getvalue()


def row_snapshot():
    return (
        sorted(User.objects.values_list("username", "password", "email", "is_coordinator", "is_reviewer")),
        sorted(Organisation.objects.values_list("name", "country", "region", "kind")),
        sorted(Membership.objects.values_list("user__username", "organisation__name", "role")),
    )


@pytest.mark.parametrize("role", ["social_worker", "org_admin"])
def test_adduser_organisation_role_creates_user_organisation_and_membership(db, role):
    output = adduser(
        "anna", "--role", role, "--organisation", "Luleå Social Services", "--country", "se",
        "--password", GOOD_PASSWORD, "--email", "anna@lulea.example", "--first-name", "Anna",
        "--last-name", "Lindqvist",
    )  # fmt: skip
    user = User.objects.get(username="anna")
    assert user.check_password(GOOD_PASSWORD)
    assert (user.email, user.first_name, user.last_name) == ("anna@lulea.example", "Anna", "Lindqvist")
    organisation = Organisation.objects.get(name="Luleå Social Services")
    assert organisation.country.code == "SE"
    assert Membership.objects.get(user=user).organisation == organisation
    assert Membership.objects.get(user=user).role == role
    assert not user.is_coordinator
    assert not user.is_reviewer
    assert "Created organisation" in output


@pytest.mark.parametrize(("role", "flag"), [("coordinator", "is_coordinator"), ("reviewer", "is_reviewer")])
def test_adduser_programme_role_sets_the_flag_without_membership(db, role, flag):
    adduser("maria", "--role", role, "--password", GOOD_PASSWORD)
    user = User.objects.get(username="maria")
    assert getattr(user, flag) is True
    assert not user.memberships.exists()
    assert not Organisation.objects.exists()


def test_adduser_uses_an_existing_organisation_case_insensitively(db):
    organisation = OrganisationFactory(name="Kuldīga Social Service", country="LV")
    output = adduser(
        "liga",
        "--role",
        "social_worker",
        "--organisation",
        "kuldīga social service",
        "--password",
        GOOD_PASSWORD,
    )
    assert Organisation.objects.count() == 1
    assert Membership.objects.get(user__username="liga").organisation == organisation
    assert "Created organisation" not in output


def test_adduser_bad_country_is_refused_and_writes_nothing(db):
    with pytest.raises(CommandError, match="not a country code"):
        adduser("anna", "--role", "social_worker", "--organisation", "New Org", "--country", "XX",
                "--password", GOOD_PASSWORD)  # fmt: skip
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_adduser_new_organisation_without_country_is_refused(db):
    with pytest.raises(CommandError, match="give its country"):
        adduser("anna", "--role", "social_worker", "--organisation", "New Org", "--password", GOOD_PASSWORD)
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_adduser_country_conflicting_with_existing_organisation_is_refused(db):
    OrganisationFactory(name="Kuldīga Social Service", country="LV")
    with pytest.raises(CommandError, match="registered in LV"):
        adduser("liga", "--role", "social_worker", "--organisation", "Kuldīga Social Service",
                "--country", "SE", "--password", GOOD_PASSWORD)  # fmt: skip
    assert not User.objects.filter(username="liga").exists()


@pytest.mark.parametrize("role", ["social_worker", "org_admin"])
def test_adduser_organisation_role_without_organisation_is_refused(db, role):
    with pytest.raises(CommandError, match="belongs to an organisation"):
        adduser("anna", "--role", role, "--password", GOOD_PASSWORD)
    assert not User.objects.exists()


def test_adduser_programme_role_with_organisation_is_refused(db):
    with pytest.raises(CommandError, match="programme-wide"):
        adduser("maria", "--role", "coordinator", "--organisation", "X", "--country", "SE",
                "--password", GOOD_PASSWORD)  # fmt: skip
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_adduser_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        adduser("maria", "--role", "boss", "--password", GOOD_PASSWORD)
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["12345678", "password", "short", "annaanna1"])
def test_adduser_weak_password_is_refused_by_djangos_validators(db, settings, weak):
    with pytest.raises(CommandError) as error:
        adduser("annaanna", "--role", "reviewer", "--password", weak)
    assert "password" in str(error.value).lower()
    assert not User.objects.exists()


def test_adduser_weak_password_for_new_organisation_leaves_no_organisation(db):
    with pytest.raises(CommandError):
        adduser("anna", "--role", "org_admin", "--organisation", "New Org", "--country", "SE",
                "--password", "123")  # fmt: skip
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_adduser_bad_email_is_refused(db):
    with pytest.raises(CommandError, match="not an e-mail address"):
        adduser("maria", "--role", "reviewer", "--password", GOOD_PASSWORD, "--email", "maria-at-home")
    assert not User.objects.exists()


def test_adduser_reads_the_password_from_stdin_when_not_a_terminal(db):
    adduser("maria", "--role", "reviewer", stdin=FakeStdin(GOOD_PASSWORD + "\n"))
    assert User.objects.get(username="maria").check_password(GOOD_PASSWORD)


def test_adduser_empty_stdin_for_a_new_user_is_refused(db):
    with pytest.raises(CommandError, match="No password given"):
        adduser("maria", "--role", "reviewer", stdin=FakeStdin(""))
    assert not User.objects.exists()


def test_adduser_prompts_twice_on_a_terminal(db, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    adduser("maria", "--role", "reviewer", stdin=FakeStdin(tty=True))
    assert len(prompts) == 2
    assert User.objects.get(username="maria").check_password(GOOD_PASSWORD)


def test_adduser_prompted_passwords_that_differ_are_refused(db, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        adduser("maria", "--role", "reviewer", stdin=FakeStdin(tty=True))
    assert not User.objects.exists()


def test_adduser_rerun_with_same_arguments_changes_nothing(db):
    args = ("anna", "--role", "social_worker", "--organisation", "Luleå Social Services", "--country", "SE",
            "--password", GOOD_PASSWORD, "--email", "anna@lulea.example")  # fmt: skip
    adduser(*args)
    before = row_snapshot()
    output = adduser(*args)
    assert row_snapshot() == before
    assert "already held" in output
    assert "Password unchanged" in output


def test_adduser_existing_user_gets_an_additional_role_and_keeps_password(db):
    user = MembershipFactory(
        user=UserFactory(username="erik"),
        organisation=OrganisationFactory(name="Luleå Social Services", country="SE"),
        role=Membership.Role.SOCIAL_WORKER,
    ).user
    old_hash = user.password
    adduser("erik", "--role", "coordinator", stdin=FakeStdin(tty=True))
    user.refresh_from_db()
    assert user.is_coordinator
    assert user.password == old_hash
    assert user.memberships.get().role == Membership.Role.SOCIAL_WORKER


def test_adduser_existing_member_promoted_to_org_admin(db):
    organisation = OrganisationFactory(name="Luleå Social Services", country="SE")
    MembershipFactory(user=UserFactory(username="erik"), organisation=organisation)
    adduser("erik", "--role", "org_admin", "--organisation", "Luleå Social Services")
    assert Membership.objects.get(user__username="erik").role == Membership.Role.ORG_ADMIN
    assert Membership.objects.count() == 1


def test_adduser_existing_user_password_changes_only_when_given(db):
    user = UserFactory(username="maria", is_reviewer=True)
    adduser("maria", "--role", "reviewer", "--password", GOOD_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


ROOT = Path(__file__).resolve().parents[2]


def _manage(url, *args, stdin=""):
    """manage.py in a process of its own on the database at `url`."""
    return subprocess.run(
        # --skip-checks: this is about the command, not about every URLconf of the project.
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": url},
        check=False,
    )


@pytest.fixture
def run_manage(request, transactional_db):
    """manage.py in a real process, as an operator runs it: on this test's PostgreSQL database
    (what it commits is emptied after the test), or without one on a SQLite file migrated for
    the module."""
    if connection.vendor == "postgresql":
        database_url = worker_database_url()
    else:
        database_url = request.getfixturevalue("migrated_sqlite")
    return lambda *args, stdin="": _manage(database_url, *args, stdin=stdin)


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('adduser') / 'db.sqlite3'}"
    migrated = _manage(url, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return url


def test_adduser_process_reads_piped_password_and_exits_zero(run_manage):
    args = ("adduser", "anna", "--role", "social_worker", "--organisation", "Luleå Social Services",
            "--country", "SE")  # fmt: skip
    result = run_manage(*args, stdin=GOOD_PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "Created user" in result.stdout
    if connection.vendor == "postgresql":  # the process wrote to this test's database
        membership = Membership.objects.get(user__username="anna")
        assert (membership.organisation.name, membership.role) == ("Luleå Social Services", "social_worker")


def test_adduser_process_error_exits_non_zero_without_traceback(run_manage):
    result = run_manage("adduser", "bob", "--role", "social_worker", "--password", GOOD_PASSWORD)
    assert result.returncode != 0
    assert "belongs to an organisation" in result.stderr
    assert "Traceback" not in result.stderr
