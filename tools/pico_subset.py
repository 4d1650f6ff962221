"""The words that decide which of Pico's rules the staff pages need (issue #15).

`make css` writes two subsets of Pico (static/vendor/pico/pico.min.css, untouched), each with only
the rules whose selectors name things its pages can contain:

- ``pico.subset.min.css``, linked by every staff page (templates/base.html), for everything the
  templates, the JavaScript and the form widgets can put on a page;
- ``static/css/quick-log.min.css``, for the quick log alone (its templates, its scripts, its form's
  widgets): Pico's and sempre.css's rules it can use, written into that page (``{% inline_css %}``)
  so that on a weak link it paints without waiting for a stylesheet (docs/performance.md, "the
  quick log on the village link"). Its header also records sempre.css's sha256.

PurgeCSS
(tools/pico-subset/subset.mjs, pinned in tools/pico-subset/package.json) decides, rule by rule:
a selector is kept when every tag, class, id and attribute (name and value) in it is among the
words given. Those words are computed here, in Python, so that a test can tell without node
whether the committed subset is still up to date (tests/sempre/web/test_pico_subset.py):

1. every word (``[A-Za-z0-9_-]+``, PurgeCSS's default extractor) of every file that can put
   markup on a staff page: our templates, our JavaScript, our Python (forms, widgets, views that
   build HTML), Django's form templates and widgets, and those of the form packages we use;
2. kept only when it occurs in one of Pico's selectors (the rest cannot change PurgeCSS's
   decisions: Pico has no prefix, suffix or substring attribute selectors, which would match
   parts of words).

The result is recorded in the subset's header ("Kept for: ..."), so the test compares two lists
and names the words that came or went. Run: ``.venv/bin/python tools/pico_subset.py words all``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICO = ROOT / "static" / "vendor" / "pico" / "pico.min.css"
VENDOR = ROOT / "static" / "vendor" / "pico"
WORD = re.compile(r"[A-Za-z0-9_-]+")
VARIABLE = re.compile(r"--pico-[A-Za-z0-9_-]+")
KEPT_FOR = re.compile(r"Kept for: ([^*]*) \*/")

# Our own code that renders markup. Tests, the bench and migrations do not reach a page.
OWN_GLOBS = (
    "templates/**/*.html",
    "static/css/*.css",
    "static/js/*.js",
    "config/**/*.py",
    "sempre/**/*.py",
    "microprojects/**/*.py",
    "toolkit/**/*.py",
    "accelerator/**/*.py",
    "reports/**/*.py",
    "demo/**/*.py",
    "*/templates/**/*.html",
    "*/*/templates/**/*.html",
)
# The quick log (microprojects/views.py, activity_form.html) and everything it includes; a test
# checks that every template it includes is listed here.
QUICK_LOG_GLOBS = (
    "templates/base.html",
    "templates/microprojects/activity_form.html",
    "templates/microprojects/_breadcrumbs.html",
    "templates/microprojects/_non_field_errors.html",
    "templates/microprojects/offline/_*.html",
    "static/js/sempre.js",
    "static/js/offline*.js",
    "microprojects/forms.py",
    "sempre/forms.py",
)
# Our pages set data-theme="light" on <html> (both base templates; a test checks it): Pico's dark
# scheme never applies, so its rules are left out (subset.mjs also drops the prefers-color-scheme
# block). The word comes from the demo's texts, not from markup.
NEVER = {"dark"}
# Packages whose widgets and templates render inside our pages: (package, globs in it).
PACKAGE_GLOBS = (
    ("django", ("forms/**/*.py", "forms/templates/**/*.html", "contrib/auth/forms.py")),
    ("django_filters", ("**/*.py", "templates/**/*.html")),
    ("django_countries", ("**/*.py", "templates/**/*.html")),
)

QUICK_LOG_PACKAGE_GLOBS = (("django", ("forms/templates/**/*.html",)),)


def form_words() -> set[str]:
    """The input types and widget templates of the quick log's form, whatever its fields are."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        django.setup()
    from microprojects.forms import ActivityForm

    words: set[str] = set()
    for field in ActivityForm.base_fields.values():
        widget = field.widget
        words.update(WORD.findall(f"{getattr(widget, 'input_type', '')} {widget.template_name}"))
        words.update(WORD.findall(" ".join(f"{k} {v}" for k, v in widget.attrs.items())))
    return words


def package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec and spec.origin else None


def content_files(target: str = "all") -> list[Path]:
    files: set[Path] = set()
    for pattern in QUICK_LOG_GLOBS if target == "quick-log" else OWN_GLOBS:
        files.update(p for p in ROOT.glob(pattern) if "migrations" not in p.parts)
    files -= set(TARGETS.values())  # not what make css writes: the outcome must not feed itself
    # The quick log: Django's widget templates; its input types come from its form (form_words).
    packages = QUICK_LOG_PACKAGE_GLOBS if target == "quick-log" else PACKAGE_GLOBS
    for package, patterns in packages:
        folder = package_dir(package)
        if folder is None:
            raise RuntimeError(f"{package} is not installed: run make install")
        for pattern in patterns:
            files.update(p for p in folder.glob(pattern) if "migrations" not in p.parts)
    return sorted(p for p in files if p.is_file())


def selector_text(css: str) -> str:
    """Pico's CSS without its comments and declaration blocks: selectors and at-rule preludes."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\{[^{}]*\}", " ", css)  # declaration blocks (they hold no braces)
    return css.replace("{", " ").replace("}", " ")  # what is left: at-rules around selectors


def pico_vocabulary(css: str | None = None) -> set[str]:
    """The words of Pico's selectors, and the names of its custom properties (--pico-...)."""
    css = css if css is not None else PICO.read_text()
    return set(WORD.findall(selector_text(css))) | set(VARIABLE.findall(css))


TARGETS = {"all": VENDOR / "pico.subset.min.css", "quick-log": ROOT / "static" / "css" / "quick-log.min.css"}
SEMPRE_CSS = ROOT / "static" / "css" / "sempre.css"
SHA256 = re.compile(r"css/sempre\.css \(sha256 ([0-9a-f]{64})\)")


def wanted_words(target: str = "all") -> list[str]:
    vocabulary = pico_vocabulary()
    if target == "quick-log":  # sempre.css is purged with the same words
        sempre_css = SEMPRE_CSS.read_text()
        variables = re.findall(r"--[A-Za-z][\w-]*", re.sub(r"/\*.*?\*/", "", sempre_css, flags=re.S))
        vocabulary |= set(WORD.findall(selector_text(sempre_css))) | set(variables)
    found: set[str] = set()
    for path in content_files(target):
        found.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    if target == "quick-log":
        found |= form_words()
    return sorted((found & vocabulary) - NEVER)


def recorded_words(target: str = "all") -> list[str]:
    match = KEPT_FOR.search(TARGETS[target].read_text())
    return match.group(1).split() if match else []


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "words" or sys.argv[2] not in TARGETS:
        sys.exit("usage: pico_subset.py words all|quick-log   (the words PurgeCSS keeps Pico's rules for)")
    print("\n".join(wanted_words(sys.argv[2])))
