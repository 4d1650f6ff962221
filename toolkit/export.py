"""Printable tools: the HTML board (canvases in their classic layout; the Theory of Change as its
diagram plus a table) and PDFs made from it with WeasyPrint (A3 landscape).

`board_html(instance)` is a fragment other PDFs (the report engine) can embed; style it with
`board_css()`.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .diagram import toc_svg
from .models import ToolInstance, ToolTemplate
from .validation import completeness, findings

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "toolkit-print.css"


def board_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def board_grid(template: ToolTemplate, entries_by_block: dict | None = None) -> list[list[dict]]:
    """The template's layout as table rows: each cell is a block (with colspan/rowspan and its
    entries) or an empty filler; cells covered by a spanning block are left out.

    A layout row where no block starts (the Social Business Model Canvas has two) would be an empty
    <tr>, which WeasyPrint drops: the rowspans above it would then reach one row too far and push the
    last row's blocks off the table ("This row has more columns than the table"). Such rows are left
    out and the rowspans counted over the rows that remain."""
    entries_by_block = entries_by_block or {}
    blocks = list(template.blocks.all())
    starts = {(block.row, block.column): block for block in blocks}
    covered = set()
    for block in blocks:
        for row in range(block.row, block.row + block.row_span):
            for column in range(block.column, block.column + block.column_span):
                if (row, column) != (block.row, block.column):
                    covered.add((row, column))
    kept = [
        row
        for row in range(1, template.layout_rows + 1)
        if any((row, column) not in covered for column in range(1, template.layout_columns + 1))
    ]
    rows = []
    for row in kept:
        cells = []
        for column in range(1, template.layout_columns + 1):
            block = starts.get((row, column))
            if block is not None:
                cells.append(
                    {
                        "block": block,
                        "text": block.text(),
                        "colspan": block.column_span,
                        "rowspan": sum(1 for r in kept if block.row <= r < block.row + block.row_span),
                        "entries": entries_by_block.get(block.key, []),
                    }
                )
            elif (row, column) not in covered:
                cells.append({"block": None, "colspan": 1, "rowspan": 1})
        rows.append(cells)
    return rows


def entries_by_block(instance: ToolInstance) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for entry in sorted(instance.entries.all(), key=lambda e: (e.order, e.pk)):
        grouped.setdefault(entry.block_key, []).append(entry)
    return grouped


def toc_table(instance: ToolInstance) -> dict:
    """Outcomes (top level first) with their indicators and assumptions, interventions, links."""
    outcomes = sorted(instance.outcomes.all(), key=lambda o: (o.level_rank, o.order, o.pk))
    by_id = {o.pk: o for o in outcomes}
    assumptions_by_outcome: dict[int, list] = {}
    assumptions_by_link: dict[int, list] = {}
    for assumption in instance.assumptions.all():
        if assumption.outcome_id:
            assumptions_by_outcome.setdefault(assumption.outcome_id, []).append(assumption)
        else:
            assumptions_by_link.setdefault(assumption.link_id, []).append(assumption)
    return {
        "outcomes": [
            {
                "outcome": o,
                "indicators": list(o.indicators.all()),
                "assumptions": assumptions_by_outcome.get(o.pk, []),
            }
            for o in outcomes
        ],
        "links": [
            {
                "link": link,
                "source": by_id.get(link.source_id),
                "target": by_id.get(link.target_id),
                "assumptions": assumptions_by_link.get(link.pk, []),
            }
            for link in instance.links.all()
        ],
        "interventions": list(instance.interventions.all()),
    }


def board_context(instance: ToolInstance) -> dict:
    context = {
        "instance": instance,
        "template": instance.template,
        "completeness": completeness(instance),
        "findings": findings(instance),
    }
    if instance.template.is_graph:
        context["diagram"] = mark_safe(toc_svg(instance))  # noqa: S308 -- built by toc_svg, every text escaped
        context["table"] = toc_table(instance)
    else:
        context["rows"] = board_grid(instance.template, entries_by_block(instance))
    return context


def board_html(instance: ToolInstance) -> str:
    """The canvas board or the ToC diagram and table, as an HTML fragment (no <html>/<body>).
    For best results pass a prefetched instance (selectors.with_content)."""
    return render_to_string("toolkit/export/_board.html", board_context(instance))


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=board_css())])


def tool_pdf(instance: ToolInstance) -> bytes:
    """A printable PDF of a tool instance: A3 landscape."""
    from .selectors import with_content

    if not hasattr(instance, "_prefetched_objects_cache"):
        instance = with_content(ToolInstance.objects.filter(pk=instance.pk)).get()
    html = render_to_string(
        "toolkit/export/tool_pdf.html",
        {"board": mark_safe(board_html(instance)), "instance": instance, "printed_at": timezone.now()},  # noqa: S308 -- our own rendered template
    )
    return _pdf(html)


def blank_pdf(template: ToolTemplate) -> bytes:
    """An empty canvas with its questions, to print for an offline workshop."""
    html = render_to_string(
        "toolkit/export/blank_pdf.html", {"template": template, "rows": board_grid(template), "blank": True}
    )
    return _pdf(html)
