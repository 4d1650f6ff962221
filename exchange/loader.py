"""Load the methods library from exchange/fixtures/methods: methods are data, not code.

methods/<slug>.json holds one method in English; methods/translations/<lang>.json holds
{slug: {field: text}} for every method in that language (the same field names, "steps" a list).
Loading is idempotent: it runs after every `migrate` and with `manage.py load_methods`, updating
what changed. A method whose fixture is gone is kept (a published case may name it).
"""

import json
from pathlib import Path

from django.db import transaction

from microprojects.models import TargetGroup
from toolkit.models import ToolTemplate

from .models import METHOD_TEXT_FIELDS, Method

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "methods"
METHOD_FIELDS = ("version", "order", *METHOD_TEXT_FIELDS, "licence", "attribution")


def read_translations(directory: Path = FIXTURES) -> dict[str, dict[str, dict]]:
    """{slug: {language: {field: text}}} from translations/<lang>.json."""
    result: dict[str, dict[str, dict]] = {}
    for path in sorted((directory / "translations").glob("*.json")):
        for slug, texts in json.loads(path.read_text(encoding="utf-8")).items():
            result.setdefault(slug, {})[path.stem] = {
                field: value for field, value in texts.items() if field in METHOD_TEXT_FIELDS and value
            }
    return result


@transaction.atomic
def load_method(data: dict, *, translations: dict | None = None, using: str = "default") -> Method:
    values = {field: data.get(field, Method._meta.get_field(field).get_default()) for field in METHOD_FIELDS}
    values["translations"] = dict(sorted((translations or {}).items()))
    template_slug = data.get("tool_template")
    values["tool_template"] = (
        ToolTemplate.objects.using(using).filter(slug=template_slug).first() if template_slug else None
    )
    method = Method.objects.using(using).filter(slug=data["slug"]).first()
    if method is None:
        method = Method(slug=data["slug"], **values)
        method.save(using=using)
    else:
        changed = False
        for field, value in values.items():
            if getattr(method, field) != value:
                setattr(method, field, value)
                changed = True
        if changed:
            method.save(using=using)
    groups = list(TargetGroup.objects.using(using).filter(slug__in=data.get("target_groups", [])))
    if {group.pk for group in groups} != set(method.target_groups.values_list("pk", flat=True)):
        method.target_groups.set(groups)
    return method


def load_methods(*, directory: Path = FIXTURES, using: str = "default") -> list[Method]:
    translations = read_translations(directory)
    methods = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        methods.append(load_method(data, translations=translations.get(data["slug"]), using=using))
    return methods
