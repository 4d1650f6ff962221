import pytest

from ..conftest import clear_test_cache
from .factories import ToolInstanceFactory, invite_with_token


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate limits live in the cache; each test starts with fresh counters (this test process's
    keys only: `cache.clear()` would empty the whole Redis database)."""
    clear_test_cache()
    yield
    clear_test_cache()


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
