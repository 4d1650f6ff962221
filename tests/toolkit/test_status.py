"""Canvas status is honest (issue #16): the status a person chose stays through every edit (in the
board, the API and when a client's contribution is accepted); completeness is computed from the
blocks; a complete canvas whose blocks become empty is flagged, in the same words the
accelerator's eligibility check uses."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accelerator.factories import RoundFactory, ready_project
from tests.cocreation.factories import ContributionFactory, InviteFactory
from toolkit.models import ToolInstance

pytestmark = pytest.mark.django_db

WARNING = "Marked complete, but 1 of its 13 blocks is empty now: Revenue."


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def complete_sbmc(social_worker):
    """A complete SBMC (13 of 13 blocks filled) of a project that may apply to a round."""
    project = ready_project(social_worker)
    sbmc = project.tools.get(template__slug="sbmc")
    assert sbmc.status == ToolInstance.Status.COMPLETE
    return sbmc


def status_of(tool) -> str:
    return ToolInstance.objects.values_list("status", flat=True).get(pk=tool.pk)


def test_accepting_a_contribution_in_the_moderation_page_keeps_the_canvas_complete(
    social_worker, complete_sbmc
):
    contribution = ContributionFactory(invite=InviteFactory(tool=complete_sbmc), text="Evening hours")
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_accept", args=[contribution.pk])
    )
    assert response.status_code == 302
    assert complete_sbmc.entries.filter(text="Evening hours").exists()
    assert status_of(complete_sbmc) == "complete"


def test_accepting_a_contribution_through_the_api_keeps_the_canvas_complete(
    as_user, social_worker, complete_sbmc
):
    contribution = ContributionFactory(invite=InviteFactory(tool=complete_sbmc), text="Evening hours")
    response = as_user(social_worker).post(f"/api/v1/contributions/{contribution.pk}/accept/", {})
    assert response.status_code == 200, response.content
    assert status_of(complete_sbmc) == "complete"


def test_editing_entries_through_the_api_keeps_the_status_and_flags_an_emptied_block(
    as_user, social_worker, complete_sbmc
):
    client = as_user(social_worker)
    entry = complete_sbmc.entries.get(block_key="revenue")
    response = client.patch(
        f"/api/v1/entries/{entry.pk}/",
        {"text": "Catering orders"},
        format="json",
        HTTP_IF_MATCH=f'"{status_version(complete_sbmc)}"',
    )
    assert response.status_code == 200, response.content
    detail = client.get(f"/api/v1/tools/{complete_sbmc.pk}/").json()
    assert (detail["status"], detail["status_warning"]) == ("complete", "")
    response = client.delete(
        f"/api/v1/entries/{entry.pk}/", HTTP_IF_MATCH=f'"{status_version(complete_sbmc)}"'
    )
    assert response.status_code == 204
    detail = client.get(f"/api/v1/tools/{complete_sbmc.pk}/").json()
    assert detail["status"] == "complete"
    assert detail["completeness"]["filled"] == 12
    assert detail["status_warning"] == WARNING
    validation = client.get(f"/api/v1/tools/{complete_sbmc.pk}/validation/").json()
    assert validation["status_warning"] == WARNING


def test_the_board_and_the_eligibility_check_say_the_same(social_worker, complete_sbmc):
    client = logged_in(social_worker)
    entry = complete_sbmc.entries.get(block_key="revenue")
    response = client.post(
        reverse("toolkit:entry-edit", args=[complete_sbmc.pk, entry.pk]),
        {"text": "Catering orders", "block_key": "revenue", "version": status_version(complete_sbmc)},
    )
    assert response.status_code in (200, 302)
    assert status_of(complete_sbmc) == "complete"
    board = client.get(reverse("toolkit:tool", args=[complete_sbmc.pk])).content.decode()
    assert "13 of 13 blocks filled" in board
    assert "Needs attention" not in board
    client.post(
        reverse("toolkit:entry-delete", args=[complete_sbmc.pk, entry.pk]),
        {"version": status_version(complete_sbmc)},
    )
    assert status_of(complete_sbmc) == "complete"
    board = client.get(reverse("toolkit:tool", args=[complete_sbmc.pk])).content.decode()
    assert "12 of 13 blocks filled" in board
    assert WARNING in board
    round = RoundFactory()
    page = client.get(
        reverse("accelerator:apply", args=[round.pk, complete_sbmc.project_id])
    ).content.decode()
    assert WARNING in page


def status_version(tool) -> int:
    return ToolInstance.objects.values_list("version", flat=True).get(pk=tool.pk)
