"""The client pages under /c/: no account, in the client's language, one question at a time.

Thin: they look the invite up by token (404 unknown, 410 closed), apply the rate limits, and call
the services. Every response is rendered inside the client's chosen language.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import ratelimit
from .codes import receipt_normalise
from .consent import CONSENT_NOTICE_VERSION, retention_days
from .forms import ContributionForm, ReceiptForm
from .languages import client_language, language_choices, remember
from .models import Contribution
from .selectors import contributions_by_receipt, invite_blocks, invite_by_token
from .services import contribution_submit, contribution_withdraw

RECEIPT_COOKIE = "sempre_client_receipt"
RECEIPT_SALT = "sempre.cocreation.receipt-cookie"
RECEIPT_COOKIE_MAX_AGE = 60 * 60 * 24  # one day: a workshop, not a tracking cookie
# The client ticks the consent box once per visit: the notice's version and the time they agreed,
# in a cookie that ends with the browser session (and is not honoured after a day).
CONSENT_COOKIE = "sempre_client_consent"
CONSENT_SALT = "sempre.cocreation.consent-cookie"
TOO_MANY_MESSAGE = pgettext_lazy(
    "client page",
    "Many answers were sent from here in the last hour. "
    "To protect this page, please wait a while and then try again.",
)


def _render(request, template, context, *, language, chosen, status=200):
    with translation.override(language):
        context = {
            **context,
            "languages": language_choices(),
            "current_language": language,
            "retention_days": retention_days(),
        }
        if context.get("invite") is not None:
            # Isolated, so a Latin name keeps its order inside an Arabic sentence and vice versa.
            context["organisation_name"] = format_html(
                "<bdi>{}</bdi>", context["invite"].tool.project.organisation.name
            )
        response = render(request, template, context, status=status)
        response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if chosen:
        remember(response, language)
    return response


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW. On the client pages: a page in the client's language saying
    what to do (a form open for hours, or a browser that blocks the cookie); elsewhere Django's."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "contribute":
        return django_csrf_failure(request, reason=reason)
    language, chosen = client_language(request)
    return _render(
        request,
        "cocreation/public/send_again.html",
        {"again_url": request.path},
        language=language,
        chosen=chosen,
        status=403,
    )


def _too_many(request, *, language, chosen):
    response = _render(
        request, "cocreation/public/too_many.html", {}, language=language, chosen=chosen, status=429
    )
    response["Retry-After"] = str(ratelimit.retry_after())
    return response


def _not_found(request, *, language, chosen):
    return _render(
        request, "cocreation/public/not_found.html", {}, language=language, chosen=chosen, status=404
    )


def _open_invite(request, token):
    """(invite, response): a response when the page must not go on (429, 404, 410)."""
    language, chosen = client_language(request)
    limit = ratelimit.lookup_limit(request)
    if limit.exceeded():
        return None, _too_many(request, language=language, chosen=chosen)
    invite = invite_by_token(token)
    if invite is None:
        limit.hit()
        return None, _not_found(request, language=language, chosen=chosen)
    if not invite.is_open:
        language, chosen = client_language(request, invite=invite)
        return invite, _render(
            request,
            "cocreation/public/closed.html",
            {"invite": invite},
            language=language,
            chosen=chosen,
            status=410,
        )
    return invite, None


def _consent_from_cookie(request) -> datetime | None:
    """When the client agreed to the current notice in this visit, or None."""
    try:
        value = request.get_signed_cookie(
            CONSENT_COOKIE, salt=CONSENT_SALT, default=None, max_age=RECEIPT_COOKIE_MAX_AGE
        )
    except BadSignature:
        return None
    version, _sep, when = (value or "").partition("|")
    if version != CONSENT_NOTICE_VERSION:
        return None  # a changed notice is agreed to afresh
    try:
        return datetime.fromisoformat(when)
    except ValueError:
        return None


def _remember_consent(response, consent_at: datetime):
    response.set_signed_cookie(
        CONSENT_COOKIE,
        f"{CONSENT_NOTICE_VERSION}|{consent_at.isoformat()}",
        salt=CONSENT_SALT,
        path="/c/",
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )  # no max_age: a session cookie, gone when the browser closes
    return response


def _receipt_from_cookie(request) -> str | None:
    try:
        return request.get_signed_cookie(RECEIPT_COOKIE, salt=RECEIPT_SALT, default=None)
    except BadSignature:
        return None


@never_cache
def start(request, token):
    invite, stop = _open_invite(request, token)
    if stop:
        return stop
    language, chosen = client_language(request, invite=invite)
    blocks = invite_blocks(invite)
    return _render(
        request,
        "cocreation/public/start.html",
        {"invite": invite, "token": token, "blocks": blocks, "tool": invite.tool},
        language=language,
        chosen=chosen,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def question(request, token, step):
    invite, stop = _open_invite(request, token)
    if stop:
        return stop
    language, chosen = client_language(request, invite=invite)
    blocks = invite_blocks(invite)
    if not 1 <= step <= len(blocks):
        return _not_found(request, language=language, chosen=chosen)
    block = blocks[step - 1]
    too_many = False
    consented_at = _consent_from_cookie(request)
    with translation.override(language):
        form = ContributionForm(request.POST or None, consent_given=consented_at is not None)
        if request.method == "POST":
            address, per_invite = ratelimit.address_limit(request), ratelimit.invite_limit(invite)
            too_many = address.exceeded() or per_invite.exceeded()
            if too_many:
                # Show the form again with the client's text in it, so nothing they wrote is lost.
                form.is_valid()
                form.add_error(None, str(TOO_MANY_MESSAGE))
            elif form.is_valid():
                try:
                    contribution, code = contribution_submit(
                        invite=invite,
                        block_key=block.key,
                        text=form.cleaned_data["text"],
                        pseudonym=form.cleaned_data["pseudonym"],
                        consent=consented_at is not None or form.cleaned_data["consent"],
                        consent_at=consented_at,
                        language=language,
                        receipt_code=_receipt_from_cookie(request),
                    )
                except ValidationError as error:
                    if "invite" in error.message_dict:  # closed while the client was writing
                        invite.refresh_from_db()
                        return _render(
                            request,
                            "cocreation/public/closed.html",
                            {"invite": invite},
                            language=language,
                            chosen=chosen,
                            status=410,
                        )
                    for field, messages in error.message_dict.items():
                        for message in messages:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    address.hit()
                    per_invite.hit()
                    url = reverse("contribute:thanks", args=[token]) + f"?step={step}"
                    response = redirect(url)
                    response.set_signed_cookie(
                        RECEIPT_COOKIE,
                        code,
                        salt=RECEIPT_SALT,
                        max_age=RECEIPT_COOKIE_MAX_AGE,
                        path="/c/",
                        httponly=True,
                        samesite="Lax",
                        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
                    )
                    if consented_at is None:
                        _remember_consent(response, contribution.consent_at)
                    return response
        texts = block.text(language)
    context = {
        "invite": invite,
        "token": token,
        "tool": invite.tool,
        "block": block,
        "question": texts["plain_question"] or texts["guiding_question"] or texts["label"],
        "block_label": texts["label"],
        "step": step,
        "step_count": len(blocks),
        "next_step": step + 1 if step < len(blocks) else None,
        "form": form,
        "organisation": invite.tool.project.organisation,
        "consented_at": consented_at,
    }
    status = (429 if too_many else 400) if request.method == "POST" else 200
    response = _render(
        request, "cocreation/public/question.html", context, language=language, chosen=chosen, status=status
    )
    if status == 429:
        response["Retry-After"] = str(ratelimit.retry_after())
    return response


@never_cache
def thanks(request, token):
    invite, stop = _open_invite(request, token)
    if stop and stop.status_code != 410:
        return stop
    language, chosen = client_language(request, invite=invite)
    code = _receipt_from_cookie(request)
    try:
        step = int(request.GET.get("step", "0"))
    except ValueError:
        step = 0
    step_count = len(invite_blocks(invite))
    next_step = step + 1 if 0 < step < step_count and invite.is_open else None
    return _render(
        request,
        "cocreation/public/thanks.html",
        {"invite": invite, "token": token, "receipt_code": code, "next_step": next_step},
        language=language,
        chosen=chosen,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request):
    """See one's contributions with the receipt code (sent by POST, so it stays out of logs)."""
    language, chosen = client_language(request)
    contributions = None
    code = ""
    with translation.override(language):
        form = ReceiptForm(request.POST or None)
        if request.method == "POST":
            limit = ratelimit.lookup_limit(request)
            if limit.exceeded():
                return _too_many(request, language=language, chosen=chosen)
            if form.is_valid():
                code = receipt_normalise(form.cleaned_data["code"])
                contributions = contributions_by_receipt(code)
                if not contributions:
                    limit.hit()
                    form.add_error(
                        "code",
                        translation.pgettext(
                            "client page", "We found nothing for this code. Please check it and try again."
                        ),
                    )
        elif _receipt_from_cookie(request):
            form = ReceiptForm(initial={"code": _receipt_from_cookie(request)})
    return _render(
        request,
        "cocreation/public/receipt.html",
        {"form": form, "contributions": contributions, "code": code, "Status": Contribution.Status},
        language=language,
        chosen=chosen,
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def withdraw(request):
    language, chosen = client_language(request)
    limit = ratelimit.lookup_limit(request)
    if limit.exceeded():
        return _too_many(request, language=language, chosen=chosen)
    code = receipt_normalise(request.POST.get("code", ""))
    try:
        contribution_id = int(request.POST.get("contribution", ""))
    except ValueError:
        contribution_id = None
    mine = {c.pk: c for c in contributions_by_receipt(code)}
    if contribution_id not in mine:
        limit.hit()
        return _not_found(request, language=language, chosen=chosen)
    try:
        contribution = contribution_withdraw(contribution=mine[contribution_id], receipt_code=code)
    except PermissionDenied as error:  # pragma: no cover - the lookup above already matched the code
        raise Http404 from error
    return _render(
        request,
        "cocreation/public/withdrawn.html",
        {
            "contribution": contribution,
            "contributions": contributions_by_receipt(code),
            "code": code,
            "Status": Contribution.Status,
        },
        language=language,
        chosen=chosen,
    )
