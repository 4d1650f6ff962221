"""The reports code the benchmark drives, imported lazily (reports are written by another area)."""

from __future__ import annotations

from pathlib import Path


def render_programme_pdf(user, path: Path, *, projects: int) -> int:
    """Render the programme PDF as `user` sees the programme; the number of projects in it."""
    from bench.child import NotAvailable

    try:
        from microprojects.selectors import projects_visible_to
        from reports.models import ReportJob
        from reports.renderers import base, pdf
    except ImportError as error:
        raise NotAvailable(f"reports PDF renderer: {error}") from error
    renderer = getattr(pdf, "render_programme_pdf", None)
    if renderer is None:
        raise NotAvailable("reports.renderers.pdf.render_programme_pdf does not exist yet")
    job = ReportJob(kind="programme", requested_by=user, params={})  # unsaved: the template reads it only
    ctx = base.RenderContext(job=job, user=user, params={}, path=path, progress=lambda done, total: None)
    renderer(ctx)
    return projects_visible_to(user).count()
