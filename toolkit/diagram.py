"""The Theory of Change as a server-side SVG: a simple layered layout, no graphviz needed.

Layers from the top: the impact, long-term, intermediate and early outcomes, then the interventions.
Within a layer, nodes are ordered by the barycentre of their neighbours (a few sweeps down and up, the
classic Sugiyama heuristic) to cut crossings; a layer with many nodes wraps onto several rows so the
diagram stays readable at 40 outcomes. The SVG uses presentation attributes only (no CSS), so it looks
the same in the page and in WeasyPrint PDFs.
"""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CausalLink, Outcome, ToolInstance
from .validation import findings

NODE_WIDTH = 190
LINE_HEIGHT = 15
CHARS_PER_LINE = 27
MAX_LINES = 5
PADDING = 10
GAP_X = 24
GAP_Y = 56
MAX_PER_ROW = 7
LEFT_MARGIN = 175  # room for the layer names
TOP_MARGIN = 56
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

COLOURS = {
    Outcome.Level.IMPACT: "#fde2c8",
    Outcome.Level.LONG_TERM: "#fff1c1",
    Outcome.Level.INTERMEDIATE: "#dff0d8",
    Outcome.Level.EARLY: "#d9ecf7",
    "intervention": "#ece6f5",
}


@dataclass
class Node:
    key: tuple  # ("outcome", id) or ("intervention", id)
    text: str
    layer: int
    fill: str
    dashed: bool = False
    flagged: bool = False
    lines: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0
    height: float = 0

    @property
    def centre(self) -> float:
        return self.x + NODE_WIDTH / 2


def _wrap(text: str) -> list[str]:
    lines = textwrap.wrap(text, CHARS_PER_LINE, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: CHARS_PER_LINE - 1].rstrip() + "…"
    return lines


def _order_layers(layers: list[list[Node]], up: dict, down: dict) -> None:
    """Barycentre ordering: sweep down (by neighbours above) then up (by neighbours below)."""

    def position_map():
        return {node.key: index for layer in layers for index, node in enumerate(layer)}

    for _sweep in range(4):
        for index in range(1, len(layers)):
            pos = position_map()
            layers[index].sort(key=lambda n, p=pos: _barycentre(n, up, p))
        for index in range(len(layers) - 2, -1, -1):
            pos = position_map()
            layers[index].sort(key=lambda n, p=pos: _barycentre(n, down, p))


def _barycentre(node: Node, neighbours: dict, pos: dict) -> float:
    keys = [k for k in neighbours.get(node.key, ()) if k in pos]
    if not keys:
        return pos[node.key]
    return sum(pos[k] for k in keys) / len(keys)


def toc_svg(instance: ToolInstance, *, highlight_findings: bool = True) -> str:
    """The diagram of a Theory of Change instance as an <svg> element (a string)."""
    outcomes = list(instance.outcomes.all())
    links = list(instance.links.all())
    interventions = list(instance.interventions.all())
    flagged = set()
    if highlight_findings:
        for finding in findings(instance):
            flagged.update(element for element in finding.elements if element[0] == "outcome")

    level_index = {level: i for i, level in enumerate(Outcome.LEVEL_ORDER)}
    layers: list[list[Node]] = [[] for _ in range(len(Outcome.LEVEL_ORDER) + 1)]
    nodes: dict[tuple, Node] = {}
    for outcome in outcomes:
        key = ("outcome", outcome.pk)
        node = Node(
            key=key,
            text=outcome.text,
            layer=level_index[outcome.level],
            fill=COLOURS[outcome.level],
            dashed=outcome.above_ceiling,
            flagged=key in flagged,
        )
        nodes[key] = node
        layers[node.layer].append(node)
    for intervention in interventions:
        key = ("intervention", intervention.pk)
        node = Node(key=key, text=intervention.text, layer=len(layers) - 1, fill=COLOURS["intervention"])
        nodes[key] = node
        layers[-1].append(node)

    # Neighbours for the ordering: "up" = what a node leads to, "down" = what leads to it.
    up: dict[tuple, list] = {}
    down: dict[tuple, list] = {}
    edges = []  # (source key, target key, kind)
    for link in links:
        source, target = ("outcome", link.source_id), ("outcome", link.target_id)
        edges.append((source, target, link.kind))
        up.setdefault(source, []).append(target)
        down.setdefault(target, []).append(source)
    for intervention in interventions:
        for outcome in intervention.outcomes.all():
            source, target = ("intervention", intervention.pk), ("outcome", outcome.pk)
            edges.append((source, target, "intervention"))
            up.setdefault(source, []).append(target)
            down.setdefault(target, []).append(source)
    _order_layers(layers, up, down)

    # Place: each layer on one or more rows of at most MAX_PER_ROW nodes, centred.
    widest = max([min(len(layer), MAX_PER_ROW) for layer in layers] + [3])
    content_width = widest * NODE_WIDTH + (widest - 1) * GAP_X
    # Rows of a wrapped layer are staggered by half a box, so arrows from a lower row run up
    # through the gaps of the row above instead of behind its boxes.
    stagger = (NODE_WIDTH + GAP_X) / 2
    if any(len(layer) > MAX_PER_ROW for layer in layers):
        content_width += stagger
    width = LEFT_MARGIN + content_width + 40
    y = TOP_MARGIN
    layer_bands = []  # (layer index, top, bottom)
    for index, layer in enumerate(layers):
        top = y
        rows = [layer[i : i + MAX_PER_ROW] for i in range(0, len(layer), MAX_PER_ROW)] or [[]]
        for row_index, row in enumerate(rows):
            row_width = len(row) * NODE_WIDTH + max(len(row) - 1, 0) * GAP_X
            shift = stagger / 2 if row_index % 2 else -stagger / 2
            x = LEFT_MARGIN + (content_width - row_width) / 2 + (shift if len(rows) > 1 else 0)
            row_height = 2 * PADDING + LINE_HEIGHT
            for node in row:
                node.lines = _wrap(node.text)
                node.height = 2 * PADDING + LINE_HEIGHT * len(node.lines)
                node.x, node.y = x, y
                x += NODE_WIDTH + GAP_X
                row_height = max(row_height, node.height)
            y += row_height + GAP_Y
        layer_bands.append((index, top, y - GAP_Y))
    height = y + 50

    labels = [
        _("Impact"),
        _("Long-term outcomes"),
        _("Intermediate outcomes"),
        _("Early outcomes"),
        _("Interventions"),
    ]
    title = instance.display_title
    if title != instance.template.display_name():
        title = _("Theory of Change: %(title)s") % {"title": title}
    # Three phrases of their own, each with its number's plural form, listed with commas.
    description = ", ".join(
        (
            ngettext("%(count)d outcome", "%(count)d outcomes", len(outcomes)) % {"count": len(outcomes)},
            ngettext("%(count)d link", "%(count)d links", len(links)) % {"count": len(links)},
            ngettext("%(count)d intervention", "%(count)d interventions", len(interventions))
            % {"count": len(interventions)},
        )
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="toc-diagram" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="12" '
        f'aria-labelledby="toc-title-{instance.pk} toc-desc-{instance.pk}">',
        f'<title id="toc-title-{instance.pk}">{escape(title)}</title>',
        f'<desc id="toc-desc-{instance.pk}">{escape(description)}</desc>',
        "<defs>"
        + _marker(f"arrow-{instance.pk}", "#333")
        + _marker(f"arrow-grey-{instance.pk}", "#777")
        + "</defs>",
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    # Layer bands and their names on the left.
    for index, top, bottom in layer_bands:
        if index % 2 == 0:
            out.append(
                f'<rect x="0" y="{top - GAP_Y / 2:.0f}" width="{width:.0f}" '
                f'height="{bottom - top + GAP_Y:.0f}" fill="#f6f6f6"/>'
            )
        out.append(
            f'<text x="12" y="{top + 18:.0f}" font-weight="bold" fill="#333">{escape(labels[index])}</text>'
        )

    # Ceiling of accountability: below the last layer whose outcomes are all above it.
    ceiling_bottom = None
    for index, _top, bottom in layer_bands[:-1]:
        layer = layers[index]
        if layer and all(node.dashed for node in layer):
            ceiling_bottom = bottom
        elif layer:
            break
    if ceiling_bottom is not None:
        line_y = ceiling_bottom + GAP_Y / 2
        out.append(
            f'<line x1="0" y1="{line_y:.0f}" x2="{width:.0f}" y2="{line_y:.0f}" stroke="#b3261e" '
            'stroke-width="1.5" stroke-dasharray="8 5"/>'
        )
        out.append(
            f'<text x="{width - 12:.0f}" y="{line_y - 6:.0f}" text-anchor="end" fill="#b3261e" '
            'font-size="11">'
            f"{escape(_('ceiling of accountability'))}</text>"
        )

    # Edges first, so boxes sit on top of them.
    for source_key, target_key, kind in edges:
        source, target = nodes.get(source_key), nodes.get(target_key)
        if source is None or target is None:
            continue
        out.append(_edge(source, target, kind, suffix=instance.pk))

    for node in nodes.values():
        stroke = "#b3261e" if node.flagged else "#555"
        stroke_width = 2.5 if node.flagged else 1.2
        dash = ' stroke-dasharray="5 3"' if node.dashed else ""
        out.append(f'<g class="toc-node" data-element="{node.key[0]}-{node.key[1]}">')
        out.append(
            f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{NODE_WIDTH}" height="{node.height:.0f}" rx="6" '
            f'fill="{node.fill}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}/>'
        )
        out.append(
            f'<text x="{node.centre:.0f}" y="{node.y + PADDING + 11:.0f}" text-anchor="middle" fill="#111">'
        )
        for i, line in enumerate(node.lines):
            dy = 0 if i == 0 else LINE_HEIGHT
            out.append(f'<tspan x="{node.centre:.0f}" dy="{dy}">{escape(line)}</tspan>')
        out.append("</text></g>")

    # Legend.
    legend_y = height - 22
    out.append(
        f'<text x="12" y="{legend_y:.0f}" fill="#444" font-size="11">'
        + escape(
            _(
                "Arrows: leads to. Dashed arrows: feedback. "
                "Dashed boxes: above the ceiling of accountability. Red boxes: see the findings."
            )
        )
        + "</text>"
    )
    out.append("</svg>")
    return "".join(out)


def _edge(source: Node, target: Node, kind: str, *, suffix) -> str:
    colour = "#777" if kind == "intervention" else "#333"
    marker = f"arrow-grey-{suffix}" if kind == "intervention" else f"arrow-{suffix}"
    dash = ' stroke-dasharray="6 4"' if kind == CausalLink.Kind.FEEDBACK else ""
    if source is target:
        x, y = source.x + NODE_WIDTH, source.y + source.height / 2
        path = (
            f"M{x:.0f},{y - 8:.0f} C{x + 40:.0f},{y - 30:.0f} {x + 40:.0f},{y + 30:.0f} {x:.0f},{y + 8:.0f}"
        )
    elif target.y < source.y:  # upwards, the usual direction
        x1, y1 = source.centre, source.y
        x2, y2 = target.centre, target.y + target.height
        mid = (y1 + y2) / 2
        path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
    elif target.y > source.y:  # downwards, e.g. a feedback link
        x1, y1 = source.centre + 12, source.y + source.height
        x2, y2 = target.centre + 12, target.y
        mid = (y1 + y2) / 2
        path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
    else:  # same row: arc above
        x1, x2, y = source.centre, target.centre, source.y
        path = f"M{x1:.0f},{y:.0f} C{x1:.0f},{y - 40:.0f} {x2:.0f},{y - 40:.0f} {x2:.0f},{y:.0f}"
    return (
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} '
        f'marker-end="url(#{marker})"/>'
    )


def _marker(marker_id: str, colour: str) -> str:
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )
