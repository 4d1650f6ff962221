"""What a light page carries so that its first paint needs no request (issue #15, the village link):
sempre/templatetags/inline_static.py's {% inline_script %} (a script file written into the page with
the response's CSP nonce) and {% data_url %} (the favicon), and the client pages that use them.
The quick log's own: tests/microprojects/web/test_quick_log_first_paint.py."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template, TemplateSyntaxError

from sempre.templatetags.inline_static import _read, data_url, script_text

# Files the browser fetches by itself while it reads a page or at its load event.
FETCHED_BY_THE_BROWSER = re.compile(
    r'<script[^>]*\ssrc=|<link[^>]*rel="(stylesheet|icon|manifest|preload|modulepreload)"[^>]*href="(?!data:)'
    r"|<img\s|<iframe\s"
)


def meta(html: str, name: str) -> str:
    return re.search(rf'<meta name="{name}" content="([^"]*)">', html).group(1)


def inline_scripts(html: str) -> list[tuple[str, str]]:
    """(nonce, text) of each script written into the page (data blocks left out)."""
    found = re.findall(r"<script( [^>]*)?>(.*?)</script>", html, re.S)
    nonce = re.compile(r' nonce="([A-Za-z0-9+/=]{20,})"')
    return [(nonce.fullmatch(attrs).group(1), text) for attrs, text in found if "json" not in attrs]


def test_a_client_page_names_no_file_fetched_before_its_first_paint(client, db):
    response = client.get("/c/receipt/")
    html = response.content.decode()
    assert not FETCHED_BY_THE_BROWSER.search(html), FETCHED_BY_THE_BROWSER.search(html).group(0)
    assert re.findall(r'<link rel="icon" href="([^"]*)"', html) == [data_url("favicon.svg")]
    [(nonce, text)] = inline_scripts(html)
    assert text == script_text("js/cocreation.js")
    assert re.search(r"script-src ([^;]*)", response["Content-Security-Policy"]).group(1).split() == [
        "'self'",
        f"'nonce-{nonce}'",
    ]


def test_pages_without_a_script_written_in_keep_script_src_self(client, social_worker):
    client.force_login(social_worker)
    response = client.get("/")
    assert re.search(r"script-src ([^;]*)", response["Content-Security-Policy"]).group(1) == "'self'"
    assert "nonce" not in response.content.decode()


def test_inline_script_leaves_out_comments_and_indentation():
    text = script_text("js/after-paint.js")
    with open(finders.find("js/after-paint.js"), encoding="utf-8") as file:
        code = [line.strip() for line in file if line.strip() and not line.strip().startswith("//")]
    assert text.split("\n") == code
    assert text.startswith("(() => {")


@pytest.mark.parametrize(
    ("content", "refused"),
    [
        ("const a = `one\ntwo`;\n", "template literal"),
        ('document.write("</script>");\n', "</script"),
        ("const a = 1; <!-- x\n", "<!--"),
    ],
)
def test_inline_script_refuses_what_would_change_or_end_its_element(content, refused, tmp_path, settings):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "odd.js").write_text(content)
    settings.STATICFILES_DIRS = [tmp_path]
    _read.cache_clear(), script_text.cache_clear()
    try:
        with pytest.raises(TemplateSyntaxError, match=re.escape(refused)):
            script_text("js/odd.js")
    finally:
        _read.cache_clear(), script_text.cache_clear()


def test_inline_script_refuses_a_missing_file_and_has_no_nonce_without_a_request():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load inline_static %}{% inline_script "js/no-such-file.js" %}').render(Context())
    rendered = Template('{% load inline_static %}{% inline_script "js/after-paint.js" %}').render(Context())
    assert rendered.startswith("<script>(() => {")


def test_data_url_is_the_file_percent_encoded():
    import urllib.parse

    url = data_url("favicon.svg")
    content_type, _, body = url.partition(",")
    assert content_type == "data:image/svg+xml"
    with open(finders.find("favicon.svg"), encoding="utf-8") as file:
        assert urllib.parse.unquote(body) == file.read().strip()
    assert not set('<>"#&') & set(body)  # safe in an attribute and as a URL (# would end it)
