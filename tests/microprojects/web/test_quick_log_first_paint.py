"""The quick log paints from its HTML alone (issue #15, the village link; docs/performance.md).

Lighthouse's simulation counts every request that ended before the page's first paint towards
its LCP, one that opens a connection two round trips of 400 ms; the browser fetches a script named
by URL as soon as it reads the HTML, and the favicon and the web app manifest at the load event. So
the page names none of them: its favicon is a data: URL, its one script is written into it with
the response's CSP nonce (static/js/after-paint.js) and loads sempre.js once the page is shown;
sempre.js then links the manifest and loads the field app's queue. The offline journeys
(tests/browser/test_offline.py) use the page as a person does; the tags themselves are tested in
tests/sempre/web/test_first_paint.py."""

import json
import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from sempre.templatetags.inline_static import data_url, script_text
from tests.factories import ActivityFactory, MicroProjectFactory
from tests.sempre.web.test_first_paint import FETCHED_BY_THE_BROWSER, inline_scripts, meta

QUICK_LOG = reverse("microprojects:activity_quick_log")


@pytest.fixture
def page(client_for, social_worker, organisation):
    MicroProjectFactory(organisation=organisation)
    response = client_for(social_worker).get(QUICK_LOG)
    assert response.status_code == 200
    return response


def test_the_quick_log_names_no_file_fetched_before_its_first_paint(page):
    html = page.content.decode()
    assert not FETCHED_BY_THE_BROWSER.search(html), FETCHED_BY_THE_BROWSER.search(html).group(0)
    assert re.findall(r'<link rel="icon" href="([^"]*)"', html) == [data_url("favicon.svg")]
    assert meta(html, "sempre-script-after-paint") == static("js/sempre.js")
    assert meta(html, "sempre-after-load").split() == [
        "manifest",
        reverse("web-manifest"),
        "script",
        static("js/offline-queue.js"),
        "script",
        static("js/offline.js"),
    ]


def test_its_one_script_is_written_into_it_with_the_responses_nonce(page, client_for, social_worker):
    [(nonce, text)] = inline_scripts(page.content.decode())
    assert text == script_text("js/after-paint.js")
    script_src = re.search(r"script-src ([^;]*)", page["Content-Security-Policy"]).group(1).split()
    assert script_src == ["'self'", f"'nonce-{nonce}'"]  # never 'unsafe-inline'
    again = client_for(social_worker).get(QUICK_LOG)
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]  # one per response


def test_editing_an_activity_has_no_queue_to_load(client_for, social_worker, organisation):
    activity = ActivityFactory(project=MicroProjectFactory(organisation=organisation))
    html = client_for(social_worker).get(reverse("microprojects:activity_edit", args=[activity.pk])).content
    assert meta(html.decode(), "sempre-after-load").split() == ["manifest", reverse("web-manifest")]


def test_the_service_worker_keeps_every_file_the_quick_log_loads_later(page, client):
    """The worker's install finds the files a kept page names in src= and href=; the quick log's
    come from its <meta> elements, so the worker keeps them by name (for its first visit offline)."""
    html = page.content.decode()
    worker = client.get("/sw.js").content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", worker).group(1))
    later = [meta(html, "sempre-script-after-paint"), *meta(html, "sempre-after-load").split()]
    for url in (word for word in later if word.startswith("/static/")):
        assert url in config["static"], url
