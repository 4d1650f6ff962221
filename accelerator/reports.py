"""The accelerator's report kinds: the selection of a round (PDF and XLSX) and the start-ups (PDF).
Registered with the report engine by `register_report_kinds()`, from AcceleratorConfig.ready().

They read through the accelerator's own functions, so the report shows exactly what its pages show:
`ranking.round_rank(round=...)` for the ranking (raw and adjusted scores, spread, P(top N),
explanations) and `selectors.startup_portfolio(user)` for the start-ups."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.kinds import PDF, XLSX, ReportKind, register
from reports.params import NoParams, ReportParamsForm
from reports.renderers.base import RenderContext, write_pdf
from reports.renderers.spreadsheets import Sheet, write_xlsx
from sempre import charts
from sempre.rules import is_coordinator

from .models import Criterion, Decision, MonthlyFigure
from .ranking import round_rank
from .selectors import rounds_visible_to, startup_portfolio

CHART_LIMIT = 30  # applications in the score chart; the table lists them all


class SelectionParams(ReportParamsForm):
    legend = gettext_lazy("For accelerator selection reports")
    round = forms.ModelChoiceField(
        label=gettext_lazy("Accelerator round"),
        queryset=None,
        error_messages={"invalid_choice": gettext_lazy("There is no such accelerator round.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["round"].queryset = rounds_visible_to(user).order_by("-opens_at", "-pk")


def register_report_kinds() -> None:
    register(
        ReportKind(
            name="selection",
            label=gettext_lazy("Accelerator selection (PDF)"),
            file_format=PDF,
            params_form=SelectionParams,
            render=render_selection_pdf,
            may_request=is_coordinator,
            description=gettext_lazy(
                "Criteria and weights, ranking with raw and adjusted scores, explanations, decisions."
            ),
        )
    )
    register(
        ReportKind(
            name="selection_xlsx",
            label=gettext_lazy("Accelerator selection (Excel)"),
            file_format=XLSX,
            params_form=SelectionParams,
            render=render_selection_xlsx,
            may_request=is_coordinator,
            description=gettext_lazy("Sheets of criteria, the ranking with every figure, and the decisions."),
        )
    )
    register(
        ReportKind(
            name="startups",
            label=gettext_lazy("Start-ups (PDF)"),
            file_format=PDF,
            params_form=NoParams,
            render=render_startups_pdf,
            may_request=is_coordinator,
            description=gettext_lazy(
                "Self-sufficiency over time, milestones and monthly figures of every start-up."
            ),
        )
    )


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


def _selection_data(the_round) -> dict:
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


def render_selection_xlsx(ctx: RenderContext) -> None:
    steps = 2
    ctx.progress(0, steps)
    data = _selection_data(ctx.params["round"])
    ctx.progress(1, steps)
    criteria = Sheet(
        title=_("Criteria"),
        headings=[_("Criterion"), _("Weight"), _("Share of the total (%)"), _("Scale from"), _("Scale to")],
        rows=(
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
    ranking = Sheet(
        title=_("Ranking"),
        headings=[
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
        rows=(
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
    decisions = Sheet(
        title=_("Decisions"),
        headings=[
            _("Application ID"),
            _("Application"),
            _("Decision"),
            _("Rationale"),
            _("Decided by"),
            _("Decided at"),
        ],
        rows=(
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
    write_xlsx(ctx, [criteria, ranking, decisions])
    ctx.progress(steps, steps)


def render_startups_pdf(ctx: RenderContext) -> None:
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
            title=_("Self-sufficiency over time (earned income as a percentage of costs)"),
            months=months,
            series=series,
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
