"""The core's middleware: each logged-in person's language (UserLanguageMiddleware, issue #17), and
response compression for what the platform renders itself (issue #15: HTML was sent uncompressed).

Static files are compressed ahead of time by whitenoise (CompressedManifestStaticFilesStorage) and never
reach this middleware (WhiteNoiseMiddleware answers them above it). Django's GZipMiddleware guards
against BREACH since Django 4.2 ("Heal the Breach": up to 100 random bytes in the gzip header make the
compressed length useless to an attacker), and Django masks the CSRF token afresh on every response.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils import translation

from .languages import language_codes

# Formats worth compressing; spreadsheets, PDFs, ZIPs and images are compressed already, and compressing
# a streamed download would only drop its Content-Length (no progress in the browser).
TEXT_TYPES = frozenset(
    {"application/json", "application/javascript", "application/xml", "application/vnd.oai.openapi"}
)


def is_text(content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or mime in TEXT_TYPES or mime.endswith(("+json", "+xml"))


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for text responses only."""

    def process_response(self, request, response):
        if not is_text(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)


class UserLanguageMiddleware:
    """A logged-in person's pages in the language saved on their account, whatever the browser
    asks for (sempre.languages). Placed after AuthenticationMiddleware; LocaleMiddleware, above,
    has chosen the language from the cookie or Accept-Language already, which stays the choice for
    anonymous visitors and for people who have not chosen one. API clients signing in with a token
    are known only inside the API view: the API follows Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language and language != getattr(request, "LANGUAGE_CODE", None) and language in language_codes():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
