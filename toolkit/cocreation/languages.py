"""The client pages' own language choice, independent of the staff UI's.

Order: ?lang= in the address, then the client-pages cookie, then the invite's language, then the
browser's preference. Choosing with ?lang= sets the cookie, which only the /c/ pages read.
"""

from django.conf import settings
from django.utils import translation

COOKIE_NAME = "sempre_client_lang"
COOKIE_MAX_AGE = 60 * 60 * 24 * 90
CODES = tuple(code for code, _name in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    code = (code or "").strip().lower().split("-")[0]
    return code if code in CODES else None


def client_language(request, *, invite=None) -> tuple[str, bool]:
    """(language, chosen_now): chosen_now when ?lang= asked for it, so the view sets the cookie."""
    chosen = supported(request.GET.get("lang"))
    if chosen:
        return chosen, True
    language = supported(request.COOKIES.get(COOKIE_NAME))
    if language:
        return language, False
    if invite is not None and supported(invite.language):
        return invite.language, False
    return supported(translation.get_language_from_request(request)) or settings.LANGUAGE_CODE, False


def language_choices():
    """(code, name in its own language) for the picker."""
    return [(code, translation.get_language_info(code)["name_local"]) for code in CODES]


def remember(response, language: str):
    response.set_cookie(
        COOKIE_NAME,
        language,
        max_age=COOKIE_MAX_AGE,
        path="/c/",
        samesite="Lax",
        httponly=True,
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response
