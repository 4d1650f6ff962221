"""Server-side SVG charts, for dashboards in the browser and for PDF reports.

Every function returns SVG markup (a safe string) that works without JavaScript and without the
network: pygal's script tag is removed, its styles stay inside the SVG. The SVG carries a <title>
and a <desc> and answers as one image to assistive technology (`role="img"`); `data_table` gives
the same numbers as an HTML table, and `figure` puts both together for a web page.

Series are given as a mapping of series name -> values, one value per label (None: no value).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from html import escape

import pygal
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

Number = int | float | Decimal | None

# Colours with at least 3:1 contrast against white, distinguishable for the common colour
# vision deficiencies (Okabe-Ito palette, darkened where needed).
PALETTE = ("#0b5cad", "#c45a00", "#1f7a3a", "#8e3b8c", "#5b6770", "#a6761d", "#0a7f8c", "#b3261e")

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#888",
    colors=PALETTE,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=14,
    title_font_size=18,
)

_id_counter = itertools.count(1)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _number(value: Number) -> float | None:
    return None if value is None else float(value)


def _format(value: Number) -> str:
    if value is None:
        return "\u2013"  # an en dash: no value
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return formats.number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), use_l10n=True, force_grouping=True)


def _config(**overrides) -> dict:
    config = {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 800,
        "height": 400,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "show_y_guides": True,
        "print_values": False,
        "truncate_label": 24,
        "truncate_legend": 30,
        "margin": 16,
        "no_data_text": _("No data yet"),
        "value_formatter": _format,
    }
    config.update(overrides)
    return config


def _accessible(svg: str, *, title: str, description: str) -> SafeString:
    """Strip pygal's script and comments; make the SVG one labelled image."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg)).replace("<title>Pygal</title>", "")
    svg = svg.replace('style="opacity: 0"', 'opacity="0"')  # pygal's tooltip; no inline CSS
    uid = next(_id_counter)
    # pygal names its legend entries activate-serie-0, -1, … in every chart (for the script removed
    # above): unique per chart, so a page or PDF with several charts has no id twice.
    svg = svg.replace('id="activate-serie-', f'id="chart-{uid}-serie-')
    title_id, desc_id = f"chart-title-{uid}", f"chart-desc-{uid}"
    opening = _SVG_OPEN.search(svg)
    if opening is None:  # pragma: no cover - pygal always renders an <svg> root
        raise ValueError("not an SVG document")
    tag = opening.group(0)
    new_tag = tag[:-1] + f' role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">'
    head = f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
    return mark_safe(svg[: opening.start()] + new_tag + head + svg[opening.end() :])  # noqa: S308 - escaped above


def _describe(labels: Sequence[str], series: Mapping[str, Sequence[Number]]) -> str:
    """A plain-words summary for the <desc>: every series with its values."""
    parts = []
    for name, values in series.items():
        pairs = ", ".join(f"{label}: {_format(value)}" for label, value in zip(labels, values, strict=False))
        parts.append(f"{name} — {pairs}" if pairs else str(name))
    return "; ".join(parts)


def _render(chart_class, *, title, labels, series, description, show_title, **overrides) -> SafeString:
    chart = chart_class(**_config(title=title if show_title else None, **overrides))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(str(name), [_number(v) for v in values])
    return _accessible(
        chart.render(is_unicode=True),
        title=title,
        description=description or _describe([str(x) for x in labels], series),
    )


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    description: str = "",
    horizontal: bool = False,
    show_title: bool = False,
) -> SafeString:
    """Grouped bars: one group per label, one bar per series."""
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    overrides = {"show_legend": len(series) > 1}
    if horizontal:
        overrides["height"] = max(200, 60 + 40 * len(labels) * max(1, len(series)))
    else:
        overrides["x_label_rotation"] = 30 if len(labels) > 6 else 0
    return _render(
        chart_class,
        title=title,
        labels=labels,
        series=series,
        description=description,
        show_title=show_title,
        **overrides,
    )


def stacked_bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    description: str = "",
    show_title: bool = False,
) -> SafeString:
    """Stacked bars: one bar per label, the series stacked on top of each other."""
    return _render(
        pygal.StackedBar,
        title=title,
        labels=labels,
        series=series,
        description=description,
        show_title=show_title,
        x_label_rotation=30 if len(labels) > 6 else 0,
    )


def month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def short_month_label(month: date) -> str:
    """ "Dec 2025": a month's abbreviated name, in the active language, and its year."""
    return formats.date_format(month, "M Y")


def line_chart_by_month(
    *,
    title: str,
    months: Sequence[date],
    series: Mapping[str, Sequence[Number]],
    description: str = "",
    show_title: bool = False,
) -> SafeString:
    """Lines over months; `months` are the first days of consecutive months."""
    labels = [short_month_label(m) for m in months]
    rotated = len(labels) > 6
    return _render(
        pygal.Line,
        title=title,
        labels=labels,
        series=series,
        description=description or _describe([month_label(m) for m in months], series),
        show_title=show_title,
        include_x_axis=True,  # counts: the axis starts at 0, so small values do not look like none
        x_label_rotation=30 if rotated else 0,
        # pygal leaves too little room under rotated labels and cut the legend off.
        margin_bottom=16 + (36 if rotated else 0),
        show_minor_x_labels=len(labels) <= 12,
        x_labels_major_every=3 if len(labels) > 12 else None,
        dots_size=4,
        show_legend=len(series) > 1,
    )


def progress_bars(
    *, title: str, items: Sequence[tuple[str, Number]], description: str = "", width: int = 800
) -> SafeString:
    """Horizontal bars of progress in per cent (0 to 100, longer bars are capped; None: no data),
    drawn directly as SVG so that they stay crisp in small sizes and in PDFs."""
    row, label_width, bar_width = 44, int(width * 0.38), int(width * 0.42)
    height = max(row, row * len(items)) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="progress-chart">',
    ]
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        percent = _number(value)
        shown = 0 if percent is None else max(0.0, min(100.0, percent))
        colour = PALETTE[2] if percent is not None and percent >= 100 else PALETTE[0]
        text = _("no measurement") if percent is None else f"{_format(round(percent))} %"
        parts.append(
            f'<text x="0" y="{y + 26}" font-size="16" fill="#222">{escape(str(label)[:48])}</text>'
            f'<rect x="{label_width}" y="{y + 8}" width="{bar_width}" height="24" rx="4" fill="#e6e9ec"/>'
            f'<rect x="{label_width}" y="{y + 8}" width="{bar_width * shown / 100:.1f}" height="24" '
            f'rx="4" fill="{colour}"/>'
            f'<text x="{label_width + bar_width + 10}" y="{y + 26}" font-size="16" fill="#222">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    summary = description or "; ".join(
        f"{label}: {_('no measurement') if v is None else f'{_format(round(float(v)))} %'}"
        for label, v in items
    )
    return _accessible("".join(parts), title=title, description=summary)


def data_table(
    *,
    caption: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    label_heading: str = "",
) -> SafeString:
    """The numbers behind a chart as an HTML table (rows: labels, columns: series)."""
    head = "".join(f'<th scope="col">{escape(str(name))}</th>' for name in series)
    rows = []
    for index, label in enumerate(labels):
        cells = "".join(
            f'<td class="numeric">{escape(_format(values[index] if index < len(values) else None))}</td>'
            for values in series.values()
        )
        rows.append(f'<tr><th scope="row">{escape(str(label))}</th>{cells}</tr>')
    return mark_safe(  # noqa: S308 - every piece is escaped above
        f"<table><caption>{escape(caption)}</caption>"
        f'<thead><tr><th scope="col">{escape(label_heading)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def figure(*, svg: str, table: str = "", caption: str = "") -> SafeString:
    """A chart for a web page: the SVG, a caption, and its data table behind a disclosure."""
    parts = ['<figure class="chart">', str(svg)]
    if caption:
        parts.append(f"<figcaption>{escape(caption)}</figcaption>")
    if table:
        parts.append(
            f'<details class="chart-data"><summary>{escape(_("Show the data as a table"))}</summary>'
            f'<div class="table-wrap">{table}</div></details>'
        )
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - svg and table are safe strings, the rest escaped
