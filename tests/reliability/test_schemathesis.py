"""schemathesis against /api/schema/: every operation, as a social worker and as a coordinator,
in-process through the WSGI application (no network), a few generated requests each.

Checks: no 5xx, and every response conforms to the schema (body, content type). The number of
examples per operation is SEMPRE_SCHEMATHESIS_EXAMPLES (default 3), so the run stays bounded.
"""

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from config.wsgi import application
from sempre.tokens import api_token_issue
from tests.security.world import build_world

EXAMPLES = int(os.environ.get("SEMPRE_SCHEMATHESIS_EXAMPLES", "3"))
TIME_BUDGET_SECONDS = float(os.environ.get("SEMPRE_SCHEMATHESIS_BUDGET", "240"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

pytestmark = pytest.mark.django_db


def _run(operation, headers):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.cookies = {}  # the token is the credential; no stray session cookie
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; Django's test client
    stops that (the test's transaction lives on that connection), and so must we."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.slow(9)
# Operations that may revoke the token the run signs in with (its id is a small number, which the
# generated ids hit). tests/security/test_api_tokens.py covers them.
REVOKE_THE_TOKEN_IN_USE = {
    ("/api/v1/auth/token/", "DELETE"),
    ("/api/v1/auth/tokens/{id}/", "DELETE"),
    ("/api/v1/auth/tokens/revoke-all/", "POST"),
}


@pytest.mark.parametrize("role", ["sw", "coord"])
def test_every_api_operation_survives_generated_requests(role):
    world = build_world()
    token = api_token_issue(user=world.users[role])[1]
    # Schemathesis reads the WSGI answer as it comes; ask for it uncompressed (the API gzips
    # answers for clients that accept it: sempre.middleware.TextGZipMiddleware).
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    started, failures, tried = time.monotonic(), [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.path, operation.method.upper()) in REVOKE_THE_TOKEN_IN_USE:
            continue  # would revoke the very token this run uses
        if time.monotonic() - started > TIME_BUDGET_SECONDS:
            failures.append(f"time budget of {TIME_BUDGET_SECONDS:.0f}s spent after {tried} operations")
            break
        tried += 1
        try:
            _run(operation, headers)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error).strip()[:1500]}")
    assert tried > 50
    assert not failures, "\n\n".join(failures)
