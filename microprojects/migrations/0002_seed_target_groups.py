"""Seed the target groups every installation starts with.

The slugs are stable identifiers (the API, filters and demo data refer to them); names are the
English source, translated at display time. Re-running only fills in what is missing, and the
reverse step removes nothing a user may have linked projects to.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

TARGET_GROUPS = [
    ("migrants-refugees", gettext_noop("Migrants and refugees")),
    ("people-with-disabilities", gettext_noop("People with disabilities")),
    ("low-income", gettext_noop("People on low incomes")),
    ("older-people", gettext_noop("Older people")),
    ("young-neet", gettext_noop("Young people not in work or education")),
    ("long-term-unemployed", gettext_noop("Long-term unemployed")),
    ("others", gettext_noop("Others")),
]


def seed_target_groups(apps, schema_editor):
    TargetGroup = apps.get_model("microprojects", "TargetGroup")
    for order, (slug, name) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("microprojects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_target_groups, migrations.RunPython.noop),
    ]
