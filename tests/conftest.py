"""Named users for every role, API clients, and the gate for tests that need real services.

Tests marked `services` need PostgreSQL/Redis/a Celery worker. Without them they skip, except
under SEMPRE_REQUIRE_SERVICES=1 (CI), where a missing service fails the test instead.
"""

import os

import pytest
from rest_framework.test import APIClient

from sempre.models import Membership

from .factories import MembershipFactory, OrganisationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("SEMPRE_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def require_service(available: bool, what: str):
    """Skip, or fail in CI, when a service a test needs is not there."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (SEMPRE_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Luleå Social Services", country="SE")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Kuldīga Social Service", country="LV")


@pytest.fixture
def social_worker(organisation):
    return MembershipFactory(
        user=UserFactory(username="anna"), organisation=organisation, role=Membership.Role.SOCIAL_WORKER
    ).user


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(
        user=UserFactory(username="erik"), organisation=organisation, role=Membership.Role.ORG_ADMIN
    ).user


@pytest.fixture
def other_social_worker(other_organisation):
    return MembershipFactory(
        user=UserFactory(username="liga"), organisation=other_organisation, role=Membership.Role.SOCIAL_WORKER
    ).user


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", is_coordinator=True)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", is_reviewer=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def as_user(api_client):
    """as_user(user) -> an APIClient logged in as that user (None: anonymous). A real session
    login, so each request loads the user afresh, as in production."""

    def login(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return login
