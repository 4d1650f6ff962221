"""schemathesis against /api/schema/ with ALL its checks: every operation, as a social worker, a
coordinator and a reviewer, in-process through the WSGI application (no network).

- Every operation: generated requests (schema-valid ones, then schema-invalid ones), each sent as
  each of the three roles (one set of generated requests for all three: generating them is most of
  the cost), each answer checked by every check schemathesis has (no 5xx, status code, content type,
  headers and body as documented, valid data accepted, invalid data refused, a missing required
  header refused, undocumented methods answered 405, authentication not ignored ...).
  An operation with nothing schemathesis can make schema-invalid (an id or a slug in the path and
  nothing else) gets the schema-valid requests only (`_negatable`).
- The stateful phase: schemathesis follows the OpenAPI links the schema declares
  (sempre/api_schema.py) from each create to its object's read, update and delete, and from a
  created project to its activities and indicators, checking every answer the same way.

The only exclusions are in EXCLUDED below, each with the reason it is a false positive. The run is
bounded: SEMPRE_SCHEMATHESIS_EXAMPLES (default 3) examples per operation and mode, a stateful run
of SEMPRE_SCHEMATHESIS_STEPS (default 15) examples, and a time budget.
"""

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi._hypothesis import can_negate_headers, can_negate_path_parameters

from config.wsgi import application
from sempre.tokens import api_token_issue
from tests.security.world import ROLE_NAMES, build_world

EXAMPLES = int(os.environ.get("SEMPRE_SCHEMATHESIS_EXAMPLES", "3"))
STEPS = int(os.environ.get("SEMPRE_SCHEMATHESIS_STEPS", "15"))
# A guard against a run that hangs, not a speed test: a part takes some 30-40 s of CPU.
TIME_BUDGET_SECONDS = float(os.environ.get("SEMPRE_SCHEMATHESIS_BUDGET", "480"))
ROLES = ["sw", "coord", "rev"]

# Operations that may revoke the token the run signs in with (its id is a small number, which the
# generated ids hit). tests/security/test_api_tokens.py covers them.
REVOKE_THE_TOKEN_IN_USE = {
    ("/api/v1/auth/token/", "DELETE"),
    ("/api/v1/auth/tokens/{id}/", "DELETE"),
    ("/api/v1/auth/tokens/revoke-all/", "POST"),
}

# (path, METHOD) -> checks left out there, and why each is a false positive. "Schema-valid data
# accepted" (positive_data_acceptance) asks that any request the schema allows be taken; these
# operations rightly refuse some with 400 for reasons a JSON schema cannot express:
EXCLUDED = {
    # A username and a password of the right shape are schema-valid, but generated ones are not
    # anybody's: "Unable to log in with provided credentials" (400) is the right answer.
    ("/api/v1/auth/token/", "POST"): [positive_data_acceptance],
    # Ids of target groups or organisations that do not exist: named in a 400.
    ("/api/v1/projects/", "POST"): [positive_data_acceptance],
    # A case is written for a project of one's own organisation: any other id is named in a 400.
    ("/api/v1/cases/", "POST"): [positive_data_acceptance],
    # Rules across fields: a round closes after it opens and reviews end after it closes.
    ("/api/v1/rounds/", "POST"): [positive_data_acceptance],
    # A reporting period's due date is on or after its end.
    ("/api/v1/reporting-periods/", "POST"): [positive_data_acceptance],
    # A review is taken only while its round is in its reviewing phase (the world's assignment has
    # id 1 on a fresh test database, so generated ids hit it).
    ("/api/v1/reviews/", "POST"): [positive_data_acceptance],
    # An import is confirmed only after a dry run without errors (the stateful phase confirms the
    # import it has just uploaded, whose generated file is refused).
    ("/api/v1/imports/{id}/confirm/", "POST"): [positive_data_acceptance],
    # A round's phases: only a deciding round can be closed, and a round moves only forwards.
    ("/api/v1/rounds/{id}/close/", "POST"): [positive_data_acceptance],
    ("/api/v1/rounds/{id}/transition/", "POST"): [positive_data_acceptance],
    # A weight is a decimal, written as a string (as DRF writes decimals), so the schema cannot
    # say its minimum of 0.01; a weight of 0 is refused.
    ("/api/v1/rounds/{id}/criteria/", "POST"): [positive_data_acceptance],
    # The parameters a report needs depend on its kind (a project report needs `params.project`).
    ("/api/v1/reports/", "POST"): [positive_data_acceptance],
    # What an uploaded file is comes from its content (an XLSX package or UTF-8 text): generated
    # bytes are a schema-valid "binary", and rightly refused with a 400 naming `file`.
    ("/api/v1/imports/", "POST"): [positive_data_acceptance],
    # A mapping names a project indicator the reader may see and a current framework indicator:
    # generated ids are nobody's, and are named in a 400.
    ("/api/v1/indicator-mappings/", "POST"): [positive_data_acceptance],
    # The offline queue's batch: each entry is checked on its own and refused with its errors in
    # a 200 that lists every entry's result (docs/offline.md), so a batch with an
    # invalid entry is rightly not a 400.
    ("/api/v1/sync/", "POST"): [negative_data_rejection],
}


def negative_data_rejection_but_empty_filters(ctx, response, case):
    """schemathesis' negative_data_rejection, except for a query with an empty value: `?status=`
    or `?date_after=` is no filter, as django-filter reads every empty filter (the web's filter
    forms send them so), not a schema-violating request. Every operation runs this in its place."""
    if negative_data_rejection in EXCLUDED.get((case.operation.path, case.operation.method.upper()), []):
        return None
    if any(value == "" or (isinstance(value, list) and "" in value) for value in (case.query or {}).values()):
        return None
    return negative_data_rejection(ctx, response, case)


def _excluded(case):
    return [negative_data_rejection, *EXCLUDED.get((case.operation.path, case.operation.method.upper()), [])]


pytestmark = pytest.mark.django_db


def _settings(max_examples):
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _negatable(operation) -> bool:
    """Whether schemathesis can make a schema-invalid request for the operation, by its own rules
    (schemathesis.specs.openapi._hypothesis._draw_negated_locations): a parameter it can break, or
    a body. A path value is sent as text, so a path parameter of any integer, or of any string a path
    can carry (a slug), cannot be made invalid; an operation with nothing else has nothing to break,
    and Hypothesis would try some 460 test cases (~0.9 s of CPU) before it says so (Unsatisfiable)."""
    for location in (
        ParameterLocation.PATH,
        ParameterLocation.HEADER,
        ParameterLocation.COOKIE,
        ParameterLocation.QUERY,
    ):
        if not operation.get_parameter_set(location).schema["properties"]:
            continue
        if location == ParameterLocation.PATH and not can_negate_path_parameters(operation):
            continue
        if location.is_in_header and not can_negate_headers(operation, location):
            continue
        return True
    return bool(operation.body) and any(item.is_negatable for item in operation.body.items)


def _run(operation, headers_by_role, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @_settings(EXAMPLES)
    def check(case):
        case.cookies = {}  # the token is the credential; no stray session cookie
        for role, headers in headers_by_role.items():
            # Each request meets the world as it was built: what one role's request changed (a
            # round moved on, an object deleted) is rolled back before the next one's.
            with transaction.atomic():
                try:
                    case.call_and_validate(
                        headers=headers,
                        excluded_checks=_excluded(case),
                        additional_checks=[negative_data_rejection_but_empty_filters],
                    )
                except AssertionError as error:
                    raise AssertionError(f"as {ROLE_NAMES[role]}: {error}") from error
                finally:
                    transaction.set_rollback(True)

    try:
        check()
    except Unsatisfiable as error:
        # Operations with nothing to negate are not tried (`_negatable`); one that is tried must
        # give requests, or `_negatable` no longer follows schemathesis' rules.
        raise AssertionError(
            f"schemathesis made no {mode.value} request, although _negatable says it can: {error}"
        ) from None


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; Django's test client
    stops that (the test's transaction lives on that connection), and so must we."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _signed_in(*roles):
    """Headers that sign in as each role, in one world."""
    world = build_world()
    # Schemathesis reads the WSGI answer as it comes; ask for it uncompressed (the API gzips
    # answers for clients that accept it: sempre.middleware.TextGZipMiddleware).
    return {
        role: {
            "Authorization": f"Token {api_token_issue(user=world.users[role])[1]}",
            "Accept-Encoding": "identity",
        }
        for role in roles
    }


def _schema():
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


# The operations are tried in this many parts, side by side under pytest-xdist.
SHARDS = 3


@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.slow(40)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_api_operation_passes_every_check(shard):
    headers = _signed_in(*ROLES)
    started, failures, tried = time.monotonic(), [], 0
    runs = [
        (result.ok(), mode)
        for result in _schema().get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ][shard::SHARDS]
    for operation, mode in runs:
        if (operation.path, operation.method.upper()) in REVOKE_THE_TOKEN_IN_USE:
            continue  # would revoke the very token this run uses
        if mode is GenerationMode.NEGATIVE and not _negatable(operation):
            continue  # no schema-invalid request can be made (a slug or an id, and nothing else)
        if time.monotonic() - started > TIME_BUDGET_SECONDS:
            failures.append(
                f"time budget of {TIME_BUDGET_SECONDS:.0f}s spent after {tried} of {len(runs)} runs"
            )
            break
        tried += 1
        try:
            _run(operation, headers, mode)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:
            failures.append(
                f"{operation.method.upper()} {operation.path} ({mode.value}): {str(error).strip()[:1500]}"
            )
    assert tried > 100 // SHARDS
    assert not failures, "\n\n".join(failures)


@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.slow(15)
@pytest.mark.parametrize("role", ROLES)
def test_create_read_update_delete_along_the_schemas_links(role):
    headers = _signed_in(role)[role]
    schema = _schema()
    links = [
        (path, method, code, name)
        for path, operations in schema.raw_schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for code, response in operation.get("responses", {}).items()
        for name in response.get("links", {})
    ]
    assert len(links) > 20, "the schema declares the links from each create to its object"
    skipped = {(path, method.upper()) for path, method in REVOKE_THE_TOKEN_IN_USE}
    schema = schema.exclude(func=lambda ctx: (ctx.operation.path, ctx.operation.method.upper()) in skipped)

    class APIWorkflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            case.cookies = {}
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                headers=headers,
                excluded_checks=_excluded(case),
                additional_checks=[negative_data_rejection_but_empty_filters],
                transport_kwargs=kwargs,
            )

    APIWorkflow.run(
        settings=settings(
            max_examples=STEPS,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_only_operations_without_a_query_or_a_body_go_without_invalid_requests():
    """The operations `_negatable` leaves out of the schema-invalid run have no query and no
    body: an id or a slug in the path, or a header or cookie schemathesis cannot break (the
    session cookie); every other operation gets schema-invalid requests."""
    operations = [result.ok() for result in _schema().get_all_operations()]
    left_out = [operation for operation in operations if not _negatable(operation)]
    assert 0 < len(left_out) < len(operations) // 10, [operation.path for operation in left_out]
    for operation in left_out:
        assert not operation.get_parameter_set(ParameterLocation.QUERY).schema["properties"], operation.path
        assert not operation.body, operation.path
