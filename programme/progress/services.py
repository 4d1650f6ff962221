"""Writes of reporting periods and progress reports: one function per state change, each in a
transaction, with its permission check and every validation error at once.

Workflow: draft -> submitted -> approved | returned; returned -> submitted again. Submitting fills
in the figures (`submitted_figures`); approving freezes the figures as submitted, the narrative and
the corrections to earlier periods into `approved_snapshot`, which the report shows from then on.
"""

import hashlib
import zipfile
from datetime import date

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microprojects.models import MicroProject
from sempre import audit
from sempre.audit_actions import EVIDENCE_DOWNLOAD
from sempre.rules import require
from sempre.updates import UNCHANGED, given

from ..models import EvidenceFile, ProgressReport, ProgressReportEvent, ReportingPeriod
from . import selectors

# The beat task that creates the reports of projects that became active after a period was set.
CREATE_REPORTS_TASK = "sempre.programme.progress_reports_create"

NARRATIVE_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
EVIDENCE_MAX_FILES = 20


def evidence_max_bytes() -> int:
    return getattr(settings, "SEMPRE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


# Periods -----------------------------------------------------------------------------------------


def period_create(*, by, start: date, end: date, due: date) -> ReportingPeriod:
    """A reporting period, and at once a draft report for every active project that runs in it."""
    require(by, "programme.manage_reportingperiods", message=_("Only coordinators set reporting periods."))
    errors = {}
    if start and end and end < start:
        errors["end"] = _("The end of the period must be on or after its start.")
    if end and due and due < end:
        errors["due"] = _("The due date must be on or after the end of the period.")
    if start and end and ReportingPeriod.objects.filter(start=start, end=end).exists():
        errors["start"] = _("There is already a reporting period with these dates.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            period = ReportingPeriod.objects.create(start=start, end=end, due=due, created_by=by)
            reports_create(period=period)
    except IntegrityError as error:  # the same dates set by somebody else a moment ago
        raise ValidationError(
            {"start": _("There is already a reporting period with these dates.")}
        ) from error
    return period


def projects_reporting_on(period: ReportingPeriod):
    """The projects that report on `period`: active, and running during it (started by its end,
    or registered by then when no start is set; not ended before its start)."""
    started = Q(start_date__lte=period.end) | Q(start_date__isnull=True, created_at__date__lte=period.end)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    return MicroProject.objects.filter(started, not_ended, status=MicroProject.Status.ACTIVE)


def reports_create(*, period: ReportingPeriod) -> int:
    """A draft report for every project that reports on `period` and has none yet; how many were
    made. Safe to run again and side by side (the unique constraint; conflicts are skipped)."""
    missing = (
        projects_reporting_on(period).exclude(progress_reports__period=period).values_list("pk", flat=True)
    )
    created = ProgressReport.objects.bulk_create(
        [ProgressReport(period=period, project_id=pk) for pk in missing], ignore_conflicts=True
    )
    return len(created)


def reports_create_all(*, today: date | None = None) -> int:
    """The reports of every period that is not yet due-and-over (the beat task): projects that
    became active after a period was set get theirs. Earlier periods are left as they were."""
    today = today or timezone.now().date()
    return sum(reports_create(period=period) for period in ReportingPeriod.objects.filter(due__gte=today))


# The team's part ---------------------------------------------------------------------------------


def _locked(report: ProgressReport) -> ProgressReport:
    """The report's row, locked for the rest of the transaction (two people submitting, or a
    coordinator deciding while the team edits, are served one after the other)."""
    return ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)


def _not_editable(report: ProgressReport) -> ValidationError:
    if report.status == ProgressReport.Status.SUBMITTED:
        message = _("The report has been submitted and waits for the coordinator; it cannot be changed now.")
    else:
        message = _("The report has been approved and is frozen; it cannot be changed.")
    return ValidationError({"status": message})


@transaction.atomic
def report_update(
    *, report: ProgressReport, by, highlights=UNCHANGED, problems=UNCHANGED, next_steps=UNCHANGED
) -> ProgressReport:
    """Write the team's narrative (only the parts given change)."""
    require(
        by, "programme.change_progressreport", report, message=_("Only the project's team writes its report.")
    )
    report = _locked(report)
    if not report.is_editable:
        raise _not_editable(report)
    values = given(highlights=highlights, problems=problems, next_steps=next_steps)
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str):
            errors[name] = _("Text, please.")
        elif len(value) > NARRATIVE_MAX_LENGTH:
            errors[name] = _("At most %(max)s characters, please.") % {"max": f"{NARRATIVE_MAX_LENGTH:,}"}
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(report, name, value.strip())
    report.save(update_fields=[*values, "updated_at"])
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, by) -> ProgressReport:
    """Send the report to the coordinator: the platform fills in the figures as of now. Every part
    of the narrative must be written."""
    require(
        by,
        "programme.change_progressreport",
        report,
        message=_("Only the project's team submits its report."),
    )
    report = _locked(report)
    if report.status == ProgressReport.Status.SUBMITTED:
        return report  # submitted twice (a double click): nothing more to do
    if not report.is_editable:
        raise _not_editable(report)
    errors = {
        name: _("Please write this part before you submit.")
        for name in ProgressReport.NARRATIVE_FIELDS
        if not getattr(report, name).strip()
    }
    if errors:
        raise ValidationError(errors)
    report.submitted_figures = selectors.report_figures(report)
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_figures", "status", "submitted_at", "updated_at"])
    ProgressReportEvent.objects.create(report=report, action=ProgressReportEvent.Action.SUBMITTED, by=by)
    return report


# The coordinator's part --------------------------------------------------------------------------


def _decidable(report: ProgressReport, by) -> ProgressReport:
    require(
        by,
        "programme.decide_progressreport",
        report,
        message=_("Only coordinators approve or return reports."),
    )
    report = _locked(report)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be approved or returned.")})
    return report


def _comment_errors(comment, *, required: bool) -> dict:
    if not isinstance(comment, str):
        return {"comment": _("Text, please.")}
    if required and not comment.strip():
        return {"comment": _("Please say what the team should change.")}
    if len(comment) > COMMENT_MAX_LENGTH:
        return {"comment": _("At most %(max)s characters, please.") % {"max": f"{COMMENT_MAX_LENGTH:,}"}}
    return {}


@transaction.atomic
def report_return(*, report: ProgressReport, by, comment: str) -> ProgressReport:
    """Send the report back to the team with the coordinator's comments; they change it and submit
    it again."""
    report = _decidable(report, by)
    errors = _comment_errors(comment, required=True)
    if errors:
        raise ValidationError(errors)
    report.status = ProgressReport.Status.RETURNED
    report.return_comment = comment.strip()
    report.save(update_fields=["status", "return_comment", "updated_at"])
    ProgressReportEvent.objects.create(
        report=report, action=ProgressReportEvent.Action.RETURNED, by=by, comment=report.return_comment
    )
    return report


@transaction.atomic
def report_approve(*, report: ProgressReport, by, comment: str = "") -> ProgressReport:
    """Approve the report and freeze it: the figures as submitted, the narrative and the corrections
    to earlier periods are kept as they are now, whatever is corrected later."""
    report = _decidable(report, by)
    errors = _comment_errors(comment, required=False)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    report.approved_snapshot = {
        "figures": report.submitted_figures or selectors.report_figures(report),
        "narrative": {name: getattr(report, name) for name in ProgressReport.NARRATIVE_FIELDS},
        "corrections": selectors.corrections_to_earlier_periods(report),
        "approved_at": now.isoformat(),
    }
    report.status = ProgressReport.Status.APPROVED
    report.approved_at = now
    report.save(update_fields=["approved_snapshot", "status", "approved_at", "updated_at"])
    ProgressReportEvent.objects.create(
        report=report, action=ProgressReportEvent.Action.APPROVED, by=by, comment=comment.strip()
    )
    return report


# Evidence ----------------------------------------------------------------------------------------

# Accepted kinds: extension -> (content type, how the content is recognised).
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
EVIDENCE_TYPES = {
    "pdf": PDF,
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "ods": ODS,
    "odp": ODP,
}
# The folder an Office Open XML package keeps its main part in.
OOXML_PARTS = {DOCX: "word/", XLSX: "xl/", PPTX: "ppt/"}


def _zip_type(upload) -> str | None:
    """The office type of a ZIP package: ODF names itself in its first member `mimetype`; OOXML
    has [Content_Types].xml and its main folder."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if names and names[0] == "mimetype":
                with package.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS, ODP) else None
            if "[Content_Types].xml" in names:
                for content_type, folder in OOXML_PARTS.items():
                    if any(name.startswith(folder) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload) -> str | None:
    """The content type the file's first bytes (its "magic") show, among the accepted ones."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    return None


def evidence_errors(upload) -> dict[str, str]:
    """Why a file cannot be evidence, keyed `file`: too large, an extension we do not take, or
    content that is not what its name says."""
    if upload is None:
        return {"file": _("Please choose a file.")}
    limit = evidence_max_bytes()
    if upload.size > limit:
        return {
            "file": _("The file is %(size)s MB; at most %(max)s MB, please.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": f"{limit / 1024 / 1024:g}"}
        }
    if upload.size == 0:
        return {"file": _("The file is empty.")}
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    expected = EVIDENCE_TYPES.get(extension)
    if expected is None:
        return {
            "file": _(
                "Evidence can be a PDF, an image (PNG, JPEG, GIF, WebP) or an office document "
                "(DOCX, XLSX, PPTX, ODT, ODS, ODP)."
            )
        }
    if sniff(upload) != expected:
        return {
            "file": _("The file's content is not a %(kind)s file, as its name says.")
            % {"kind": extension.upper()}
        }
    return {}


@transaction.atomic
def evidence_add(*, report: ProgressReport, by, file, description: str = "") -> EvidenceFile:
    """Attach a file to the report (while the team may change it). Its content is checked, not
    its name or the type the browser sent; it is stored where only the download views reach it."""
    require(
        by, "programme.change_progressreport", report, message=_("Only the project's team adds evidence.")
    )
    report = _locked(report)
    if not report.is_editable:
        raise _not_editable(report)
    errors = evidence_errors(file)
    if not isinstance(description, str):
        errors["description"] = _("Text, please.")
    elif len(description) > 300:
        errors["description"] = _("At most %(max)s characters, please.") % {"max": 300}
    if report.evidence.count() >= EVIDENCE_MAX_FILES:
        errors.setdefault(
            "file",
            ngettext(
                "A report holds at most %(max)s file.",
                "A report holds at most %(max)s files.",
                EVIDENCE_MAX_FILES,
            )
            % {"max": EVIDENCE_MAX_FILES},
        )
    if errors:
        raise ValidationError(errors)
    extension = file.name.rsplit(".", 1)[-1].lower()
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    try:
        stem = get_valid_filename(file.name.rsplit(".", 1)[0])[:80]
    except SuspiciousFileOperation:  # a name of dots or nothing but signs
        stem = ""
    stem = stem or "evidence"
    filename = f"{stem}.{extension}"
    evidence = EvidenceFile(
        report=report,
        filename=filename,
        content_type=EVIDENCE_TYPES[extension],
        size=file.size,
        checksum=digest.hexdigest(),
        description=description.strip(),
        uploaded_by=by,
    )
    evidence.file.save(filename, file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)  # no row, no file
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: EvidenceFile, by) -> None:
    report = evidence.report
    require(
        by, "programme.change_progressreport", report, message=_("Only the project's team removes evidence.")
    )
    report = _locked(report)
    if not report.is_editable:
        raise _not_editable(report)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def evidence_downloaded(*, evidence: EvidenceFile, by, request=None) -> None:
    """The audit line of a download (the views have checked that `by` may see the report)."""
    audit.record(
        actor=by,
        action=EVIDENCE_DOWNLOAD,
        target=evidence,
        data={"report": evidence.report_id, "project": evidence.report.project_id},
        request=request,
    )
