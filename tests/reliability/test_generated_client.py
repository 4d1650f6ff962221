"""A typed client generated from the schema works (docs/api.md, "A typed client"): the test writes
the schema, runs openapi-python-client on it (pinned in pyproject.toml; it needs no network), and
drives a live server with the generated client for one round trip: create a project, log an
activity, read both back. A schema that promises what the API does not do breaks here first."""

import datetime as dt
import importlib
import subprocess
import sys

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from microprojects.models import TargetGroup
from sempre.tokens import api_token_issue
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PACKAGE = "sempre_generated_client"


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory):
    """The client package, generated once per run into a temporary directory and imported."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    schema.write_bytes(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.mark.slow(6)
@pytest.mark.django_db(transaction=True)
def test_a_generated_client_creates_a_project_logs_an_activity_and_reads_it_back(
    generated_client, live_server
):
    api = importlib.import_module(f"{PACKAGE}.api.v1")
    models = importlib.import_module(f"{PACKAGE}.models")
    worker = MembershipFactory(
        user=UserFactory(username="client-anna"), organisation=OrganisationFactory(country="SE")
    ).user
    group = TargetGroup.objects.create(slug="generated-client", name="Generated client")
    token = api_token_issue(user=worker)[1]
    client = generated_client.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")

    with client:
        project = importlib.import_module(f"{api.__name__}.v1_projects_create").sync(
            client=client,
            body=models.ProjectRequest(
                title="Fruit bags",
                setting=models.SettingEnum.URBAN,
                target_groups=[group.pk],
                start_date=dt.date(2025, 2, 1),
            ),
        )
        assert isinstance(project, models.Project), project
        assert project.status == models.MicroProjectStatusEnum.DRAFT

        logged = importlib.import_module(f"{api.__name__}.v1_projects_activities_create").sync_detailed(
            project.id,
            client=client,
            body=models.ActivityRequest(
                date=dt.date(2025, 4, 2),
                kind=models.ActivityKindEnum.WORKSHOP,
                title="Sewing fruit bags",
                participants_total=10,
                women=7,
                men=3,
            ),
        )
        assert logged.status_code == 201, logged.content
        activity = logged.parsed
        assert isinstance(activity, models.Activity)

        read = importlib.import_module(f"{api.__name__}.v1_activities_retrieve").sync(
            activity.id, client=client
        )
        assert isinstance(read, models.Activity)
        assert (read.title, read.participants_total, read.project) == ("Sewing fruit bags", 10, project.id)

        listed = importlib.import_module(f"{api.__name__}.v1_projects_activities_list").sync(
            project.id, client=client, page_size=10
        )
        assert isinstance(listed, models.PaginatedActivityList)
        assert (listed.count, [a.id for a in listed.results]) == (1, [activity.id])

        # An error is typed too: the shared 404 body of the schema.
        missing = importlib.import_module(f"{api.__name__}.v1_activities_retrieve").sync_detailed(
            activity.id + 1000, client=client
        )
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.Error)
