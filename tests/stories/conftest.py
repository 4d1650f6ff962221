import pytest

from ..conftest import clear_test_cache
from ..factories import MicroProjectFactory
from .factories import story_invite_with_token


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation)


@pytest.fixture
def invite_token(project):
    return story_invite_with_token(project=project)
