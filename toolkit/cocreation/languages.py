"""The client pages' own language choice, independent of the staff UI's (issue #17 §2).

Order: the client's own choice on the page (?lang= in the address, then the client-pages cookie it
set), then the language the invite's creator chose, then the device's language (Accept-Language),
then the language of the invite's organisation's country, then English. Only the platform's
languages (settings.LANGUAGES) are ever chosen. Choosing with ?lang= sets the cookie, which only the
/c/ pages read. The staff UI's language cookie is not read here: a client's phone is not a staff
member's browser.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

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
    language = device_language(request)
    if language:
        return language, False
    if invite is not None:
        # A co-creation invite reaches its project through its tool; a story invite has it itself.
        project = getattr(invite, "project", None) or invite.tool.project
        language = country_language(project.organisation.country)
        if language:
            return language, False
    return settings.LANGUAGE_CODE, False


def device_language(request) -> str | None:
    """The first of the device's languages (Accept-Language, in the order of its weights) that the
    platform speaks, or None."""
    header = request.headers.get("Accept-Language", "")
    for code, _weight in parse_accept_lang_header(header[:500]):
        if code != "*" and supported(code):
            return supported(code)
    return None


# The main language of a country, for the countries whose language the platform speaks (the
# programme's eight and their neighbours). Finland is Finnish (its Swedish speakers' phones say so).
COUNTRY_LANGUAGES = {
    "DE": "de", "AT": "de", "LI": "de",
    "DK": "da",
    "SE": "sv",
    "FI": "fi",
    "EE": "et",
    "PL": "pl",
    "LT": "lt",
    "LV": "lv",
    "RU": "ru", "BY": "ru",
    "UA": "uk",
    "GB": "en", "IE": "en", "MT": "en",
}  # fmt: skip


def country_language(country) -> str | None:
    """The platform's language spoken in `country` (an ISO code or a django-countries Country)."""
    return supported(COUNTRY_LANGUAGES.get(str(country or "").upper()))


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
