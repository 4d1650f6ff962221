"""How diff elements read in the page: in words, not ids."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def collection_label(name: str) -> str:
    return {
        "entries": _("Entries"),
        "outcomes": _("Outcomes"),
        "links": _("Links"),
        "interventions": _("Interventions"),
        "assumptions": _("Assumptions"),
    }.get(name, name)


@register.simple_tag
def element_text(item: dict, collection: str, names: dict, blocks: dict, levels: dict) -> str:
    """One element of a snapshot state as a short sentence (auto-escaped by the template)."""
    if collection == "entries":
        return f"{blocks.get(item.get('block_key'), item.get('block_key'))}: {item.get('text', '')}"
    if collection == "outcomes":
        return f"{levels.get(item.get('level'), item.get('level'))}: {item.get('text', '')}"
    if collection == "links":
        source = names.get(item.get("source_id"), "?")
        target = names.get(item.get("target_id"), "?")
        rationale = item.get("rationale") or _("no rationale")
        return f"“{source}” → “{target}” ({rationale})"
    return item.get("text", "")
