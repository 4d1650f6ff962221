"""What an application shows of the project as it was when submitted: the frozen canvas as a board
(each block's label and guiding question in the reader's language), the frozen Theory of Change as
its diagram with the validation result, and the project's key figures frozen at submission.

Counts and indicator values only: no activity titles, no people's names, no client pseudonyms."""

from __future__ import annotations

from datetime import date

from microprojects.models import Activity, Indicator
from microprojects.selectors import activity_totals, indicator_is_off_track, with_progress
from toolkit.diagram import toc_svg
from toolkit.frozen import instance_from_state
from toolkit.models import ToolTemplate
from toolkit.validation import completeness, findings

FIGURES_VERSION = 1


def _text(value) -> str | None:
    return None if value is None else str(value)


def project_figures(project, *, today: date | None = None) -> dict:
    """The project's key figures now, as JSON (two queries): frozen into an application."""
    today = today or date.today()
    sums = activity_totals(Activity.objects.filter(project=project))
    indicators = with_progress(Indicator.objects.filter(project=project).select_related("project")).order_by(
        "name", "pk"
    )
    return {
        "version": FIGURES_VERSION,
        "as_of": today.isoformat(),
        "activities": sums["activities"],
        "staff_hours": _text(sums["staff_hours"]),
        "volunteer_hours": _text(sums["volunteer_hours"]),
        "participants": {field: sums[field] for field in Activity.COUNT_FIELDS},
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": _text(i.baseline),
                "target": _text(i.target),
                "target_date": i.target_date.isoformat() if i.target_date else None,
                "latest_value": _text(i.latest_value),
                "latest_date": i.latest_date.isoformat() if i.latest_date else None,
                "progress": None if i.progress is None else round(float(i.progress)),
                "off_track": indicator_is_off_track(i, today=today),
            }
            for i in indicators
        ],
    }


def _templates(*snapshots) -> dict[str, ToolTemplate]:
    slugs = {s.data.get("template", {}).get("slug") for s in snapshots if s is not None}
    return {t.slug: t for t in ToolTemplate.objects.filter(slug__in=slugs).prefetch_related("blocks")}


def frozen_board(snapshot, template: ToolTemplate | None) -> dict | None:
    """The frozen canvas as a board: blocks in template order with their texts in the active
    language and the entries' texts (nothing about who wrote them)."""
    if snapshot is None or template is None:
        return None
    by_block: dict[str, list[str]] = {}
    for entry in sorted(snapshot.data.get("entries", []), key=lambda e: (e.get("order", 0), e["id"])):
        by_block.setdefault(entry["block_key"], []).append(entry["text"])
    instance = instance_from_state(snapshot.data, template=template, pk=snapshot.pk)
    return {
        "template": template,
        "blocks": [
            {"block": block, "text": block.text(), "entries": by_block.get(block.key, [])}
            for block in template.blocks.all()
        ],
        "completeness": completeness(instance),
        "findings": [f.message for f in findings(instance)],
    }


def frozen_toc(snapshot, template: ToolTemplate | None) -> dict | None:
    """The frozen Theory of Change: its diagram (the toolkit's, drawn from the snapshot) and what
    the toolkit's validation finds in it (empty: valid)."""
    if snapshot is None or template is None:
        return None
    instance = instance_from_state(snapshot.data, template=template, pk=snapshot.pk)
    return {
        "svg": toc_svg(instance),  # escapes every text it draws: the template marks it safe
        "findings": [f.message for f in findings(instance)],
        "interventions": snapshot.data.get("interventions", []),
    }


def application_submission(application) -> dict:
    """Everything the application's page shows of the submission (two queries: the templates and
    their blocks; the snapshots come with the application)."""
    sbmc, toc = application.sbmc_snapshot, application.toc_snapshot
    templates = _templates(sbmc, toc)

    def template_of(snapshot):
        return None if snapshot is None else templates.get(snapshot.data.get("template", {}).get("slug"))

    return {
        "board": frozen_board(sbmc, template_of(sbmc)),
        "toc": frozen_toc(toc, template_of(toc)),
        "figures": application.figures or None,
    }
