"""Staff pages under /co-creation/: invites (their link, QR sheet and a replacement link), the
moderation queue (cards that fit a phone), "on behalf of" entries.

Thin: querysets come from the selectors (another organisation's objects answer 404), writes go
through the services. What cannot be undone in one click asks first, on a page that works without
JavaScript (a POST without `confirm`); with htmx, the browser's confirm dialog asks instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .codes import token_matches
from .consent import retention_days
from .forms import InviteForm, ModerationForm, OnBehalfForm, ReconsiderForm, RejectForm
from .languages import country_language
from .models import Contribution
from .qr import qr_svg
from .selectors import (
    block_labels,
    contribution_list,
    invite_blocks,
    invite_list,
    invites_visible_to,
    tool_blocks,
    tools_open_to,
)
from .services import (
    contribution_accept,
    contribution_add_on_behalf,
    contribution_reconsider,
    contribution_reject,
    invite_create,
    invite_replace_link,
    invite_revoke,
)

INVITE_COOKIE_SALT = "sempre.cocreation.new-invite"
INVITE_COOKIE_MAX_AGE = 60 * 60  # the staff member's own browser keeps the new link for an hour


def _form_errors(form, error: ValidationError):
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _with_block_labels(contributions):
    contributions = list(contributions)
    labels = block_labels({c.tool.template for c in contributions})
    for contribution in contributions:
        contribution.block_label = labels.get(
            (contribution.tool.template_id, contribution.block_key), contribution.block_key
        )
    return contributions


@login_required
def queue(request):
    """Contributions waiting for review, for every tool the user works on (or one)."""
    status = request.GET.get("status") or Contribution.Status.PENDING
    if status not in Contribution.Status.values:
        status = Contribution.Status.PENDING
    tool = None
    if request.GET.get("tool", "").isdigit():
        tool = get_object_or_404(tools_open_to(request.user), pk=request.GET["tool"])
    contributions = _with_block_labels(contribution_list(request.user, status=status, tool=tool)[:200])
    return render(
        request,
        "cocreation/queue.html",
        {
            "contributions": contributions,
            "status": status,
            "statuses": Contribution.Status.choices,
            "tool": tool,
            "retention_days": retention_days(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invites(request, tool_id):
    tool = get_object_or_404(tools_open_to(request.user).select_related("template", "project"), pk=tool_id)
    blocks = tool_blocks(tool)
    form = InviteForm(request.POST or None, blocks=blocks)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            invite, token = invite_create(
                tool=tool,
                by=request.user,
                label=data["label"],
                language=data["language"],
                block_keys=data["block_keys"],
                expires_at=data["expires_at"],
                max_contributions=data["max_contributions"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied:
            messages.error(request, _("You may not invite clients to this tool."))
        else:
            return _with_link(request, redirect("cocreation:invite", pk=invite.pk), invite, token)
    return render(
        request,
        "cocreation/invites.html",
        {"tool": tool, "form": form, "invites": invite_list(request.user, tool=tool)},
        status=400 if form.errors else 200,
    )


def _with_link(request, response, invite, token):
    """Keep a new link in the staff member's own browser for an hour (a signed cookie for the
    invite's pages only): the database holds only its hash."""
    response.set_signed_cookie(
        f"cocreation_invite_{invite.pk}",
        token,
        salt=INVITE_COOKIE_SALT,
        max_age=INVITE_COOKIE_MAX_AGE,
        path=reverse("cocreation:invite", args=[invite.pk]),
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response


def _link_of(request, invite) -> str | None:
    """The invite's link, if this browser got it (created or replaced here, within the hour)."""
    try:
        token = request.get_signed_cookie(
            f"cocreation_invite_{invite.pk}", salt=INVITE_COOKIE_SALT, default=None
        )
    except BadSignature:
        return None
    if token and token_matches(token, invite.token_hash):
        return request.build_absolute_uri(reverse("contribute:start", args=[token]))
    return None


@login_required
def invite_detail(request, pk):
    invite = get_object_or_404(invite_list(request.user), pk=pk)
    link = _link_of(request, invite)
    qr = qr_svg(link, label=_("QR code of the invite link")) if link else None
    contributions = _with_block_labels(contribution_list(request.user).filter(invite=invite)[:200])
    return render(
        request,
        "cocreation/invite.html",
        {
            "invite": invite,
            "link": link,
            "qr": qr,
            "blocks": invite_blocks(invite),
            "contributions": contributions,
        },
    )


@login_required
@require_GET
def invite_sheet(request, pk):
    """The A4 sheet to print: the QR code, the link and three steps, in the clients' language (the
    invite's, else the organisation's country's, else the staff member's). It fits one page."""
    invite = get_object_or_404(invite_list(request.user).select_related("tool__project__organisation"), pk=pk)
    link = _link_of(request, invite)
    if link is None:
        messages.error(
            request,
            _("This browser does not have the invite's link any more: replace the link to print a sheet."),
        )
        return redirect("cocreation:invite", pk=invite.pk)
    language = (
        invite.language
        or country_language(invite.tool.project.organisation.country)
        or translation.get_language()
    )
    return render(
        request,
        "cocreation/invite_sheet.html",
        {
            "invite": invite,
            "link": link,
            "qr": qr_svg(link, label=_("QR code of the invite link")),
            "sheet_language": language,
            "autoprint": request.GET.get("print") == "1",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_replace_link_view(request, pk):
    """A new link for a lost one. GET, or a POST without `confirm`, asks first: the old link (on
    printed sheets, in messages sent) stops working."""
    invite = get_object_or_404(invites_visible_to(request.user), pk=pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(request, "cocreation/invite_replace_link.html", {"invite": invite})
    try:
        invite, token = invite_replace_link(invite=invite, by=request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
        return redirect("cocreation:invite", pk=invite.pk)
    messages.success(
        request, _("The invite has a new link. The old link no longer works: share this one instead.")
    )
    return _with_link(request, redirect("cocreation:invite", pk=invite.pk), invite, token)


@login_required
@require_POST
def invite_revoke_view(request, pk):
    """Revoking is final: a POST without `confirm` asks first."""
    invite = get_object_or_404(invites_visible_to(request.user), pk=pk)
    if request.POST.get("confirm") != "yes" and not invite.is_revoked:
        return render(request, "cocreation/confirm_revoke.html", {"invite": invite})
    invite_revoke(invite=invite, by=request.user)
    messages.success(request, _("The invite is revoked: its link no longer works."))
    return redirect("cocreation:invite", pk=invite.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request, pk):
    contribution = get_object_or_404(contribution_list(request.user), pk=pk)
    contribution.block_label = block_labels([contribution.tool.template]).get(
        (contribution.tool.template_id, contribution.block_key), contribution.block_key
    )
    form = ModerationForm(request.POST or None, initial={"text": contribution.text})
    if request.method == "POST" and form.is_valid():
        try:
            contribution_accept(contribution=contribution, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Accepted: it is now in the tool, marked as the client's contribution.")
            )
            return redirect(_next_in_queue(request, contribution))
    history = contribution.history.select_related("history_user").order_by("history_date")
    return render(
        request,
        "cocreation/contribution.html",
        {
            "contribution": contribution,
            "form": form,
            "reject_form": RejectForm(),
            "history": history,
            "reconsider_form": ReconsiderForm(initial={"status": "accepted", "text": contribution.text}),
        },
        status=400 if form.errors else 200,
    )


def _next_in_queue(request, contribution):
    return reverse("cocreation:queue") + f"?tool={contribution.tool_id}"


def _card(request, pk, *, error=""):
    """The queue card of a contribution, for htmx to swap in after an action."""
    contribution = get_object_or_404(contribution_list(request.user), pk=pk)
    contribution.block_label = block_labels([contribution.tool.template]).get(
        (contribution.tool.template_id, contribution.block_key), contribution.block_key
    )
    return render(
        request, "cocreation/_contribution_card.html", {"contribution": contribution, "error": error}
    )


def _moderate(request, contribution, decide, done: str):
    """Run an accept or reject from the queue and answer: the row again (htmx) or the next one in
    the queue; on a refusal, the row with the reason, or the contribution's page with it."""
    try:
        decide()
    except ValidationError as error:
        if request.htmx:
            return _card(request, contribution.pk, error=_messages_of(error))
        messages.error(request, _messages_of(error))
        return redirect("cocreation:contribution", pk=contribution.pk)
    if request.htmx:
        return _card(request, contribution.pk)
    messages.success(request, done)
    return redirect(_next_in_queue(request, contribution))


def _messages_of(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


@login_required
@require_POST
def contribution_accept_view(request, pk):
    """Accept as it is (from the queue); editing first happens on the contribution's page."""
    contribution = get_object_or_404(contribution_list(request.user), pk=pk)
    return _moderate(
        request,
        contribution,
        lambda: contribution_accept(contribution=contribution, by=request.user),
        _("Accepted: it is now in the tool, marked as the client's contribution."),
    )


@login_required
@require_POST
def contribution_reject_view(request, pk):
    """ "Do not use" asks first: without `confirm` (a form without JavaScript), the answer is a
    confirmation page; htmx sends `confirm` after the browser's dialog."""
    contribution = get_object_or_404(contribution_list(request.user), pk=pk)
    form = RejectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if request.POST.get("confirm") != "yes" and contribution.is_pending:
        contribution.block_label = block_labels([contribution.tool.template]).get(
            (contribution.tool.template_id, contribution.block_key), contribution.block_key
        )
        return render(
            request,
            "cocreation/confirm_reject.html",
            {
                "contribution": contribution,
                "form": RejectForm(initial={"note": note}),
                "retention_days": retention_days(),
            },
        )
    return _moderate(
        request,
        contribution,
        lambda: contribution_reject(contribution=contribution, by=request.user, note=note),
        _("Not used. You can still reconsider it until it is deleted after the retention period."),
    )


@login_required
@require_POST
def contribution_reconsider_view(request, pk):
    """Back to the queue, or accepted after all (optionally with edited text, from its page)."""
    contribution = get_object_or_404(contribution_list(request.user), pk=pk)
    form = ReconsiderForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or Contribution.Status.PENDING
    text = data.get("text") or None  # empty: as the client wrote it
    done = (
        _("Accepted: it is now in the tool, marked as the client's contribution.")
        if status == Contribution.Status.ACCEPTED
        else _("Back in the queue, waiting for review.")
    )
    return _moderate(
        request,
        contribution,
        lambda: contribution_reconsider(contribution=contribution, by=request.user, status=status, text=text),
        done,
    )


@login_required
@require_http_methods(["GET", "POST"])
def on_behalf(request, tool_id):
    tool = get_object_or_404(tools_open_to(request.user).select_related("template", "project"), pk=tool_id)
    form = OnBehalfForm(
        request.POST or None, blocks=tool_blocks(tool), initial={"block_key": request.GET.get("block")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            contribution_add_on_behalf(
                tool=tool,
                by=request.user,
                block_key=data["block_key"],
                text=data["text"],
                client_consents=data["client_consents"],
                pseudonym=data["pseudonym"],
                language=data["language"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Added to the tool, marked as typed in on behalf of a client."))
            return redirect(reverse("cocreation:on_behalf", args=[tool.pk]))
    return render(
        request,
        "cocreation/on_behalf.html",
        {"tool": tool, "form": form},
        status=400 if form.errors else 200,
    )
