"""Each person's language (issue #17 §2; docs/translations.md, "Each person's language").

A person chooses their language in the language menu or on their account page (/account/); it is
saved on their account (`User.language`) and used

- for their pages, on every device they log in on (`sempre.middleware.UserLanguageMiddleware`);
- for every e-mail to them: the sender renders it inside `translation.override(language_of(user))`;
- as the default language of the reports they ask for (the report form and the API).

Until a person has chosen, their pages follow the browser (the language cookie, then
`Accept-Language`) as an anonymous visitor's do, and an e-mail to them is in the sender's
`fallback` language (see `language_of`).
"""

from django.conf import settings


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_of(user, fallback: str | None = None) -> str:
    """The language to address `user` in: the one saved on their account, else `fallback` (say, the
    language of the report they asked for), else the platform's default (English)."""
    language = getattr(user, "language", "") or ""
    if language in language_codes():
        return language
    return fallback if fallback in language_codes() else settings.LANGUAGE_CODE
