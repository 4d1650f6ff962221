"""The language saved on a person's account (issue #17 §2) as the default language of the reports
they ask for (form, service, API), and for the e-mails about them: "report ready" and the monthly
digest, each in the recipient's language."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import translation
from rest_framework.test import APIClient

from reports import services
from reports.forms import ReportRequestForm
from reports.models import ReportJob
from reports.tasks import render_report
from sempre.services import user_language_set

pytestmark = pytest.mark.django_db


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        translated = translation.gettext(message)
    assert translated != message, f"{message!r} is not translated into {language}"
    return translated


def test_the_report_form_offers_the_saved_language(social_worker):
    user_language_set(user=social_worker, language="lv")

    with translation.override("de"):
        form = ReportRequestForm(user=social_worker)

    assert form.fields["language"].initial == "lv"


def test_without_a_saved_language_the_form_offers_the_page_language(social_worker):
    with translation.override("de"):
        form = ReportRequestForm(user=social_worker)

    assert form.fields["language"].initial == "de"


def test_a_report_asked_for_without_a_language_is_in_the_saved_one(social_worker, project):
    user_language_set(user=social_worker, language="lv")

    with mock.patch.object(render_report, "apply_async"), translation.override("en"):
        job, _created = services.report_request(
            by=social_worker, kind="project", params={"project": project.pk}
        )

    assert job.language == "lv"


def test_the_api_defaults_to_the_saved_language(social_worker, project):
    user_language_set(user=social_worker, language="ar")
    client = APIClient()
    client.force_authenticate(social_worker)  # as a token does: no session, so no page language

    with mock.patch.object(render_report, "apply_async"):
        response = client.post(
            "/api/v1/reports/",
            {"kind": "project", "params": {"project": project.pk}},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 202, response.content
    assert ReportJob.objects.get(pk=response.json()["id"]).language == "ar"


def test_a_language_given_in_the_api_wins_over_the_saved_one(as_user, social_worker, project):
    user_language_set(user=social_worker, language="ar")

    with mock.patch.object(render_report, "apply_async"):
        response = as_user(social_worker).post(
            "/api/v1/reports/",
            {"kind": "project", "params": {"project": project.pk}, "language": "de"},
            format="json",
        )

    assert ReportJob.objects.get(pk=response.json()["id"]).language == "de"


def test_the_ready_email_is_in_the_requesters_language_not_the_reports(
    social_worker, project, django_capture_on_commit_callbacks
):
    user_language_set(user=social_worker, language="lv")

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        job, _created = services.report_request(
            by=social_worker,
            kind="project",
            params={"project": project.pk},
            language="de",
            email_when_done=True,
        )

    job.refresh_from_db()
    assert (job.status, job.language) == ("succeeded", "de")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == in_language("lv", "Your SEMPRE report is ready")
    assert in_language("lv", "Download it here (you will be asked to log in):") in mail.outbox[0].body


def test_without_a_saved_language_the_ready_email_follows_the_report(
    social_worker, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(
            by=social_worker,
            kind="project",
            params={"project": project.pk},
            language="de",
            email_when_done=True,
        )

    assert mail.outbox[0].subject == in_language("de", "Your SEMPRE report is ready")


def test_the_monthly_digest_is_made_and_mailed_in_each_coordinators_language(
    coordinator, project, django_capture_on_commit_callbacks
):
    user_language_set(user=coordinator, language="lv")

    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.report_digest_send(today=dt.date(2025, 4, 3))

    assert [job.language for job in jobs] == ["lv"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == in_language("lv", "Your SEMPRE report is ready")
