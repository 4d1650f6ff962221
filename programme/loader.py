"""Load the indicator frameworks from programme/fixtures/frameworks: frameworks are data, not code.

<slug>.json holds a framework in English with its indicators; translations/<slug>/<lang>.json holds
{"_framework": {name, description}, <indicator code>: {name, definition, unit, measured_when}}.
Loading is idempotent: it runs after every `migrate` (apps.py) and with `manage.py
load_frameworks`. An indicator a new version of a fixture drops is kept, marked not current (project
indicators may be mapped to it), and no longer offered for new mappings.
"""

import json
from pathlib import Path

from django.db import transaction

from sempre import fixtures

from .models import Framework, FrameworkIndicator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "frameworks"
FRAMEWORK_FIELDS = ("name", "description", "version", "source_title", "source_url", "order")
INDICATOR_TEXTS = ("name", "definition", "unit", "measured_when")


def read_translations(slug: str, directory: Path = FIXTURES) -> dict[str, dict]:
    """{language: {"_framework" or indicator code: {...}}} from translations/<slug>/*.json."""
    return fixtures.read_translations(directory / "translations" / slug)


@transaction.atomic
def load_framework(data: dict, *, translations: dict | None = None, using: str = "default") -> Framework:
    translations = translations or {}
    values = {field: data.get(field, "" if field != "order" else 0) for field in FRAMEWORK_FIELDS}
    values["translations"] = {
        language: texts["_framework"]
        for language, texts in sorted(translations.items())
        if texts.get("_framework")
    }
    framework = Framework.objects.using(using).filter(slug=data["slug"]).first()
    if framework is None:
        framework = Framework(slug=data["slug"], **values)
        framework.save(using=using)
    elif fixtures.set_changed(framework, values):
        framework.save(using=using)

    existing = {i.code: i for i in FrameworkIndicator.objects.using(using).filter(framework=framework)}
    codes = []
    for order, item in enumerate(data["indicators"], start=1):
        code = item["code"]
        codes.append(code)
        indicator_values = {
            "order": order,
            "name": item["name"],
            "definition": item.get("definition", ""),
            "unit": item["unit"],
            "kind": item["kind"],
            "measured_when": item.get("measured_when", ""),
            "source_title": item.get("source_title", data["source_title"]),
            "source_url": item.get("source_url", data["source_url"]),
            "breakdowns": item.get("breakdowns", []),
            "counts_people": item.get("counts_people", False),
            "activity_source": item.get("activity_source", ""),
            "is_current": True,
            "translations": {
                language: {f: v for f, v in texts[code].items() if f in INDICATOR_TEXTS and v}
                for language, texts in sorted(translations.items())
                if isinstance(texts.get(code), dict)
            },
        }
        indicator = existing.get(code)
        if indicator is None:
            FrameworkIndicator(framework=framework, code=code, **indicator_values).save(using=using)
        elif fixtures.set_changed(indicator, indicator_values):
            indicator.save(using=using)
    FrameworkIndicator.objects.using(using).filter(framework=framework, is_current=True).exclude(
        code__in=codes
    ).update(is_current=False)
    return framework


def load_frameworks(*, directory: Path = FIXTURES, using: str = "default") -> list[Framework]:
    frameworks = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        frameworks.append(
            load_framework(data, translations=read_translations(data["slug"], directory), using=using)
        )
    return frameworks
