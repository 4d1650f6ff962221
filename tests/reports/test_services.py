"""The report engine: requests, claims, failures, the sweep, expiry and the digest (tasks eager)."""

import datetime as dt
from unittest import mock

import kombu.exceptions
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from reports import services
from reports.models import ReportJob, params_digest
from reports.tasks import render_report

from ..factories import MembershipFactory, UserFactory

Status = ReportJob.Status


def queued_job(user, kind="programme_csv", params=None, **fields):
    params = params or {}
    return ReportJob.objects.create(
        requested_by=user, kind=kind, params=params, params_key=params_digest(params), language="en", **fields
    )


# Requesting ---------------------------------------------------------------------------------------


def test_report_request_saves_a_queued_job_and_queues_it_after_commit(
    social_worker, project, django_capture_on_commit_callbacks
):
    with mock.patch.object(render_report, "apply_async") as send:
        with django_capture_on_commit_callbacks() as callbacks:
            job, created = services.report_request(
                by=social_worker, kind="project", params={"project": project.pk}
            )
        assert not send.called  # nothing is sent before the commit
        for callback in callbacks:
            callback()
    assert created
    assert job.status == Status.QUEUED
    assert job.params == {"project": project.pk}
    send.assert_called_once_with(args=[job.pk])


def test_identical_request_while_queued_returns_the_same_job(social_worker, project):
    with mock.patch.object(render_report, "apply_async"):
        first, _ = services.report_request(by=social_worker, kind="project", params={"project": project.pk})
        second, created = services.report_request(
            by=social_worker, kind="project", params={"project": str(project.pk)}
        )
    assert second.pk == first.pk
    assert not created
    assert ReportJob.objects.count() == 1


def test_a_different_language_is_a_different_job(social_worker, project):
    with mock.patch.object(render_report, "apply_async"):
        first, _ = services.report_request(by=social_worker, kind="project", params={"project": project.pk})
        second, _ = services.report_request(
            by=social_worker, kind="project", params={"project": project.pk}, language="de"
        )
    assert second.pk != first.pk


def test_a_request_after_the_job_finished_makes_a_new_job(coordinator, make_report, project):
    first = make_report(coordinator, "programme_csv")
    second = make_report(coordinator, "programme_csv")
    assert first.status == second.status == Status.SUCCEEDED
    assert second.pk != first.pk


def test_the_constraint_refuses_a_second_active_identical_job(coordinator):
    queued_job(coordinator)
    with pytest.raises(IntegrityError):
        queued_job(coordinator)


def test_a_concurrent_twin_is_returned_when_the_insert_loses(coordinator):
    """The check finds nothing, then the unique index refuses the insert: the twin is returned."""
    twin = queued_job(coordinator, params={})
    real_filter = ReportJob.objects.filter
    calls = []

    def filter_missing_the_twin_once(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return ReportJob.objects.none()
        return real_filter(*args, **kwargs)

    with (
        mock.patch.object(ReportJob.objects, "filter", side_effect=filter_missing_the_twin_once),
        mock.patch.object(render_report, "apply_async"),
    ):
        job, created = services.report_request(by=coordinator, kind="programme_csv", params={}, language="en")
    assert job.pk == twin.pk
    assert not created


def test_unknown_kind_names_the_field(social_worker):
    with pytest.raises(ValidationError) as error:
        services.report_request(by=social_worker, kind="horoscope", params={})
    assert "kind" in error.value.message_dict
    assert not ReportJob.objects.exists()


def test_bad_parameters_name_the_parameter(coordinator):
    with pytest.raises(ValidationError) as error:
        services.report_request(
            by=coordinator,
            kind="programme",
            params={"date_from": "2025-05-01", "date_to": "2025-01-01", "x": 1},
        )
    assert set(error.value.message_dict) == {"params.date_to", "params.x"}


def test_unknown_language_names_the_field(coordinator):
    with pytest.raises(ValidationError) as error:
        services.report_request(by=coordinator, kind="programme", params={}, language="tlh")
    assert "language" in error.value.message_dict


def test_social_worker_cannot_report_on_another_organisations_project(social_worker, other_project):
    with pytest.raises(ValidationError) as error:
        services.report_request(by=social_worker, kind="project", params={"project": other_project.pk})
    assert "params.project" in error.value.message_dict
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("kind", ["programme", "programme_xlsx", "programme_csv"])
def test_programme_reports_are_for_coordinators(social_worker, kind):
    with pytest.raises(PermissionDenied):
        services.report_request(by=social_worker, kind=kind, params={})
    assert not ReportJob.objects.exists()


def test_unreachable_broker_keeps_the_job_and_says_so(coordinator, django_capture_on_commit_callbacks):
    down = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(render_report, "apply_async", side_effect=down),
        pytest.raises(services.ReportQueueUnavailable) as raised,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.report_request(by=coordinator, kind="programme_csv", params={})
    job = ReportJob.objects.get(pk=raised.value.job_id)
    assert job.status == Status.QUEUED


# Working ------------------------------------------------------------------------------------------


def test_only_a_queued_job_can_be_claimed(coordinator):
    job = queued_job(coordinator)
    assert services.report_claim(job_id=job.pk, worker="a") == 1
    assert services.report_claim(job_id=job.pk, worker="b") is None
    job.refresh_from_db()
    assert job.status == Status.RUNNING
    assert job.worker == "a"


def test_a_finished_job_is_never_redone(coordinator, make_report, project):
    job = make_report(coordinator, "programme_csv")
    assert job.status == Status.SUCCEEDED
    checksum, name = job.checksum, job.file.name
    assert services.report_run(job_id=job.pk, worker="again") == "skipped"
    job.refresh_from_db()
    assert (job.checksum, job.file.name, job.attempts) == (checksum, name, 1)


def test_a_succeeded_job_has_file_size_checksum_and_expiry(coordinator, make_report, project, settings):
    settings.SEMPRE_REPORT_EXPIRY_DAYS = 7
    job = make_report(coordinator, "programme_csv")
    with job.file.open("rb") as handle:
        content = handle.read()
    import hashlib

    assert job.size == len(content)
    assert job.checksum == hashlib.sha256(content).hexdigest()
    assert job.expires_at - job.finished_at == dt.timedelta(days=7)
    assert job.progress_done == job.progress_total
    assert job.percent == 100


def test_a_worker_that_lost_its_claim_cannot_write(coordinator):
    job = queued_job(coordinator)
    attempt = services.report_claim(job_id=job.pk, worker="slow")
    ReportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)  # the sweep gave it away
    services.report_claim(job_id=job.pk, worker="new")
    with pytest.raises(services.ClaimLost):
        services.report_progress(job_id=job.pk, attempt=attempt, done=1, total=2)
    assert not services.report_fail(job_id=job.pk, attempt=attempt, message="x")
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == (Status.RUNNING, "new", 2)


@pytest.fixture
def register_kind():
    """register_kind(render) -> the name of a kind of report with that renderer, offered through the
    kinds registry for this test only (so the test does not depend on where the real renderers live)."""
    import rules

    from reports import kinds, params

    names = []

    def register(render) -> str:
        name = f"test_{render.__name__}"
        kinds.register(
            kinds.ReportKind(
                name=name,
                label=name,
                file_format=kinds.CSV,
                params_form=params.NoParams,
                render=render,
                may_request=rules.always_allow,
            )
        )
        names.append(name)
        return name

    yield register
    for name in names:
        kinds.KINDS.pop(name, None)


def test_a_renderer_error_fails_the_job_in_plain_words(coordinator, make_report, register_kind):
    calls = []

    def renderer_that_breaks(ctx):
        calls.append(ctx.job.pk)
        raise ValueError("boom")

    job = make_report(coordinator, register_kind(renderer_that_breaks))
    assert calls == [job.pk]  # the renderer ran, once: an error of ours is not retried
    assert job.status == Status.FAILED
    assert job.error == "Something went wrong while making this report. Please ask again later."
    assert not job.file


def boom(ctx):
    raise ValueError("boom")


def flaky_database(ctx):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_transient_error_gives_the_job_back_and_retries(coordinator, settings):
    settings.SEMPRE_REPORT_MAX_ATTEMPTS = 3
    from reports import kinds

    job = queued_job(coordinator)
    kind = kinds.KINDS["programme_csv"]
    with (
        mock.patch.dict(
            kinds.KINDS, {"programme_csv": kind.__class__(**{**kind.__dict__, "render": flaky_database})}
        ),
        pytest.raises(OperationalError),
    ):
        services.report_run(job_id=job.pk, worker="w")
    job.refresh_from_db()
    assert job.status == Status.QUEUED  # ready for the retry
    assert job.attempts == 1


def test_the_last_transient_error_fails_the_job(coordinator, settings):
    settings.SEMPRE_REPORT_MAX_ATTEMPTS = 1
    from reports import kinds

    job = queued_job(coordinator)
    kind = kinds.KINDS["programme_csv"]
    with (
        mock.patch.dict(
            kinds.KINDS, {"programme_csv": kind.__class__(**{**kind.__dict__, "render": flaky_database})}
        ),
        pytest.raises(OperationalError),
    ):
        services.report_run(job_id=job.pk, worker="w")
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "unavailable" in job.error


def test_the_render_task_retries_a_transient_error_and_makes_the_report(coordinator, register_kind, settings):
    settings.SEMPRE_REPORT_MAX_ATTEMPTS = 3
    calls = []

    def database_away_once(ctx):
        calls.append(ctx.job.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        ctx.path.write_text("made on the second try\n")

    job = queued_job(coordinator, kind=register_kind(database_away_once))
    # Run in-process as a worker runs it: Celery handles the task's errors (throw=False; otherwise
    # eager mode re-raises them, a retry included), and its autoretry runs the task again.
    assert render_report.apply(args=[job.pk], throw=False).result == "succeeded"
    job.refresh_from_db()
    assert calls == [job.pk, job.pk]
    assert (job.status, job.attempts) == (Status.SUCCEEDED, 2)
    with job.file.open("rb") as made:
        assert made.read() == b"made on the second try\n"


def test_a_requester_who_lost_access_gets_a_failed_job(social_worker, project, organisation):
    job = queued_job(social_worker, kind="project", params={"project": project.pk})
    social_worker.memberships.all().delete()
    assert services.report_run(job_id=job.pk, worker="w", heartbeat=False) == "failed"
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "no longer" in job.error


# Sweep, expiry, digest ----------------------------------------------------------------------------


def test_sweep_requeues_a_running_job_whose_worker_is_gone(coordinator, settings):
    settings.SEMPRE_REPORT_LEASE_SECONDS = 60
    job = queued_job(coordinator)
    services.report_claim(job_id=job.pk, worker="dead")
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=61))
    with mock.patch.object(render_report, "apply_async") as send:
        counts = services.report_sweep()
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert counts["abandoned"] == 1
    send.assert_called_once_with(args=[job.pk])


def test_sweep_leaves_a_running_job_with_a_fresh_heartbeat(coordinator, settings):
    settings.SEMPRE_REPORT_LEASE_SECONDS = 60
    job = queued_job(coordinator)
    services.report_claim(job_id=job.pk, worker="alive")
    with mock.patch.object(render_report, "apply_async") as send:
        services.report_sweep()
    job.refresh_from_db()
    assert job.status == Status.RUNNING
    assert not send.called


def test_sweep_fails_a_job_whose_worker_died_too_often(coordinator, settings):
    settings.SEMPRE_REPORT_MAX_ATTEMPTS = 2
    job = queued_job(
        coordinator, status=Status.RUNNING, attempts=2, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    with mock.patch.object(render_report, "apply_async") as send:
        services.report_sweep()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "stopped several times" in job.error
    assert not send.called


def test_sweep_fails_a_job_running_past_the_hard_time_limit(coordinator, settings):
    settings.CELERY_TASK_TIME_LIMIT = 600
    now = timezone.now()
    job = queued_job(
        coordinator,
        status=Status.RUNNING,
        attempts=1,
        started_at=now - dt.timedelta(hours=2),
        heartbeat_at=now,
    )
    services.report_sweep()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "too long" in job.error


def test_sweep_requeues_a_job_that_never_reached_a_worker(coordinator, settings):
    settings.SEMPRE_REPORT_REQUEUE_AFTER_SECONDS = 120
    old = queued_job(coordinator, enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    fresh = queued_job(coordinator, kind="programme_xlsx", enqueued_at=timezone.now())
    with mock.patch.object(render_report, "apply_async") as send:
        services.report_sweep()
    send.assert_called_once_with(args=[old.pk])
    fresh.refresh_from_db()
    assert fresh.status == Status.QUEUED


def test_sweep_keeps_the_job_when_the_broker_is_still_down(coordinator):
    job = queued_job(coordinator, enqueued_at=None)
    with mock.patch.object(
        render_report, "apply_async", side_effect=kombu.exceptions.OperationalError("down")
    ):
        counts = services.report_sweep()
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert counts["requeued"] == 0


def test_expire_deletes_old_files_and_marks_jobs_expired(coordinator):
    now = timezone.now()
    old = queued_job(coordinator, status=Status.SUCCEEDED, expires_at=now - dt.timedelta(minutes=1))
    old.file.save("old.csv", ContentFile(b"a,b\n"))
    young = queued_job(
        coordinator, kind="programme_xlsx", status=Status.SUCCEEDED, expires_at=now + dt.timedelta(days=1)
    )
    young.file.save("young.csv", ContentFile(b"a,b\n"))
    old_name = old.file.name

    assert services.report_expire() == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.status == Status.EXPIRED
    assert not old.file
    assert not default_storage.exists(old_name)
    assert young.status == Status.SUCCEEDED
    assert default_storage.exists(young.file.name)


def test_monthly_digest_emails_each_coordinator_a_link(
    coordinator, project, django_capture_on_commit_callbacks
):
    UserFactory(username="no-mail", is_coordinator=True, email="")
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.report_digest_send(today=dt.date(2025, 4, 3))
    assert len(jobs) == 1
    job = jobs[0]
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    assert job.params == {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert f"/reports/{job.pk}/download/" in mail.outbox[0].body


def test_monthly_digest_twice_in_a_month_sends_nothing_new(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_digest_send(today=dt.date(2025, 4, 3))
        again = services.report_digest_send(today=dt.date(2025, 4, 20))
    assert again == []
    assert ReportJob.objects.count() == 1


def test_download_is_checked_again_after_leaving_the_organisation(social_worker, make_report, project):
    job = make_report(social_worker, "project", {"project": project.pk})
    assert services.report_may_download(user=social_worker, job=job)
    social_worker.memberships.all().delete()
    del social_worker.organisation_ids  # a new request would load it afresh
    assert not services.report_may_download(user=social_worker, job=job)


def test_a_colleague_cannot_download_someone_elses_report(social_worker, make_report, project, organisation):
    job = make_report(social_worker, "project", {"project": project.pk})
    colleague = MembershipFactory(organisation=organisation).user
    assert not services.report_may_download(user=colleague, job=job)


def slow_past_the_soft_limit(ctx):
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded()


def test_the_soft_time_limit_fails_the_job_in_plain_words(coordinator):
    from reports import kinds

    job = queued_job(coordinator)
    kind = kinds.KINDS["programme_csv"]
    patched = kind.__class__(**{**kind.__dict__, "render": slow_past_the_soft_limit})
    with mock.patch.dict(kinds.KINDS, {"programme_csv": patched}):
        assert services.report_run(job_id=job.pk, worker="w", heartbeat=False) == "failed"
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "took too long" in job.error


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_while_the_renderer_works(coordinator, settings):
    settings.SEMPRE_REPORT_HEARTBEAT_SECONDS = 0.1
    job = queued_job(coordinator)
    attempt = services.report_claim(job_id=job.pk, worker="w")
    claimed_at = ReportJob.objects.get(pk=job.pk).heartbeat_at
    with services._heartbeat(job.pk, attempt, enabled=True):
        import time

        time.sleep(0.6)
    assert ReportJob.objects.get(pk=job.pk).heartbeat_at > claimed_at


def test_beat_schedule_names_registered_tasks(settings):
    from config.celery import app

    app.loader.import_default_modules()
    ours = {"sempre.reports.sweep", "sempre.reports.expire", "sempre.reports.monthly_digest"}
    assert ours <= {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert ours <= set(app.tasks)
