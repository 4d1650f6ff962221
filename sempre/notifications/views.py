"""One's notifications (/notifications/), one's choices per kind (/account/notifications/) and
one's private calendar link (/account/calendar/, the feed at /calendar/<token>.ics)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sempre import calendar
from sempre.forms import add_service_errors
from sempre.models import CalendarFeed, Notification

from .forms import NotificationChoicesForm
from .registry import kinds_for
from .services import notification_choices_of, notification_choices_set, notifications_mark_read

PAGE_SIZE = 30


@login_required
@require_safe
def notification_list(request):
    """One's notifications, newest first, the unread ones marked."""
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "title", "url", "created_at", "read_at", "kind"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sempre/notifications/list.html", {"page": page})


@login_required
@require_safe
def notification_open(request, pk):
    """Follow one's notification to its page, marking it read on the way (another person's: 404)."""
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    if notification.read_at is None:
        notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse(
            "notifications"
        )  # stored links are paths on the platform; anything else is not followed
    return redirect(target)


@login_required
@require_POST
def notification_mark_read(request):
    """Mark one (the button's `notification`) or all of one's unread notifications read."""
    ids = [int(value) for value in request.POST.getlist("notification") if value.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    page = request.POST.get("page", "")
    return redirect(reverse("notifications") + (f"?page={page}" if page.isdigit() else ""))


@login_required
@require_http_methods(["GET", "POST"])
def notification_choices(request):
    kinds = kinds_for(request.user)
    form = NotificationChoicesForm(
        request.POST or None, kinds=kinds, initial_choices=notification_choices_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_choices_set(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: your notifications come as you chose."))
            return redirect("notification-choices")
    return render(
        request, "sempre/notifications/choices.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def calendar_link(request):
    """Whether one has a calendar link; POST action=new makes a new one (shown once, the old one
    stops working), action=off turns it off."""
    new_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new":
            token = calendar.calendar_link_new(user=request.user, request=request)
            new_url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
        elif action == "off":
            if calendar.calendar_link_off(user=request.user, request=request):
                messages.success(request, _("Your calendar link is turned off: it no longer works."))
            return redirect("calendar-link")
        else:
            return render(
                request,
                "sempre/notifications/calendar.html",
                {"feed": _feed_of(request.user), "error": _("Choose one of the buttons.")},
                status=400,
            )
    return render(
        request, "sempre/notifications/calendar.html", {"feed": _feed_of(request.user), "new_url": new_url}
    )


def _feed_of(user):
    return CalendarFeed.objects.filter(user=user).first()


@require_safe
def calendar_feed(request, token):
    """The calendar of the person whose link this is; 404 for any other token."""
    user = calendar.feed_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(calendar.feed_for(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
