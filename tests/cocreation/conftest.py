import pytest
from django.core.cache import cache

from .factories import ToolInstanceFactory, invite_with_token


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate limits live in the cache; each test starts with fresh counters."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tool(organisation):
    return ToolInstanceFactory(project__organisation=organisation)


@pytest.fixture
def other_tool(other_organisation):
    return ToolInstanceFactory(project__organisation=other_organisation)


@pytest.fixture
def invite_token(tool):
    """(invite, token): an open invite to `tool`, and the token of its link."""
    return invite_with_token(tool=tool)
