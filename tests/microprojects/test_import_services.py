"""Imports (issue #21 §4): the dry run equals the import, re-import is a no-op, a corrected file
changes only the rows it names, every bad file is refused with its message and changes nothing,
a KoboToolbox CSV through a saved mapping."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from microprojects.imports import files, services, template
from microprojects.models import Activity, ColumnMapping, ImportJob, Indicator, Measurement, MicroProject
from sempre import audit_actions
from sempre.models import AuditEvent

from ..factories import MicroProjectFactory

pytestmark = pytest.mark.django_db


def rows(project_title="Fruit bags"):
    return {
        "projects": [
            {
                "external_id": "P-1",
                "title": project_title,
                "country": "SE",
                "setting": "rural",
                "status": "active",
                "start_date": dt.date(2024, 1, 1),
                "budget_eur": 12000,
                "target_groups": "",
            }
        ],
        "activities": [
            {
                "external_id": "A-1",
                "project": "P-1",
                "date": dt.date(2024, 3, 5),
                "kind": "workshop",
                "title": "Sewing café",
                "participants_total": 12,
                "women": 7,
                "men": 5,
            },
            {
                "external_id": "A-2",
                "project": project_title,  # by its title
                "date": "2024-04-09",  # ISO text
                "kind": "Meeting",  # the label
                "title": "Planning",
                "participants_total": 4,
            },
        ],
        "indicators": [
            {"external_id": "I-1", "project": "P-1", "name": "People reached", "baseline": 0, "target": 40}
        ],
        "measurements": [
            {"external_id": "M-1", "indicator": "I-1", "date": dt.date(2024, 6, 30), "value": 16},
        ],
    }


def upload(user, content, filename="data.xlsx", **kwargs):
    return services.import_upload(by=user, content=content, filename=filename, **kwargs)


def check(job):
    return services.import_check(job_id=job.pk)


def run(job, user):
    services.import_confirm(job=job, by=user)
    return services.import_run(job_id=job.pk)


def fingerprint():
    return (
        sorted(MicroProject.objects.values_list("external_id", "title", "status", "budget_eur")),
        sorted(Activity.objects.values_list("external_id", "title", "participants_total", "kind", "date")),
        sorted(Indicator.objects.values_list("external_id", "name", "target")),
        sorted(Measurement.objects.values_list("external_id", "value", "date")),
        MicroProject.history.count(),
        Measurement.history.count(),
    )


def test_the_dry_run_says_what_the_import_then_does(social_worker, organisation):
    job = check(upload(social_worker, template.workbook_bytes(rows())))
    assert job.status == ImportJob.Status.CHECKED, job.dry_run
    assert not MicroProject.objects.exists()  # a dry run writes nothing
    expected = {
        "projects": {"create": 1},
        "activities": {"create": 2},
        "indicators": {"create": 1},
        "measurements": {"create": 1},
    }
    assert services.counts_of(job.dry_run) == expected

    job = run(job, social_worker)

    assert job.status == ImportJob.Status.IMPORTED, job.result
    assert services.counts_of(job.result) == services.counts_of(job.dry_run)
    project = MicroProject.objects.get(external_id="P-1", organisation=organisation)
    assert project.status == MicroProject.Status.ACTIVE
    assert project.activities.count() == 2
    assert Activity.objects.get(external_id="A-2").kind == Activity.Kind.MEETING
    assert Activity.objects.get(external_id="A-2").date == dt.date(2024, 4, 9)
    assert Measurement.objects.get(external_id="M-1").value == Decimal("16")
    event = AuditEvent.objects.get(action=audit_actions.DATA_IMPORTED)
    assert event.actor == social_worker
    assert event.data["sheets"]["activities"] == {"create": 2}
    assert bytes(job.content) == b""  # the file is not kept once imported


def test_importing_the_same_file_again_changes_nothing(social_worker):
    content = template.workbook_bytes(rows())
    run(check(upload(social_worker, content)), social_worker)
    before = fingerprint()

    again = check(upload(social_worker, content))
    assert services.counts_of(again.dry_run) == {
        "projects": {"unchanged": 1},
        "activities": {"unchanged": 2},
        "indicators": {"unchanged": 1},
        "measurements": {"unchanged": 1},
    }
    run(again, social_worker)

    assert fingerprint() == before


def test_a_corrected_file_changes_only_the_rows_it_names(social_worker):
    run(check(upload(social_worker, template.workbook_bytes(rows()))), social_worker)
    untouched = Activity.objects.get(external_id="A-1")
    corrected = rows()
    corrected["activities"][1]["participants_total"] = 6
    corrected["measurements"][0]["value"] = 18
    del corrected["projects"], corrected["indicators"]
    corrected["activities"] = corrected["activities"][1:]

    job = check(upload(social_worker, template.workbook_bytes(corrected)))
    assert services.counts_of(job.dry_run) == {"activities": {"change": 1}, "measurements": {"change": 1}}
    assert job.dry_run["sheets"][0]["rows"][0]["changed"] == ["participants_total"]
    run(job, social_worker)

    assert Activity.objects.get(external_id="A-2").participants_total == 6
    measurement = Measurement.objects.get(external_id="M-1")
    assert measurement.value == Decimal("18")
    assert measurement.history.first().history_change_reason == "corrected"  # the service's history
    assert Activity.objects.get(external_id="A-1").updated_at == untouched.updated_at


def errors_of(job, sheet="activities"):
    report = job.dry_run
    found = next(s for s in report["sheets"] if s["name"] == sheet)
    return {(r["row"], key): e for r in found["rows"] for key, e in r["errors"].items()}


def test_every_error_of_a_row_is_named_by_row_and_column_and_nothing_is_saved(social_worker):
    data = rows()
    data["activities"][0].update(date="31.3.2024", kind="party", participants_total=-1)
    data["activities"][1].update(project="No such project")
    job = check(upload(social_worker, template.workbook_bytes(data)))

    assert job.status == ImportJob.Status.INVALID
    errors = errors_of(job)
    assert "31.3.2024" in errors[(2, "date")]["messages"][0]
    assert errors[(2, "date")]["cell"] == "C2"
    assert "YYYY-MM-DD" in errors[(2, "date")]["messages"][0]
    assert "party" in errors[(2, "kind")]["messages"][0]
    assert "workshop" in errors[(2, "kind")]["messages"][0]  # the choices named
    assert (2, "participants_total") in errors
    assert "No such project" in errors[(3, "project")]["messages"][0]
    with pytest.raises(ValidationError) as refused:
        services.import_confirm(job=job, by=social_worker)
    assert "status" in refused.value.message_dict
    assert not MicroProject.objects.exists()


def test_the_services_rules_are_the_imports_rules(social_worker):
    data = rows()
    data["activities"][0].update(women=3, men=3)  # 6, but the total is 12
    data["activities"][1].update(date=dt.date(2023, 1, 1))  # before the project's start
    job = check(upload(social_worker, template.workbook_bytes(data)))
    errors = errors_of(job)
    assert "add up to" in errors[(2, "women")]["messages"][0]
    assert "started on" in errors[(3, "date")]["messages"][0]


def test_an_unknown_project_in_another_organisation_is_not_found(social_worker, other_organisation):
    MicroProjectFactory(organisation=other_organisation, title="Theirs", external_id="P-9")
    data = {"activities": [dict(rows()["activities"][0], project="P-9")]}
    job = check(upload(social_worker, template.workbook_bytes(data)))
    assert "P-9" in errors_of(job)[(2, "project")]["messages"][0]


def refused(user, content, filename="data.xlsx"):
    with pytest.raises(ValidationError) as error:
        upload(user, content, filename)
    assert not ImportJob.objects.exists()
    return error.value.message_dict["file"][0]


def test_a_file_that_is_no_spreadsheet_is_refused(social_worker):
    assert "not a file SEMPRE can read" in refused(
        social_worker, b"\x89PNG\r\n\x1a\n\x00\x00binary", "data.xlsx"
    )


def test_a_password_protected_workbook_is_refused(social_worker):
    assert "password" in refused(social_worker, files.OLE2_SIGNATURE + b"\x00" * 600)


def test_a_file_too_large_is_refused(social_worker, settings):
    assert "too large" in refused(social_worker, b"a,b\n" + b"1,2\n" * (files.MAX_BYTES // 4 + 1), "big.csv")


def test_a_zip_that_is_no_workbook_is_refused(social_worker):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "hi")
    job = check(upload(social_worker, buffer.getvalue()))
    assert "not an Excel workbook" in job.dry_run["error"]
    assert job.status == ImportJob.Status.INVALID


def test_a_sheet_with_too_many_rows_is_refused(social_worker, monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 1)
    job = check(upload(social_worker, template.workbook_bytes(rows())))
    assert "more than 1 rows" in job.dry_run["error"]
    assert job.status == ImportJob.Status.INVALID


def test_a_formula_is_refused_naming_its_cell(social_worker):
    workbook = template.build()
    sheet = workbook["activities"]
    sheet.append(["A-1", "P-1", "2024-03-05", "workshop", "Sewing", "=3+4"])
    job = check(upload(social_worker, template.to_bytes(workbook)))
    assert job.status == ImportJob.Status.INVALID
    assert "Cell F2" in job.dry_run["error"]
    assert "formula" in job.dry_run["error"]
    assert not Activity.objects.exists()


def test_the_template_has_drop_downs_and_instructions_in_the_persons_language():
    from django.utils import translation
    from openpyxl import load_workbook

    with translation.override("de"):
        workbook = load_workbook(io.BytesIO(template.template_bytes()))
    assert {"projects", "activities", "indicators", "measurements", "choices"} <= set(workbook.sheetnames)
    activities = workbook["activities"]
    assert [c.value for c in activities[1]][:3] == ["external_id", "project", "date"]
    formulas = {v.formula1 for v in activities.data_validations.dataValidation}
    assert any("choices" in f for f in formulas)
    assert workbook.sheetnames[0] != "Instructions" or translation.gettext("Instructions") == "Instructions"


def test_an_empty_workbook_without_the_sheets_says_so(social_worker):
    job = check(upload(social_worker, template.to_bytes(Workbook())))
    assert "nothing to import" in job.dry_run["error"]


# KoboToolbox ---------------------------------------------------------------------------------------

KOBO = (
    b"start;end;today;Activity;What;How many;Women;Men;_uuid\n"
    b"2024-05-02T10:00:00.000+02:00;x;2024-05-02;meeting;Village meeting;9;5;4;aaa-1\n"
    b"2024-05-03T10:00:00.000+02:00;x;2024-05-03;workshop;Bread baking;6;6;0;aaa-2\n"
)
KOBO_COLUMNS = {
    "start": "",
    "end": "",
    "today": "date",
    "Activity": "kind",
    "What": "title",
    "How many": "participants_total",
    "Women": "women",
    "Men": "men",
    "_uuid": "external_id",
}


def test_a_kobo_export_asks_for_its_columns_then_uses_the_saved_mapping(social_worker, organisation):
    project = MicroProjectFactory(
        organisation=organisation, title="Village bakery", start_date=dt.date(2024, 1, 1)
    )
    first = upload(social_worker, KOBO, "kobo.csv", project=project)
    assert first.status == ImportJob.Status.NEEDS_MAPPING
    assert services.csv_headings(first)[:3] == ["start", "end", "today"]

    mapping = services.mapping_save(
        by=social_worker, organisation=organisation, name="Village form", columns=KOBO_COLUMNS
    )
    job = check(services.import_choose_mapping(job=first, by=social_worker, mapping=mapping))
    assert services.counts_of(job.dry_run) == {"activities": {"create": 2}}, job.dry_run
    run(job, social_worker)
    assert sorted(project.activities.values_list("external_id", "participants_total")) == [
        ("aaa-1", 9),
        ("aaa-2", 6),
    ]

    # The next export of the same form: the saved mapping is found by its headings.
    again = upload(social_worker, KOBO, "kobo-june.csv", project=project)
    assert again.mapping == mapping
    again = check(again)
    assert services.counts_of(again.dry_run) == {"activities": {"unchanged": 2}}


def test_a_mapping_without_the_required_fields_is_refused(social_worker, organisation):
    with pytest.raises(ValidationError) as error:
        services.mapping_save(
            by=social_worker, organisation=organisation, name="", columns={"today": "date", "What": "date"}
        )
    assert set(error.value.message_dict) == {"columns", "name"}
    assert not ColumnMapping.objects.exists()


def test_only_the_organisations_staff_can_import(coordinator, other_social_worker, organisation):
    for user in (coordinator, other_social_worker):
        with pytest.raises(ValidationError) as error:
            upload(user, template.template_bytes(), organisation=organisation)
        assert "organisation" in error.value.message_dict
    assert not ImportJob.objects.exists()


def test_a_check_or_an_import_runs_once(social_worker):
    job = check(upload(social_worker, template.workbook_bytes(rows())))
    job = run(job, social_worker)
    assert services.import_run(job_id=job.pk).status == ImportJob.Status.IMPORTED
    assert services.import_check(job_id=job.pk).status == ImportJob.Status.IMPORTED
    services.import_confirm(job=job, by=social_worker)  # again: a no-op
    assert AuditEvent.objects.filter(action=audit_actions.DATA_IMPORTED).count() == 1
    assert MicroProject.objects.count() == 1


def test_a_sheet_that_fails_at_import_time_is_rolled_back_whole(social_worker, organisation):
    job = check(upload(social_worker, template.workbook_bytes(rows())))
    assert job.status == ImportJob.Status.CHECKED
    # Between the check and the import, a second project gets the title row 3 refers to.
    MicroProjectFactory(organisation=organisation, title="Fruit bags", start_date=dt.date(2024, 1, 1))

    job = run(job, social_worker)

    assert job.status == ImportJob.Status.FAILED
    assert "Activities" in job.result["error"]
    assert MicroProject.objects.filter(external_id="P-1").exists()  # the sheet before it
    assert not Activity.objects.exists()  # row 2 was fine, but the sheet is all or nothing
    assert not Indicator.objects.filter(external_id="I-1").exists()  # the sheets after it: not run
    event = AuditEvent.objects.get(action=audit_actions.DATA_IMPORTED)
    assert event.data["failed"] is True


def test_the_sample_file_in_the_docs_checks_without_errors(social_worker, organisation):
    from pathlib import Path

    from django.conf import settings

    MicroProjectFactory(
        organisation=organisation,
        title="Fruit bags from Luleå: a cooperative of Syrian newcomers",
        start_date=dt.date(2025, 1, 1),
    )
    content = (Path(settings.BASE_DIR) / "docs" / "sample-import.xlsx").read_bytes()
    job = check(upload(social_worker, content, "sample-import.xlsx"))
    assert job.status == ImportJob.Status.CHECKED, job.dry_run
    assert services.counts_of(job.dry_run) == {
        "projects": {"create": 1},
        "activities": {"create": 3},
        "indicators": {"create": 1},
        "measurements": {"create": 2},
    }
