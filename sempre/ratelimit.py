"""Rate limits of the core's pages (issue #19), counted in Django's cache in fixed windows.

The password reset form sends e-mail to whoever's address is typed in: limited per client address
(`sempre.http.client_ip`) and per e-mail address, so neither one visitor nor many can fill a
person's mailbox. Limits are SEMPRE_PASSWORD_RESET_LIMITS per hour. Addresses are only used hashed,
inside cache keys that expire. A cache outage lets requests through (logged): people must still be
able to reset their password. The API's token endpoint uses DRF's throttling (sempre.api).
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600
DEFAULT_LIMITS = {"password_reset_address": 10, "password_reset_email": 3}


def limit_for(scope: str) -> int:
    return getattr(settings, "SEMPRE_RATE_LIMITS", {}).get(scope, DEFAULT_LIMITS[scope])


@dataclass(frozen=True)
class Limit:
    scope: str
    ident: str

    def _key(self) -> str:
        window = int(time.time() // WINDOW_SECONDS)
        digest = hashlib.sha256(f"{self.scope}:{self.ident}".encode()).hexdigest()[:32]
        return f"sempre:rl:{self.scope}:{digest}:{window}"

    def exceeded(self) -> bool:
        try:
            return (cache.get(self._key()) or 0) >= limit_for(self.scope)
        except Exception:  # any cache backend error: the page must still work
            logger.warning("Rate limit cache unavailable; %s limit not checked", self.scope, exc_info=True)
            return False

    def hit(self) -> None:
        key = self._key()
        try:
            cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        except Exception:  # as above
            logger.warning("Rate limit cache unavailable; %s hit not counted", self.scope, exc_info=True)


def retry_after() -> int:
    """Seconds until the current window ends, for the Retry-After header of a 429."""
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
