"""The words that decide which of Pico's rules the staff pages need (issue #15).

`make css` writes two subsets of Pico (static/vendor/pico/pico.min.css, untouched), each with only
the rules whose selectors name things its pages can contain:

- ``pico.subset.min.css``, linked by every staff page (templates/base.html), for everything the
  templates, the JavaScript and the form widgets can put on a page;
- ``static/css/quick-log.min.css``, for the quick log alone (its templates, its scripts, its form's
  widgets): Pico's and sempre.css's rules it can use, written into that page (``{% inline_css %}``)
  so that on a weak link it paints without waiting for a stylesheet (docs/performance.md, "the
  quick log on the village link"). Its header also records sempre.css's sha256.

``write`` decides rule by rule and never rewrites a
selector (PurgeCSS did, and dropped :hover and :focus from Pico's ``:is()`` lists): a rule is kept
when one of its selectors names only words found (pseudo-classes and the arguments of :not(),
:is(), :where() and :has() are not required). The words are computed here, so that a test can
tell whether the committed subset is still up to date (tests/sempre/web/test_pico_subset.py):

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
    # Pseudo-classes and pseudo-elements (:hover, ::before) are states, not markup: always there.
    # PurgeCSS looks them up inside :is() and :where(), so without them `a:is(:hover, ...)` went.
    pseudo = set(re.findall(r"::?([A-Za-z-]+)", selector_text(PICO.read_text())))
    return sorted(((found | pseudo) & vocabulary) - NEVER)


def recorded_words(target: str = "all") -> list[str]:
    match = KEPT_FOR.search(TARGETS[target].read_text())
    return match.group(1).split() if match else []


# --- writing the subsets (`make css`) ------------------------------------------------------------
# Rule by rule, never rewriting a selector: a rule is kept whole when one of its selectors may
# match, that is when every word it names outside functional pseudo-classes (:not(), :is(),
# :where(), :has(), whose arguments only narrow or widen it) is among the words.
FUNCTIONAL = re.compile(r":[A-Za-z-]+\(")


def required_words(selector: str) -> set[str]:
    out, depth, i = [], 0, 0
    while i < len(selector):
        match = FUNCTIONAL.match(selector, i) if depth == 0 else None
        if match:
            depth, i = 1, match.end()
            continue
        char = selector[i]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        else:
            out.append(char)
        i += 1
    text = re.sub(r"::?[A-Za-z-]+", " ", "".join(out))  # pseudo-classes and -elements: states
    return set(WORD.findall(text))


def split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [*parts, prelude[start:]]


def filter_rules(css: str, words: set[str]) -> str:
    """The rules of minified CSS whose selectors may match (at-rules kept when something in them is)."""
    out, i = [], 0
    while i < len(css):
        brace = css.find("{", i)
        if brace < 0:
            break
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[brace + 1 : j - 1]
        if "prefers-color-scheme:dark" in prelude:
            pass  # our pages pin data-theme="light"
        elif prelude.startswith(("@media", "@supports")):
            inner = filter_rules(body, words)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith(("@", ":root", ":host")):
            out.append(css[i:j].strip())  # keyframes, font faces, variables: kept
        elif any(required_words(s) <= words for s in split_selectors(prelude)):
            out.append(css[i:j].strip())
        i = j
    return "".join(out)


def write(target: str) -> Path:
    import hashlib

    words = wanted_words(target)
    pico = PICO.read_text()
    licence = re.search(r"/\*!.*?\*/", pico, re.S).group(0)
    version = re.search(r"Pico CSS \S+ (v[\d.]+)", pico).group(1)
    plain_pico = re.sub(r"/\*.*?\*/", "", pico, flags=re.S).removeprefix('@charset "UTF-8";')
    body = filter_rules(plain_pico, set(words))
    sources = f"pico.min.css {version} (licence: LICENSE.md beside this file)"
    if target == "quick-log":
        ours = SEMPRE_CSS.read_bytes()
        sources = (
            f"pico.min.css {version} (licence: static/vendor/pico/LICENSE.md) and static/css/sempre.css "
            f"(sha256 {hashlib.sha256(ours).hexdigest()})"
        )
        plain = re.sub(r"/\*.*?\*/", "", ours.decode(), flags=re.S)
        body += "\n" + filter_rules(plain, set(words) | {"root"})
    header = f"/* Generated by `make css` from {sources}; do not edit. Kept for: {' '.join(words)} */\n"
    TARGETS[target].write_text(f'@charset "UTF-8";{header}{licence}{body}\n')
    return TARGETS[target]


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"]:
        for name in TARGETS:
            path = write(name)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    elif len(sys.argv) == 3 and sys.argv[1] == "words" and sys.argv[2] in TARGETS:
        print("\n".join(wanted_words(sys.argv[2])))
    else:
        sys.exit("usage: pico_subset.py write | words all|quick-log")
