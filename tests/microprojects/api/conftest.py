"""Fixtures for the API tests: a project of `organisation` with things in it, clients per role,
and a snapshot of the micro project tables to prove that a denied write changed nothing."""

import pytest
from rest_framework.settings import api_settings

from microprojects.models import Activity, Indicator, Measurement, MicroProject, TargetGroup
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory

ROLES = ("anonymous", "social_worker", "other_social_worker", "org_admin", "coordinator", "reviewer")


def anonymous_status() -> int:
    """What an anonymous request is refused with: 401 when the first authentication class asks for
    credentials (token), 403 when it does not (session), as DRF decides."""
    first = api_settings.DEFAULT_AUTHENTICATION_CLASSES[0]()
    return 401 if first.authenticate_header(None) else 403


def expect(role: str, **statuses) -> int:
    """The expected status for `role`; anonymous is refused as DRF's settings say."""
    if role == "anonymous":
        return anonymous_status()
    return statuses[role]


@pytest.fixture
def client_for(request, as_user):
    """client_for(role) -> an APIClient logged in as the named-user fixture (anonymous: none)."""

    def make(role):
        return as_user(None if role == "anonymous" else request.getfixturevalue(role))

    return make


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(
        organisation=organisation, title="Fruit bags", status=MicroProject.Status.DRAFT
    )


@pytest.fixture
def other_project(other_organisation):
    return MicroProjectFactory(organisation=other_organisation, title="Recipe book")


@pytest.fixture
def activity(project):
    return ActivityFactory(project=project)


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="Bags sold", baseline=0, target=100)


@pytest.fixture
def measurement(indicator):
    return MeasurementFactory(indicator=indicator, value=40)


@pytest.fixture
def target_groups(db):
    """Two target groups (the seeded ones, when the data migration has created them)."""
    return [
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})[0]
        for order, (slug, name) in enumerate(
            [
                ("migrants-refugees", "Migrants and refugees"),
                ("people-with-disabilities", "People with disabilities"),
            ],
            start=1,
        )
    ]


@pytest.fixture
def snapshot(db):
    """snapshot() -> every row of the micro project tables, and their history, as plain values."""

    def take():
        return {
            model.__name__: sorted(map(repr, model.objects.values()))
            for model in (MicroProject, Activity, Indicator, Measurement, MicroProject.history.model)
        } | {"target_groups": sorted(MicroProject.target_groups.through.objects.values_list("pk", flat=True))}

    return take
