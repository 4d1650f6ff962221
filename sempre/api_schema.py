"""The OpenAPI schema as a contract: what drf-spectacular cannot see from the views, added once for
every operation by a postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

- Request bodies in JSON only (the browsable API's forms are not part of the contract).
- Every error the API can answer, as shared components (`#/components/responses/…`): 400 where an
  operation takes parameters or a body, 401/403 everywhere but the token endpoint's POST, 404 where
  there is an id in the path or the body, or a page number, 413/415 where there is a body, 429 everywhere, and
  the versioned tool writes' 409 and 428. A response an operation declares itself keeps its
  description and gets the shared body.
- `ETag` on every answer of an operation that marks itself `x-etag` (the toolkit's), and the
  `If-Match` header's 409 and 428 on the operations that declare that header.
- OpenAPI links from each create to the created object's read, update and delete, and from a
  created parent to its nested lists (a project to its activities), so that a client (and
  schemathesis' stateful phase) can follow create → read → update → delete.
"""

import re
from typing import ClassVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular import generators
from drf_spectacular.views import SpectacularAPIView

ERROR = {
    "type": "object",
    "description": "An error the request as a whole ran into.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Every error of the request at once: a list of messages per field named "
    "(`non_field_errors` when no single field is at fault, nested objects for nested fields), "
    "or `detail` for a body that could not be read at all.",
    "additionalProperties": {},
}
CONFLICT = {
    "type": "object",
    "description": "The object changed since the version sent (If-Match, or a `version` field): "
    "`current_version` and `current` are its state now, the answer's ETag its version.",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer"},
        "current": {"type": "object", "additionalProperties": {}},
    },
    "required": ["detail"],
}

RETRY_AFTER = {
    "description": "Seconds to wait before asking again.",
    "schema": {"type": "integer", "minimum": 0},
}
ETAG = {
    "description": 'The tool\'s version, quoted (`"7"`): send it back as `If-Match` with a change.',
    "schema": {"type": "string"},
}


def _response(description, schema="Error", headers=None):
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


RESPONSES = {
    "400": (
        "BadRequest",
        _response("Bad input: every field at fault is named, with its messages.", "ValidationError"),
    ),
    "401": ("Unauthenticated", _response("The token is not valid (or has been revoked).")),
    "403": (
        "Forbidden",
        _response("Not logged in, or you may see this but not do this."),
    ),
    "404": (
        "NotFound",
        _response("Does not exist, or you may not see it (the same answer), or a page past the end."),
    ),
    "409": ("Conflict", _response("Changed by someone else since the version sent.", "Conflict")),
    "412": ("PreconditionFailed", _response("The If-Match header does not name the current version.")),
    "413": ("PayloadTooLarge", _response("The body is larger than the API accepts.")),
    "415": ("UnsupportedMediaType", _response("The body's Content-Type is not one the operation reads.")),
    "428": (
        "PreconditionRequired",
        _response("Send the version you last saw as an If-Match header (or a `version` field)."),
    ),
    "429": (
        "TooManyRequests",
        _response(
            "Too many requests; wait as long as Retry-After says.", headers={"Retry-After": RETRY_AFTER}
        ),
    ),
    "503": ("ServiceUnavailable", _response("A service the operation needs cannot be reached just now.")),
}

METHODS = ("get", "put", "post", "patch", "delete")
# The operations anybody may call: no 401/403 for a missing login.
PUBLIC = {("post", "/api/v1/auth/token/")}


def postprocess(result, generator, request, public):
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    schemas.setdefault("Conflict", CONFLICT)
    shared = components.setdefault("responses", {})
    for name, response in RESPONSES.values():
        shared.setdefault(name, response)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method in METHODS:
                _json_bodies(operation)
                _ids_from_one(operation)
                _add_errors(path, method, operation)
                _add_version_headers(operation)
    _add_links(result.get("paths", {}))
    return result


def _codes_for(path, method, operation) -> set[str]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = {"429"}
    if (method, path) not in PUBLIC:
        codes |= {"401", "403"}
    if has_body or any(p["in"] in ("query", "header") for p in parameters):
        codes.add("400")
    # An id in the path, a page past the end, or an id in the body of an object one may not see.
    if "{" in path or has_body or any(p["in"] == "query" and p["name"] == "page" for p in parameters):
        codes.add("404")
    if has_body:
        codes |= {"413", "415"}
    if_match = next((p for p in parameters if p["in"] == "header" and p["name"] == "If-Match"), None)
    if if_match is not None:
        codes.add("409")
        if if_match.get("required"):
            codes.add("428")
    return codes


def _json_bodies(operation):
    """The API's bodies are JSON. DRF's form parsers stay for the browsable API, but a form cannot
    carry what the bodies hold (null, nested objects such as a review's scores), so the contract
    names JSON alone."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        for media_type in [m for m in content if m != "application/json"]:
            del content[media_type]


def _ids_from_one(operation):
    """An id in a path is a whole number from 1: the URL patterns with `<int:…>` do not even match
    a negative one (Django's HTML 404, not the API's). A text in the query holds no NUL character:
    Django's form fields (the filters) refuse it with a 400 naming the parameter."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path" and schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
        elif (
            parameter["in"] == "query"
            and schema.get("type") == "string"
            and not ({"enum", "format"} & set(schema))
        ):
            schema.setdefault("pattern", "^[^\\u0000]*$")


def _add_errors(path, method, operation):
    responses = operation.setdefault("responses", {})
    for code in sorted(_codes_for(path, method, operation) | {c for c in responses if c in RESPONSES}):
        name, shared = RESPONSES[code]
        declared = responses.get(code)
        if declared is None:
            responses[code] = {"$ref": f"#/components/responses/{name}"}
        elif "$ref" not in declared and not declared.get("content"):
            # Declared by the view for its own description (reports): the shared body and headers.
            responses[code] = {**shared, "description": declared.get("description") or shared["description"]}


def _add_version_headers(operation):
    if not operation.pop("x-etag", False):
        return
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2") or code in ("304", "409"):
            response.setdefault("headers", {})["ETag"] = ETAG


# /api/v1/<parent>/{<parent_param>}/<children>/  →  the collection a parent holds
NESTED = re.compile(r"^(?P<parent>/api/v1/[\w-]+/)\{(?P<param>\w+)\}/(?P<children>[\w-]+)/$")


def _item_path(paths, collection_path) -> str | None:
    """Where an object created by a POST on `collection_path` lives: `<collection>{id}/`, or for a
    nested collection (`/projects/{project_pk}/activities/`) the top-level `/activities/{id}/`."""
    for candidate in (
        f"{collection_path}{{id}}/",
        re.sub(r"^/api/v1/.*/([\w-]+)/$", r"/api/v1/\1/{id}/", collection_path),
    ):
        if candidate in paths and candidate != collection_path:
            return candidate
    return None


def _operation_id(paths, path, method):
    operation = paths.get(path, {}).get(method)
    return operation and operation.get("operationId")


def _add_links(paths):
    for path, operations in paths.items():
        create = operations.get("post")
        if not create:
            continue
        created = next((create["responses"][c] for c in ("201", "202") if c in create["responses"]), None)
        item = _item_path(paths, path)
        if created is None or item is None:
            continue
        links = created.setdefault("links", {})
        for method, verb in (("get", "Read"), ("patch", "Update"), ("delete", "Delete")):
            operation_id = _operation_id(paths, item, method)
            if operation_id:
                link = {"operationId": operation_id, "parameters": {"id": "$response.body#/id"}}
                if _requires_if_match(paths[item][method]):
                    link["parameters"]["header.If-Match"] = "$response.header.ETag"
                links[f"{verb}Created"] = link
        # The created object's own lists: a project's activities and indicators, a tool's entries…
        for child_path, child_operations in paths.items():
            match = NESTED.match(child_path)
            if not match or f"{match['parent']}{{id}}/" != item:
                continue
            for method, verb in (("get", "List"), ("post", "Add")):
                operation_id = child_operations.get(method, {}).get("operationId")
                if operation_id:
                    name = "".join(part.capitalize() for part in re.split(r"[-_]", match["children"]))
                    links[f"{verb}{name}"] = {
                        "operationId": operation_id,
                        "parameters": {match["param"]: "$response.body#/id"},
                    }


def _requires_if_match(operation) -> bool:
    return any(
        p["in"] == "header" and p["name"] == "If-Match" and p.get("required")
        for p in operation.get("parameters", [])
    )


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator, keeping what it made for each language and API version for the
    life of the process: the schema is public (SERVE_PUBLIC), the same for every person, and changes
    only with the code, while making it takes about a second of CPU. /api/schema/ answers from the
    kept copy (config/urls.py); a changed setting a schema may depend on (tests) forgets them all."""

    made: ClassVar[dict] = {}
    # {id(schema): (schema, {(renderer, accepted media type): bytes})}: a kept schema as /api/schema/
    # answered it in YAML or JSON. The schema itself is held, so its id stays its own.
    rendered: ClassVar[dict] = {}

    def get_schema(self, request=None, public=False):
        # Kept per language the site speaks, not per ?lang= a client sends: "zz1", "zz2", ... each made
        # (a second of CPU) and kept a schema of its own, the English one.
        language = _spoken(translation.get_language())
        key = (language, self.api_version, public, str(self.urlconf), self.patterns is None)
        if key not in self.made or self.patterns is not None:
            with translation.override(language):
                self.made[key] = super().get_schema(request=request, public=public)
        return self.made[key]


def _spoken(language: str | None) -> str:
    """The language of settings.LANGUAGES a request for `language` gets ("lv-LV": "lv"), else the default."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _kept(renderer_class):
    """The renderer, answering a kept schema with the bytes it rendered the first time: YAML takes
    ten times as long as JSON (0.2 to 0.3 s of CPU), and is what /api/schema/ answers by default.
    Anything else (an error) is rendered as usual."""

    class Kept(renderer_class):
        def render(self, data, accepted_media_type=None, renderer_context=None):
            if not any(data is schema for schema in SchemaGenerator.made.values()):
                return super().render(data, accepted_media_type, renderer_context)
            _schema, by_format = SchemaGenerator.rendered.setdefault(id(data), (data, {}))
            key = (renderer_class, accepted_media_type)
            if key not in by_format:
                by_format[key] = super().render(data, accepted_media_type, renderer_context)
            return by_format[key]

    Kept.__name__ = Kept.__qualname__ = renderer_class.__name__
    return Kept


class SchemaView(SpectacularAPIView):
    """/api/schema/: drf-spectacular's view, from the kept schemas, in their kept renderings."""

    generator_class = SchemaGenerator
    renderer_classes = [_kept(renderer) for renderer in SpectacularAPIView.renderer_classes]

    def _get_version_parameter(self, request):
        """None: the API has one version (/api/v1/, no versioning class). drf-spectacular would take
        any ?version= as the schema's version, and each one would make and keep a schema of its own."""
        return None


# Settings no schema depends on, which tests/conftest.py sets for every test: were they to count, each
# test that reads /api/schema/ would make it anew (a second of CPU).
NOT_IN_THE_SCHEMA = frozenset(
    {"PASSWORD_HASHERS", "MEDIA_ROOT", "CELERY_TASK_ALWAYS_EAGER", "SESSION_ENGINE", "CACHES"}
)


@receiver(setting_changed)
def _forget_schemas(setting, **kwargs):
    if setting in NOT_IN_THE_SCHEMA:
        return
    SchemaGenerator.made.clear()
    SchemaGenerator.rendered.clear()
