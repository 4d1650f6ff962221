"""Facts about an HTTP request that several parts of the platform need the same answer to."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind SEMPRE_PROXY_COUNT reverse proxies the entry
    of X-Forwarded-For that the outermost trusted proxy added. Entries left of it are whatever the
    client sent, so they are never trusted.

    The one answer for django-axes (AXES_CLIENT_IP_CALLABLE), the audit log and the rate limits
    of the public co-creation pages."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "SEMPRE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote
