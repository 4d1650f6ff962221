"""Numbers and money as the reader's language writes them, from Babel's CLDR data: "€1,044.93" in
English, "1.044,93 €" in German, "1 044,93 €" in Latvian. The same functions serve pages (the
`formats` template filters), PDFs and e-mails, so a figure reads the same everywhere.

The language is the active one (`django.utils.translation.get_language()`) unless one is given.
"""

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils.translation import get_language, to_locale

DEFAULT_CURRENCY = "EUR"  # the programme's budgets and start-up figures are kept in euros


def babel_locale(language: str | None = None) -> Locale:
    language = language or get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(to_locale(settings.LANGUAGE_CODE))


def money(value, currency: str = DEFAULT_CURRENCY, *, language: str | None = None) -> str:
    """An amount with its currency, in the language's pattern; "" for no amount."""
    if value is None or value == "":
        return ""
    return format_currency(Decimal(str(value)), currency, locale=babel_locale(language))


def number(value, *, language: str | None = None) -> str:
    """A number with the language's separators and no trailing zeros: 1.00 -> "1", 1.50 -> "1.5"."""
    if value is None or value == "":
        return ""
    return format_decimal(Decimal(str(value)), locale=babel_locale(language))


def plural_count(value) -> int:
    """An integer for ngettext from a quantity that may be a decimal (hours, FTE): the number when
    whole, else 2, which every language's rules put in a form for fractions or many."""
    if value is None or value == "":
        return 0
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else 2
