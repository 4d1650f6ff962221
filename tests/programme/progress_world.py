"""A small programme for the progress report tests: one organisation's active project with activities
and an indicator, a coordinator, and two six-month periods."""

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from programme.progress import services
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory

FIRST = (dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 31))
SECOND = (dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 31))


def project_with_figures(organisation, **kwargs):
    project = MicroProjectFactory(
        organisation=organisation, title=kwargs.pop("title", "Kitchen garden"), **kwargs
    )
    ActivityFactory(project=project, date=dt.date(2025, 3, 1), participants_total=10, participants_new=4)
    ActivityFactory(project=project, date=dt.date(2025, 9, 1), participants_total=8, participants_new=2)
    indicator = IndicatorFactory(project=project, name="People in work", baseline=0, target=20)
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 5, 1), value=5)
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 10, 1), value=9)
    return project


def period(coordinator, dates=FIRST):
    start, end, due = dates
    return services.period_create(by=coordinator, start=start, end=end, due=due)


def write(report, user, text="Written."):
    return services.report_update(report=report, by=user, highlights=text, problems=text, next_steps=text)


def pdf_upload(name="minutes.pdf", size=None):
    data = b"%PDF-1.4\n%minutes of the meeting\n"
    if size:
        data += b"0" * (size - len(data))
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx_upload(name="plan.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt_upload(name="notes.odt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buffer.getvalue())
