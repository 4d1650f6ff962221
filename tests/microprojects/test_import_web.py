"""The import pages and the import API: upload, the dry run by row and column, confirm, the
result; own organisation only; a fixed number of queries for the list page and endpoint."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from microprojects.imports import services, template
from microprojects.models import Activity, ImportJob, MicroProject

from ..factories import MicroProjectFactory
from .test_import_services import KOBO, KOBO_COLUMNS, rows

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(data=None, name="data.xlsx"):
    return SimpleUploadedFile(name, template.workbook_bytes(data or rows()), content_type=XLSX)


def test_the_template_downloads_as_a_workbook(client, social_worker):
    client.force_login(social_worker)
    response = client.get(reverse("microprojects:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX

    workbook = load_workbook(io.BytesIO(response.content))
    assert "measurements" in workbook.sheetnames


def test_upload_check_confirm_and_see_the_result(client, social_worker, django_capture_on_commit_callbacks):
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("microprojects:import_list"), {"file": xlsx()})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("microprojects:import_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED

    page = client.get(response["Location"]).content.decode()
    assert "Would create: 2" in page  # the activities
    assert "Import now" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("microprojects:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED
    assert Activity.objects.count() == 2
    page = client.get(reverse("microprojects:import_detail", args=[job.pk])).content.decode()
    assert "Result of the import" in page
    assert "Created: 2" in page


def test_the_dry_run_page_names_each_error_by_row_and_column(
    client, social_worker, django_capture_on_commit_callbacks
):
    data = rows()
    data["activities"][1]["date"] = "9.4.2024"
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("microprojects:import_list"), {"file": xlsx(data)})
    job = ImportJob.objects.get()
    page = client.get(reverse("microprojects:import_detail", args=[job.pk])).content.decode()
    assert "Errors in the sheet Activities, by row and column" in page
    assert "<td>3</td><td>date (C3)</td>" in page
    assert "9.4.2024" in page
    assert "Import now" not in page
    response = client.post(reverse("microprojects:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert not MicroProject.objects.exists()


def test_a_bad_file_is_refused_on_the_form_naming_the_file(client, social_worker):
    client.force_login(social_worker)
    response = client.post(
        reverse("microprojects:import_list"), {"file": SimpleUploadedFile("x.xlsx", b"\x00\x01binary")}
    )
    assert response.status_code == 400
    assert "not a file SEMPRE can read" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_organisations_import_is_not_found(client, social_worker, other_social_worker, coordinator):
    job = services.import_upload(by=social_worker, content=template.workbook_bytes(rows()), filename="a.xlsx")
    for user in (other_social_worker, coordinator):
        client.force_login(user)
        assert client.get(reverse("microprojects:import_detail", args=[job.pk])).status_code == 404
        assert client.post(reverse("microprojects:import_confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("microprojects:import_list")).status_code == 403  # the coordinator


def test_kobo_columns_are_chosen_once_and_saved(
    client, social_worker, organisation, django_capture_on_commit_callbacks
):
    project = MicroProjectFactory(
        organisation=organisation, title="Village bakery", start_date=dt.date(2024, 1, 1)
    )
    client.force_login(social_worker)
    client.post(
        reverse("microprojects:import_list"),
        {"file": SimpleUploadedFile("kobo.csv", KOBO, content_type="text/csv"), "project": project.pk},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.NEEDS_MAPPING
    url = reverse("microprojects:import_columns", args=[job.pk])
    page = client.get(url).content.decode()
    assert "How many" in page
    headings = list(KOBO_COLUMNS)
    data = {f"column_{i}": KOBO_COLUMNS[h] for i, h in enumerate(headings)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "name": "Village form"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.dry_run
    assert job.mapping.name == "Village form"


@pytest.mark.parametrize("job_count", [1, 4])
def test_the_import_list_page_runs_a_fixed_number_of_queries(
    client, social_worker, organisation, django_assert_num_queries, job_count
):
    for _n in range(job_count):
        services.import_upload(by=social_worker, content=template.workbook_bytes(rows()), filename="a.xlsx")
    services.mapping_save(by=social_worker, organisation=organisation, name="Form", columns=KOBO_COLUMNS)
    client.force_login(social_worker)
    with django_assert_num_queries(6):
        response = client.get(reverse("microprojects:import_list"))
    assert response.content.decode().count("a.xlsx") == job_count


# API ---------------------------------------------------------------------------------------------


def test_api_upload_follow_and_confirm(client, social_worker, django_capture_on_commit_callbacks):
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", {"file": xlsx()})
    assert response.status_code == 202, response.content
    url = response["Location"]
    body = client.get(url).json()
    assert body["status"] == "checked"
    assert body["counts"]["activities"] == {"create": 2}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "confirm/")
    assert response.status_code == 202
    body = client.get(url).json()
    assert body["status"] == "imported"
    assert body["result_counts"] == body["counts"]


def test_api_refuses_a_bad_file_naming_the_field(client, social_worker):
    client.force_login(social_worker)
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bin")})
    assert response.status_code == 400
    assert "file" in response.json()
    response = client.post("/api/v1/imports/", {})
    assert response.status_code == 400
    assert "file" in response.json()
    assert not ImportJob.objects.exists()


def test_api_confirm_of_a_file_with_errors_is_a_400(client, social_worker):
    data = rows()
    data["activities"][0]["kind"] = "party"
    job = services.import_check(
        job_id=services.import_upload(
            by=social_worker, content=template.workbook_bytes(data), filename="a.xlsx"
        ).pk
    )
    client.force_login(social_worker)
    response = client.post(f"/api/v1/imports/{job.pk}/confirm/")
    assert response.status_code == 400
    assert "status" in response.json()


def test_api_another_organisations_import_is_not_found(client, social_worker, other_social_worker):
    job = services.import_upload(by=social_worker, content=template.workbook_bytes(rows()), filename="a.xlsx")
    client.force_login(other_social_worker)
    assert client.get(f"/api/v1/imports/{job.pk}/").status_code == 404
    assert client.post(f"/api/v1/imports/{job.pk}/confirm/").status_code == 404
    assert client.get("/api/v1/imports/").json()["count"] == 0


@pytest.mark.parametrize("job_count", [1, 4])
def test_api_import_list_runs_a_fixed_number_of_queries(
    client, social_worker, django_assert_num_queries, job_count
):
    for _n in range(job_count):
        services.import_upload(by=social_worker, content=template.workbook_bytes(rows()), filename="a.xlsx")
    client.force_login(social_worker)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/imports/")
    assert response.json()["count"] == job_count


def test_the_status_polls_while_checking_and_reloads_the_page_when_done(client, social_worker):
    job = services.import_upload(by=social_worker, content=template.workbook_bytes(rows()), filename="a.xlsx")
    client.force_login(social_worker)
    url = reverse("microprojects:import_detail", args=[job.pk])
    poll = {"HX-Request": "true", "HX-Target": "import-status"}
    response = client.get(url, headers=poll)
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert "<h1>" not in response.content.decode()  # the status only
    services.import_check(job_id=job.pk)
    response = client.get(url, headers=poll)
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_the_columns_page_guesses_each_field_once(client, social_worker, organisation):
    job = services.import_upload(by=social_worker, content=KOBO, filename="kobo.csv")
    client.force_login(social_worker)
    form = client.get(reverse("microprojects:import_columns", args=[job.pk])).context["columns_form"]
    guesses = {field.label: field.initial for field in form.heading_fields()}
    assert guesses["today"] == "date"
    assert guesses["start"] == ""
    assert guesses["_uuid"] == "external_id"


def test_a_field_is_guessed_for_one_column_only(client, social_worker):
    content = b"date,today,title,_uuid\n2025-01-02,2025-01-02,Walk,u1\n"
    job = services.import_upload(by=social_worker, content=content, filename="kobo.csv")
    client.force_login(social_worker)
    form = client.get(reverse("microprojects:import_columns", args=[job.pk])).context["columns_form"]
    assert [field.initial for field in form.heading_fields()] == ["date", "", "title", "external_id"]


def test_the_columns_of_an_imported_export_cannot_be_chosen_again(client, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation, start_date=dt.date(2024, 1, 1))
    mapping = services.mapping_save(
        by=social_worker, organisation=organisation, name="Form", columns=KOBO_COLUMNS
    )
    job = services.import_upload(
        by=social_worker, content=KOBO, filename="k.csv", mapping=mapping, project=project
    )
    services.import_check(job_id=job.pk)
    services.import_confirm(job=job, by=social_worker)
    services.import_run(job_id=job.pk)
    client.force_login(social_worker)
    detail = reverse("microprojects:import_detail", args=[job.pk])
    columns = reverse("microprojects:import_columns", args=[job.pk])
    assert client.get(columns)["Location"] == detail
    assert client.post(columns, {"name": "Again"})["Location"] == detail
    assert columns not in client.get(detail).content.decode()
