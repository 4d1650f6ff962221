"""Reporting periods and progress reports (programme/progress, docs/programme-reporting.md)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.progress import services

WEB_REPORT = "login login ok 404 ok 404 404 ok"
WEB_TEAM_WRITE = "login login ok 404 ok 404 404 403"
WEB_COORDINATOR = "login login 403 403 403 403 403 ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
API_REPORT = "403 403 ok 404 ok 404 404 ok"
API_NO_SUCH_METHOD = "403 403 405 405 405 405 405 405"
READ_ONLY = "- - - - - - - -"

EXPECTED = {
    # the team's list, or the coordinator's table; reviewers hold no project
    "programme:progress_reports": ("login login ok ok ok 403 403 ok", WEB_NO_SUCH_METHOD),
    # setting a period: coordinators; a POST without dates is refused as invalid
    "programme:progress_period_create": (WEB_COORDINATOR, "login login 403 403 403 403 403 bad"),
    "programme:progress_report": (WEB_REPORT, WEB_NO_SUCH_METHOD),
    # the world's report is a draft: the team writes (a POST without the form's fields: 400)
    "programme:progress_report_edit": (WEB_TEAM_WRITE, "login login bad 404 bad 404 404 403"),
    # submitting the unwritten draft: refused, the page names the missing parts (a redirect to it)
    "programme:progress_report_submit": (WEB_NO_SUCH_METHOD, WEB_TEAM_WRITE),
    # a draft cannot be decided: the form comes back with the reason (400)
    "programme:progress_report_decide": (WEB_NO_SUCH_METHOD, "login login 403 404 403 404 404 bad"),
    # no file in the POST: the form comes back (400)
    "programme:progress_evidence_upload": (WEB_NO_SUCH_METHOD, "login login bad 404 bad 404 404 403"),
    "programme:progress_evidence_download": (WEB_REPORT, WEB_NO_SUCH_METHOD),
    "programme:progress_evidence_delete": (WEB_NO_SUCH_METHOD, WEB_TEAM_WRITE),
    # periods: organisation staff and coordinators read; coordinators set (no dates: 400)
    "api:reporting-period-list": ("403 403 ok ok ok 403 403 ok", "403 403 403 403 403 403 403 bad"),
    "api:reporting-period-detail": ("403 403 ok ok ok 403 403 ok", READ_ONLY),
    "api:progress-report-list": ("403 403 ok ok ok 403 403 ok", READ_ONLY),
    # PATCH {} changes nothing for the team (PUT is not offered)
    "api:progress-report-detail": (API_REPORT, "403 403 ok 404 ok 404 404 403"),
    "api:progress-report-submit": (API_NO_SUCH_METHOD, "403 403 bad 404 bad 404 404 403"),
    "api:progress-report-approve": (API_NO_SUCH_METHOD, "403 403 403 404 403 404 404 bad"),
    "api:progress-report-return": (API_NO_SUCH_METHOD, "403 403 403 404 403 404 404 bad"),
    # POST without a file: 400 for the team; coordinators add no evidence
    "api:progress-report-evidence": (API_REPORT, "403 403 bad 404 bad 404 404 403"),
    "api:progress-evidence-detail": (API_REPORT, "403 403 ok 404 ok 404 404 403"),
    "api:progress-evidence-download": (API_REPORT, READ_ONLY),
}


def _r(name, **kwargs):
    return lambda w: reverse(name, kwargs={k: (v(w) if callable(v) else v) for k, v in kwargs.items()})


def _report(w):
    return w.progress_report.pk


def _evidence(w):
    return w.progress_evidence.pk


URLS = {
    "programme:progress_reports": _r("programme:progress_reports"),
    "programme:progress_period_create": _r("programme:progress_period_create"),
    "programme:progress_report": _r("programme:progress_report", pk=_report),
    "programme:progress_report_edit": _r("programme:progress_report_edit", pk=_report),
    "programme:progress_report_submit": _r("programme:progress_report_submit", pk=_report),
    "programme:progress_report_decide": _r("programme:progress_report_decide", pk=_report),
    "programme:progress_evidence_upload": _r("programme:progress_evidence_upload", pk=_report),
    "programme:progress_evidence_download": _r("programme:progress_evidence_download", pk=_evidence),
    "programme:progress_evidence_delete": _r("programme:progress_evidence_delete", pk=_evidence),
    "api:reporting-period-list": _r("api:reporting-period-list"),
    "api:reporting-period-detail": _r("api:reporting-period-detail", pk=lambda w: w.reporting_period.pk),
    "api:progress-report-list": _r("api:progress-report-list"),
    "api:progress-report-detail": _r("api:progress-report-detail", pk=_report),
    "api:progress-report-submit": _r("api:progress-report-submit", pk=_report),
    "api:progress-report-approve": _r("api:progress-report-approve", pk=_report),
    "api:progress-report-return": _r("api:progress-report-return", pk=_report),
    "api:progress-report-evidence": _r("api:progress-report-evidence", pk=_report),
    "api:progress-evidence-detail": _r("api:progress-evidence-detail", pk=_evidence),
    "api:progress-evidence-download": _r("api:progress-evidence-download", pk=_evidence),
}


def extend_world(world) -> None:
    period = services.period_create(
        by=world.users["coord"], start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30), due=dt.date(2025, 7, 31)
    )
    world.objects["reporting_period"] = period
    report = period.reports.get(project=world.project)
    world.objects["progress_report"] = report
    world.objects["progress_evidence"] = services.evidence_add(
        report=report,
        by=world.users["sw"],
        file=SimpleUploadedFile("matrix.pdf", b"%PDF-1.4 matrix evidence"),
    )
