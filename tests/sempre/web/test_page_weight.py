"""What makes pages light on a phone (issue #15): compressed answers, a favicon, hashed static files.

The timings themselves are measured by `make bench` (bench/lighthouse.py), never here.
"""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from sempre.middleware import is_text
from sempre.templatetags.inline_static import CSS_KEPT_COOKIE, css_version
from tests.factories import MicroProjectFactory

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def logged_in(social_worker):
    client = Client()
    client.force_login(social_worker)
    return client


def test_page_is_gzip_compressed_when_the_browser_accepts_it(logged_in):
    response = logged_in.get("/", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!doctype html>" in gzip.decompress(response.content)


def test_page_is_plain_when_the_browser_does_not_accept_gzip(logged_in):
    response = logged_in.get("/")
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_api_answer_is_compressed(logged_in, organisation):
    MicroProjectFactory.create_batch(3, organisation=organisation)  # an answer worth compressing
    response = logged_in.get("/api/v1/projects/", **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert b'"results"' in gzip.decompress(response.content)


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("text/csv", True),
        ("application/json", True),
        ("application/problem+json", True),
        ("image/svg+xml", True),
        ("application/pdf", False),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
        ("application/zip", False),
        ("image/png", False),
        ("", False),
    ],
)
def test_only_text_is_compressed(content_type, compressed):
    assert is_text(content_type) is compressed


def test_favicon_answers(client):
    response = client.get("/favicon.ico", follow=False)
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]


def test_pages_link_the_favicon(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', html)


@pytest.fixture
def production_static(tmp_path):
    """Static files as production collects them (hashed names, compressed copies), ours only."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_static_links_are_hashed_and_served_for_a_year_in_production(production_static, db):
    client = Client()  # a new client: whitenoise reads the STATIC_ROOT above when it starts
    html = client.get("/accounts/login/").content.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|png)$", link), link
    stylesheet = next(link for link in links if link.endswith(".css"))
    response = client.get(stylesheet, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert "immutable" in response["Cache-Control"]


def test_client_pages_carry_their_style_and_link_no_stylesheet(client, db):
    """On a 400 ms link a linked stylesheet holds the first paint back by a connection and a request."""
    html = client.get("/c/receipt/").content.decode()
    assert "<style>" in html
    assert ".client-page" in html
    assert 'rel="stylesheet"' not in html
    assert "pico.min.css" not in html


def test_inline_css_refuses_a_missing_file():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template('{% load inline_static %}{% inline_css "css/no-such-file.css" %}').render(Context())


def test_the_quick_log_carries_its_style_until_the_browser_keeps_the_file(logged_in):
    """A first visit gets the styles inside the page and the file to keep; a visit whose cookie names
    the file's version links it (from the cache: the page is its HTML alone); another version (the
    file changed since) gets them inline again."""
    first = logged_in.get("/projects/log/").content.decode()
    assert "<style>" in first
    url, version = re.search(r'<meta name="sempre-css-to-keep" content="(\S+) (\w+)">', first).groups()
    assert url.startswith("/static/css/quick-log")
    assert version == css_version("css/quick-log.min.css")

    logged_in.cookies[CSS_KEPT_COOKIE] = version
    kept = logged_in.get("/projects/log/").content.decode()
    assert "<style>" not in kept
    assert "sempre-css-to-keep" not in kept
    assert f'<link rel="stylesheet" href="{url}">' in kept
    assert len(kept) < len(first) - 20_000

    logged_in.cookies[CSS_KEPT_COOKIE] = "0" * 12
    assert "<style>" in logged_in.get("/projects/log/").content.decode()
