"""The handbook (issue #20 §2): the methods library and the programme's published practice cases
as one PDF, in the language the requester chooses, with a table of contents. Registered with the
report engine by `register_report_kinds()`, from ExchangeConfig.ready(); rendered by the report
workers like every report (docs/reports.md).

It holds only what every staff member may read anyway: the methods and the published cases
(`selectors.published_cases`), so every organisation's staff and the coordinators may ask for it.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy

from reports.kinds import PDF, ReportKind, register
from reports.params import NoParams
from reports.renderers.base import RenderContext, write_pdf
from sempre.rules import is_coordinator, is_org_staff

from .selectors import case_quotes, methods_available, published_cases

HANDBOOK_CSS = Path(__file__).resolve().parent / "handbook.css"


def register_report_kinds() -> None:
    register(
        ReportKind(
            name="handbook",
            label=gettext_lazy("Handbook of methods and cases (PDF)"),
            file_format=PDF,
            params_form=NoParams,
            render=render_handbook_pdf,
            may_request=is_org_staff | is_coordinator,
            description=gettext_lazy(
                "Every method of the library, step by step, and the programme's published practice "
                "cases, with a table of contents."
            ),
        )
    )


def handbook_cases():
    """The published cases the handbook prints, newest first (the cases' own selector), each with
    `quotes`: the clients' stories it quotes, read as of this handbook's making through
    `case_quotes` (a story withdrawn or narrowed before is not printed). One query a case."""
    cases = list(published_cases())
    for case in cases:
        case.quotes = case_quotes(case)
    return cases


def render_handbook_pdf(ctx: RenderContext) -> None:
    steps = 3
    ctx.progress(0, steps)
    methods = [{"method": method, "text": method.text()} for method in methods_available()]
    ctx.progress(1, steps)
    titles = {item["method"].pk: item["text"]["title"] for item in methods}
    cases = handbook_cases()
    for case in cases:
        case.method_titles = [titles[method.pk] for method in case.methods.all() if method.pk in titles]
    ctx.progress(2, steps)
    write_pdf(
        ctx,
        "exchange/pdf/handbook.html",
        {"methods": methods, "cases": cases},
        extra_css=[HANDBOOK_CSS.read_text(encoding="utf-8")],
    )
    ctx.progress(steps, steps)
