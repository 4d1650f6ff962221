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


# A lost link replaced, reconsidering, languages (#16, #17) ----------------------------------------


def test_replace_link_returns_the_new_token_once_and_the_old_link_stops_working(as_user, social_worker, tool):
    client = as_user(social_worker)
    created = client.post(f"/api/v1/tools/{tool.pk}/invites/", {"label": "Café"}, format="json").json()
    response = client.post(f"/api/v1/invites/{created['id']}/replace-link/")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["token"] != created["token"]
    assert data["url"].endswith(f"/c/{data['token']}/")
    assert token_hash(data["token"]) == Invite.objects.get().token_hash
    assert client.get(f"/c/{created['token']}/").status_code == 404
    assert "token" not in client.get(f"/api/v1/invites/{created['id']}/").json()


def test_replace_link_of_a_revoked_invite_names_the_problem(as_user, social_worker, tool):
    invite = InviteFactory(tool=tool)
    client = as_user(social_worker)
    client.post(f"/api/v1/invites/{invite.pk}/revoke/")
    response = client.post(f"/api/v1/invites/{invite.pk}/replace-link/")
    assert response.status_code == 400
    assert "invite" in response.json()


@pytest.mark.parametrize("user_fixture", ["other_social_worker", "coordinator", "reviewer"])
def test_replace_link_and_reconsider_answer_404_to_outsiders(request, as_user, tool, user_fixture):
    invite = InviteFactory(tool=tool)
    contribution = ContributionFactory(invite=invite, status="rejected")
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.post(f"/api/v1/invites/{invite.pk}/replace-link/").status_code == 404
    assert client.post(f"/api/v1/contributions/{contribution.pk}/reconsider/").status_code == 404
    before = invite.token_hash
    invite.refresh_from_db()
    contribution.refresh_from_db()
    assert invite.token_hash == before
    assert contribution.status == Contribution.Status.REJECTED


def test_reconsider_back_to_the_queue(as_user, social_worker, tool):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    response = as_user(social_worker).post(f"/api/v1/contributions/{contribution.pk}/reconsider/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending"


def test_reconsider_and_accept_with_edited_text(as_user, social_worker, tool):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    response = as_user(social_worker).post(
        f"/api/v1/contributions/{contribution.pk}/reconsider/",
        {"status": "accepted", "text": "A repair café"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert Entry.objects.get(pk=response.json()["entry"]).text == "A repair café"


def test_reconsider_errors_name_the_field(as_user, social_worker, tool):
    client = as_user(social_worker)
    rejected = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    response = client.post(
        f"/api/v1/contributions/{rejected.pk}/reconsider/", {"status": "withdrawn"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    pending = ContributionFactory(invite=InviteFactory(tool=tool))
    response = client.post(
        f"/api/v1/contributions/{pending.pk}/reconsider/", {"status": "accepted"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    pending.refresh_from_db()
    assert pending.status == Contribution.Status.PENDING


def test_contributions_carry_and_filter_by_language(as_user, social_worker, tool):
    invite = InviteFactory(tool=tool)
    ContributionFactory(invite=invite, language="ar")
    ContributionFactory(invite=invite, language="sv")
    data = as_user(social_worker).get("/api/v1/contributions/?language=ar").json()
    assert [row["language"] for row in data["results"]] == ["ar"]
    bad = as_user(social_worker).get("/api/v1/contributions/?language=xx")
    assert bad.status_code == 400
    assert "language" in bad.json()


def test_invite_without_a_language_and_with_an_unknown_one(as_user, social_worker, tool):
    client = as_user(social_worker)
    created = client.post(f"/api/v1/tools/{tool.pk}/invites/", {"label": "Café"}, format="json")
    assert created.status_code == 201
    assert created.json()["language"] == ""
    refused = client.post(f"/api/v1/tools/{tool.pk}/invites/", {"label": "", "language": "fr"}, format="json")
    assert refused.status_code == 400
    assert {"label", "language"} <= set(refused.json())  # all errors at once
