"""The schema is the contract (#19, finding 4): what a client generated from /api/schema/ relies on,
checked against the schema and against the answers. Each test reproduced a finding of the issue
before its fix (bare arrays, 201 where the schema said 200, a PATCH without application_count,
undeclared If-Match and errors, no enum for a report's kind, ?page_size=true accepted)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from accelerator.models import Round, StartUp
from reports.kinds import KINDS
from tests.accelerator.factories import CriterionFactory, RoundFactory
from tests.accelerator.test_api import submit

pytestmark = pytest.mark.django_db

ERROR_COMPONENTS = {
    "400": "BadRequest",
    "401": "Unauthenticated",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "412": "PreconditionFailed",
    "428": "PreconditionRequired",
    "429": "TooManyRequests",
    "503": "ServiceUnavailable",
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "patch", "put", "delete"):
                yield path, method, operation


def _ref(response):
    content = response.get("content", {}).get("application/json", {})
    return content.get("schema", {})


@pytest.fixture
def round_(db):
    round = RoundFactory()
    CriterionFactory(round=round, name="Impact", weight=3)
    CriterionFactory(round=round, name="Money", weight=1)
    return round


# Every list, one way -------------------------------------------------------------------------------


def test_every_list_is_a_page_in_the_schema(schema):
    lists = []
    for path, method, operation in operations(schema):
        body = _ref(operation["responses"].get("200", {}))
        if method == "get" and (body.get("type") == "array" or "Paginated" in body.get("$ref", "")):
            lists.append(path)
            assert "Paginated" in body.get("$ref", ""), f"GET {path} answers a bare array"
            names = {p["name"] for p in operation.get("parameters", [])}
            assert {"page", "page_size"} <= names, path
    assert {
        "/api/v1/rounds/{id}/criteria/",
        "/api/v1/startups/{id}/figures/",
        "/api/v1/startups/{id}/milestones/",
        "/api/v1/tools/{id}/entries/",
        "/api/v1/tools/{id}/snapshots/",
        "/api/v1/tool-templates/",
    } <= set(lists)


def test_criteria_figures_and_milestones_answer_pages_and_honour_page_size(
    as_user, coordinator, social_worker, round_
):
    CriterionFactory(round=round_, name="Reach", weight=1)
    page = as_user(coordinator).get(f"/api/v1/rounds/{round_.pk}/criteria/?page_size=2&page=2").json()
    assert page["count"] == 3
    assert [c["name"] for c in page["results"]] == ["Reach"]
    assert page["results"][0]["normalised_weight"] == 0.2  # over all three, not the page

    startup = StartUp.objects.create(application=submit(round_, worker=social_worker), name="Café")
    client = as_user(social_worker)
    for month in ("2025-01-01", "2025-02-01"):
        assert (
            client.post(f"/api/v1/startups/{startup.pk}/figures/", {"month": month, "costs": "1"}).status_code
            == 201
        )
        assert (
            client.post(
                f"/api/v1/startups/{startup.pk}/milestones/", {"title": month, "due": month}
            ).status_code
            == 201
        )
    for kind in ("figures", "milestones"):
        page = client.get(f"/api/v1/startups/{startup.pk}/{kind}/?page_size=1").json()
        assert (page["count"], len(page["results"])) == (2, 1), kind
        assert "page=2" in page["next"]


@pytest.mark.parametrize("value", ["true", "0", "-1", "201", "1.5", "٣"])
def test_a_page_size_that_is_not_one_to_200_is_refused_naming_it(as_user, social_worker, value):
    response = as_user(social_worker).get(f"/api/v1/projects/?page_size={value}")
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_a_page_size_from_one_to_200_is_taken(as_user, social_worker):
    for value in ("1", "200"):
        assert as_user(social_worker).get(f"/api/v1/projects/?page_size={value}").status_code == 200


# Status codes and bodies as documented -------------------------------------------------------------


def test_a_round_patch_answers_its_application_count(as_user, coordinator, social_worker, round_):
    submit(round_, worker=social_worker)
    response = as_user(coordinator).patch(f"/api/v1/rounds/{round_.pk}/", {"description": "Now with more"})
    assert response.status_code == 200, response.json()
    assert response.json()["application_count"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tools/{id}/snapshots/",
        "/api/v1/startups/{id}/milestones/",
        "/api/v1/startups/{id}/figures/",
        "/api/v1/rounds/{id}/criteria/",
        "/api/v1/rounds/{id}/applications/",
        "/api/v1/tools/{id}/entries/",
    ],
)
def test_creates_are_201_in_the_schema_with_the_created_object(schema, path):
    responses = schema["paths"][path]["post"]["responses"]
    assert "201" in responses
    assert "200" not in responses
    assert "Paginated" not in _ref(responses["201"]).get("$ref", "")


def test_a_criterion_created_answers_201_with_itself(as_user, coordinator):
    draft = RoundFactory(status=Round.Status.DRAFT)
    CriterionFactory(round=draft, name="Impact", weight=3)
    CriterionFactory(round=draft, name="Money", weight=1)
    response = as_user(coordinator).post(
        f"/api/v1/rounds/{draft.pk}/criteria/", {"name": "Reach", "weight": "4"}
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["name"], response.json()["normalised_weight"]) == ("Reach", 0.5)


# Headers, errors, enums ------------------------------------------------------------------------------


def test_if_match_and_etag_are_declared(schema):
    patch = schema["paths"]["/api/v1/entries/{id}/"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert (if_match["in"], if_match["required"]) == ("header", True)
    assert {"409", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    read = schema["paths"]["/api/v1/tools/{id}/"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"]
    assert any(p["name"] == "If-None-Match" for p in read["parameters"])
    assert "304" in read["responses"]


def test_every_operation_declares_the_errors_it_can_answer(schema):
    responses = schema["components"]["responses"]
    assert set(ERROR_COMPONENTS.values()) <= set(responses)
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert "429" in codes, (method, path)
        if (method, path) != ("post", "/api/v1/auth/token/"):
            assert {"401", "403"} <= codes, (method, path)
        if "{" in path or "requestBody" in operation:
            assert {"400", "404"} & codes, (method, path)
        for code, response in operation["responses"].items():
            if code in ERROR_COMPONENTS and "$ref" not in response:
                assert response["content"]["application/json"]["schema"], (method, path, code)


def test_a_reports_kind_and_language_are_enums(schema):
    components = schema["components"]["schemas"]
    assert components["ReportKindEnum"]["enum"] == sorted(KINDS)
    assert "de" in components["LanguageEnum"]["enum"]
    request = components["ReportRequestRequest"]["properties"]
    assert "ReportKindEnum" in str(request["kind"])
    assert "LanguageEnum" in str(request["language"])


def test_each_create_links_to_its_object(schema):
    links = schema["paths"]["/api/v1/projects/"]["post"]["responses"]["201"]["links"]
    assert links["ReadCreated"]["operationId"] == "v1_projects_retrieve"
    assert links["AddActivities"]["parameters"] == {"project_pk": "$response.body#/id"}
    entry = schema["paths"]["/api/v1/tools/{id}/entries/"]["post"]["responses"]["201"]["links"]
    assert entry["UpdateCreated"]["parameters"]["header.If-Match"] == "$response.header.ETag"


# Answers in JSON where the schema says JSON ------------------------------------------------------------


def test_an_api_address_no_route_matches_answers_the_apis_json_404(as_user, social_worker):
    client = as_user(social_worker)
    for response in (client.get("/api/v1/projects/-1/tools/"), client.post("/api/v1/no-such-thing/", {})):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_a_pdf_endpoints_errors_are_json(as_user, social_worker):
    response = as_user(social_worker).get("/api/v1/tools/999999/export.pdf", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = as_user(social_worker).get("/api/v1/tool-templates/sbmc/blank.pdf?format=nothing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_search_with_a_nul_character_is_refused_naming_search(as_user, social_worker):
    response = as_user(social_worker).get("/api/v1/contributions/?search=a%00")
    assert response.status_code == 400
    assert list(response.json()) == ["search"]  # an object naming the parameter, as the schema says
