import pytest
from django.template import Context, Template
from django.test import RequestFactory

from .factories import ContributionFactory, InviteFactory

pytestmark = pytest.mark.django_db


def render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load cocreation %}" + source).render(Context({"request": request, **context}))


def test_dashboard_card_counts_only_own_pending(tool, other_tool, social_worker):
    ContributionFactory.create_batch(2, invite=InviteFactory(tool=tool))
    ContributionFactory(invite=InviteFactory(tool=tool), status="accepted")
    ContributionFactory(invite=InviteFactory(tool=other_tool))
    html = render('{% include "cocreation/_dashboard_card.html" %}', social_worker)
    assert "<strong>2</strong>" in html


def test_tool_actions_link_to_the_tool(tool, social_worker):
    ContributionFactory(invite=InviteFactory(tool=tool))
    html = render('{% include "cocreation/_tool_action_items.html" %}', social_worker, tool=tool)
    assert f"/co-creation/tools/{tool.pk}/invites/" in html
    assert f"/co-creation/tools/{tool.pk}/on-behalf/" in html
    assert "(1)" in html


def test_the_tool_page_links_its_co_creation_pages_for_staff(client, tool, social_worker, coordinator):
    client.force_login(social_worker)
    assert f"/co-creation/tools/{tool.pk}/invites/" in client.get(f"/tools/{tool.pk}/").content.decode()
    client.force_login(coordinator)  # read-only: no invites
    assert "/invites/" not in client.get(f"/tools/{tool.pk}/").content.decode()


def test_the_dashboard_counts_contributions_waiting_for_review(client, tool, social_worker):
    ContributionFactory(invite=InviteFactory(tool=tool))
    client.force_login(social_worker)
    html = client.get("/").content.decode()
    assert "client contributions waiting for review" in html
    assert "<strong>1</strong>" in html
