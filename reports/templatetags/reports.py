from django import template

from ..renderers.base import small_count as _small_count

register = template.Library()


@register.filter
def small_count(value):
    """{{ n|small_count }}: "<5" for counts from 1 to 4 (disaggregated tables)."""
    return _small_count(value)
