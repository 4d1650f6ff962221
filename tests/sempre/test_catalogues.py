"""The translation catalogues are kept complete (issue #17 §3), checked with GNU gettext as translators'
tools (Poedit, Weblate) check them:

- the committed catalogues hold exactly the messages `makemessages` finds in the code today, so a new
  string cannot ship without its entry (and its translations, tests/cocreation/test_translations.py);
- `msgfmt --check` accepts every catalogue: placeholders and plural forms agree with the source;
- the committed .mo files are compiled from the committed .po files, so no page shows yesterday's words.

gettext's tools are a Debian package (`gettext`); `.ci/run` installs it. Without them these tests skip,
except under SEMPRE_REQUIRE_SERVICES=1, where they fail.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.cocreation.test_translations import read_po
from tests.conftest import require_service

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What `make messages` leaves out (Makefile, MESSAGES_IGNORE) and what holds no source.
NOT_SOURCE = {".venv", "var", "bench", "tests", "node_modules", ".git", "static", "media", "docs", "locale"}


@pytest.fixture(scope="module")
def gettext_tools():
    require_service(
        bool(shutil.which("msgfmt") and shutil.which("xgettext")), "GNU gettext (msgfmt, xgettext)"
    )


@pytest.fixture(scope="module")
def extracted(gettext_tools, tmp_path_factory) -> dict:
    """The messages `makemessages` finds in a copy of the sources, as {(context, msgid): ...}."""
    copy = tmp_path_factory.mktemp("sources")
    for path in ROOT.iterdir():
        if path.name in NOT_SOURCE or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(path, copy / path.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif path.suffix in {".py", ".html", ".txt"}:
            shutil.copy(path, copy / path.name)
    (copy / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=en", "--no-obsolete", "--verbosity=0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SEMPRE_ENV": "development",
        },
    )
    return read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_the_copy_finds_the_messages_of_every_app(extracted):
    assert len(extracted) > 1000
    assert (None, "Log an activity") in extracted  # a template of microprojects
    assert ("client page", "Send my answer") in extracted  # a client page


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_holds_the_messages_of_the_code(language, extracted):
    committed = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    missing = sorted(msgid for (_context, msgid) in extracted.keys() - committed.keys())
    stale = sorted(msgid for (_context, msgid) in committed.keys() - extracted.keys())
    assert not missing, (
        f"{language}: {len(missing)} messages of the code are missing (make messages): {missing[:5]}"
    )
    assert not stale, f"{language}: {len(stale)} messages no code uses any more (make messages): {stale[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language, gettext_tools, tmp_path):
    """`--check` checks the header, the plural forms and that every translation keeps the source's
    placeholders (%(name)s, %s) in number and type."""
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language, gettext_tools, tmp_path):
    messages = ROOT / "locale" / language / "LC_MESSAGES"
    subprocess.run(["msgfmt", "-o", str(tmp_path / "django.mo"), str(messages / "django.po")], check=True)
    with open(tmp_path / "django.mo", "rb") as fresh, open(messages / "django.mo", "rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        actual = gettext.GNUTranslations(committed)._catalog
    stale = sorted(
        str(key) for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)
    )
    assert not stale, f"{language}: compile the catalogue (make messages): {stale[:5]}"
