"""`{% load formats %}`: `{{ amount|money }}` ("€1,044.93", "1.044,93 €") and `{{ fte|number }}`
("1", "1.5", "1,5") in the reader's language (sempre.formats)."""

from django import template

from sempre import formats

register = template.Library()


@register.filter
def money(value, currency=formats.DEFAULT_CURRENCY):
    return formats.money(value, currency)


@register.filter
def number(value):
    return formats.number(value)


@register.filter
def plural_count(value):
    """An integer for choosing a plural form of a decimal quantity: the number itself when whole
    (1 -> "1 hour", 2 -> "2 hours"), else 2 (1.5 -> "1.5 hours"); ngettext takes only integers."""
    return formats.plural_count(value)
