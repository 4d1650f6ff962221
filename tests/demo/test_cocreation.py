"""Co-creation's demo data (demo.cocreation): invites and client contributions on demo tools."""

import io

import pytest

from demo import cocreation as demo
from toolkit.cocreation.models import Contribution, Invite
from toolkit.models import ToolTemplate

from ..cocreation.factories import ToolInstanceFactory
from ..factories import MembershipFactory, OrganisationFactory
from .helpers import mark_as_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_tools(organisation, social_worker, other_organisation, other_social_worker):
    # One canvas per country is invited: Sweden (twice, so one is skipped) and Latvia.
    canvases = [
        ToolInstanceFactory(project__organisation=o) for o in (organisation, organisation, other_organisation)
    ]
    toc = ToolInstanceFactory(
        project__organisation=organisation, template=ToolTemplate.objects.get(slug="theory-of-change")
    )
    tools = [*canvases, toc]
    mark_as_demo(*(tool.project for tool in tools))
    return tools


def test_seed_creates_invites_and_contributions_in_several_languages(demo_tools):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert Invite.objects.count() == 3  # two countries' canvases and the Theory of Change
    contributions = Contribution.objects.all()
    assert contributions.count() >= 15
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
    assert "already there" in out.getvalue()


def test_seed_keeps_its_pick_when_later_seeders_add_tools(demo_tools):
    demo.seed(stdout=io.StringIO())
    invited = set(Invite.objects.values_list("tool_id", flat=True))
    # Another seeder adds a canvas in a country without one: a fresh pick would invite it.
    german = MembershipFactory(organisation=OrganisationFactory(country="DE")).organisation
    mark_as_demo(ToolInstanceFactory(project__organisation=german).project)
    demo.seed(stdout=io.StringIO())
    assert set(Invite.objects.values_list("tool_id", flat=True)) == invited


def test_demo_links_are_deterministic(demo_tools):
    tool = demo_tools[0]
    assert demo.demo_token(tool) == demo.demo_token(tool)
    assert len(demo.demo_token(tool)) == 32


def test_seed_invites_no_client_to_a_tool_of_a_person_s_own_project(demo_tools):
    # A canvas in a country the demo has none in: it would be picked, were it the demo's.
    german = MembershipFactory(organisation=OrganisationFactory(country="DE")).organisation
    own = ToolInstanceFactory(project__organisation=german)
    demo.seed(stdout=io.StringIO())
    assert Invite.objects.count() == 3
    assert not Invite.objects.filter(tool=own).exists()
