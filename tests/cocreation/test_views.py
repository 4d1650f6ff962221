"""Staff pages: invites, the QR link shown once, moderation, on behalf, other organisations get 404."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
    client = logged_in(social_worker)
    asked = client.post(reverse("cocreation:invite_revoke", args=[invite.pk]))  # asks first
    assert asked.status_code == 200
    assert 'name="confirm" value="yes"' in asked.content.decode()
    invite.refresh_from_db()
    assert invite.revoked_at is None
    response = client.post(reverse("cocreation:invite_revoke", args=[invite.pk]), {"confirm": "yes"})
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


# Invites: the link, its sheet, a replacement (#16) ------------------------------------------------


def _link_on(html: str) -> str:
    return html.split('id="invite-link" class="invite-link" value="')[1].split('"')[0]


def _created(client, tool, **data):
    response = client.post(
        reverse("cocreation:invites", args=[tool.pk]), {"label": "Open café", "language": "", **data}
    )
    assert response.status_code == 302
    return Invite.objects.latest("pk"), response


def test_invite_page_offers_copy_and_print_right_after_creating_it(tool, social_worker):
    client = logged_in(social_worker)
    invite, response = _created(client, tool)
    html = client.get(response.url).content.decode()
    assert "js/cocreation" in html  # the script that shows the copy button is loaded on this page
    assert 'data-copy="invite-link"' in html
    sheet_url = reverse("cocreation:invite_sheet", args=[invite.pk])
    assert f'href="{sheet_url}?print=1" role="button"' in html  # printing needs no JavaScript
    assert "data-print hidden" not in html


def test_invite_without_a_chosen_language_is_stored_empty_and_said_so(tool, social_worker):
    client = logged_in(social_worker)
    invite, response = _created(client, tool)
    assert invite.language == ""
    assert "<dd>The client's phone's language</dd>" in client.get(response.url).content.decode()


def test_the_sheet_is_in_the_organisations_country_language_without_a_chosen_one(tool, social_worker):
    client = logged_in(social_worker)
    invite, _response = _created(client, tool)  # the organisation is in Sweden
    sheet = client.get(reverse("cocreation:invite_sheet", args=[invite.pk]))
    assert sheet.status_code == 200
    assert 'class="invite-sheet" lang="sv"' in sheet.content.decode()


def test_the_sheet_without_the_link_in_this_browser_sends_back_to_the_invite(tool, social_worker):
    invite = InviteFactory(tool=tool)
    response = logged_in(social_worker).get(reverse("cocreation:invite_sheet", args=[invite.pk]))
    assert response.status_code == 302
    assert response.url == reverse("cocreation:invite", args=[invite.pk])


def test_replace_link_asks_first_and_changes_nothing_until_confirmed(tool, social_worker):
    invite = InviteFactory(tool=tool)
    before = invite.token_hash
    client = logged_in(social_worker)
    url = reverse("cocreation:invite_replace_link", args=[invite.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert 'name="confirm" value="yes"' in response.content.decode()
    invite.refresh_from_db()
    assert invite.token_hash == before


def test_replace_link_shows_the_new_link_and_the_old_one_stops_working(tool, social_worker):
    client = logged_in(social_worker)
    invite, response = _created(client, tool)
    old_link = _link_on(client.get(response.url).content.decode())
    replaced = client.post(reverse("cocreation:invite_replace_link", args=[invite.pk]), {"confirm": "yes"})
    assert replaced.status_code == 302
    page = client.get(replaced.url).content.decode()
    new_link = _link_on(page)
    assert new_link != old_link
    invite.refresh_from_db()
    assert token_hash(new_link.rstrip("/").rsplit("/", 1)[1]) == invite.token_hash
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200


def test_an_invite_page_without_the_link_offers_to_replace_it(tool, social_worker):
    invite = InviteFactory(tool=tool)
    html = logged_in(social_worker).get(reverse("cocreation:invite", args=[invite.pk])).content.decode()
    assert reverse("cocreation:invite_replace_link", args=[invite.pk]) in html
    assert "invite-link" not in html


def test_replace_link_of_a_revoked_invite_says_why(tool, social_worker):
    invite = InviteFactory(tool=tool, revoked_at=timezone.now())
    client = logged_in(social_worker)
    response = client.post(
        reverse("cocreation:invite_replace_link", args=[invite.pk]), {"confirm": "yes"}, follow=True
    )
    assert "create a new invite instead" in response.content.decode()


# Moderation on a phone: cards, the language, "Do not use" asks, reconsider (#16) -----------------


def test_queue_shows_cards_with_each_contributions_language(tool, social_worker):
    ContributionFactory(invite=InviteFactory(tool=tool), language="ar", text="مطبخ مشترك")
    html = logged_in(social_worker).get(reverse("cocreation:queue")).content.decode()
    assert "<table" not in html
    assert 'class="contribution-card"' in html
    assert 'lang="ar" dir="auto">مطبخ مشترك' in html
    assert "<dt>Language</dt><dd>Arabic</dd>" in html


@pytest.mark.parametrize("status", ["pending", "rejected"])
@pytest.mark.parametrize("item_count", [1, 4])
def test_queue_cards_query_count_is_fixed(tool, social_worker, django_assert_num_queries, item_count, status):
    ContributionFactory.create_batch(item_count, invite=InviteFactory(tool=tool), status=status)
    ContributionFactory(invite=None, tool=tool, is_on_behalf=True, typed_by=social_worker, status=status)
    client = logged_in(social_worker)
    url = reverse("cocreation:queue") + f"?status={status}"
    client.get(url)  # warm the session
    # user (session cached), memberships, contributions, block labels
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.content.decode().count('class="contribution-card"') == item_count + 1


def test_do_not_use_in_the_queue_asks_first(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    client = logged_in(social_worker)
    html = client.get(reverse("cocreation:queue")).content.decode()
    reject_url = reverse("cocreation:contribution_reject", args=[contribution.pk])
    form = html.split(reject_url, 1)[1].split(">", 1)[0]
    assert "hx-confirm=" in form
    assert 'hx-vals=\'{"confirm": "yes"}\'' in form
    # without JavaScript the same form posts without `confirm`: a confirmation page, nothing changed
    asked = client.post(reverse("cocreation:contribution_reject", args=[contribution.pk]))
    assert asked.status_code == 200
    assert "Do not use this contribution?" in asked.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_do_not_use_with_htmx_after_the_dialog_swaps_the_card(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_reject", args=[contribution.pk]),
        {"confirm": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Reconsider: back to the queue" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED


def test_reconsider_from_the_queue_without_javascript(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    client = logged_in(social_worker)
    html = client.get(reverse("cocreation:queue") + "?status=rejected").content.decode()
    assert reverse("cocreation:contribution_reconsider", args=[contribution.pk]) in html
    assert "deleted after" in html
    response = client.post(
        reverse("cocreation:contribution_reconsider", args=[contribution.pk]), {"status": "pending"}
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_reconsider_and_use_it_after_all_from_its_page(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected", text="choir")
    client = logged_in(social_worker)
    page = client.get(reverse("cocreation:contribution", args=[contribution.pk])).content.decode()
    assert "Use it after all" in page
    response = client.post(
        reverse("cocreation:contribution_reconsider", args=[contribution.pk]),
        {"status": "accepted", "text": "A choir for everyone"},
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED
    assert contribution.entry.text == "A choir for everyone"


def test_reconsider_a_pending_one_with_htmx_shows_why_not(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    response = logged_in(social_worker).post(
        reverse("cocreation:contribution_reconsider", args=[contribution.pk]),
        {"status": "accepted"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_other_organisation_gets_404_on_the_new_pages(tool, other_social_worker):
    invite = InviteFactory(tool=tool)
    contribution = ContributionFactory(invite=invite, status="rejected")
    client = logged_in(other_social_worker)
    assert client.get(reverse("cocreation:invite_sheet", args=[invite.pk])).status_code == 404
    assert client.get(reverse("cocreation:invite_replace_link", args=[invite.pk])).status_code == 404
    replace = client.post(reverse("cocreation:invite_replace_link", args=[invite.pk]), {"confirm": "yes"})
    assert replace.status_code == 404
    reconsider = client.post(reverse("cocreation:contribution_reconsider", args=[contribution.pk]))
    assert reconsider.status_code == 404
    before = invite.token_hash
    invite.refresh_from_db()
    contribution.refresh_from_db()
    assert invite.token_hash == before
    assert contribution.status == Contribution.Status.REJECTED
