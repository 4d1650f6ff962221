"""What a light page carries so that its first paint needs no request (issue #15, the village link;
docs/performance.md). `{% load first_paint %}`:

- `{% inline_script "js/after-paint.js" %}`: a small script from static/ written into the page,
  with this response's Content-Security-Policy nonce;
- `{% data_url "favicon.svg" %}`: a small static file as a data: URL (the favicon).

On a weak link every request that ends before the first paint counts towards it (Lighthouse's
simulation, and the person waiting): a script named by URL is fetched as soon as the HTML is read,
however late it runs, and the favicon at the load event. A light page's one early script is
therefore written into it; it stays in its file under static/js, one place like every script, and
only its delivery changes, as `{% inline_css %}` does for styles. The CSP allows it by the nonce
django-csp adds to script-src for this response only (config/settings.py); never 'unsafe-inline'.

The file's whole-line `//` comments and its indentation are left out (they are for its reader); a
template literal spanning lines would change with them, so such a file is refused.
"""

import mimetypes
import urllib.parse
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()
# Kept as they are in a data: URL inside an HTML attribute; the rest (<, >, ", #, %, &) encoded.
DATA_URL_SAFE = " /:=;,.-_()"


def _path(path: str, tag: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"{tag}: no static file {path!r}")
    return found


@cache
def script_text(path: str) -> str:
    with open(_path(path, "inline_script"), encoding="utf-8") as file:
        lines = [line.strip() for line in file]
    if any(line.count("`") % 2 for line in lines):
        raise template.TemplateSyntaxError(f"inline_script: {path!r} has a template literal spanning lines")
    text = "\n".join(line for line in lines if line and not line.startswith("//"))
    if "</script" in text.lower() or "<!--" in text:  # the text must not be able to end its element
        raise template.TemplateSyntaxError(f"inline_script: {path!r} contains '</script' or '<!--'")
    return text


@register.simple_tag(takes_context=True)
def inline_script(context, path: str) -> str:
    """A <script> element with the file's text and the response's nonce (none without django-csp's
    middleware, which then sends no policy either)."""
    nonce = getattr(context.get("request"), "csp_nonce", None)
    text = mark_safe(script_text(path))  # noqa: S308 - our own static file, checked above
    if nonce is None:
        return format_html("<script>{}</script>", text)
    return format_html('<script nonce="{}">{}</script>', str(nonce), text)


@register.simple_tag
@cache
def data_url(path: str) -> str:
    """The file as a data: URL, percent-encoded (an SVG stays readable and compresses well)."""
    found = _path(path, "data_url")
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    with open(found, "rb") as file:
        return f"data:{content_type},{urllib.parse.quote(file.read().strip(), safe=DATA_URL_SAFE)}"
