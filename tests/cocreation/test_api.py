"""API: invites and moderation, a permission matrix, fixed query counts."""

import pytest

from toolkit.cocreation.codes import token_hash
from toolkit.cocreation.models import Contribution, Invite
from toolkit.models import Entry

from .factories import ContributionFactory, InviteFactory, ToolInstanceFactory

pytestmark = pytest.mark.django_db


def test_create_invite_returns_the_token_once(as_user, social_worker, tool):
    response = as_user(social_worker).post(
        f"/api/v1/tools/{tool.pk}/invites/",
        {"label": "Tuesday workshop", "language": "ar", "block_keys": ["revenue", "channels"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    invite = Invite.objects.get()
    assert token_hash(data["token"]) == invite.token_hash
    assert data["url"].endswith(f"/c/{data['token']}/")
    assert invite.block_keys == ["channels", "revenue"]  # the template's order
    listed = as_user(social_worker).get(f"/api/v1/tools/{tool.pk}/invites/").json()
    assert "token" not in listed["results"][0]


def test_create_invite_error_names_the_field(as_user, social_worker, tool):
    response = as_user(social_worker).post(
        f"/api/v1/tools/{tool.pk}/invites/", {"label": "x", "block_keys": ["nope"]}, format="json"
    )
    assert response.status_code == 400
    assert "block_keys" in response.json()
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("social_worker", 200),
        ("org_admin", 200),
        ("other_social_worker", 404),
        ("coordinator", 404),
        ("reviewer", 404),
    ],
)
def test_invite_list_permissions(request, as_user, tool, user_fixture, expected):
    InviteFactory(tool=tool)
    user = request.getfixturevalue(user_fixture)
    assert as_user(user).get(f"/api/v1/tools/{tool.pk}/invites/").status_code == expected


def test_anonymous_gets_401_or_403(as_user, tool):
    assert as_user(None).get(f"/api/v1/tools/{tool.pk}/invites/").status_code in (401, 403)
    assert as_user(None).get("/api/v1/contributions/").status_code in (401, 403)


def test_revoke(as_user, social_worker, tool):
    invite = InviteFactory(tool=tool)
    response = as_user(social_worker).post(f"/api/v1/invites/{invite.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"


def test_revoke_by_other_organisation_is_404_and_changes_nothing(as_user, other_social_worker, tool):
    invite = InviteFactory(tool=tool)
    assert as_user(other_social_worker).post(f"/api/v1/invites/{invite.pk}/revoke/").status_code == 404
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_contribution_list_filters_by_status_and_tool(as_user, social_worker, tool, organisation):
    second_tool = ToolInstanceFactory(project__organisation=organisation)
    wanted = ContributionFactory(invite=InviteFactory(tool=tool))
    ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    ContributionFactory(invite=InviteFactory(tool=second_tool))
    response = as_user(social_worker).get(f"/api/v1/contributions/?status=pending&tool={tool.pk}")
    assert [c["id"] for c in response.json()["results"]] == [wanted.pk]


def test_contribution_list_hides_other_organisations(as_user, other_social_worker, tool):
    ContributionFactory(invite=InviteFactory(tool=tool))
    assert as_user(other_social_worker).get("/api/v1/contributions/").json()["count"] == 0


@pytest.mark.parametrize("item_count", [1, 3])
def test_contribution_list_query_count_is_fixed(
    as_user, social_worker, tool, django_assert_num_queries, item_count
):
    ContributionFactory.create_batch(item_count, invite=InviteFactory(tool=tool))
    client = as_user(social_worker)
    # user (session cached), memberships, count, page
    with django_assert_num_queries(4):
        response = client.get("/api/v1/contributions/?status=pending")
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_invite_list_query_count_is_fixed(
    as_user, social_worker, tool, django_assert_num_queries, item_count
):
    InviteFactory.create_batch(item_count, tool=tool)
    client = as_user(social_worker)
    # user (session cached), memberships, tool, count, page
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/tools/{tool.pk}/invites/")
    assert response.json()["count"] == item_count


def test_accept_with_edited_text(as_user, social_worker, tool):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), text="cheap lunch")
    response = as_user(social_worker).post(
        f"/api/v1/contributions/{contribution.pk}/accept/",
        {"text": "A cheap lunch on Fridays"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert Entry.objects.get(pk=response.json()["entry"]).text == "A cheap lunch on Fridays"


def test_accept_rejected_contribution_is_400_with_field(as_user, social_worker, tool):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    response = as_user(social_worker).post(f"/api/v1/contributions/{contribution.pk}/accept/")
    assert response.status_code == 400
    assert "status" in response.json()


def test_reject(as_user, social_worker, tool):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = as_user(social_worker).post(
        f"/api/v1/contributions/{contribution.pk}/reject/", {"note": "Duplicate"}, format="json"
    )
    assert response.status_code == 200
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_other_organisation_cannot_moderate(as_user, other_social_worker, tool, action):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = as_user(other_social_worker).post(f"/api/v1/contributions/{contribution.pk}/{action}/")
    assert response.status_code == 404
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    assert not Entry.objects.exists()
