"""Demo data of the programme app: the crosswalk (demo projects' indicators mapped to the Interreg,
ESF+ and IRIS+ framework indicators); reporting periods and progress reports are seeded by their
own functions.

Idempotent: a mapping is made once and never changed again, and only demo projects' indicators are
mapped (found by name), so a rerun changes nothing and nothing a person created is touched.
"""

from microprojects.models import Indicator
from programme.models import FrameworkIndicator, IndicatorMapping

from .microprojects import demo_projects

EQUIVALENT = IndicatorMapping.Relation.EQUIVALENT
CONTRIBUTES = IndicatorMapping.Relation.CONTRIBUTES
PROXY = IndicatorMapping.Relation.PROXY

# (the demo indicator's name, framework, framework indicator's code, relation, factor)
MAPPINGS = (
    ("Earned income", "iris-plus", "PI1775", EQUIVALENT, 1),
    ("Customers served", "iris-plus", "PI4060", EQUIVALENT, 1),
    ("Café workers with an employment contract", "iris-plus", "OI8869", EQUIVALENT, 1),
    ("Members with an income from the cooperative", "iris-plus", "OI8869", PROXY, 1),
    ("Women who found a job", "esf-plus", "EECR04", EQUIVALENT, 1),
    ("Participants who moved on to work or education", "esf-plus", "EECR04", CONTRIBUTES, 1),
    ("Young people in a job or education afterwards", "esf-plus", "EECR04", CONTRIBUTES, 1),
    ("Young people who started education or a job", "esf-plus", "EECR02", CONTRIBUTES, 1),
    ("Young people with a food hygiene certificate", "esf-plus", "EECR03", EQUIVALENT, 1),
    ("Young people certified as guides", "esf-plus", "EECR03", EQUIVALENT, 1),
    ("Recipes tested and written down", "interreg", "RCO 116", CONTRIBUTES, 1),
    ("Tours guided", "interreg", "RCO 84", PROXY, 1),
    ("Programmes broadcast", "interreg", "RCO 84", PROXY, 1),
    # a recipe book is a solution taken up once per 50 copies handed out (a conversion factor)
    ("Copies of the recipe book distributed", "interreg", "RCR 104", PROXY, "0.02"),
)


def seed(*, stdout) -> None:
    created = seed_frameworks()
    stdout.write(f"Programme: {created} indicator mappings to the frameworks.")
    periods = seed_progress_reports()
    stdout.write(f"Programme: {periods} reporting periods with progress reports.")


def seed_frameworks() -> int:
    targets = {
        (item.framework.slug, item.code): item
        for item in FrameworkIndicator.objects.select_related("framework").filter(is_current=True)
    }
    names = {name for name, *_rest in MAPPINGS}
    indicators: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(project__in=demo_projects(), name__in=names).order_by("id"):
        indicators.setdefault(indicator.name, []).append(indicator)
    created = 0
    for name, framework, code, relation, factor in MAPPINGS:
        target = targets.get((framework, code))
        if target is None:
            continue
        for indicator in indicators.get(name, ()):
            _mapping, made = IndicatorMapping.objects.get_or_create(
                indicator=indicator,
                framework_indicator=target,
                defaults={"relation": relation, "factor": factor},
            )
            created += made
    return created


# Reporting periods and progress reports -----------------------------------------------------------

PROGRESS_TEXTS = {
    "highlights": "Twelve new participants joined, four of them through the village library. The group "
    "now plans its sessions itself.",
    "problems": "The bus to the village stopped running in spring; we drove people ourselves, which took "
    "staff hours we had planned for outreach.",
    "next_steps": "Ask the municipality about the bus, train two participants as co-facilitators, and "
    "start selling at the Saturday market.",
}


def _half_year(day):
    """The half-year that holds `day`: (start, end, due a month after the end)."""
    from datetime import date

    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30), date(day.year, 7, 31)
    return date(day.year, 7, 1), date(day.year, 12, 31), date(day.year + 1, 1, 31)


def seed_progress_reports() -> int:
    """Two reporting periods (the half-year before the demo's reference date and the one that holds
    it) with reports in every state: approved (one returned once before), returned with comments,
    submitted, and drafts (late in the earlier period). An activity logged late after an approval
    shows as a correction in the next report. Only periods the demo makes are filled in: a period
    that exists already (a rerun, or one a person set) is left as it is. How many periods were made."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from microprojects import services as project_services
    from programme.models import ReportingPeriod
    from programme.progress import services

    from .microprojects import reference_date
    from .people import COORDINATOR

    coordinator = get_user_model().objects.filter(username=COORDINATOR.username).first()
    if coordinator is None:
        return 0
    current = _half_year(reference_date())
    earlier = _half_year(current[0] - timedelta(days=1))
    made = 0
    for index, (start, end, due) in enumerate((earlier, current)):
        if ReportingPeriod.objects.filter(start=start, end=end).exists():
            continue
        period = services.period_create(by=coordinator, start=start, end=end, due=due)
        made += 1
        reports = list(
            period.reports.filter(project__in=demo_projects())
            .select_related("project")
            .order_by("project__title")
        )
        steps = ("approved", "returned", "submitted") if index == 0 else ("submitted",)
        for report, step in zip(reports, steps, strict=False):
            team = report.project.lead_social_workers.order_by("pk").first()
            if team is None:
                continue
            services.report_update(report=report, by=team, **PROGRESS_TEXTS)
            if step == "approved":
                services.evidence_add(
                    report=report,
                    by=team,
                    file=SimpleUploadedFile("attendance-summary.pdf", _demo_pdf()),
                    description="Signed attendance summary",
                )
                services.report_submit(report=report, by=team)
                services.report_return(
                    report=report,
                    by=coordinator,
                    comment="Please say how you made up for the lost outreach hours.",
                )
                services.report_update(
                    report=report,
                    by=team,
                    problems=PROGRESS_TEXTS["problems"] + " We moved two outreach visits to the summer.",
                )
                services.report_submit(report=report, by=team)
                services.report_approve(
                    report=report, by=coordinator, comment="Thank you, clear and complete."
                )
                # logged late: the next report shows it as a correction to this period
                project_services.activity_log(
                    project=report.project,
                    by=team,
                    date=max(start, report.project.start_date or start) + timedelta(days=20),
                    title="Library session (logged late)",
                    participants_total=6,
                    participants_new=2,
                )
            elif step == "returned":
                services.report_submit(report=report, by=team)
                services.report_return(
                    report=report, by=coordinator, comment="The figures look low: were all sessions logged?"
                )
            else:
                services.report_submit(report=report, by=team)
    return made


def _demo_pdf() -> bytes:
    """A one-page PDF with a line of text (hand-written PDF syntax: no renderer needed)."""
    text = b"BT /F1 14 Tf 72 720 Td (Attendance summary - demo) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
