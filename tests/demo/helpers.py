"""What the demo tests share: a fingerprint of the whole database (a rerun changes nothing), and
factory-made projects passed off as the demo's."""

import hashlib

from django.apps import apps

from demo.microprojects import DEMO_CHANGE_REASON
from microprojects.models import MicroProject


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every model's row count and a checksum of all its rows, in primary key order."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        rows = list(model._base_manager.order_by("pk").values_list())
        snapshot[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return snapshot


def mark_as_demo(*projects) -> None:
    """As if the demo had created these (factory-made) projects: their creation records carry its mark."""
    MicroProject.history.filter(id__in=[p.pk for p in projects], history_type="+").update(
        history_change_reason=DEMO_CHANGE_REASON
    )
