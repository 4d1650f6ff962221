"""`{% load inline_static %}{% inline_css "css/cocreation.css" %}`: a small stylesheet from static/
written into the page, for pages that must paint on a weak link (issue #15).

A linked stylesheet blocks the first paint until it arrives: on a 400 ms round-trip link that is a
new connection and a request, about 0.8 s, however small the file. The client pages' whole style
(2.4 KB compressed) costs less inline than that wait. The CSS stays in its file under static/ (one
place, the same rules as every stylesheet); only its delivery changes. The CSP allows inline styles.
"""

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


@cache
def _read(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"inline_css: no static file {path!r}")
    with open(found, encoding="utf-8") as file:
        return file.read()


@register.simple_tag
def inline_css(path: str) -> str:
    css = _read(path)
    if "</" in css:  # the text must not be able to end its <style> element
        raise template.TemplateSyntaxError(f"inline_css: {path!r} contains '</'")
    return mark_safe(f"<style>{css}</style>")  # noqa: S308 - our own static file, checked above
