"""Rate limits for the public pages, counted in Django's cache (fixed one-hour windows).

Client addresses are only ever used hashed, inside cache keys that expire; nothing about them is
stored in the database. Behind reverse proxies, SEMPRE_PROXY_COUNT says which X-Forwarded-For entry
is the client's (`sempre.http.client_ip`, as for login throttling and the audit log).
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from sempre.http import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600

DEFAULT_LIMITS = {
    # Contributions sent from one address per hour (a workshop room shares one address).
    "address": 30,
    # Contributions to one invite per hour, from anywhere.
    "invite": 120,
    # Unknown links or receipt codes tried from one address per hour: stops enumeration.
    "lookup": 20,
}


def limit_for(scope: str) -> int:
    return getattr(settings, "COCREATION_RATE_LIMITS", {}).get(scope, DEFAULT_LIMITS[scope])


def client_address(request) -> str:
    """The core's answer (`sempre.http.client_ip`, which honours SEMPRE_PROXY_COUNT), so a client
    cannot pick its own counter by sending an X-Forwarded-For header."""
    return client_ip(request) or "unknown"


def _key(scope: str, ident: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"cocreation:rl:{scope}:{digest}:{window}"


@dataclass(frozen=True)
class Limit:
    scope: str
    ident: str

    # A cache outage must not lock clients out of a workshop: the limits then fail open (logged).

    def exceeded(self) -> bool:
        try:
            return (cache.get(_key(self.scope, self.ident)) or 0) >= limit_for(self.scope)
        except Exception:  # any cache backend error: the page must still work
            logger.warning("Rate limit cache unavailable; %s limit not checked", self.scope, exc_info=True)
            return False

    def hit(self) -> int:
        key = _key(self.scope, self.ident)
        try:
            cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
            try:
                return cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
                return 1
        except Exception:  # as above
            logger.warning("Rate limit cache unavailable; %s hit not counted", self.scope, exc_info=True)
            return 0


def retry_after() -> int:
    """Seconds until the current window ends: the Retry-After of a 429 (issue #19)."""
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS


def address_limit(request) -> Limit:
    return Limit("address", client_address(request))


def invite_limit(invite) -> Limit:
    return Limit("invite", str(invite.pk))


def lookup_limit(request) -> Limit:
    return Limit("lookup", client_address(request))
