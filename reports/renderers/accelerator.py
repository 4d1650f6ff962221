"""Accelerator reports: the selection of a round (PDF and XLSX) and the start-ups (PDF).

They read through the accelerator's own functions, so the report shows exactly what its pages show:
`accelerator.ranking.round_rank(round=...)` for the ranking (raw and adjusted scores, spread,
P(top N), explanations) and `accelerator.selectors.startup_portfolio(user)` for the start-ups."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sempre import charts

from .base import RenderContext, safe_text, write_pdf

CHART_LIMIT = 30  # applications in the score chart; the table lists them all


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


def _selection_data(the_round) -> dict:
    from accelerator.models import Criterion, Decision
    from accelerator.ranking import round_rank

    ranking = round_rank(round=the_round)
    criteria = list(Criterion.objects.filter(round=the_round).order_by("pk"))
    decisions = {
        decision.application_id: decision
        for decision in Decision.objects.filter(application__round=the_round).select_related("decided_by")
    }
    return {
        "round": the_round,
        "ranking": ranking,
        "criteria": [{"criterion": c, "share": _percent(ranking.weights.get(c.pk))} for c in criteria],
        "rows": [
            {"row": row, "p_top_n": _percent(row.p_top_n), "decision": decisions.get(row.application_id)}
            for row in ranking.rows
        ],
    }


def render_selection_pdf(ctx: RenderContext) -> None:
    steps = 3
    ctx.progress(0, steps)
    data = _selection_data(ctx.params["round"])
    ctx.progress(1, steps)
    scored = [item["row"] for item in data["rows"] if item["row"].score is not None][:CHART_LIMIT]
    data["score_chart"] = (
        charts.bar_chart(
            title=_("Raw and adjusted mean scores"),
            labels=[row.title for row in scored],
            series={
                _("Raw mean"): [row.raw_mean for row in scored],
                _("Adjusted mean"): [row.adjusted_mean for row in scored],
            },
            horizontal=True,
        )
        if scored
        else ""
    )
    ctx.progress(2, steps)
    write_pdf(ctx, "reports/pdf/selection.html", data)
    ctx.progress(steps, steps)


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([safe_text(value) for value in row])


def render_selection_xlsx(ctx: RenderContext) -> None:
    steps = 2
    ctx.progress(0, steps)
    data = _selection_data(ctx.params["round"])
    ctx.progress(1, steps)
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("Criteria"),
        [_("Criterion"), _("Weight"), _("Share of the total (%)"), _("Scale from"), _("Scale to")],
        (
            [
                c["criterion"].name,
                c["criterion"].weight,
                c["share"],
                c["criterion"].scale_min,
                c["criterion"].scale_max,
            ]
            for c in data["criteria"]
        ),
    )
    _sheet(
        workbook,
        _("Ranking"),
        [
            _("Rank"),
            _("Application ID"),
            _("Application"),
            _("Score"),
            _("Raw mean"),
            _("Raw median"),
            _("Adjusted mean"),
            _("Adjusted median"),
            _("Spread"),
            _("Range"),
            _("Reviews"),
            _("Reviewers disagree"),
            _("In the top N"),
            _("P(top N) (%)"),
            _("Label"),
            _("Tie broken by"),
            _("Explanation"),
        ],
        (
            [
                item["row"].rank,
                item["row"].application_id,
                item["row"].title,
                item["row"].score,
                item["row"].raw_mean,
                item["row"].raw_median,
                item["row"].adjusted_mean,
                item["row"].adjusted_median,
                item["row"].spread,
                item["row"].total_range,
                item["row"].review_count,
                item["row"].disagreement,
                item["row"].in_top_n,
                item["p_top_n"],
                item["row"].label,
                item["row"].tie_broken_by,
                item["row"].explanation.text if item["row"].explanation else "",
            ]
            for item in data["rows"]
        ),
    )
    _sheet(
        workbook,
        _("Decisions"),
        [
            _("Application ID"),
            _("Application"),
            _("Decision"),
            _("Rationale"),
            _("Decided by"),
            _("Decided at"),
        ],
        (
            [
                item["row"].application_id,
                item["row"].title,
                str(item["decision"].get_outcome_display()),
                item["decision"].rationale,
                str(item["decision"].decided_by),
                item["decision"].decided_at.replace(tzinfo=None),
            ]
            for item in data["rows"]
            if item["decision"] is not None
        ),
    )
    workbook.save(str(ctx.path))
    ctx.progress(steps, steps)


def render_startups_pdf(ctx: RenderContext) -> None:
    from accelerator.models import MonthlyFigure
    from accelerator.selectors import startup_portfolio

    steps = 3
    ctx.progress(0, steps)
    startups = startup_portfolio(ctx.user)
    figures: dict[int, list] = {}
    for figure in MonthlyFigure.objects.filter(startup_id__in=[s.id for s in startups]).order_by(
        "startup_id", "month"
    ):
        figures.setdefault(figure.startup_id, []).append(figure)
    ctx.progress(1, steps)
    months = sorted({month for s in startups for month in s.months})
    series = {}
    for startup in startups:
        by_month = dict(zip(startup.months, startup.ratios, strict=False))
        series[startup.name] = [_percent(by_month.get(month)) for month in months]
    chart = (
        charts.line_chart_by_month(
            title=_("Self-sufficiency over time (earned income as % of costs)"), months=months, series=series
        )
        if months
        else ""
    )
    ctx.progress(2, steps)
    write_pdf(
        ctx,
        "reports/pdf/startups.html",
        {
            "startups": [
                {"summary": s, "latest": _percent(s.latest_ratio), "figures": figures.get(s.id, [])}
                for s in startups
            ],
            "chart": chart,
        },
    )
    ctx.progress(steps, steps)
