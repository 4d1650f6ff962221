"""Write docs/sample-import.xlsx: the import template (microprojects.imports.template), in English,
filled with what Luleå Social Services (the demo's anna and erik) might bring in.

It refers to a demo project by its title ("Fruit bags from Luleå: ...", made by `seed_demo`) and to
a new project of its own by the external ID it gives it (LUL-P-01), so a dry run of the file on the
demo names both ways of referring to a project. docs/programme-reporting.md, "Bringing data in".

    .venv/bin/python tools/sample_import.py            # writes docs/sample-import.xlsx
"""

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PROJECT = "Fruit bags from Luleå: a cooperative of Syrian newcomers"
NEW_PROJECT = "LUL-P-01"

ROWS = {
    "projects": [
        {
            "external_id": NEW_PROJECT,
            "title": "Sewing café in Gammelstad",
            "summary": "Newcomers and older neighbours mend clothes together once a week.",
            "country": "SE",
            "region": "Luleå, Gammelstad",
            "setting": "rural",
            "status": "active",
            "start_date": dt.date(2026, 3, 2),
            "budget_eur": 4800,
            "target_groups": "migrants-refugees, older-people",
        }
    ],
    "activities": [
        {
            "external_id": "LUL-A-2026-001",
            "project": NEW_PROJECT,
            "date": dt.date(2026, 3, 9),
            "kind": "workshop",
            "title": "First sewing evening",
            "participants_total": 11,
            "participants_new": 11,
            "women": 8,
            "men": 3,
            "staff_hours": 3,
            "volunteer_hours": 4,
        },
        {
            "external_id": "LUL-A-2026-002",
            "project": NEW_PROJECT,
            "date": dt.date(2026, 4, 14),
            "kind": "meeting",
            "title": "Planning with the parish hall",
            "participants_total": 5,
        },
        {
            "external_id": "LUL-A-2026-003",
            "project": DEMO_PROJECT,
            "date": dt.date(2026, 11, 20),
            "kind": "event",
            "title": "Stall at the Christmas market",
            "participants_total": 9,
            "notes": "Sold 140 bags.",
        },
    ],
    "indicators": [
        {
            "external_id": "LUL-I-01",
            "project": NEW_PROJECT,
            "name": "Garments mended",
            "unit": "garments",
            "baseline": 0,
            "target": 300,
            "target_date": dt.date(2026, 12, 31),
        }
    ],
    "measurements": [
        {"external_id": "LUL-M-01", "indicator": "LUL-I-01", "date": dt.date(2026, 6, 30), "value": 85},
        {"external_id": "LUL-M-02", "indicator": "LUL-I-01", "date": dt.date(2026, 9, 30), "value": 170},
    ],
}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    from microprojects.imports import template

    with translation.override("en"):
        content = template.workbook_bytes(ROWS)
    (ROOT / "docs" / "sample-import.xlsx").write_bytes(content)
    print(f"docs/sample-import.xlsx: {len(content)} bytes")


if __name__ == "__main__":
    main()
