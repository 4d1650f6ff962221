"""Staff pages: invites, the QR link shown once, moderation, on behalf, other organisations get 404."""

import pytest
from django.test import Client
from django.urls import reverse

from toolkit.cocreation.codes import token_hash
from toolkit.cocreation.models import Contribution, Invite
from toolkit.models import Entry

from .factories import ContributionFactory, InviteFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_create_invite_shows_link_and_qr_code_once(tool, social_worker):
    client = logged_in(social_worker)
    response = client.post(
        reverse("cocreation:invites", args=[tool.pk]),
        {"label": "Tuesday workshop in Luleå", "language": "sv", "max_contributions": "20"},
    )
    assert response.status_code == 302
    invite = Invite.objects.get()
    page = client.get(response.url)
    html = page.content.decode()
    link = html.split('id="invite-link" class="invite-link" value="')[1].split('"')[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token_hash(token) == invite.token_hash
    assert "<svg" in html
    sheet = client.get(reverse("cocreation:invite_sheet", args=[invite.pk])).content.decode()
    assert 'class="invite-sheet" lang="sv"' in sheet
    assert "Dela dina idéer" in sheet  # the printed sheet speaks the invite's language (Swedish)
    assert link in sheet
    # Another browser (no cookie) cannot see the link again: only the hash is stored.
    again = logged_in(social_worker).get(reverse("cocreation:invite", args=[invite.pk])).content.decode()
    assert token not in again


def test_create_invite_with_errors_names_the_field(tool, social_worker):
    response = logged_in(social_worker).post(
        reverse("cocreation:invites", args=[tool.pk]), {"label": "", "language": "en"}
    )
    assert response.status_code == 400
    assert not Invite.objects.exists()


def test_other_organisation_gets_404_everywhere(tool, other_social_worker):
    invite = InviteFactory(tool=tool)
    contribution = ContributionFactory(invite=invite)
    client = logged_in(other_social_worker)
    for url in (
        reverse("cocreation:invites", args=[tool.pk]),
        reverse("cocreation:invite", args=[invite.pk]),
        reverse("cocreation:contribution", args=[contribution.pk]),
        reverse("cocreation:on_behalf", args=[tool.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("cocreation:invite_revoke", args=[invite.pk])).status_code == 404
    assert (
        client.post(reverse("cocreation:contribution", args=[contribution.pk]), {"text": "x"}).status_code
        == 404
    )
    assert client.post(reverse("cocreation:contribution_reject", args=[contribution.pk])).status_code == 404
    invite.refresh_from_db()
    contribution.refresh_from_db()
    assert invite.revoked_at is None
    assert contribution.status == Contribution.Status.PENDING


def test_queue_lists_only_own_pending_contributions(tool, other_tool, social_worker):
    mine = ContributionFactory(invite=InviteFactory(tool=tool), text="Mine: a bike workshop")
    ContributionFactory(invite=InviteFactory(tool=other_tool), text="Theirs: a choir")
    html = logged_in(social_worker).get(reverse("cocreation:queue")).content.decode()
    assert mine.text in html
    assert "Theirs: a choir" not in html


@pytest.mark.parametrize("item_count", [1, 3])
def test_queue_query_count_is_fixed(tool, social_worker, django_assert_num_queries, item_count):
    invite = InviteFactory(tool=tool)
    ContributionFactory.create_batch(item_count, invite=invite)
    client = logged_in(social_worker)
    client.get(reverse("cocreation:queue"))  # warm the session
    # user (session cached), memberships, contributions, block labels
    with django_assert_num_queries(4):
        assert client.get(reverse("cocreation:queue")).status_code == 200


def test_edit_then_accept_from_the_page(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), text="bike repair cafe")
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution", args=[contribution.pk]), {"text": "A bike repair café"}
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED
    assert contribution.entry.text == "A bike repair café"
    assert contribution.entry.source == Entry.Source.CLIENT


def test_reject_from_the_page(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    client = logged_in(social_worker)
    url = reverse("cocreation:contribution_reject", args=[contribution.pk])
    asked = client.post(url, {"note": "Off topic"})  # the page's form: a confirmation step first
    assert asked.status_code == 200
    assert 'name="confirm" value="yes"' in asked.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    response = client.post(url, {"note": "Off topic", "confirm": "yes"})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED
    assert contribution.moderation_note == "Off topic"


def test_revoke_from_the_page(tool, social_worker):
    invite = InviteFactory(tool=tool)
    response = logged_in(social_worker).post(reverse("cocreation:invite_revoke", args=[invite.pk]))
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.revoked_at is not None


def test_on_behalf_from_the_page(tool, social_worker):
    response = logged_in(social_worker).post(
        reverse("cocreation:on_behalf", args=[tool.pk]),
        {"block_key": "channels", "text": "At the library", "language": "en", "client_consents": "on"},
    )
    assert response.status_code == 302
    entry = Entry.objects.get(instance=tool)
    assert entry.source == Entry.Source.ON_BEHALF
    assert entry.contribution.typed_by == social_worker


def test_pages_need_a_login(tool):
    response = Client().get(reverse("cocreation:queue"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_accept_from_the_queue_with_htmx_swaps_the_row(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_accept", args=[contribution.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<article class="contribution-card" id="contribution-{contribution.pk}"')
    assert "Accepted" in html
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED


def test_accept_from_the_queue_without_javascript_redirects(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_accept", args=[contribution.pk])
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED


def test_reject_a_rejected_one_with_htmx_shows_the_error_in_the_row(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="withdrawn")
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_reject", args=[contribution.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_other_organisation_cannot_accept_from_the_queue(tool, other_social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = logged_in(other_social_worker).post(
        reverse("cocreation:contribution_accept", args=[contribution.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
