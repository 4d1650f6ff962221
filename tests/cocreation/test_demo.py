import io

import pytest

from toolkit.cocreation import demo
from toolkit.cocreation.models import Contribution, Invite
from toolkit.models import ToolTemplate

from .factories import ToolInstanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_tools(organisation, social_worker):
    canvases = [ToolInstanceFactory(project__organisation=organisation) for _ in range(3)]
    toc = ToolInstanceFactory(
        project__organisation=organisation, template=ToolTemplate.objects.get(slug="theory-of-change")
    )
    return [*canvases, toc]


def test_seed_creates_invites_and_contributions_in_several_languages(demo_tools):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert Invite.objects.count() == 4
    contributions = Contribution.objects.all()
    assert contributions.count() >= 20
    assert len(set(contributions.values_list("language", flat=True))) >= 3
    statuses = set(contributions.values_list("status", flat=True))
    assert {"pending", "accepted", "withdrawn", "rejected"} <= statuses
    assert "/c/" in out.getvalue()


def test_seed_twice_changes_nothing(demo_tools):
    demo.seed(stdout=io.StringIO())
    before = (Invite.objects.count(), Contribution.objects.count())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert (Invite.objects.count(), Contribution.objects.count()) == before
    assert "0 client contributions created" in out.getvalue()


def test_demo_links_are_deterministic(demo_tools):
    tool = demo_tools[0]
    assert demo.demo_token(tool) == demo.demo_token(tool)
    assert len(demo.demo_token(tool)) == 32
