"""A private calendar feed per person (iCalendar, RFC 5545) at a link only they know.

The link is /calendar/<token>.ics. Only a SHA-256 hash of the token is kept (`CalendarFeed`); the
token is shown once, when the link is made. A new link replaces the hash, so the old link answers
404 from then on; turning the feed off deletes it. Both are in the audit log.

The core knows no domain app: the apps register their event sources from `AppConfig.ready()`::

    from sempre import calendar

    calendar.register(calendar.Source(key="accelerator", events=accelerator_events))

`events(user)` yields `Event`s for what that person may see (read through the app's
`*_visible_to(user)` selectors), with a fixed number of queries. Titles are read in the person's
language. Each event's UID is stable (the same event keeps it, so a calendar app updates it rather
than adding a copy) and its link is absolute.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from . import audit
from .languages import language_of
from .models import CalendarFeed


@dataclass(frozen=True)
class Event:
    uid: str  # stable and unique within the programme, e.g. "accelerator-round-3-closes"
    summary: str
    start: date | datetime  # a date: an all-day event
    url: str = ""  # a path on the platform (made absolute) or an absolute URL
    description: str = ""
    end: date | datetime | None = None


@dataclass(frozen=True)
class Source:
    key: str
    events: Callable[..., Iterable[Event]]  # events(user)


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def sources() -> list[Source]:
    return [_SOURCES[key] for key in sorted(_SOURCES)]


# The link ----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_link_new(*, user, request=None) -> str:
    """Make a new private link for `user` (the old one, if any, stops working); returns the token,
    which is not kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _feed, created = CalendarFeed.objects.update_or_create(
            user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
        )
        audit.record(
            actor=user,
            action=audit.CALENDAR_LINK_NEW,
            target=user,
            data={"replaced": not created},
            request=request,
        )
    return token


def calendar_link_off(*, user, request=None) -> bool:
    """Turn one's calendar feed off: the link stops working. Returns whether there was one."""
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action=audit.CALENDAR_LINK_OFF, target=user, request=request)
    return bool(deleted)


def feed_user(token: str):
    """The active person whose link this is, or None (unknown, replaced or turned off)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


# The feed ----------------------------------------------------------------------------------------


def _site() -> tuple[str, str]:
    base = settings.SEMPRE_SITE_URL.rstrip("/")
    return base, urlsplit(base).hostname or "sempre"


def events_for(user) -> list[Event]:
    """Every registered source's events for `user`, in the person's language, by start."""
    with translation.override(language_of(user)):
        events = [event for source in sources() for event in source.events(user)]

    def moment(event):
        start = event.start
        if not isinstance(start, datetime):
            start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        return start

    return sorted(events, key=lambda event: (moment(event), event.uid))


def feed_for(user) -> bytes:
    """The person's calendar as an iCalendar file (RFC 5545)."""
    base, host = _site()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SEMPRE//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "SEMPRE")
    stamp = timezone.now().replace(microsecond=0)
    for event in events_for(user):
        component = icalendar.Event()
        component.add("uid", f"{event.uid}@{host}")
        component.add("dtstamp", stamp)
        component.add("summary", event.summary)
        component.add("dtstart", event.start)
        end = event.end
        if end is None and not isinstance(event.start, datetime):
            end = event.start + timedelta(days=1)  # an all-day event lasts its day
        if end is not None:
            component.add("dtend", end)
        if event.url:
            url = event.url if event.url.startswith(("http://", "https://")) else base + event.url
            component.add("url", url)
            component.add("description", "\n".join(filter(None, [event.description, url])))
        elif event.description:
            component.add("description", event.description)
        calendar.add_component(component)
    return calendar.to_ical()
