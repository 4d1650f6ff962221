"""Hooks other pages use to show co-creation: `{% load cocreation %}`.

{% cocreation_pending_count as pending %}        contributions waiting for this user's review
{% cocreation_tool_pending_count tool as n %}    ... for one tool
"""

from django import template

from ..selectors import pending_count

register = template.Library()


@register.simple_tag(takes_context=True)
def cocreation_pending_count(context) -> int:
    return pending_count(context["request"].user)


@register.simple_tag(takes_context=True)
def cocreation_tool_pending_count(context, tool) -> int:
    return pending_count(context["request"].user, tool=tool)
