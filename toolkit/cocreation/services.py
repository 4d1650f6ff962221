"""Writes for co-creation: invites, client contributions, moderation, retention.

Each service is a plain function with keyword-only arguments, atomic and idempotent where that makes
sense. Errors are ValidationError keyed by field name, or PermissionDenied.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sempre import audit
from sempre.rules import require
from toolkit import services as toolkit_services
from toolkit.models import ToolInstance

from .codes import receipt_hash, receipt_new, token_hash, token_new
from .consent import CONSENT_NOTICE_VERSION, ON_BEHALF_CONSENT_VERSION, retention_days
from .languages import supported
from .models import PSEUDONYM_MAX_LENGTH, TEXT_MAX_LENGTH, Contribution, Invite
from .selectors import GRAPH_INTERVENTION_BLOCK, GRAPH_OUTCOME_BLOCKS, invite_blocks, tool_blocks
from .text import plain_text, single_line

MAX_INVITE_DAYS = 365
GRAPH_TEXT_MAX_LENGTH = 300  # toolkit Outcome.text / Intervention.text


def _clean_text(text: str, field: str = "text") -> str:
    cleaned = plain_text(text)
    if not cleaned:
        raise ValidationError(
            {field: pgettext("client page", "Please write something first.")}, code="required"
        )
    if len(cleaned) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                field: pgettext(
                    "client page", "Please keep it shorter: at most %(max)s characters (now %(count)s)."
                )
                % {"max": TEXT_MAX_LENGTH, "count": len(cleaned)}
            },
            code="max_length",
        )
    return cleaned


def _clean_pseudonym(pseudonym: str) -> str:
    cleaned = single_line(pseudonym)
    if len(cleaned) > PSEUDONYM_MAX_LENGTH:
        raise ValidationError(
            {
                "pseudonym": pgettext("client page", "Please use a shorter name: at most %(max)s characters.")
                % {"max": PSEUDONYM_MAX_LENGTH}
            },
            code="max_length",
        )
    return cleaned


def _clean_contribution(
    *,
    blocks,
    block_key: str,
    text: str,
    pseudonym: str,
    consent_field: str,
    consent: bool,
    no_consent: str,
    unknown_block: str,
) -> tuple[str, str]:
    """The text and pseudonym of a new contribution, cleaned; or a ValidationError naming every
    problem at once (no consent, a block not among `blocks`, the text, the pseudonym), so the person
    fixes them in one go. The messages that differ between a client's page and a staff page are
    given: `no_consent` (for `consent_field`) and `unknown_block`."""
    errors = {}
    if not consent:
        errors[consent_field] = no_consent
    if block_key not in {block.key for block in blocks}:
        errors["block_key"] = unknown_block
    try:
        text = _clean_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        pseudonym = _clean_pseudonym(pseudonym)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return text, pseudonym


# Invites ----------------------------------------------------------------------------------------


@transaction.atomic
def invite_create(
    *,
    tool,
    by,
    label: str,
    language: str = "",
    block_keys=(),
    expires_at=None,
    max_contributions: int | None = None,
) -> tuple[Invite, str]:
    """A new invite and its token. The token is returned this once: only its hash is stored.
    `language` empty: the client pages open in the client's device language (languages.py)."""
    require(by, "cocreation.manage_invites", tool)
    errors = {}
    label = single_line(label)
    if not label:
        errors["label"] = _("Give the invite a label, e.g. “Tuesday workshop”.")
    if language and not supported(language):
        errors["language"] = _("Unknown language “%(language)s”.") % {"language": language}
    known = [block.key for block in tool_blocks(tool)]
    block_keys = list(dict.fromkeys(block_keys or ()))
    unknown = [key for key in block_keys if key not in known]
    if unknown:
        errors["block_keys"] = _("This tool has no block %(keys)s.") % {"keys": ", ".join(unknown)}
    now = timezone.now()
    if expires_at is None:
        expires_at = Invite._meta.get_field("expires_at").default()
    if expires_at <= now:
        errors["expires_at"] = _("The expiry must be in the future.")
    elif expires_at > now + timedelta(days=MAX_INVITE_DAYS):
        errors["expires_at"] = _("An invite can stay open for at most a year.")
    if max_contributions is not None and max_contributions < 1:
        errors["max_contributions"] = _("Leave empty for no limit, or allow at least one contribution.")
    if errors:
        raise ValidationError(errors)
    token = token_new()
    invite = Invite.objects.create(
        tool=tool,
        label=label[:200],
        language=supported(language) or "",
        block_keys=[key for key in known if key in block_keys],  # template order
        token_hash=token_hash(token),
        expires_at=expires_at,
        max_contributions=max_contributions,
        created_by=by,
    )
    return invite, token


@transaction.atomic
def invite_replace_link(*, invite: Invite, by) -> tuple[Invite, str]:
    """A new link for the same invite, when the old one is lost: a new token, and the old link stops
    working at once (only one hash is stored). The invite keeps its contributions, questions and
    expiry. Each call makes another link; a revoked invite gets none (its link stays closed)."""
    require(by, "cocreation.replace_invite_link", invite)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.is_revoked:
        raise ValidationError(
            {"invite": _("This invite is revoked, so it gets no new link: create a new invite instead.")},
            code="revoked",
        )
    token = token_new()
    invite.token_hash = token_hash(token)
    invite.save(update_fields=["token_hash"])
    audit.record(actor=by, action=audit.INVITE_LINK_REPLACED, target=invite, data={"tool": invite.tool_id})
    return invite, token


@transaction.atomic
def invite_revoke(*, invite: Invite, by) -> Invite:
    """Close the link at once. Revoking twice keeps the first time."""
    require(by, "cocreation.revoke_invite", invite)
    Invite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    invite.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return invite


# Client contributions ---------------------------------------------------------------------------


@transaction.atomic
def contribution_submit(
    *,
    invite: Invite,
    block_key: str,
    text: str,
    language: str,
    consent: bool,
    pseudonym: str = "",
    receipt_code: str | None = None,
    consent_at=None,
) -> tuple[Contribution, str]:
    """A client's answer through an invite. Returns it with the receipt code to show the client
    (the given one, when the client already has one from this device, else a new one).
    `consent_at`: when the client agreed to the notice, if earlier in this visit (they tick it once
    per visit); else now."""
    text, pseudonym = _clean_contribution(
        blocks=invite_blocks(invite),
        block_key=block_key,
        text=text,
        pseudonym=pseudonym,
        consent_field="consent",
        consent=consent,
        no_consent=pgettext(
            "client page", "Please tick the box to say you agree, so we may keep your answer."
        ),
        unknown_block=pgettext("client page", "This question is not part of this invitation."),
    )
    # Take a place under the cap: a conditional UPDATE only one request can win for the last place.
    now = timezone.now()
    taken = Invite.objects.filter(
        Q(max_contributions__isnull=True) | Q(contribution_count__lt=F("max_contributions")),
        pk=invite.pk,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(contribution_count=F("contribution_count") + 1)
    if not taken:
        raise ValidationError(
            {"invite": pgettext("client page", "This invitation has ended.")}, code="closed"
        )
    receipt_code = receipt_code or receipt_new()
    contribution = Contribution.objects.create(
        tool=invite.tool,
        invite=invite,
        block_key=block_key,
        text=text,
        language=supported(language) or invite.language or "en",
        pseudonym=pseudonym,
        consent_version=CONSENT_NOTICE_VERSION,
        consent_at=min(consent_at, now) if consent_at else now,
        receipt_hash=receipt_hash(receipt_code),
    )
    return contribution, receipt_code


@transaction.atomic
def contribution_withdraw(*, contribution: Contribution, receipt_code: str) -> Contribution:
    """The client takes their contribution back with their receipt code. If it was already accepted,
    what it became in the tool is removed too. Withdrawing twice is a no-op."""
    if not contribution.receipt_hash or contribution.receipt_hash != receipt_hash(receipt_code):
        raise PermissionDenied(_("This receipt code does not fit this contribution."))
    contribution = Contribution.objects.select_for_update(of=("self",)).get(pk=contribution.pk)
    if contribution.status == Contribution.Status.WITHDRAWN:
        return contribution
    if contribution.status == Contribution.Status.ACCEPTED:
        _remove_accepted(contribution)
    contribution.status = Contribution.Status.WITHDRAWN
    contribution.status_changed_at = timezone.now()
    contribution.save()
    return contribution


def _remove_accepted(contribution: Contribution) -> None:
    """The client asked for it back: remove what it became, and move the tool to its next version
    so a staff editor holding the old version notices (optimistic locking)."""
    removed = False
    for field in ("entry", "outcome", "intervention"):
        target = getattr(contribution, field)
        if target is not None:
            setattr(contribution, field, None)
            target.delete()
            removed = True
    if removed:
        ToolInstance.objects.filter(pk=contribution.tool_id).update(
            version=F("version") + 1, updated_at=timezone.now()
        )


# Moderation -------------------------------------------------------------------------------------


def _lock_pending(contribution: Contribution, by, perm="cocreation.moderate_contribution") -> Contribution:
    require(by, perm, contribution)
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("tool", "tool__template", "invite")
        .get(pk=contribution.pk)
    )
    return contribution


def _client_label(contribution: Contribution) -> str:
    if contribution.pseudonym:
        return contribution.pseudonym
    if contribution.invite_id:
        return _("Client (%(invite)s)") % {"invite": contribution.invite.label}
    return _("Client")


@transaction.atomic
def contribution_accept(*, contribution: Contribution, by, text: str | None = None) -> Contribution:
    """Accept, optionally with edited text: it becomes an entry (or, in a Theory of Change, an outcome
    or an intervention) marked as the client's. Accepting again is a no-op."""
    contribution = _lock_pending(contribution, by)
    if contribution.status == Contribution.Status.ACCEPTED:
        return contribution
    if contribution.status != Contribution.Status.PENDING:
        raise ValidationError(
            {
                "status": _(
                    "Only contributions waiting for review can be accepted (this one is “%(status)s”)."
                )
                % {"status": contribution.get_status_display()}
            }
        )
    final_text = _clean_text(text) if text is not None else contribution.text
    source = "on_behalf" if contribution.is_on_behalf else "client"
    _add_to_tool(contribution, text=final_text, by=by, source=source)
    contribution.status = Contribution.Status.ACCEPTED
    contribution.status_changed_at = contribution.moderated_at = timezone.now()
    contribution.moderated_by = by
    contribution.save()
    return contribution


def _add_to_tool(contribution: Contribution, *, text: str, by, source: str) -> None:
    """Canvas: an entry marked as the client's. Theory of Change: an outcome at the block's level, or
    an intervention; the contribution's link to it is what marks it as the client's idea."""
    tool = contribution.tool
    label = _client_label(contribution)
    if tool.template.is_graph:
        if len(text) > GRAPH_TEXT_MAX_LENGTH:
            raise ValidationError(
                {
                    "text": _(
                        "Outcomes and interventions hold at most %(max)s characters: please shorten it."
                    )
                    % {"max": GRAPH_TEXT_MAX_LENGTH}
                }
            )
        if contribution.block_key in GRAPH_OUTCOME_BLOCKS:
            contribution.outcome = toolkit_services.outcome_add(
                instance=tool, text=text, level=contribution.block_key, by=by
            )
        elif contribution.block_key == GRAPH_INTERVENTION_BLOCK:
            contribution.intervention = toolkit_services.intervention_add(instance=tool, text=text, by=by)
        else:
            raise ValidationError({"block_key": _("Clients cannot add to this part of a Theory of Change.")})
    else:
        contribution.entry = toolkit_services.entry_add(
            instance=tool,
            block_key=contribution.block_key,
            text=text,
            by=by,
            source=source,
            client_label=label,
        )


@transaction.atomic
def contribution_reject(*, contribution: Contribution, by, note: str = "") -> Contribution:
    """Not used. It is deleted after the retention period. Rejecting again is a no-op."""
    contribution = _lock_pending(contribution, by)
    if contribution.status == Contribution.Status.REJECTED:
        return contribution
    if contribution.status != Contribution.Status.PENDING:
        raise ValidationError(
            {
                "status": _(
                    "Only contributions waiting for review can be rejected (this one is “%(status)s”)."
                )
                % {"status": contribution.get_status_display()}
            }
        )
    contribution.status = Contribution.Status.REJECTED
    contribution.status_changed_at = contribution.moderated_at = timezone.now()
    contribution.moderated_by = by
    contribution.moderation_note = single_line(note)[:300]
    contribution.save()
    return contribution


@transaction.atomic
def contribution_reconsider(
    *, contribution: Contribution, by, status: str = Contribution.Status.PENDING, text: str | None = None
) -> Contribution:
    """A contribution that was not used, reconsidered before the retention purge deletes it: back to
    the queue (`status` pending), or accepted at once (`status` accepted, optionally with edited
    text). Its purge clock stops, as it is no longer rejected; an audit line records who did it.
    Asking for the status it already has is a no-op."""
    contribution = _lock_pending(contribution, by)
    wanted = {Contribution.Status.PENDING, Contribution.Status.ACCEPTED}
    if status not in wanted:
        raise ValidationError(
            {"status": _("Reconsider to “pending” (back to the queue) or “accepted” (use it now).")}
        )
    if contribution.status == status:
        return contribution
    if contribution.status != Contribution.Status.REJECTED:
        raise ValidationError(
            {
                "status": _(
                    "Only contributions marked “not used” can be reconsidered (this one is “%(status)s”)."
                )
                % {"status": contribution.get_status_display()}
            }
        )
    contribution.status = Contribution.Status.PENDING
    contribution.status_changed_at = contribution.moderated_at = timezone.now()
    contribution.moderated_by = by
    contribution.save()
    # The tool, not the contribution, is the target: the log keeps no client's words.
    audit.record(
        actor=by,
        action=audit.CONTRIBUTION_RECONSIDERED,
        target=contribution.tool,
        data={"contribution": contribution.pk, "status": str(status)},
    )
    if status == Contribution.Status.ACCEPTED:
        return contribution_accept(contribution=contribution, by=by, text=text)
    return contribution


@transaction.atomic
def contribution_add_on_behalf(
    *,
    tool,
    block_key: str,
    text: str,
    by,
    client_consents: bool,
    pseudonym: str = "",
    language: str = "en",
) -> Contribution:
    """A social worker types in what a client says in person. It is accepted at once, as an entry
    marked "on behalf of a client", and the contribution (who typed it, when, the oral consent)
    stays in the audit history."""
    require(by, "cocreation.add_on_behalf", tool)
    text, pseudonym = _clean_contribution(
        blocks=tool_blocks(tool),
        block_key=block_key,
        text=text,
        pseudonym=pseudonym,
        consent_field="client_consents",
        consent=client_consents,
        no_consent=_("Confirm that the client agreed after you read them the notice."),
        unknown_block=_("This tool has no such block."),
    )
    now = timezone.now()
    contribution = Contribution.objects.create(
        tool=tool,
        block_key=block_key,
        text=text,
        language=supported(language) or "en",
        pseudonym=pseudonym,
        consent_version=ON_BEHALF_CONSENT_VERSION,
        consent_at=now,
        is_on_behalf=True,
        typed_by=by,
    )
    # The client's words stay out of the log: only who typed what kind of thing where.
    audit.record(
        actor=by,
        action=audit.ON_BEHALF,
        target=tool,
        data={"contribution": contribution.pk, "block_key": block_key, "language": contribution.language},
    )
    return contribution_accept(contribution=contribution, by=by)


# Retention --------------------------------------------------------------------------------------


@transaction.atomic
def contributions_purge(*, now=None, days: int | None = None) -> int:
    """Delete rejected and withdrawn contributions older than the retention period, with their
    history rows (the text is the client's, and they asked for it to go, or it was not used)."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    expired = Contribution.objects.filter(
        status__in=[Contribution.Status.REJECTED, Contribution.Status.WITHDRAWN],
        status_changed_at__lt=now - timedelta(days=days),
    )
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    Contribution.objects.filter(pk__in=ids).delete()
    # After the rows: deleting them writes a last history record, which must go as well.
    Contribution.history.filter(id__in=ids).delete()
    return len(ids)
