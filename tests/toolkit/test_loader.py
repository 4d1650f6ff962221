import json

from toolkit.loader import load_templates
from toolkit.models import Block, ToolTemplate

SBMC_KEYS = [
    "key_resources",
    "partners_key_stakeholders",
    "key_activities",
    "type_of_intervention",
    "beneficiary_segments",
    "customer_segments",
    "social_value_proposition",
    "impact_measures",
    "customer_value_proposition",
    "channels",
    "cost_structure",
    "surplus",
    "revenue",
]


def test_templates_exist_after_migrate(db):
    slugs = set(ToolTemplate.objects.values_list("slug", flat=True))
    assert {"sbmc", "bmc", "empathy-map", "problem-tree", "stakeholder-map", "theory-of-change"} <= slugs


def test_sbmc_has_thirteen_blocks_in_the_classic_layout(db):
    sbmc = ToolTemplate.objects.get(slug="sbmc")
    assert list(sbmc.blocks.values_list("key", flat=True)) == SBMC_KEYS
    assert (sbmc.layout_columns, sbmc.layout_rows) == (6, 7)
    revenue = sbmc.blocks.get(key="revenue")
    assert (revenue.row, revenue.column, revenue.column_span) == (7, 5, 2)
    assert sbmc.licence == "CC BY-SA 4.0"
    assert "Social Innovation Lab" in sbmc.attribution


def test_bmc_has_nine_blocks(db):
    assert ToolTemplate.objects.get(slug="bmc").blocks.count() == 9


def test_loading_twice_changes_nothing(db):
    before = list(Block.objects.order_by("pk").values_list())
    load_templates()
    assert list(Block.objects.order_by("pk").values_list()) == before


def test_a_new_tool_needs_only_a_fixture(db, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "translations" / "swot").mkdir(parents=True)
    (tmp_path / "templates" / "swot.json").write_text(
        json.dumps(
            {
                "slug": "swot",
                "name": "SWOT",
                "layout": {"columns": 2, "rows": 2},
                "blocks": [
                    {"key": "strengths", "label": "Strengths", "guiding_question": "What goes well?"},
                    {"key": "weaknesses", "label": "Weaknesses", "column": 2},
                ],
            }
        )
    )
    (tmp_path / "translations" / "swot" / "de.json").write_text(
        json.dumps({"strengths": {"label": "Stärken"}, "_template": {"name": "SWOT-Analyse"}})
    )
    load_templates(directory=tmp_path)
    swot = ToolTemplate.objects.get(slug="swot")
    strengths = swot.blocks.get(key="strengths")
    assert strengths.text("de") == {
        "label": "Stärken",
        "guiding_question": "What goes well?",
        "plain_question": "",
    }
    assert strengths.text("fr")["label"] == "Strengths"
    assert swot.display_name("de") == "SWOT-Analyse"
    # A block dropped from the fixture disappears on the next load.
    data = json.loads((tmp_path / "templates" / "swot.json").read_text())
    data["blocks"] = data["blocks"][:1]
    (tmp_path / "templates" / "swot.json").write_text(json.dumps(data))
    load_templates(directory=tmp_path)
    assert list(swot.blocks.values_list("key", flat=True)) == ["strengths"]
    # A changed text in the fixture changes the stored template and block on the next load.
    data["name"] = "SWOT analysis"
    data["blocks"][0]["guiding_question"] = "What works well?"
    (tmp_path / "templates" / "swot.json").write_text(json.dumps(data))
    load_templates(directory=tmp_path)
    swot.refresh_from_db()
    assert swot.name == "SWOT analysis"
    assert swot.blocks.get(key="strengths").guiding_question == "What works well?"


def test_shipped_translations_are_loaded_with_english_fallback(db):
    block = Block.objects.get(template__slug="sbmc", key="key_resources")
    assert block.text("de")["label"] == "Schlüsselressourcen"
    assert block.text("xx")["label"] == "Key resources"
