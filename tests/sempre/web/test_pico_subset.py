"""The Pico subsets that `make css` writes (issue #15) are up to date and are the ones the pages use.

static/vendor/pico/pico.subset.min.css (every staff page) and static/css/quick-log.min.css (the
quick log, written into the page) keep only the rules whose selectors name words found in the
files listed in tools/pico_subset.py. Each records those words; when a template, a script or a
form brings a word that changes `make css`'s decision, the lists differ and `make css` is due.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import MicroProjectFactory

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("pico_subset", ROOT / "tools" / "pico_subset.py")
pico_subset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pico_subset)

MAKE_CSS = "run `make css` and commit the files it writes"


@pytest.mark.parametrize("target", sorted(pico_subset.TARGETS))
def test_committed_subset_is_up_to_date(target):
    recorded = set(pico_subset.recorded_words(target))
    wanted = set(pico_subset.wanted_words(target))
    assert recorded, f"{pico_subset.TARGETS[target]} records no words: {MAKE_CSS}"
    assert recorded == wanted, (
        f"{pico_subset.TARGETS[target].name} is out of date: new words {sorted(wanted - recorded)}, "
        f"gone {sorted(recorded - wanted)}: {MAKE_CSS}"
    )


def test_quick_log_stylesheet_holds_the_current_sempre_css():
    import hashlib

    header = pico_subset.TARGETS["quick-log"].read_text()[:4000]
    recorded = pico_subset.SHA256.search(header)
    assert recorded, f"quick-log.min.css does not say which sempre.css it was made from: {MAKE_CSS}"
    current = hashlib.sha256(pico_subset.SEMPRE_CSS.read_bytes()).hexdigest()
    assert recorded.group(1) == current, f"static/css/sempre.css changed since quick-log.min.css: {MAKE_CSS}"


def test_words_are_those_of_pico_selectors_found_in_our_files():
    css = ".grid{x:1}@media (min-width:1px){.dropdown>summary{y:2}}[data-theme=light]{--pico-a:1}"
    assert pico_subset.pico_vocabulary(css) == {
        "grid", "media", "min-width", "1px", "dropdown", "summary", "data-theme", "light", "--pico-a",
    }  # fmt: skip
    all_words = set(pico_subset.wanted_words("all"))
    assert {"container", "dropdown", "checkbox", "aria-invalid", "table", "--pico-primary"} <= all_words
    assert "dark" not in all_words  # our pages pin data-theme="light" (next test)
    quick_log_words = set(pico_subset.wanted_words("quick-log"))
    assert {"quick-log", "count-grid", "form-actions", "date"} <= quick_log_words
    assert "timeline" not in quick_log_words  # sempre.css's rules for other pages are not written in


def test_pages_pin_the_light_scheme():
    """The subsets leave Pico's dark scheme out: every page must say data-theme="light"."""
    for base in ("templates/base.html", "templates/cocreation/public/base.html"):
        assert re.search(r'<html [^>]*data-theme="light"', (ROOT / base).read_text()), base
    for path in pico_subset.TARGETS.values():
        css = path.read_text()
        assert "prefers-color-scheme:dark" not in css
        assert not re.search(r"(^|[{},])\[data-theme=dark\]", css)


def test_every_template_the_quick_log_includes_is_scanned():
    scanned = {p.relative_to(ROOT).as_posix() for p in pico_subset.content_files("quick-log")}
    pending = ["templates/microprojects/activity_form.html"]
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        assert name in scanned, f"{name} is part of the quick log: add it to QUICK_LOG_GLOBS"
        text = (ROOT / name).read_text()
        for used in re.findall(r'{%\s*(?:include|extends)\s+"([^"]+)"', text):
            pending.append(f"templates/{used}")
        for used in re.findall(r"{%\s*static\s+'(js/[^']+)'", text):
            pending.append(f"static/{used}")


def test_the_subsets_keep_what_the_pages_use_and_drop_the_rest():
    subset = pico_subset.TARGETS["all"].read_text()
    quick_log = pico_subset.TARGETS["quick-log"].read_text()
    for selector in ("details.dropdown", ".container", "[aria-invalid=true]", "[type=checkbox]", "fieldset"):
        assert selector in subset, selector
    for selector in (".container", "[aria-invalid=true]", ".quick-log", ".count-grid", "--sempre-bad"):
        assert selector in quick_log, selector
    assert ".timeline" not in quick_log  # sempre.css's rules for other pages
    # Selectors are never rewritten: Pico's link states keep :hover and :focus.
    assert ":where(a:not([role=button])):is([aria-current]:not([aria-current=false]),:hover" in subset
    for unused in ("[data-tooltip]", "[data-placement=top]"):
        assert unused not in subset, unused
        assert unused not in quick_log, unused
    assert len(quick_log) < len(subset) < len((ROOT / "static/vendor/pico/pico.min.css").read_text())
    assert (ROOT / "static/vendor/pico/LICENSE.md").exists()  # Pico's MIT licence stays beside it


def test_staff_pages_link_the_subset(social_worker):
    client = Client()
    client.force_login(social_worker)
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/vendor/pico/pico\.subset\.min[^"]*\.css"', html)
    assert "pico.min.css" not in html


def test_quick_log_carries_its_style_and_links_no_stylesheet(social_worker, organisation):
    """On a 400 ms link a linked stylesheet holds the first paint back by a request (or two)."""
    MicroProjectFactory(organisation=organisation)
    client = Client()
    client.force_login(social_worker)
    html = client.get("/projects/log/").content.decode()
    assert 'rel="stylesheet"' not in html
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert ".quick-log" in style
    assert "--pico-primary" in style
    assert "Kept for:" not in style
    assert "@charset" not in style
    # No script is named by URL: the one the page starts with is written into it, before the styles
    # (tests/microprojects/web/test_quick_log_first_paint.py).
    assert "<script src=" not in html
    assert html.index("<style>") > html.index("<script nonce=")
