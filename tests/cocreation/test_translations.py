"""Every message the client pages use is translated into each of the twelve languages, and so is
every tool prompt. The messages are found in the sources the way makemessages finds them (Django's
`templatize` for templates, the AST for Python), so a new string without a translation fails here."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
CONTEXT = "client page"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
CLIENT_TEMPLATES = [
    *sorted((ROOT / "templates" / "cocreation" / "public").glob("*.html")),
    ROOT / "templates" / "cocreation" / "invite.html",  # the printed A4 sheet
]
CLIENT_PYTHON = sorted((ROOT / "toolkit" / "cocreation").glob("*.py"))
_TEMPLATIZED = re.compile(r"pgettext\(u?('(?:[^'\\]|\\.)*'), u?('(?:[^'\\]|\\.)*')\)")


def client_messages() -> set[str]:
    messages = set()
    for path in CLIENT_TEMPLATES:
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for context, message in _TEMPLATIZED.findall(source):
            if ast.literal_eval(context) == CONTEXT:
                messages.add(ast.literal_eval(message))
    for path in CLIENT_PYTHON:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"pgettext", "pgettext_lazy"}
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == CONTEXT
            ):
                message = node.args[1]
                if isinstance(message, ast.Constant):
                    messages.add(message.value)
                elif isinstance(message, ast.JoinedStr | ast.BinOp):  # implicit concatenation is a Constant
                    pytest.fail(f"{path}: a client message must be a plain string")
    return messages


def read_po(path: Path) -> dict[tuple[str | None, str], tuple[str, bool]]:
    """{(context, msgid): (msgstr, fuzzy)} from a .po file. A plural entry's msgstr is its first
    form when every form is filled, else ""."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            else:
                current = None
        if not fields.get("msgid"):
            continue
        forms = [value for name, value in sorted(fields.items()) if name.startswith("msgstr")]
        text = forms[0] if forms and all(form.strip() for form in forms) else ""
        entries[(fields.get("msgctxt"), fields["msgid"])] = (text, fuzzy)
    return entries


def test_the_client_pages_have_messages_to_check():
    messages = client_messages()
    assert len(messages) > 40
    assert "Send my answer" in messages
    assert "Please tick the box to say you agree, so we may keep your answer." in messages
    assert "Question %(step)s of %(step_count)s" in messages  # from a blocktranslate


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_client_message_is_translated(language):
    catalog = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    missing = []
    for message in sorted(client_messages()):
        translated, fuzzy = catalog.get((CONTEXT, message), ("", False))
        if not translated.strip() or fuzzy:
            missing.append(message)
    assert not missing, f"{language}: {len(missing)} client messages untranslated or fuzzy: {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    """The .mo files are committed; a stale one would show the old words to clients."""
    catalog = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    with translation.override(language):
        for message in sorted(client_messages()):
            expected, _fuzzy = catalog[(CONTEXT, message)]
            assert translation.pgettext(CONTEXT, message) == expected, message


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    catalog = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    for message in client_messages():
        translated, _fuzzy = catalog[(CONTEXT, message)]
        assert sorted(re.findall(r"%\(\w+\)s", translated)) == sorted(re.findall(r"%\(\w+\)s", message)), (
            message
        )


TEMPLATE_FIXTURES = sorted((ROOT / "toolkit" / "fixtures" / "templates").glob("*.json"))


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
@pytest.mark.parametrize("fixture", TEMPLATE_FIXTURES, ids=lambda p: p.stem)
def test_every_tool_prompt_is_translated(fixture, language):
    template = json.loads(fixture.read_text(encoding="utf-8"))
    path = ROOT / "toolkit" / "fixtures" / "translations" / template["slug"] / f"{language}.json"
    assert path.exists(), f"missing {path}"
    translations = json.loads(path.read_text(encoding="utf-8"))
    assert translations.get("_template", {}).get("name")
    for block in template["blocks"]:
        texts = translations.get(block["key"], {})
        for field in ("label", "guiding_question", "plain_question"):
            if block.get(field):
                assert texts.get(field, "").strip(), f"{template['slug']}/{language}: {block['key']}.{field}"


def test_english_tool_prompts_come_from_the_templates():
    for fixture in TEMPLATE_FIXTURES:
        for block in json.loads(fixture.read_text(encoding="utf-8"))["blocks"]:
            assert block.get("plain_question"), (
                f"{fixture.stem}: {block['key']} has no plain-language question"
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_guesses_are_left(language):
    """A fuzzy entry is msgmerge's guess from a similar message: resolved or removed, never shipped."""
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]  # the header may be marked fuzzy by tools; entries may not
    assert "#, fuzzy" not in body


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated(language):
    """Staff pages, e-mails and reports too, not only the client pages: the whole catalogue (issue #17).
    An obsolete entry (#~) does not count; a plural entry needs every form."""
    catalog = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    untranslated = [
        msgid for (_context, msgid), (text, fuzzy) in catalog.items() if not text.strip() or fuzzy
    ]
    assert len(catalog) > 1000
    assert not untranslated, untranslated[:10]
