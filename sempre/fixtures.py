"""Loading data kept as fixtures (tool templates, indicator frameworks): the pieces their loaders share."""

import json
from pathlib import Path


def read_translations(folder: Path) -> dict[str, dict]:
    """{language: {...}} from folder/<language>.json; {} when there is no such folder."""
    if not folder.is_dir():
        return {}
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def set_changed(obj, values: dict) -> bool:
    """Set the values that differ on obj; whether any did (so an unchanged row is not saved again)."""
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed
