"""Helpers for the apps' renderers. A renderer is one function `render(ctx: RenderContext)` that
writes the report to `ctx.path` and reports progress through `ctx.progress(done, total)`; it lives
in the app whose data it shows (`microprojects/reports.py`, `accelerator/reports.py`).

`base`: RenderContext, PDF with WeasyPrint (`write_pdf`), `small_count`. `spreadsheets`: streamed
CSV and XLSX, formula defusing."""
