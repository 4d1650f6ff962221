import json

import pytest

from exchange.loader import FIXTURES, load_methods, read_translations
from exchange.models import METHOD_TEXT_FIELDS, Method
from sempre.languages import language_codes

from .factories import method

pytestmark = pytest.mark.django_db

FACILITATION = {
    "local-empowerment-network",
    "world-cafe",
    "photovoice",
    "peer-visit",
    "participatory-budgeting",
}
TOOLS = {"sbmc", "bmc", "theory-of-change", "problem-tree", "empathy-map", "stakeholder-map"}


def test_the_library_holds_the_six_tools_methods_and_the_facilitation_methods():
    method()
    slugs = set(Method.objects.values_list("slug", flat=True))
    assert slugs >= TOOLS | FACILITATION
    for slug in TOOLS:
        assert Method.objects.get(slug=slug).tool_template.slug == slug
    assert not Method.objects.filter(slug__in=FACILITATION, tool_template__isnull=False).exists()


def test_every_method_is_translated_into_every_platform_language_field_by_field():
    translations = read_translations()
    other_languages = set(language_codes()) - {"en"}
    for path in sorted(FIXTURES.glob("*.json")):
        english = json.loads(path.read_text(encoding="utf-8"))
        by_language = translations.get(english["slug"], {})
        assert set(by_language) == other_languages, english["slug"]
        for language, texts in by_language.items():
            for field in METHOD_TEXT_FIELDS:
                if english.get(field):
                    assert texts.get(field), (english["slug"], language, field)
            assert len(texts["steps"]) == len(english["steps"]), (english["slug"], language)


def test_a_method_reads_in_the_language_asked_for_and_falls_back_to_english():
    world_cafe = method("world-cafe")
    assert world_cafe.text("de")["title"] != world_cafe.title
    world_cafe.translations["de"].pop("purpose")
    assert world_cafe.text("de")["purpose"] == world_cafe.purpose
    assert world_cafe.text("xx")["title"] == world_cafe.title


def test_loading_twice_changes_nothing_and_a_changed_fixture_updates_the_method(
    tmp_path, django_assert_max_num_queries
):
    method()
    (tmp_path / "translations").mkdir()
    data = json.loads((FIXTURES / "photovoice.json").read_text(encoding="utf-8"))
    data.update(version=2, title="Photovoice, revised", target_groups=["older-people"])
    (tmp_path / "photovoice.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "translations" / "de.json").write_text(
        json.dumps({"photovoice": {"title": "Fotostimme", "unknown": "ignored"}}), encoding="utf-8"
    )

    load_methods(directory=tmp_path)
    photovoice = Method.objects.get(slug="photovoice")
    assert (photovoice.version, photovoice.title) == (2, "Photovoice, revised")
    assert photovoice.translations == {"de": {"title": "Fotostimme"}}
    assert list(photovoice.target_groups.values_list("slug", flat=True)) == ["older-people"]

    with django_assert_max_num_queries(6):  # read, nothing written
        load_methods(directory=tmp_path)
    assert Method.objects.filter(slug="world-cafe").exists()  # a method whose fixture is gone stays
