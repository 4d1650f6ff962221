"""Load tool templates from toolkit/fixtures: tools are data, not code.

templates/<slug>.json holds a template in English with its blocks; translations/<slug>/<lang>.json
holds {block_key: {label, guiding_question, plain_question}} (and optionally "_template": {name,
description}). Loading is idempotent: it runs after every `migrate` and with
`manage.py load_tool_templates`, updating what changed and removing blocks a fixture dropped.
"""

import json
from pathlib import Path

from django.db import transaction

from sempre import fixtures

from .models import TEXT_FIELDS, Block, ToolTemplate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEMPLATE_FIELDS = ("version", "order", "kind", "name", "description", "licence", "attribution")
BLOCK_FIELDS = ("order", *TEXT_FIELDS, "column", "row", "column_span", "row_span", "translations")


def read_translations(slug: str, directory: Path = FIXTURES) -> dict[str, dict]:
    """{language: {block_key or "_template": {...}}} from translations/<slug>/*.json."""
    return fixtures.read_translations(directory / "translations" / slug)


@transaction.atomic
def load_template(data: dict, *, translations: dict | None = None, using: str = "default") -> ToolTemplate:
    translations = translations or {}
    values = {
        field: data.get(field, ToolTemplate._meta.get_field(field).get_default()) for field in TEMPLATE_FIELDS
    }
    layout = data.get("layout") or {}
    values["layout_columns"] = layout.get("columns", 1)
    values["layout_rows"] = layout.get("rows", 1)
    values["translations"] = {
        language: texts["_template"] for language, texts in translations.items() if texts.get("_template")
    }
    template = ToolTemplate.objects.using(using).filter(slug=data["slug"]).first()
    if template is None:
        template = ToolTemplate(slug=data["slug"], **values)
        template.save(using=using)
    elif fixtures.set_changed(template, values):
        template.save(using=using)

    existing = {block.key: block for block in Block.objects.using(using).filter(template=template)}
    keys = []
    for order, block_data in enumerate(data["blocks"], start=1):
        key = block_data["key"]
        keys.append(key)
        block_values = {
            "order": order,
            **{field: block_data.get(field, "") for field in TEXT_FIELDS},
            **{field: block_data.get(field, 1) for field in ("column", "row", "column_span", "row_span")},
            "translations": {
                language: {f: v for f, v in texts[key].items() if f in TEXT_FIELDS and v}
                for language, texts in sorted(translations.items())
                if isinstance(texts.get(key), dict)
            },
        }
        block = existing.get(key)
        if block is None:
            Block(template=template, key=key, **block_values).save(using=using)
        elif fixtures.set_changed(block, block_values):
            block.save(using=using)
    Block.objects.using(using).filter(template=template).exclude(key__in=keys).delete()
    return template


def load_templates(*, directory: Path = FIXTURES, using: str = "default") -> list[ToolTemplate]:
    templates = []
    for path in sorted((directory / "templates").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        templates.append(
            load_template(data, translations=read_translations(data["slug"], directory), using=using)
        )
    return templates
