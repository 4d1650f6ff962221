"""What a renderer gets, and the helpers of PDF reports: WeasyPrint without network, small counts."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

SMALL_COUNT_THRESHOLD = 5
PDF_STYLESHEET = Path(__file__).resolve().parent.parent / "pdf.css"


@dataclass
class RenderContext:
    job: Any  # ReportJob
    user: Any  # the requester; the data is what they may see
    params: dict  # cleaned parameters (model instances, dates)
    path: Path  # write the report here (a temporary file)
    progress: Callable[[int, int], None]  # progress(done, total); also proves the claim is still ours


def small_count(value):
    """Counts from 1 to 4 in disaggregated tables are shown as "<5", so nobody can be singled out."""
    if value is None:
        return "-"
    if 0 < value < SMALL_COUNT_THRESHOLD:
        return f"<{SMALL_COUNT_THRESHOLD}"
    return value


def write_pdf(ctx: RenderContext, template: str, context: dict, extra_css=()) -> None:
    """Render an HTML template to PDF with WeasyPrint. Images and fonts are embedded; nothing is
    fetched from the network."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which only workers need

    html = render_to_string(template, {"job": ctx.job, "requester": ctx.user, **context})
    HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=_no_network).write_pdf(
        target=str(ctx.path),
        stylesheets=[CSS(filename=str(PDF_STYLESHEET)), *(CSS(string=css) for css in extra_css)],
    )


def _no_network(url, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if not url.startswith(("data:", "file:")):
        raise ValueError(f"Reports do not fetch {url!r}")
    return default_url_fetcher(url, *args, **kwargs)
