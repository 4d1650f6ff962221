"""sempre.fixtures: what the loaders of data kept as fixtures (tool templates, frameworks) share."""

import json
from types import SimpleNamespace

from sempre.fixtures import read_translations, set_changed


def test_set_changed_sets_only_what_differs_and_says_whether_anything_did():
    row = SimpleNamespace(name="SWOT", order=1)
    assert set_changed(row, {"name": "SWOT", "order": 1}) is False
    assert set_changed(row, {"name": "SWOT analysis", "order": 1}) is True
    assert (row.name, row.order) == ("SWOT analysis", 1)


def test_read_translations_reads_one_file_per_language_and_nothing_without_a_folder(tmp_path):
    assert read_translations(tmp_path / "missing") == {}
    (tmp_path / "de.json").write_text(json.dumps({"_template": {"name": "SWOT-Analyse"}}), encoding="utf-8")
    (tmp_path / "lv.json").write_text(json.dumps({"_template": {"name": "SVID analīze"}}), encoding="utf-8")
    assert read_translations(tmp_path) == {
        "de": {"_template": {"name": "SWOT-Analyse"}},
        "lv": {"_template": {"name": "SVID analīze"}},
    }
