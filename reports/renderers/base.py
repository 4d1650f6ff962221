"""What a renderer gets, progress of long renders, and the helpers of PDF reports: WeasyPrint without
network, small counts."""

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string

SMALL_COUNT_THRESHOLD = 5
# A long render saves its progress at most this often (seconds): the report page polls every 2 s,
# and one UPDATE every 2 s costs nothing next to the rows (an UPDATE every few thousand rows did).
PROGRESS_INTERVAL_SECONDS = 2.0
PDF_STYLESHEET = Path(__file__).resolve().parent.parent / "pdf.css"


@dataclass
class RenderContext:
    job: Any  # ReportJob
    user: Any  # the requester; the data is what they may see
    params: dict  # cleaned parameters (model instances, dates)
    path: Path  # write the report here (a temporary file)
    progress: Callable[[int, int], None]  # progress(done, total); also proves the claim is still ours


class ProgressMeter:
    """Rows done out of `total` (an estimate is fine: done is capped at total), saved with
    `ctx.progress` when the meter starts, at most every PROGRESS_INTERVAL_SECONDS while it runs,
    and when it finishes. `update(done)` is cheap (a clock read), so a writer can call it per row.
    """

    def __init__(self, ctx: RenderContext, total: int):
        self.ctx = ctx
        self.total = total
        self.done = 0
        self.interval = PROGRESS_INTERVAL_SECONDS
        self._due = time.monotonic() + self.interval
        ctx.progress(0, total)

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now >= self._due:
            self._due = now + self.interval
            self._save()

    def finish(self) -> None:
        self.done = self.total
        self._save()

    def _save(self) -> None:
        self.ctx.progress(min(self.done, self.total), self.total)

    @contextlib.contextmanager
    def saved_by_a_thread(self):
        """For a block that holds the database connection (PostgreSQL's COPY, during which the
        connection can run nothing else): set `meter.done` in it, and a thread saves it every
        interval on its own connection. If the claim was lost meanwhile, that is raised after the
        block."""
        stop = threading.Event()
        failures = []

        def save():
            try:
                while not stop.wait(self.interval):
                    self._save()
            except Exception as error:  # ClaimLost, or the database: the renderer raises it
                failures.append(error)
            finally:
                connection.close()  # this thread's own connection

        thread = threading.Thread(target=save, name="report-progress", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
        if failures:
            raise failures[0]


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
