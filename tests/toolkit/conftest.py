import pytest

from tests.factories import IndicatorFactory, MicroProjectFactory

from .factories import TheoryOfChangeFactory, ToolInstanceFactory


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation, title="Fruit bags from Luleå")


@pytest.fixture
def other_project(other_organisation):
    return MicroProjectFactory(organisation=other_organisation, title="Kuldīga recipe book")


@pytest.fixture
def sbmc(project):
    return ToolInstanceFactory(project=project)


@pytest.fixture
def toc(project):
    return TheoryOfChangeFactory(project=project)


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="Women selling at the market", baseline=0, target=12)
