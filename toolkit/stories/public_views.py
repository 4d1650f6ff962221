"""The client's story pages under /c/story/: no account, in the client's language, typed or spoken.

Thin, like co-creation's client pages (whose pieces they reuse: language choice, rate limits,
receipt codes): look the invite up by token (404 unknown, 410 closed), limit, call the services.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from toolkit.cocreation import ratelimit
from toolkit.cocreation.codes import receipt_normalise
from toolkit.cocreation.languages import client_language, language_choices, remember
from toolkit.cocreation.public_views import csrf_failure as cocreation_csrf_failure

from . import audio as audio_rules
from .consent import withdrawn_retention_days
from .forms import QUESTIONS, ReceiptForm, StoryForm
from .selectors import stories_by_receipt, story_invite_by_token
from .services import story_consent_narrow, story_tell, story_withdraw

RECEIPT_COOKIE = "sempre_story_receipt"
RECEIPT_SALT = "sempre.stories.receipt-cookie"
RECEIPT_COOKIE_MAX_AGE = 60 * 60 * 24  # one day, as co-creation's


def _render(request, template, context, *, language, chosen, status=200):
    with translation.override(language):
        context = {
            **context,
            "languages": language_choices(),
            "current_language": language,
            "retention_days": withdrawn_retention_days(),
            "max_minutes": audio_rules.MAX_SECONDS // 60,
        }
        if context.get("invite") is not None:
            context["organisation_name"] = format_html(
                "<bdi>{}</bdi>", context["invite"].project.organisation.name
            )
        response = render(request, template, context, status=status)
        response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if chosen:
        remember(response, language)
    return response


def _simple(request, template, status, *, language, chosen, **context):
    response = _render(request, template, context, language=language, chosen=chosen, status=status)
    if status == 429:
        response["Retry-After"] = str(ratelimit.retry_after())
    return response


def _open_invite(request, token):
    """(invite, response): a response when the page must not go on (429, 404, 410)."""
    language, chosen = client_language(request)
    limit = ratelimit.lookup_limit(request)
    if limit.exceeded():
        return None, _simple(request, "stories/public/too_many.html", 429, language=language, chosen=chosen)
    invite = story_invite_by_token(token)
    if invite is None:
        limit.hit()
        return None, _simple(request, "stories/public/not_found.html", 404, language=language, chosen=chosen)
    if not invite.is_open:
        language, chosen = client_language(request, invite=invite)
        return invite, _simple(
            request, "stories/public/closed.html", 410, language=language, chosen=chosen, invite=invite
        )
    return invite, None


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW. On the story pages: a page in the client's language saying what
    to do (a page open for hours, or a browser that blocks the cookie); elsewhere co-creation's
    (its client pages) or Django's."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "tell":
        return cocreation_csrf_failure(request, reason=reason)
    language, chosen = client_language(request)
    return _simple(
        request,
        "stories/public/send_again.html",
        403,
        language=language,
        chosen=chosen,
        again_url=request.path,
    )


def _receipt_from_cookie(request) -> str | None:
    try:
        return request.get_signed_cookie(RECEIPT_COOKIE, salt=RECEIPT_SALT, default=None)
    except BadSignature:
        return None


def _body_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > audio_rules.max_bytes() + 256 * 1024  # the recording and the words around it


def _too_large_message() -> str:
    return pgettext(
        "client page", "The recording is too large (at most %(mb)s MB). Please record a shorter one."
    ) % {"mb": audio_rules.max_bytes() // (1024 * 1024)}


def _form_errors(form, error: ValidationError):
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


@never_cache
@require_http_methods(["GET", "POST"])
def tell(request, token):
    invite, stop = _open_invite(request, token)
    if stop:
        return stop
    language, chosen = client_language(request, invite=invite)
    status, notice = 200, None
    with translation.override(language):
        posted = request.method == "POST"
        if posted and _body_too_large(request):
            # Refused before the body is read: a recording can be at most a few megabytes.
            form, notice = StoryForm(), _too_large_message()
            posted, status = False, 413
        elif posted:
            form = StoryForm(request.POST, request.FILES)
        else:
            form = StoryForm()
        if posted:
            address = ratelimit.address_limit(request)
            per_invite = ratelimit.Limit("invite", f"story:{invite.pk}")
            if address.exceeded() or per_invite.exceeded():
                form.is_valid()  # keeps what the client wrote on the page
                form.add_error(
                    None,
                    pgettext(
                        "client page",
                        "Many stories were sent from here in the last hour. "
                        "To protect this page, please wait a while and then try again.",
                    ),
                )
                status = 429
            elif form.is_valid():
                data = form.cleaned_data
                try:
                    _story, code = story_tell(
                        invite=invite,
                        language=language,
                        what_changed=data["what_changed"],
                        why_important=data["why_important"],
                        what_helped=data["what_helped"],
                        nickname=data["nickname"],
                        audio=data["audio"],
                        audio_seconds=data["audio_seconds"],
                        consent_team=data["consent_team"],
                        consent_reports=data["consent_reports"],
                        consent_cases=data["consent_cases"],
                        receipt_code=_receipt_from_cookie(request),
                    )
                except ValidationError as error:
                    if "invite" in error.message_dict:  # closed while the client was telling
                        return _simple(
                            request,
                            "stories/public/closed.html",
                            410,
                            language=language,
                            chosen=chosen,
                            invite=invite,
                        )
                    _form_errors(form, error)
                else:
                    address.hit()
                    per_invite.hit()
                    response = redirect(reverse("tell:thanks", args=[token]))
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
                    return response
            if status == 200:
                status = 400
    response = _render(
        request,
        "stories/public/tell.html",
        {"invite": invite, "token": token, "form": form, "questions": QUESTIONS, "notice": notice},
        language=language,
        chosen=chosen,
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(ratelimit.retry_after())
    return response


@never_cache
@require_GET
def thanks(request, token):
    invite, stop = _open_invite(request, token)
    if stop and stop.status_code != 410:
        return stop
    language, chosen = client_language(request, invite=invite)
    code = _receipt_from_cookie(request)
    return _render(
        request,
        "stories/public/thanks.html",
        {"invite": invite, "token": token, "receipt_code": code},
        language=language,
        chosen=chosen,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request):
    """The client's stories with their receipt code (sent by POST, so it stays out of logs)."""
    language, chosen = client_language(request)
    stories, code = None, ""
    with translation.override(language):
        form = ReceiptForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            limit = ratelimit.lookup_limit(request)
            if limit.exceeded():
                return _simple(request, "stories/public/too_many.html", 429, language=language, chosen=chosen)
            if form.is_valid():
                code = receipt_normalise(form.cleaned_data["code"])
                stories = stories_by_receipt(code)
                if not stories:
                    limit.hit()
                    form.add_error(
                        "code",
                        pgettext(
                            "client page", "We found nothing for this code. Please check it and try again."
                        ),
                    )
        elif _receipt_from_cookie(request):
            form = ReceiptForm(initial={"code": _receipt_from_cookie(request)})
    return _render(
        request,
        "stories/public/receipt.html",
        {"form": form, "stories": stories, "code": code},
        language=language,
        chosen=chosen,
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def change(request):
    """Withdraw a story, or narrow what it may be used for, with the receipt code."""
    language, chosen = client_language(request)
    limit = ratelimit.lookup_limit(request)
    if limit.exceeded():
        return _simple(request, "stories/public/too_many.html", 429, language=language, chosen=chosen)
    code = receipt_normalise(request.POST.get("code", ""))
    try:
        story_id = int(request.POST.get("story", ""))
    except ValueError:
        story_id = None
    mine = {story.pk: story for story in stories_by_receipt(code)}
    if story_id not in mine:
        limit.hit()
        return _simple(request, "stories/public/not_found.html", 404, language=language, chosen=chosen)
    try:
        if request.POST.get("action") == "withdraw":
            story_withdraw(story=mine[story_id], receipt_code=code)
            done = pgettext("client page", "Your story was taken back. Nobody will use it any more.")
        else:
            story_consent_narrow(
                story=mine[story_id],
                receipt_code=code,
                reports=request.POST.get("consent_reports") == "on",
                cases=request.POST.get("consent_cases") == "on",
            )
            done = pgettext("client page", "Saved. Your story is used only as you chose now.")
    except PermissionDenied:  # pragma: no cover - the lookup above already matched the code
        return _simple(request, "stories/public/not_found.html", 404, language=language, chosen=chosen)
    return _render(
        request,
        "stories/public/receipt.html",
        {"form": ReceiptForm(), "stories": stories_by_receipt(code), "code": code, "done": done},
        language=language,
        chosen=chosen,
    )
