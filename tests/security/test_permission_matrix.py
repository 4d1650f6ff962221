"""The permission matrix, generated from the URL configuration.

Every route is tried by every role (anonymous, a client holding an invite link, a social worker
of the owning organisation and one of another organisation, the organisation admin, a reviewer
assigned to the application and one who is not, a coordinator), with GET and with each write
method the route answers. EXPECTED says what each role gets; a route missing from it fails the
test with its name, so a new endpoint cannot ship unchecked. A refused write must leave the
database as it was (checksum of every table), and nothing may answer 500.

Outcomes: "ok" = the permission check let the request through (2xx, a redirect that is not to the
login page, or a validation answer 400/409/410); "login" = redirected to the login page; a number
= that refusal (403 forbidden, 404 invisible, 405 method not offered to this user).
"""

import os

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from . import topics
from .matrix import classify, clients, database_checksum, routes, rows_written, write_methods
from .urls_for import URLS
from .world import ROLE_NAMES, ROLES, build_world

pytestmark = pytest.mark.django_db

# Routes the matrix treats on their own (see the tests at the end of this module).
EXPLICIT = {None}  # the media route in DEBUG has no name
EXPLICIT_PREFIXES = ("admin:",)

# Roles, in this order: anon client sw other admin rev revx coord
# (see world.ROLE_NAMES). "-" = the route offers no write method.
WEB_PROJECT = "login login ok 404 ok 404 404 ok"
WEB_PROJECT_EDIT = "login login ok 404 ok 404 404 403"
WEB_COCREATION = "login login ok 404 ok 404 404 404"
WEB_APPLICANT = "login login ok 404 ok 403 404 403"  # changing or withdrawing an application
WEB_COORDINATOR = "login login 403 403 403 403 403 ok"
WEB_LOGGED_IN = "login login ok ok ok ok ok ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_PROJECT = "403 403 ok 404 ok 404 404 ok"
API_PROJECT_WRITE = "403 403 bad 404 bad 404 404 403"
# tool elements: POST is not offered (405), PATCH/DELETE need If-Match (428 = bad) from members
API_ELEMENT_WRITE = "403 403 405/bad 404/405 405/bad 404/405 404/405 403/405"
API_COCREATION = "403 403 ok 404 ok 404 404 404"
API_LOGGED_IN = "403 403 ok ok ok ok ok ok"
API_NO_SUCH_METHOD = "403 403 405 405 405 405 405 405"
API_COORDINATOR = "403 403 403 403 403 403 403 ok"
API_COORDINATOR_WRITE = "403 403 403 403 403 403 403 bad"
PUBLIC = "ok ok ok ok ok ok ok ok"
READ_ONLY = "- - - - - - - -"

# route name: (GET, writes: POST/PUT/PATCH/DELETE as the route offers them, outcomes joined by "/")
EXPECTED: dict[str, tuple[str, str]] = {
    "login": (PUBLIC, PUBLIC),
    "logout": ("405 405 405 405 405 405 405 405", PUBLIC),
    "password_change": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "password_change_done": (WEB_LOGGED_IN, READ_ONLY),
    "password_reset": (PUBLIC, PUBLIC),
    "password_reset_done": (PUBLIC, READ_ONLY),
    "password_reset_confirm": (PUBLIC, PUBLIC),
    "password_reset_complete": (PUBLIC, READ_ONLY),
    "set_language": (PUBLIC, PUBLIC),
    "schema": (PUBLIC, READ_ONLY),
    "api-docs": (PUBLIC, READ_ONLY),
    "api-redoc": (PUBLIC, READ_ONLY),
    "api:auth-token": (
        "405 405 405 405 405 405 405 405",
        "401/bad 401/bad 401/bad 401/bad 401/bad 401/bad 401/bad 401/bad",
    ),
    "api:organisation-list": (API_LOGGED_IN, READ_ONLY),
    "api:organisation-detail": (API_PROJECT, READ_ONLY),
    "api:target-group-list": (API_LOGGED_IN, READ_ONLY),
    "api:target-group-detail": (API_LOGGED_IN, READ_ONLY),
    "api:project-list": (API_LOGGED_IN, "403 403 bad bad bad 403 403 403"),
    "api:project-detail": (API_PROJECT, "403 403 403/ok 404 bad/ok 404 404 403"),
    "api:project-history": (API_PROJECT, READ_ONLY),
    "api:project-transition": (API_NO_SUCH_METHOD, API_PROJECT_WRITE),
    "api:project-activity-list": (API_PROJECT, API_PROJECT_WRITE),
    "api:project-indicator-list": (API_PROJECT, API_PROJECT_WRITE),
    "api:indicator-measurement-list": (API_PROJECT, API_PROJECT_WRITE),
    "api:activity-list": (API_LOGGED_IN, READ_ONLY),
    "api:activity-detail": (API_PROJECT, "403 403 ok 404 ok 404 404 403"),
    "api:indicator-list": (API_LOGGED_IN, READ_ONLY),
    "api:indicator-detail": (API_PROJECT, "403 403 ok 404 ok 404 404 403"),
    "api:measurement-detail": (API_PROJECT, "403 403 ok 404 ok 404 404 403"),
    # entries made offline: organisation staff, each entry checked on its own project
    "api:sync-list": (API_NO_SUCH_METHOD, "403 403 bad bad bad 403 403 403"),
    "api:project-tools": (API_PROJECT, "403 403 bad 404 bad 404 404 bad"),
    "api:tool-export-pdf": (API_PROJECT, READ_ONLY),
    "api:tool-template-blank-pdf": (API_LOGGED_IN, READ_ONLY),
    "api:tool-template-list": (API_LOGGED_IN, READ_ONLY),
    "api:tool-template-detail": (API_LOGGED_IN, READ_ONLY),
    "api:tool-detail": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-assumptions": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-diff": (API_PROJECT, READ_ONLY),
    "api:tool-entries": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-interventions": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-links": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-outcomes": (API_PROJECT, API_PROJECT_WRITE),
    "api:tool-snapshots": (API_PROJECT, "403 403 ok 404 ok 404 404 403"),
    "api:tool-validation": (API_PROJECT, READ_ONLY),
    "api:tool-entry-detail": (API_PROJECT, API_ELEMENT_WRITE),
    "api:tool-entry-move": (API_NO_SUCH_METHOD, API_PROJECT_WRITE),
    "api:toc-outcome-detail": (API_PROJECT, API_ELEMENT_WRITE),
    "api:toc-link-detail": (API_PROJECT, API_ELEMENT_WRITE),
    "api:toc-intervention-detail": (API_PROJECT, API_ELEMENT_WRITE),
    "api:toc-assumption-detail": (API_PROJECT, API_ELEMENT_WRITE),
    "api:tool-snapshot-detail": (API_PROJECT, READ_ONLY),
    "api:tool-invites": (API_COCREATION, "403 403 bad 404 bad 404 404 404"),
    "api:invite-detail": (API_COCREATION, READ_ONLY),
    "api:invite-revoke": (API_NO_SUCH_METHOD, API_COCREATION),
    "api:invite-replace-link": (API_NO_SUCH_METHOD, API_COCREATION),
    "api:contribution-list": (API_LOGGED_IN, READ_ONLY),
    "api:contribution-detail": (API_COCREATION, READ_ONLY),
    "api:contribution-accept": (API_NO_SUCH_METHOD, API_COCREATION),
    "api:contribution-reject": (API_NO_SUCH_METHOD, API_COCREATION),
    "api:contribution-reconsider": (API_NO_SUCH_METHOD, API_COCREATION),
    "api:round-list": (API_LOGGED_IN, API_COORDINATOR_WRITE),
    "api:round-detail": (API_LOGGED_IN, "403 403 403 403 403 403 403 405/ok"),
    "api:round-applications": (API_LOGGED_IN, "403 403 bad bad bad bad bad bad"),
    "api:round-assignments": (API_COORDINATOR, API_COORDINATOR_WRITE),
    "api:round-auto-assign": (API_NO_SUCH_METHOD, API_COORDINATOR),
    "api:round-close": (API_NO_SUCH_METHOD, API_COORDINATOR_WRITE),
    "api:round-criteria": (API_LOGGED_IN, API_COORDINATOR_WRITE),
    "api:round-decisions": (API_COORDINATOR, API_COORDINATOR_WRITE),
    "api:round-eligibility": (API_LOGGED_IN, READ_ONLY),
    "api:round-portfolio": (API_COORDINATOR, READ_ONLY),
    "api:round-ranking": (API_COORDINATOR, READ_ONLY),
    "api:round-transition": (API_NO_SUCH_METHOD, API_COORDINATOR_WRITE),
    "api:application-list": (API_LOGGED_IN, READ_ONLY),
    # PATCH (change) and withdraw: the applying organisation's staff, until the round closes
    "api:application-detail": ("403 403 ok 404 ok ok 404 ok", "403 403 ok 404 ok 403 404 403"),
    "api:application-withdraw": (API_NO_SUCH_METHOD, "403 403 ok 404 ok 403 404 403"),
    "api:assignment-list": (API_LOGGED_IN, READ_ONLY),
    "api:assignment-detail": ("403 403 404 404 404 ok 404 404", READ_ONLY),
    "api:assignment-conflict": (API_NO_SUCH_METHOD, "403 403 404 404 404 bad 404 404"),
    "api:review-list": (API_LOGGED_IN, "403 403 403 403 403 bad bad 403"),
    "api:review-detail": ("403 403 404 404 404 ok 404 404", READ_ONLY),
    "api:startup-list": (API_LOGGED_IN, READ_ONLY),
    "api:startup-detail": (API_PROJECT, "403 403 405/ok 404/405 405/ok 404/405 404/405 405/ok"),
    "api:startup-figures": (API_PROJECT, "403 403 bad 404 bad 404 404 bad"),
    "api:startup-milestones": (API_PROJECT, "403 403 bad 404 bad 404 404 bad"),
    "api:report-list": (API_LOGGED_IN, "403 403 bad bad bad bad bad bad"),
    "api:report-detail": ("403 403 ok 404 404 404 404 ok", READ_ONLY),
    "api:report-download": ("403 403 ok 404 404 404 404 ok", READ_ONLY),
    "microprojects:list": ("login login ok ok ok 403 403 ok", "login login ok ok ok 403 403 ok"),
    "microprojects:create": ("login login ok ok ok 403 403 403", "login login ok ok ok 403 403 403"),
    "microprojects:activity_quick_log": (
        "login login ok ok ok 403 403 403",
        "login login ok ok ok 403 403 403",
    ),
    # The field app (docs/offline.md): organisation staff, their own projects only.
    "microprojects:field_measurement": (
        "login login ok ok ok 403 403 403",
        "login login ok ok ok 403 403 403",
    ),
    "microprojects:field_data": ("login login ok ok ok 403 403 403", "login login 405 405 405 405 405 405"),
    "microprojects:queue": ("login login ok ok ok 403 403 403", "login login 405 405 405 405 405 405"),
    "microprojects:offline": (PUBLIC, "405 405 405 405 405 405 405 405"),
    "service-worker": (PUBLIC, "405 405 405 405 405 405 405 405"),
    "web-manifest": (PUBLIC, "405 405 405 405 405 405 405 405"),
    "microprojects:detail": (WEB_PROJECT, WEB_PROJECT),
    "microprojects:edit": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:delete": ("login login 403 404 ok 404 404 403", "login login 403 404 ok 404 404 403"),
    "microprojects:transition": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:activity_create": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:activities_csv": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "microprojects:indicator_create": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:activity_edit": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:activity_delete": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:indicator_edit": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:indicator_delete": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:measurement_create": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:measurement_edit": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "microprojects:measurement_delete": (WEB_PROJECT_EDIT, WEB_PROJECT_EDIT),
    "accelerator:index": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "accelerator:round-create": (WEB_COORDINATOR, WEB_COORDINATOR),
    "accelerator:round": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "accelerator:round-edit": (WEB_COORDINATOR, WEB_COORDINATOR),
    "accelerator:round-transition": (WEB_NO_SUCH_METHOD, WEB_COORDINATOR),
    "accelerator:criterion-create": (WEB_NO_SUCH_METHOD, "login login 403 403 403 403 403 bad"),
    "accelerator:apply": (WEB_PROJECT, WEB_PROJECT),
    "accelerator:assignments": (WEB_COORDINATOR, WEB_COORDINATOR),
    "accelerator:auto-assign": (WEB_NO_SUCH_METHOD, WEB_COORDINATOR),
    "accelerator:reviewer-country": (WEB_NO_SUCH_METHOD, WEB_COORDINATOR),
    "accelerator:ranking": (WEB_COORDINATOR, WEB_COORDINATOR),
    "accelerator:decision": (WEB_COORDINATOR, "login login 403 403 403 403 403 404"),
    "accelerator:close": (WEB_NO_SUCH_METHOD, WEB_COORDINATOR),
    "accelerator:application": ("login login ok 404 ok ok 404 ok", "login login ok 404 ok ok 404 ok"),
    "accelerator:application-edit": (WEB_APPLICANT, WEB_APPLICANT),  # the world's round asks no questions
    # a POST without confirm=yes asks the question again
    "accelerator:application-withdraw": (WEB_APPLICANT, WEB_APPLICANT),
    "accelerator:inbox": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "accelerator:review": ("login login 404 404 404 ok 404 404", "login login 404 404 404 ok 404 404"),
    "accelerator:conflict": (WEB_NO_SUCH_METHOD, "login login 404 404 404 ok 404 404"),
    "accelerator:startups": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "accelerator:startup": (WEB_PROJECT, WEB_PROJECT),
    "reports:index": (WEB_LOGGED_IN, "login login bad bad bad bad bad bad"),
    "reports:job": ("login login ok 404 404 404 404 ok", WEB_NO_SUCH_METHOD),
    "reports:download": ("login login ok 404 404 404 404 ok", WEB_NO_SUCH_METHOD),
    "contribute:receipt": (PUBLIC, PUBLIC),
    "contribute:withdraw": ("405 405 405 405 405 405 405 405", "404 404 404 404 404 404 404 404"),
    "contribute:start": (PUBLIC, PUBLIC),
    "contribute:question": (PUBLIC, "bad bad bad bad bad bad bad bad"),
    "contribute:thanks": (PUBLIC, PUBLIC),
    "cocreation:queue": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "cocreation:invites": (WEB_COCREATION, WEB_COCREATION),
    "cocreation:on_behalf": (WEB_COCREATION, WEB_COCREATION),
    "cocreation:invite": (WEB_COCREATION, WEB_COCREATION),
    "cocreation:invite_revoke": (WEB_NO_SUCH_METHOD, WEB_COCREATION),
    # GET, or a POST without confirm=yes, asks first
    "cocreation:invite_replace_link": (WEB_COCREATION, WEB_COCREATION),
    "cocreation:invite_sheet": (WEB_COCREATION, WEB_NO_SUCH_METHOD),
    "cocreation:contribution": (WEB_COCREATION, WEB_COCREATION),
    "cocreation:contribution_accept": (WEB_NO_SUCH_METHOD, WEB_COCREATION),
    "cocreation:contribution_reject": (WEB_NO_SUCH_METHOD, WEB_COCREATION),
    "cocreation:contribution_reconsider": (WEB_NO_SUCH_METHOD, WEB_COCREATION),
    "toolkit:project-tools": (WEB_PROJECT, WEB_PROJECT_EDIT),
    "toolkit:project-tools-panel": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "toolkit:recent-tools-panel": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "toolkit:templates": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "toolkit:blank-pdf": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    "toolkit:tool": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "toolkit:tool-update": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "toolkit:tool-delete": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "toolkit:entry-add": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "toolkit:entry-edit": (WEB_PROJECT_EDIT, "login login bad 404 bad 404 404 403"),
    "toolkit:entry-move": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "toolkit:entry-delete": (WEB_NO_SUCH_METHOD, WEB_PROJECT_EDIT),
    "toolkit:toc-add": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "toolkit:toc-edit": (WEB_PROJECT_EDIT, "login login bad 404 bad 404 404 403"),
    "toolkit:toc-delete": (WEB_NO_SUCH_METHOD, WEB_PROJECT_EDIT),
    "toolkit:diagram": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "toolkit:snapshots": (WEB_PROJECT, WEB_PROJECT_EDIT),
    "toolkit:diff": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "toolkit:export-pdf": (WEB_PROJECT, WEB_NO_SUCH_METHOD),
    "dashboard": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "healthz": (PUBLIC, PUBLIC),
    "favicon": (PUBLIC, "405 405 405 405 405 405 405 405"),
    "audit": (WEB_COORDINATOR, WEB_COORDINATOR),
    "privacy": (WEB_COORDINATOR, WEB_COORDINATOR),
    "privacy-export": (WEB_COORDINATOR, WEB_COORDINATOR),
    "privacy-erase": (WEB_COORDINATOR, "login login 403 403 403 403 403 bad"),
    "account": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "api-token": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    "account-sessions": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    # the social worker's own session in use: ending it logs out; anybody else's answers 404
    "account-session-end": (WEB_NO_SUCH_METHOD, "login login ok 404 404 404 404 404"),
    # no token of the world has this id: one's own tokens only, anybody else's is 404
    "api-token-revoke": (WEB_NO_SUCH_METHOD, "login login 404 404 404 404 404 404"),
    # logs out everywhere, then to the login page
    "account-sign-out-everywhere": (WEB_NO_SUCH_METHOD, "login login ok ok ok ok ok ok"),
    "api:api-token-list": (API_LOGGED_IN, READ_ONLY),
    # PATCH and DELETE; PUT is not offered (405)
    "api:api-token-detail": (API_NO_SUCH_METHOD, "403 403 404/405 404/405 404/405 404/405 404/405 404/405"),
    "api:api-token-revoke-all": (API_NO_SUCH_METHOD, "403 403 ok ok ok ok ok ok"),
}

# The newer features list their routes in modules of their own (topics.py).
EXPECTED.update(topics.merged("EXPECTED"))


def _row(spec: str) -> dict:
    tokens = spec.split()
    assert len(tokens) == len(ROLES), spec
    return dict(zip(ROLES, tokens, strict=True))


def _request(client, method, url, *, name):
    """One request, rolled back afterwards (and the client's cookies restored), so each role meets
    the same world. Returns the response, its outcome and, for a refused write that tried to write a
    row (rows_written), the checksum."""
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies.output(header="", sep=";")) if cookies else cookies.__class__()
    written_before = rows_written() if method != "get" else None
    with transaction.atomic():
        response = getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)
        outcome = classify(response)
        if name == "logout" and outcome == "login":
            outcome = "ok"  # logging out sends one to the login page
        if (
            name in ("account-session-end", "account-sign-out-everywhere")
            and outcome == "login"
            and "sessionid" in response.cookies
        ):
            outcome = "ok"  # ended the session in use: logged out (its cookie deleted), to the login page
        tried_to_write = written_before is None or rows_written() != written_before
        changed = database_checksum() if method != "get" and outcome != "ok" and tried_to_write else None
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, outcome, changed


def _matrix_routes():
    for name, pattern, callback in routes():
        if name in EXPLICIT or (name and name.startswith(EXPLICIT_PREFIXES)):
            continue
        yield name, pattern, callback


def uncovered_routes() -> list[str]:
    """Routes the matrix cannot try (no URL builder) or has no expectation for."""
    problems = []
    for name, pattern, _callback in _matrix_routes():
        if name not in URLS:
            problems.append(f"{name} ({pattern}): no URL builder in urls_for.URLS")
        elif name not in EXPECTED:
            problems.append(f"{name} ({pattern}): missing from EXPECTED")
    return problems


# The routes are tried in this many parts, each in a world of its own, so that pytest-xdist can run
# them side by side (the whole matrix in one test took 150 s of a 5-minute suite).
SHARDS = 6


@pytest.mark.slow(8)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_route_is_in_the_matrix_and_behaves_as_listed(shard):
    world = build_world()
    by_role = clients(world, world.token)
    for client in by_role.values():
        client.raise_request_exception = False
    baseline = database_checksum()
    problems, discovered = [], {}
    for index, (name, pattern, callback) in enumerate(_matrix_routes()):
        if index % SHARDS != shard:
            continue
        if name not in URLS:
            problems.append(f"{name} ({pattern}): no URL builder in urls_for.URLS")
            continue
        url = URLS[name](world)
        methods = write_methods(callback)
        observed = {"get": {}, "write": {}}
        for role in ROLES:
            response, outcome, _ = _request(by_role[role], "get", url, name=name)
            if response.status_code >= 500:
                problems.append(f"{name} GET as {ROLE_NAMES[role]}: {response.status_code}")
            observed["get"][role] = outcome
            outcomes = set()
            for method in methods:
                response, outcome, changed = _request(by_role[role], method, url, name=name)
                if response.status_code >= 500:
                    problems.append(f"{name} {method.upper()} as {ROLE_NAMES[role]}: {response.status_code}")
                outcomes.add(outcome)
                if changed is not None and changed != baseline:
                    problems.append(
                        f"{name} {method.upper()} as {ROLE_NAMES[role]} was refused ({outcome}) but wrote"
                    )
            observed["write"][role] = "/".join(sorted(outcomes)) if outcomes else "-"
        get_spec = " ".join(observed["get"][r] for r in ROLES)
        write_spec = " ".join(observed["write"][r] for r in ROLES)
        discovered[name] = (get_spec, write_spec)
        if name not in EXPECTED:
            problems.append(f"{name} ({pattern}): missing from EXPECTED")
            continue
        expected_get, expected_write = EXPECTED[name]
        for kind, expected, got in (
            ("GET", expected_get, observed["get"]),
            ("write", expected_write, observed["write"]),
        ):
            for role, want in _row(expected).items():
                if got[role] != want:
                    problems.append(f"{name} {kind} as {ROLE_NAMES[role]}: expected {want}, got {got[role]}")
    if os.environ.get("SEMPRE_MATRIX_DISCOVER"):
        with open(os.environ["SEMPRE_MATRIX_DISCOVER"], "a") as out:  # each part adds its routes
            for name, (g, wr) in discovered.items():
                out.write(f'    "{name}": ("{g}", "{wr}"),\n')
    assert not problems, "\n".join(problems)


def test_a_route_missing_from_the_table_is_named(monkeypatch):
    """The guard itself: drop one route from EXPECTED and the matrix names it."""
    assert uncovered_routes() == []
    monkeypatch.delitem(EXPECTED, "microprojects:detail")
    assert uncovered_routes() == ["microprojects:detail (projects/<int:pk>/): missing from EXPECTED"]


def test_admin_site_lets_none_of_the_roles_in(client):
    world = build_world()
    for role, user in world.users.items():
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302, role
        assert response["Location"].startswith("/admin/login/"), role
        assert client.get("/admin/sempre/user/").status_code == 302, role


def test_report_files_are_not_served_as_media(client, settings):
    """Report files leave only through the download view, which checks permission each time."""
    world = build_world()
    assert not settings.DEBUG
    assert client.get(settings.MEDIA_URL + world.report.file.name).status_code == 404


def test_deleting_a_project_with_an_application_explains_instead_of_failing(client):
    world = build_world()
    client.force_login(world.users["admin"])
    response = client.post(f"/projects/{world.project.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert type(world.project).objects.filter(pk=world.project.pk).exists()


def test_the_database_checksum_sees_a_write_to_any_row_and_nothing_else():
    """The matrix's "refused but wrote" check rests on this: one changed column of one row, a row
    added or a row deleted, a many-to-many link changes the checksum; a read or a write rolled back
    does not."""
    world = build_world()
    group = Group.objects.create(name="Readers")
    before = database_checksum()
    project = world.project
    assert database_checksum() == before
    with transaction.atomic():
        type(project).objects.filter(pk=project.pk).update(summary=project.summary + ".")
        assert database_checksum() != before
        transaction.set_rollback(True)
    assert database_checksum() == before
    with transaction.atomic():
        world.activity.delete()
        assert database_checksum() != before
        transaction.set_rollback(True)
    with transaction.atomic():
        world.milestone.pk = None
        world.milestone.save()
        assert database_checksum() != before
        transaction.set_rollback(True)
    with transaction.atomic():
        world.users["sw"].groups.add(group)  # a row of the user-group table only
        assert database_checksum() != before
        transaction.set_rollback(True)
    assert database_checksum() == before


def test_rows_written_counts_every_write_rolled_back_or_not_and_no_read():
    """The matrix takes a checksum only after a refused write that tried to write a row: this count
    must grow with every insert, update and delete, also one rolled back, and not with a read. On
    SQLite there is no such count, and the matrix takes the checksum every time."""
    world = build_world()
    start = rows_written()
    if start is None:
        pytest.skip("PostgreSQL's count; elsewhere the matrix always takes the checksum")
    project = world.project
    list(type(project).objects.all())
    assert rows_written() == start
    counts = [start]
    with transaction.atomic():
        type(project).objects.filter(pk=project.pk).update(summary=project.summary + ".")
        transaction.set_rollback(True)
    counts.append(rows_written())
    with transaction.atomic():
        world.activity.delete()
        transaction.set_rollback(True)
    counts.append(rows_written())
    with transaction.atomic():
        world.milestone.pk = None
        world.milestone.save()
        transaction.set_rollback(True)
    counts.append(rows_written())
    assert counts == sorted(set(counts)), counts  # each write counted, none undone by its rollback
