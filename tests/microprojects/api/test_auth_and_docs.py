"""Token login, authentication round trip, and the OpenAPI schema and Swagger UI."""

import json
import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

from sempre.api_schema import SchemaGenerator as KeptSchemaGenerator
from sempre.models import ApiToken

from .conftest import anonymous_status

TOKEN = "/api/v1/auth/token/"


def test_token_round_trip(api_client, social_worker, project):
    response = api_client.post(TOKEN, {"username": "anna", "password": "secret-pass-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=social_worker)
    assert token.startswith(stored.starts_with)
    assert token not in str(ApiToken.objects.values_list())  # only its hash is kept

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/projects/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [project.pk]


def test_each_login_issues_a_token_of_its_own(api_client, social_worker):
    """Since #19 a token is kept only as a hash, so it cannot be handed out twice: a second login
    gets a second token, and both work until they end or are revoked."""
    payload = {"username": "anna", "password": "secret-pass-123"}
    first = api_client.post(TOKEN, payload, format="json").json()["token"]
    second = api_client.post(TOKEN, payload, format="json").json()["token"]
    assert first != second
    for token in (first, second):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api_client.get("/api/v1/projects/").status_code == 200


def test_token_accepts_form_data(api_client, social_worker):
    response = api_client.post(TOKEN, {"username": "anna", "password": "secret-pass-123"}, format="multipart")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"password": "secret-pass-123"}, "username"), ({"username": "anna"}, "password")],
)
def test_token_missing_field_is_named(api_client, social_worker, payload, field):
    response = api_client.post(TOKEN, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ApiToken.objects.exists()


def test_token_wrong_password_is_refused_without_token(api_client, social_worker):
    response = api_client.post(TOKEN, {"username": "anna", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not ApiToken.objects.exists()


def test_token_inactive_user_is_refused(api_client, social_worker):
    social_worker.is_active = False
    social_worker.save()
    response = api_client.post(TOKEN, {"username": "anna", "password": "secret-pass-123"}, format="json")
    assert response.status_code == 400


def test_token_request_from_a_logged_in_browser_needs_no_csrf_token(social_worker):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(TOKEN, {"username": "anna", "password": "secret-pass-123"}, format="json")
    assert response.status_code == 200


def test_bad_token_is_refused(api_client, project):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api_client.get("/api/v1/projects/")
    assert response.status_code in {401, 403}
    assert "results" not in response.json()


def test_session_write_needs_csrf_token(social_worker, project):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Fruit bags"


def test_anonymous_request_is_refused(api_client, project):
    assert api_client.get(f"/api/v1/projects/{project.pk}/").status_code == anonymous_status()


def test_errors_are_json(as_user, social_worker):
    response = as_user(social_worker).get("/api/v1/projects/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


# OpenAPI -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_lists_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organisations/",
        "/api/v1/target-groups/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/projects/{id}/transition/",
        "/api/v1/projects/{id}/history/",
        "/api/v1/projects/{project_pk}/activities/",
        "/api/v1/projects/{project_pk}/indicators/",
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/indicators/{indicator_pk}/measurements/",
        "/api/v1/measurements/{id}/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/projects/{id}/"]) == {"get", "patch", "delete"}
    parameters = {p["name"] for p in paths["/api/v1/activities/"]["get"]["parameters"]}
    assert {"project", "date_after", "date_before", "page", "page_size", "ordering", "search"} <= parameters


MY_SOURCES = ("microprojects/", "sempre/api.py")
MY_VIEWSETS = (
    "OrganisationViewSet",
    "TokenView",
    "TargetGroupViewSet",
    "ProjectViewSet",
    "ProjectActivityViewSet",
    "ProjectIndicatorViewSet",
    "IndicatorMeasurementViewSet",
    "ActivityViewSet",
    "IndicatorViewSet",
    "MeasurementViewSet",
)


@pytest.mark.django_db
def test_schema_is_valid_and_has_no_warnings_for_micro_project_endpoints():
    """What `spectacular --validate --fail-on-warn` checks, for this part of the API (other apps
    answer for their own endpoints)."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    mine = [m for m in messages if any(s in m for s in MY_SOURCES) or any(f"[{v}" in m for v in MY_VIEWSETS)]
    assert mine == []
    assert "MicroProjectStatusEnum" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_swagger_ui_renders_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    # The initialiser is a script file, not inline (Content Security Policy): it names the schema.
    script = client.get("/api/docs/?script=").content.decode()
    assert "/api/schema/" in script
    assert "<script>" not in html
    external = re.findall(r"(?:src|href)\s*=\s*[\"']((?:https?:)?//[^\"']+)", html)
    assert external == []
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_swagger_ui_assets_are_served_locally(client):
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r"(?:src|href)\s*=\s*[\"'](/static/[^\"']+)", html)
    assert any("swagger-ui-bundle" in asset for asset in assets)


def test_invisible_and_missing_projects_answer_the_same(as_user, social_worker, other_project):
    client = as_user(social_worker)
    invisible = client.get(f"/api/v1/projects/{other_project.pk}/")
    missing = client.get("/api/v1/projects/999999/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()


@pytest.mark.django_db
def test_schema_is_served_as_json(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_served_schema_is_made_once_per_language_and_is_the_same_for_everyone(
    as_user, coordinator, client
):
    """/api/schema/ answers from a kept copy (sempre.api_schema.SchemaGenerator): safe because the
    schema is public and does not depend on who asks; a language of its own gets a copy of its own."""
    KeptSchemaGenerator.made.clear()
    as_anonymous = client.get("/api/schema/?format=json").json()
    assert len(KeptSchemaGenerator.made) == 1
    as_coordinator = as_user(coordinator).get("/api/schema/?format=json").json()
    assert len(KeptSchemaGenerator.made) == 1
    assert as_coordinator == as_anonymous
    fresh = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    assert fresh == as_anonymous
    in_latvian = client.get("/api/schema/?format=json&lang=lv").json()
    assert len(KeptSchemaGenerator.made) == 2
    assert in_latvian != as_anonymous


@pytest.mark.django_db
def test_the_served_schema_is_rendered_once_per_format_and_language(client):
    """YAML, the default answer, takes a tenth of a second or more to render: each kept schema is
    rendered once per format, and those bytes are what every later request gets."""
    KeptSchemaGenerator.rendered.clear()
    in_yaml = client.get("/api/schema/")
    assert in_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    ((schema, renderings),) = KeptSchemaGenerator.rendered.values()
    assert any(schema is kept for kept in KeptSchemaGenerator.made.values())
    assert in_yaml.content == OpenApiYamlRenderer().render(schema, "application/vnd.oai.openapi")
    in_json = client.get("/api/schema/?format=json")
    assert json.loads(in_json.content) == json.loads(OpenApiJsonRenderer().render(schema))
    assert len(renderings) == 2
    assert client.get("/api/schema/").content == in_yaml.content
    assert client.get("/api/schema/?format=json").content == in_json.content
    assert len(KeptSchemaGenerator.rendered) == 1
    assert len(renderings) == 2


@pytest.mark.django_db
def test_schema_types_ids_in_paths_as_integers(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path, name in (
        ("/api/v1/projects/{id}/", "id"),
        ("/api/v1/projects/{project_pk}/activities/", "project_pk"),
        ("/api/v1/indicators/{indicator_pk}/measurements/", "indicator_pk"),
    ):
        (parameter,) = (p for p in paths[path]["get"]["parameters"] if p["name"] == name)
        assert parameter["schema"]["type"] == "integer"


@pytest.mark.django_db
def test_a_kept_schema_is_forgotten_when_a_setting_it_may_depend_on_changes(client, settings):
    """Every test changes a few settings no schema depends on (tests/conftest.py): the kept schemas
    outlive those, and only those."""
    client.get("/api/schema/?format=json")
    kept = dict(KeptSchemaGenerator.made)
    assert kept
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert KeptSchemaGenerator.made == kept
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 7}
    assert KeptSchemaGenerator.made == {}
    assert KeptSchemaGenerator.rendered == {}


@pytest.mark.django_db
def test_made_up_languages_and_versions_get_the_kept_schema_and_keep_nothing_new(client):
    """/api/schema/ is public: a ?lang= or ?version= a client makes up must not make (a second of
    CPU) and keep (for the life of the process) a schema of its own."""
    english = client.get("/api/schema/?format=json").json()
    latvian = client.get("/api/schema/?format=json&lang=lv").json()
    kept = dict(KeptSchemaGenerator.made)
    for query in ("lang=zz1", "lang=%3Cscript%3E", "version=x1", "version=2&lang=zz2"):
        response = client.get(f"/api/schema/?format=json&{query}")
        assert response.status_code == 200, query
        assert response.json() == english, query
    assert client.get("/api/schema/?format=json&lang=lv-LV").json() == latvian
    assert KeptSchemaGenerator.made == kept
