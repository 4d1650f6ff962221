"""The core's pages: the dashboard, the audit log, personal data and API tokens.

The dashboard is composed of the panels the apps register (sempre.panels.DASHBOARD): a social
worker sees their projects and activities, a coordinator the programme's figures and the accelerator,
a reviewer the way to their reviews. The core itself knows no domain app.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from . import audit, panels, ratelimit
from . import privacy as privacy_services
from .forms import AUDIT_COLUMNS, AccountLanguageForm, ApiTokenForm, AuditFilterForm, add_service_errors
from .http import client_ip
from .languages import language_codes
from .models import AuditEvent, User
from .rules import require
from .services import user_language_set
from .tokens import (
    api_token_issue,
    api_token_lifetime_days,
    api_token_revoke,
    api_tokens_visible_to,
    user_sign_out_everywhere,
)
from .user_sessions import (
    user_session_end,
    user_session_record,
    user_sessions_of,
    user_sessions_visible_to,
)


@login_required
def dashboard(request):
    return render(request, "sempre/dashboard.html", {"panels": panels.DASHBOARD.panels_for(request)})


# Audit log, personal data and API tokens (security) ---------------------------------------------

AUDIT_PAGE_SIZE = 50


def _coordinator_only(request):
    require(
        request.user,
        "sempre.view_programme_records",
        message=_("Only programme coordinators may see this page."),
    )


@login_required
def audit_log(request):
    """The audit log, newest first, filterable by kind of action, user name and day; 50 a page.
    Two queries whatever the page shows (count and page), the actor is a copied name."""
    _coordinator_only(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events.only(*AUDIT_COLUMNS), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sempre/audit.html",
        {"form": form, "page": page, "actions": audit.ACTIONS, "query": query.urlencode()},
    )


@login_required
def privacy(request):
    """Coordinators look a staff user up, download their data as JSON, or erase them."""
    _coordinator_only(request)
    query = request.GET.get("q", "").strip()
    people = []
    if query:
        people = list(
            User.objects.filter(
                Q(username__icontains=query)
                | Q(email__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
            ).order_by("username")[:20]
        )
    return render(request, "sempre/privacy.html", {"query": query, "people": people})


@login_required
def privacy_export(request, pk):
    _coordinator_only(request)
    person = get_object_or_404(User, pk=pk)
    data = privacy_services.user_data_export(user=person, by=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="sempre-user-{person.pk}.json"'
    return response


@login_required
def privacy_erase(request, pk):
    _coordinator_only(request)
    person = get_object_or_404(User, pk=pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm_username", "").strip() != person.username:
            error = _("Type the user name exactly to confirm.")
        else:
            try:
                privacy_services.user_erase(user=person, by=request.user)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(
                    request, _("The account was erased; what the person wrote stays, anonymised.")
                )
                return redirect("privacy")
    return render(
        request,
        "sempre/privacy_erase.html",
        {"person": person, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """One's own API tokens: the list (name, first characters, issued, ends), a form that issues a
    named one (shown once, on the page that answers the form), and a button per token to revoke it."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_issue(user=request.user, name=form.cleaned_data["name"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            new_token = {"key": key, "token": token}
            form = ApiTokenForm()
    tokens = list(api_tokens_visible_to(request.user).order_by("-created", "-id"))
    return render(
        request,
        "sempre/privacy_token.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "lifetime_days": api_token_lifetime_days(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(api_tokens_visible_to(request.user), pk=pk)
    api_token_revoke(token=token, by=request.user, request=request)
    messages.success(request, _("The API token was revoked. Programs using it can no longer sign in."))
    return redirect("api-token")


@login_required
@require_POST
def account_sign_out_everywhere(request):
    """Log out everywhere: every session (this one too) and every API token."""
    user_sign_out_everywhere(user=request.user, request=request)
    logout(request)
    return redirect("login")


@login_required
@require_safe
def account_sessions(request):
    """One's own sessions: the browsers one is logged in to, each with a button that ends it."""
    # The session in use is recorded again: logging in records it, but a password change gives it a
    # new key (Django's update_session_auth_hash), and its browser may have changed since.
    current = user_session_record(
        user=request.user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return render(
        request,
        "sempre/sessions.html",
        {"user_sessions": user_sessions_of(request.user), "current_session_id": current.pk},
    )


@login_required
@require_POST
def account_session_end(request, pk):
    record = get_object_or_404(user_sessions_visible_to(request.user), pk=pk)
    if record.session_key == request.session.session_key:
        logout(request)  # ending the session in use is logging out
        return redirect("login")
    user_session_end(record=record)
    messages.success(request, _("The session was ended: that browser is logged out."))
    return redirect("account-sessions")


# Each person's language (sempre.languages) ------------------------------------------------------


def language_set(request):
    """The language menu: Django's set_language (the language cookie, then back to the page); a
    logged-in person's choice is saved on their account too, for every device they use."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in language_codes():
        user_language_set(user=request.user, language=language)
    return response


def _remember_on_this_browser(response, language: str) -> None:
    """The language cookie, as Django's set_language writes it: the pages after logging out stay in
    the language one chose."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """One's own account: who one is, one's language, and the ways to one's password, sessions and
    API token."""
    form = AccountLanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        try:
            user_language_set(user=request.user, language=form.cleaned_data["language"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            chosen = request.user.language
            with translation.override(chosen or translation.get_language_from_request(request)):
                if chosen:
                    messages.success(
                        request, _("Saved: your pages, e-mails and reports are in this language now.")
                    )
                else:
                    messages.success(request, _("Saved: your pages follow this browser's language again."))
            response = redirect("account")
            if chosen:
                _remember_on_this_browser(response, chosen)
            return response
    return render(request, "sempre/account.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, for clients that ask for it without reading the pages' <link rel="icon">."""
    return redirect(static("favicon.svg"))


# Throttled sign-in pages (issue #19): 429 with Retry-After ----------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per e-mail address typed in
    (sempre.ratelimit): past either limit the form answers 429 with Retry-After and sends nothing.
    The same answer whether or not an account has that address, so it tells nothing about accounts."""

    def form_valid(self, form):
        limits = [
            ratelimit.Limit("password_reset_address", client_ip(self.request) or "unknown"),
            ratelimit.Limit("password_reset_email", form.cleaned_data["email"].strip().lower()),
        ]
        if any(limit.exceeded() for limit in limits):
            form.add_error(
                None,
                _("Too many password reset requests. Please wait an hour, or ask your coordinator for help."),
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(ratelimit.retry_after())
            return response
        for limit in limits:
            limit.hit()
        return super().form_valid(form)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer on the login page (AXES_LOCKOUT_CALLABLE): the friendly page,
    429, with Retry-After. The API's token endpoint answers a lockout itself (sempre.api)."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request,
        "sempre/locked_out.html",
        {"cooloff_minutes": max(1, round(seconds / 60)) if seconds else None},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class LogoutView(auth_views.LogoutView):
    """Django's logout, which also tells the browser to delete what this site keeps on the device
    (the field app's cached pages and projects, its queue, its service worker: docs/offline.md).
    The page warns first when entries wait to be sent (static/js/sempre.js)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
