from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sempre import audit
from sempre.models import AuditEvent
from toolkit.cocreation.codes import receipt_hash, token_hash
from toolkit.cocreation.models import Contribution, Invite
from toolkit.cocreation.selectors import invite_by_token
from toolkit.cocreation.services import (
    contribution_accept,
    contribution_add_on_behalf,
    contribution_reconsider,
    contribution_reject,
    contribution_submit,
    contribution_withdraw,
    contributions_purge,
    invite_create,
    invite_replace_link,
    invite_revoke,
)
from toolkit.models import Entry, Intervention, Outcome, ToolTemplate

from .factories import ContributionFactory, InviteFactory, ToolInstanceFactory, invite_with_token

pytestmark = pytest.mark.django_db


def submit(invite, **kwargs):
    values = {
        "block_key": "beneficiary_segments",
        "text": "More evening hours",
        "language": "en",
        "consent": True,
    }
    values.update(kwargs)
    return contribution_submit(invite=invite, **values)


# Invites ----------------------------------------------------------------------------------------


def test_invite_create_stores_only_the_hash_of_a_long_token(tool, social_worker):
    invite, token = invite_create(tool=tool, by=social_worker, label="Tuesday workshop in Luleå")
    assert len(token) >= 22  # >= 128 bits in URL-safe base64
    assert invite.token_hash == token_hash(token)
    assert token not in str(Invite.objects.filter(pk=invite.pk).values().get())
    assert invite_by_token(token) == invite


def test_invite_create_defaults_to_fourteen_days(tool, social_worker):
    invite, _token = invite_create(tool=tool, by=social_worker, label="Workshop")
    expected = timezone.now() + timedelta(days=14)
    assert abs((invite.expires_at - expected).total_seconds()) < 60


def test_invite_create_rejects_unknown_blocks_by_field(tool, social_worker):
    with pytest.raises(ValidationError) as error:
        invite_create(tool=tool, by=social_worker, label="Workshop", block_keys=["no_such_block"])
    assert "block_keys" in error.value.message_dict
    assert not Invite.objects.exists()


def test_invite_create_refused_for_another_organisation(tool, other_social_worker):
    with pytest.raises(PermissionDenied):
        invite_create(tool=tool, by=other_social_worker, label="Workshop")
    assert not Invite.objects.exists()


def test_invite_revoke_is_idempotent(tool, social_worker):
    invite, _token = invite_create(tool=tool, by=social_worker, label="Workshop")
    invite_revoke(invite=invite, by=social_worker)
    first = invite.revoked_at
    invite_revoke(invite=invite, by=social_worker)
    assert invite.revoked_at == first
    assert invite.state == "revoked"


def test_unknown_token_finds_nothing(invite_token):
    assert invite_by_token("not-a-real-token") is None
    assert invite_by_token("") is None
    assert invite_by_token("x" * 500) is None


# Token lifecycle --------------------------------------------------------------------------------


def test_submit_to_expired_invite_is_refused(tool):
    invite = InviteFactory(tool=tool, expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        submit(invite)
    assert "invite" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_submit_to_revoked_invite_is_refused(tool):
    invite = InviteFactory(tool=tool, revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        submit(invite)
    assert not Contribution.objects.exists()


def test_capped_invite_takes_exactly_its_cap(tool):
    invite = InviteFactory(tool=tool, max_contributions=2)
    submit(invite)
    submit(invite)
    with pytest.raises(ValidationError) as error:
        submit(invite)
    assert "invite" in error.value.message_dict
    invite.refresh_from_db()
    assert invite.contribution_count == 2
    assert invite.state == "full"
    assert Contribution.objects.count() == 2


# Submitting -------------------------------------------------------------------------------------


def test_submit_without_consent_is_refused(tool):
    invite = InviteFactory(tool=tool)
    with pytest.raises(ValidationError) as error:
        submit(invite, consent=False)
    assert "consent" in error.value.message_dict
    assert not Contribution.objects.exists()
    invite.refresh_from_db()
    assert invite.contribution_count == 0


def test_submit_records_consent_and_pending_status(tool):
    contribution, code = submit(InviteFactory(tool=tool), pseudonym="Sunflower")
    assert contribution.status == Contribution.Status.PENDING
    assert contribution.consent_version
    assert contribution.consent_at is not None
    assert contribution.pseudonym == "Sunflower"
    assert contribution.receipt_hash == receipt_hash(code)
    assert code not in contribution.receipt_hash


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<b>Bold</b> idea", "Bold idea"),
        ("<script>alert(1)</script>Safe", "Safe"),
        ("&lt;img src=x onerror=alert(1)&gt;Hello", "Hello"),
        ('<a href="javascript:x">link</a>', "link"),
        ("Fish &amp; chips", "Fish & chips"),
    ],
)
def test_submit_stores_plain_text_without_html(tool, typed, stored):
    contribution, _code = submit(InviteFactory(tool=tool), text=typed)
    assert contribution.text == stored
    assert "<" not in contribution.text


def test_submit_refuses_text_over_the_limit(tool):
    with pytest.raises(ValidationError) as error:
        submit(InviteFactory(tool=tool), text="a" * 2001)
    assert "text" in error.value.message_dict


def test_submit_refuses_empty_text_after_cleaning(tool):
    with pytest.raises(ValidationError) as error:
        submit(InviteFactory(tool=tool), text="<p> </p>")
    assert "text" in error.value.message_dict


def test_submit_refuses_a_block_outside_the_invite(tool):
    invite = InviteFactory(tool=tool, block_keys=["revenue"])
    with pytest.raises(ValidationError) as error:
        submit(invite, block_key="beneficiary_segments")
    assert "block_key" in error.value.message_dict


def test_submit_reuses_the_receipt_code_of_this_device(tool):
    invite = InviteFactory(tool=tool)
    first, code = submit(invite)
    second, again = submit(invite, receipt_code=code)
    assert again == code
    assert first.receipt_hash == second.receipt_hash


# Withdrawing ------------------------------------------------------------------------------------


def test_withdraw_with_the_receipt_code(tool):
    contribution, code = submit(InviteFactory(tool=tool))
    contribution_withdraw(contribution=contribution, receipt_code=code.lower().replace("-", " "))
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.WITHDRAWN


def test_withdraw_with_a_wrong_code_is_refused(tool):
    contribution, _code = submit(InviteFactory(tool=tool))
    with pytest.raises(PermissionDenied):
        contribution_withdraw(contribution=contribution, receipt_code="ZZZZ-ZZZZ-ZZZZ")
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_withdraw_after_acceptance_removes_the_entry(tool, social_worker):
    contribution, code = submit(InviteFactory(tool=tool))
    contribution_accept(contribution=contribution, by=social_worker)
    entry_id = Contribution.objects.get(pk=contribution.pk).entry_id
    contribution_withdraw(contribution=contribution, receipt_code=code)
    assert not Entry.objects.filter(pk=entry_id).exists()


# Moderation -------------------------------------------------------------------------------------


def test_accept_creates_an_entry_marked_as_the_clients(tool, social_worker):
    contribution, _code = submit(InviteFactory(tool=tool), pseudonym="Sunflower")
    contribution_accept(contribution=contribution, by=social_worker)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED
    assert contribution.moderated_by == social_worker
    entry = contribution.entry
    assert entry.source == Entry.Source.CLIENT
    assert entry.client_label == "Sunflower"
    assert entry.block_key == "beneficiary_segments"
    assert entry.text == "More evening hours"


def test_edit_then_accept_keeps_the_original_text(tool, social_worker):
    contribution, _code = submit(InviteFactory(tool=tool), text="evening hours pls")
    contribution_accept(contribution=contribution, by=social_worker, text="Longer evening opening hours")
    contribution.refresh_from_db()
    assert contribution.entry.text == "Longer evening opening hours"
    assert contribution.text == "evening hours pls"


def test_accept_twice_makes_one_entry(tool, social_worker):
    contribution, _code = submit(InviteFactory(tool=tool))
    contribution_accept(contribution=contribution, by=social_worker)
    contribution_accept(contribution=contribution, by=social_worker)
    assert Entry.objects.filter(instance=tool).count() == 1


def test_reject_then_accept_is_refused(tool, social_worker):
    contribution, _code = submit(InviteFactory(tool=tool))
    contribution_reject(contribution=contribution, by=social_worker, note="Duplicate")
    with pytest.raises(ValidationError) as error:
        contribution_accept(contribution=contribution, by=social_worker)
    assert "status" in error.value.message_dict
    assert not Entry.objects.exists()


def test_another_organisation_cannot_moderate(tool, other_social_worker):
    contribution, _code = submit(InviteFactory(tool=tool))
    with pytest.raises(PermissionDenied):
        contribution_accept(contribution=contribution, by=other_social_worker)
    with pytest.raises(PermissionDenied):
        contribution_reject(contribution=contribution, by=other_social_worker)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    assert not Entry.objects.exists()


def test_coordinator_cannot_moderate(tool, coordinator):
    contribution, _code = submit(InviteFactory(tool=tool))
    with pytest.raises(PermissionDenied):
        contribution_accept(contribution=contribution, by=coordinator)


def test_theory_of_change_proposals_become_outcomes_and_interventions(organisation, social_worker):
    toc = ToolInstanceFactory(
        project__organisation=organisation, template=ToolTemplate.objects.get(slug="theory-of-change")
    )
    invite = InviteFactory(tool=toc)
    outcome_proposal, _code = submit(invite, block_key="early", text="I know where to get help")
    intervention_proposal, _code = submit(invite, block_key="interventions", text="A weekly open café")
    contribution_accept(contribution=outcome_proposal, by=social_worker)
    contribution_accept(contribution=intervention_proposal, by=social_worker)
    outcome = Outcome.objects.get(instance=toc)
    assert outcome.level == Outcome.Level.EARLY
    assert outcome.contribution == outcome_proposal
    assert Intervention.objects.get(instance=toc).text == "A weekly open café"


def test_theory_of_change_assumptions_are_not_offered_to_clients(organisation):
    toc = ToolInstanceFactory(
        project__organisation=organisation, template=ToolTemplate.objects.get(slug="theory-of-change")
    )
    with pytest.raises(ValidationError):
        submit(InviteFactory(tool=toc), block_key="assumptions")


# On behalf --------------------------------------------------------------------------------------


def test_on_behalf_is_marked_and_kept_in_history(tool, social_worker):
    contribution = contribution_add_on_behalf(
        tool=tool, block_key="channels", text="Ask at the library", by=social_worker, client_consents=True
    )
    assert contribution.is_on_behalf
    assert contribution.typed_by == social_worker
    assert contribution.entry.source == Entry.Source.ON_BEHALF
    assert contribution.history.count() >= 2  # created, then accepted
    assert {h.status for h in contribution.history.all()} == {"pending", "accepted"}


def test_on_behalf_needs_the_clients_consent(tool, social_worker):
    with pytest.raises(ValidationError) as error:
        contribution_add_on_behalf(
            tool=tool, block_key="channels", text="Ask", by=social_worker, client_consents=False
        )
    assert "client_consents" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_on_behalf_refused_for_another_organisation(tool, other_social_worker):
    with pytest.raises(PermissionDenied):
        contribution_add_on_behalf(
            tool=tool, block_key="channels", text="Ask", by=other_social_worker, client_consents=True
        )


# Retention --------------------------------------------------------------------------------------


def test_purge_deletes_old_rejected_and_withdrawn_only(tool):
    old = timezone.now() - timedelta(days=31)
    invite = InviteFactory(tool=tool)
    rejected = ContributionFactory(invite=invite, status="rejected", status_changed_at=old)
    withdrawn = ContributionFactory(invite=invite, status="withdrawn", status_changed_at=old)
    recent = ContributionFactory(invite=invite, status="rejected", status_changed_at=timezone.now())
    pending = ContributionFactory(invite=invite, status="pending", status_changed_at=old)
    assert contributions_purge() == 2
    remaining = set(Contribution.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, pending.pk}
    assert not Contribution.history.filter(id__in=[rejected.pk, withdrawn.pk]).exists()


def test_purge_follows_the_retention_setting(tool, settings):
    settings.COCREATION_RETENTION_DAYS = 5
    ContributionFactory(
        invite=InviteFactory(tool=tool),
        status="rejected",
        status_changed_at=timezone.now() - timedelta(days=6),
    )
    assert contributions_purge() == 1


def test_purge_task_runs_the_service(tool):
    from toolkit.cocreation.tasks import purge_contributions

    ContributionFactory(
        invite=InviteFactory(tool=tool),
        status="withdrawn",
        status_changed_at=timezone.now() - timedelta(days=40),
    )
    assert purge_contributions.delay().get() == 1
    assert not Contribution.objects.exists()


def test_edited_text_is_stored_as_plain_text_too(tool, social_worker):
    contribution, _code = submit(InviteFactory(tool=tool))
    contribution_accept(
        contribution=contribution, by=social_worker, text="<i>Evening</i> hours<script>x</script>"
    )
    contribution.refresh_from_db()
    assert contribution.entry.text == "Evening hours"


def test_on_behalf_text_is_stored_as_plain_text(tool, social_worker):
    contribution = contribution_add_on_behalf(
        tool=tool, block_key="channels", text="<b>Library</b>", by=social_worker, client_consents=True
    )
    assert contribution.text == "Library"
    assert contribution.entry.text == "Library"


def test_on_behalf_writes_an_audit_event_without_the_clients_words(tool, social_worker):
    from sempre import audit
    from sempre.models import AuditEvent

    contribution_add_on_behalf(
        tool=tool, block_key="channels", text="Ask at the library", by=social_worker, client_consents=True
    )
    event = AuditEvent.objects.get(action=audit.ON_BEHALF)
    assert event.actor == social_worker
    assert "library" not in str(event.data)


# A lost link replaced (#16) -----------------------------------------------------------------------


def test_replace_link_gives_a_new_token_and_the_old_one_stops_working(tool, social_worker):
    invite, old_token = invite_create(tool=tool, by=social_worker, label="Workshop")
    ContributionFactory(invite=invite)
    invite, new_token = invite_replace_link(invite=invite, by=social_worker)
    assert new_token != old_token
    assert invite_by_token(old_token) is None
    assert invite_by_token(new_token) == invite
    assert invite.contributions.count() == 1  # the invite keeps what it received


def test_replace_link_is_audited_without_the_token(tool, social_worker):
    invite, _token = invite_create(tool=tool, by=social_worker, label="Workshop")
    invite, new_token = invite_replace_link(invite=invite, by=social_worker)
    event = AuditEvent.objects.get(action=audit.INVITE_LINK_REPLACED)
    assert event.actor == social_worker
    assert event.target_id == str(invite.pk)
    assert new_token not in str(event.data)
    assert new_token not in event.target_label


def test_replace_link_refused_for_another_organisation(tool, other_social_worker):
    invite, token = invite_with_token(tool=tool)
    with pytest.raises(PermissionDenied):
        invite_replace_link(invite=invite, by=other_social_worker)
    assert invite_by_token(token) == invite
    assert not AuditEvent.objects.filter(action=audit.INVITE_LINK_REPLACED).exists()


def test_replace_link_of_a_revoked_invite_is_refused(tool, social_worker):
    invite, token = invite_with_token(tool=tool)
    invite_revoke(invite=invite, by=social_worker)
    with pytest.raises(ValidationError) as error:
        invite_replace_link(invite=invite, by=social_worker)
    assert "invite" in error.value.message_dict
    invite.refresh_from_db()
    assert invite.token_hash == token_hash(token)


def test_invite_without_a_language_keeps_it_empty(tool, social_worker):
    invite, _token = invite_create(tool=tool, by=social_worker, label="Workshop")
    assert invite.language == ""
    chosen, _token = invite_create(tool=tool, by=social_worker, label="Workshop", language="ar")
    assert chosen.language == "ar"


def test_invite_with_an_unknown_language_is_refused_by_field(tool, social_worker):
    with pytest.raises(ValidationError) as error:
        invite_create(tool=tool, by=social_worker, label="", language="fr")
    assert set(error.value.message_dict) == {"label", "language"}  # all errors at once


def test_a_contribution_through_an_invite_without_a_language_keeps_the_pages_language(tool):
    invite, _token = invite_with_token(tool=tool, language="")
    contribution, _code = submit(invite, language="ar")
    assert contribution.language == "ar"


# Consent once per visit (#16) ---------------------------------------------------------------------


def test_submit_keeps_the_time_consent_was_given_earlier_in_the_visit(invite_token):
    invite, _token = invite_token
    earlier = timezone.now() - timedelta(minutes=20)
    contribution, _code = submit(invite, consent=True, consent_at=earlier)
    assert contribution.consent_at == earlier


# Reconsidering a contribution not used (#16) ------------------------------------------------------


def test_reconsider_puts_a_rejected_contribution_back_in_the_queue(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    contribution_reject(contribution=contribution, by=social_worker, note="Off topic")
    contribution = contribution_reconsider(contribution=contribution, by=social_worker)
    assert contribution.status == Contribution.Status.PENDING
    assert contribution.deleted_after is None  # the purge clock stopped
    event = AuditEvent.objects.get(action=audit.CONTRIBUTION_RECONSIDERED)
    assert event.actor == social_worker
    assert event.data == {"contribution": contribution.pk, "status": "pending"}
    assert contribution.text not in event.target_label  # no client's words in the log


def test_reconsider_can_accept_at_once_with_edited_text(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), text="bike cafe")
    contribution_reject(contribution=contribution, by=social_worker)
    contribution = contribution_reconsider(
        contribution=contribution, by=social_worker, status="accepted", text="A bike café"
    )
    assert contribution.status == Contribution.Status.ACCEPTED
    assert contribution.entry.text == "A bike café"
    assert contribution.entry.source == Entry.Source.CLIENT


def test_reconsider_twice_is_a_no_op(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    contribution_reconsider(contribution=contribution, by=social_worker)
    contribution_reconsider(contribution=contribution, by=social_worker)
    assert AuditEvent.objects.filter(action=audit.CONTRIBUTION_RECONSIDERED).count() == 1


@pytest.mark.parametrize("status", ["accepted", "withdrawn"])
def test_only_rejected_contributions_can_be_reconsidered(tool, social_worker, status):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status=status)
    wanted = "pending" if status == "accepted" else "accepted"
    with pytest.raises(ValidationError) as error:
        contribution_reconsider(contribution=contribution, by=social_worker, status=wanted)
    assert "status" in error.value.message_dict
    contribution.refresh_from_db()
    assert contribution.status == status


def test_reconsider_to_an_unknown_status_is_refused(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    with pytest.raises(ValidationError) as error:
        contribution_reconsider(contribution=contribution, by=social_worker, status="withdrawn")
    assert "status" in error.value.message_dict


def test_reconsider_refused_for_another_organisation(tool, other_social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    with pytest.raises(PermissionDenied):
        contribution_reconsider(contribution=contribution, by=other_social_worker)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED


def test_a_reconsidered_contribution_is_not_purged(tool, social_worker):
    contribution = ContributionFactory(invite=InviteFactory(tool=tool))
    contribution_reject(contribution=contribution, by=social_worker)
    Contribution.objects.filter(pk=contribution.pk).update(
        status_changed_at=timezone.now() - timedelta(days=29)
    )
    contribution_reconsider(contribution=contribution, by=social_worker)
    assert contributions_purge(now=timezone.now() + timedelta(days=2)) == 0
    assert Contribution.objects.filter(pk=contribution.pk).exists()


def test_rejected_contribution_says_when_it_is_deleted(tool, settings):
    settings.COCREATION_RETENTION_DAYS = 30
    contribution = ContributionFactory(invite=InviteFactory(tool=tool), status="rejected")
    assert contribution.deleted_after == contribution.status_changed_at + timedelta(days=30)
    assert ContributionFactory(invite=contribution.invite).deleted_after is None
