"""Reads. Staff reads start from what the user may moderate (their organisations' tools), so
everything else answers 404; public reads go through the token or the receipt code only."""

import hmac

from django.db.models import Count, Q, QuerySet

from toolkit.models import Block, Outcome, ToolInstance

from .codes import receipt_hash, token_hash
from .models import Contribution, Invite


def tools_open_to(user) -> QuerySet[ToolInstance]:
    """Tool instances whose clients this user may invite, and whose contributions they moderate."""
    if not user.is_authenticated:
        return ToolInstance.objects.none()
    return ToolInstance.objects.filter(project__organisation_id__in=user.organisation_ids)


def invites_visible_to(user) -> QuerySet[Invite]:
    return Invite.objects.filter(tool__in=tools_open_to(user))


def invite_list(user, *, tool=None) -> QuerySet[Invite]:
    invites = invites_visible_to(user)
    if tool is not None:
        invites = invites.filter(tool=tool)
    return (
        invites.select_related("tool", "tool__template", "tool__project", "created_by")
        .annotate(
            pending_count=Count("contributions", filter=Q(contributions__status=Contribution.Status.PENDING)),
            accepted_count=Count(
                "contributions", filter=Q(contributions__status=Contribution.Status.ACCEPTED)
            ),
        )
        .order_by("-created_at", "-id")
    )  # aggregate queries ignore Meta.ordering


def contributions_visible_to(user) -> QuerySet[Contribution]:
    return Contribution.objects.filter(tool__in=tools_open_to(user))


def contribution_list(user, *, status: str | None = None, tool=None) -> QuerySet[Contribution]:
    contributions = contributions_visible_to(user)
    if status:
        contributions = contributions.filter(status=status)
    if tool is not None:
        contributions = contributions.filter(tool=tool)
    return contributions.select_related(
        "tool", "tool__template", "tool__project", "invite", "moderated_by", "typed_by"
    )


def pending_count(user, *, tool=None) -> int:
    """For the dashboard and a tool's page: contributions waiting for this user's review (of one
    tool, when given)."""
    pending = contributions_visible_to(user).filter(status=Contribution.Status.PENDING)
    if tool is not None:
        pending = pending.filter(tool=tool)
    return pending.count()


def invite_by_token(token: str) -> Invite | None:
    """The invite a link opens, or None. The lookup is by SHA-256 of the token: the database compares
    hashes of random tokens, so neither timing nor a prefix tells how close a guess was; the final
    comparison is constant-time."""
    if not token or len(token) > 100:
        # Still hash something, so an absurd token costs the same as a plausible one.
        token_hash("x" * 32)
        return None
    wanted = token_hash(token)
    invite = (
        Invite.objects.select_related(
            "tool", "tool__template", "tool__project", "tool__project__organisation"
        )
        .filter(token_hash=wanted)
        .first()
    )
    if invite is None or not hmac.compare_digest(invite.token_hash, wanted):
        return None
    return invite


def contributions_by_receipt(code: str) -> list[Contribution]:
    if not code:
        return []
    return list(
        Contribution.objects.filter(receipt_hash=receipt_hash(code))
        .exclude(receipt_hash="")
        .select_related("tool", "tool__template", "tool__project__organisation")
        .order_by("created_at", "id")
    )


# In a Theory of Change, clients propose outcomes (one block per level) and interventions; the
# assumptions hang on links between outcomes, which is staff work.
GRAPH_OUTCOME_BLOCKS = frozenset(Outcome.Level.values)
GRAPH_INTERVENTION_BLOCK = "interventions"


def tool_blocks(tool) -> list[Block]:
    """The blocks clients may be asked about, in the template's order."""
    blocks = list(tool.template.blocks.order_by("order", "key"))
    if tool.template.is_graph:
        blocks = [b for b in blocks if b.key in GRAPH_OUTCOME_BLOCKS or b.key == GRAPH_INTERVENTION_BLOCK]
    return blocks


def invite_blocks(invite) -> list[Block]:
    """The blocks an invite asks about, in the template's order."""
    blocks = tool_blocks(invite.tool)
    if invite.block_keys:
        wanted = set(invite.block_keys)
        blocks = [block for block in blocks if block.key in wanted]
    return blocks


def block_labels(templates) -> dict[tuple[int, str], str]:
    """{(template id, block key): label} for the given templates, in one query."""
    blocks = Block.objects.filter(template__in={t.pk for t in templates})
    return {(b.template_id, b.key): b.display_label for b in blocks}
