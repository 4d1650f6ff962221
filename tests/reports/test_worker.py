"""Reports made by a real Celery worker process, through Redis, against PostgreSQL.

The worker is a subprocess (`celery -A config worker`) on a queue of its own, pointed at the test
database through DATABASE_URL and at the test's media folder, so it sees what the test writes
(hence `transactional_db`: the test's data must be committed). Every wait is bounded, and every
worker is stopped (or killed) when the test ends.

Fault choice, SIGKILL in the middle of a report: the dead worker's message stays unacknowledged in
Redis and would only come back after the broker's visibility timeout (an hour in production, and
shortening it makes Redis hand long reports to a second worker while the first is still busy). So
the recovery does not rely on it: the job row carries a heartbeat, refreshed by the worker every
SEMPRE_REPORT_HEARTBEAT_SECONDS; the sweep (beat, every minute) puts a running job whose heartbeat
is older than the lease back in the queue, and each claim increments `attempts`, a fencing token, so
only the newest attempt can write. The test shortens the lease and runs the sweep itself.
"""

import io
import os
import time
import uuid
from pathlib import Path

import pypdf
import pytest
from django.db import connection
from openpyxl import load_workbook

from config.celery import app as celery_app
from reports import services
from reports.models import ReportJob
from reports.tasks import render_report

from ..conftest import require_service
from ..workers import Worker, delete_queue, redis_available, worker_database_url

pytestmark = pytest.mark.services

TIMEOUT = 90
URL = "/api/v1/reports/"


def wait_for(check, what: str, workers=(), timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    logs = "\n".join(worker.log_tail() for worker in workers)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{logs}")


def use_broker(url: str) -> None:
    """Point this (web) process's Celery client at another broker URL, dropping pooled connections."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@pytest.fixture
def start_worker(transactional_db, settings, tmp_path):
    """start_worker(**env) -> a running worker on a queue of this test; all stopped at the end."""
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    require_service(redis_available(redis_url), "Redis (REDIS_URL)")
    queue = f"sempre-reports-test-{uuid.uuid4().hex[:10]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SEMPRE_REPORT_QUEUE = queue
    database_url = worker_database_url()
    workers = []

    def start(**extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SEMPRE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SEMPRE_REPORT_HEARTBEAT_SECONDS": "1",
            "SEMPRE_REPORT_STEP_DELAY": "0.3",
            **{key: str(value) for key, value in extra_env.items()},
        }
        worker = Worker(queue, tmp_path / f"worker-{len(workers)}.log", env, pool="prefork")
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            # The test is over and its job done: killed at once. A warm shutdown of an idle prefork
            # worker takes ~1.4 s of waiting, a cold one ~2 s.
            worker.kill()
        use_broker(redis_url)
        delete_queue(redis_url, queue)


def job_state(job_id):
    return ReportJob.objects.filter(pk=job_id).values("status", "progress_done", "attempts", "error").first()


def report_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_a_worker_makes_the_report_and_it_downloads(start_worker, as_user, social_worker, project):
    worker = start_worker()
    client = as_user(social_worker)
    response = client.post(URL, {"kind": "project", "params": {"project": project.pk}}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    duplicate = client.post(URL, {"kind": "project", "params": {"project": project.pk}}, format="json")
    assert duplicate.json()["id"] == job_id  # still queued or running: the same job

    def finished():
        body = client.get(f"{URL}{job_id}/").json()
        return body if body["status"] in ("succeeded", "failed") else None

    body = wait_for(finished, "the project report", [worker])
    assert body["status"] == "succeeded", body["error"]
    assert body["progress"]["percent"] == 100
    download = client.get(body["download_url"])
    assert download.status_code == 200
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Project report: Fruit bags for Luleå" in text
    assert "Indicators against targets" in text
    assert "Kick-off workshop" in text
    assert "21\nparticipations" in text
    assert ReportJob.objects.get(pk=job_id).worker.startswith(worker.queue)


def test_a_worker_makes_the_programme_spreadsheet(start_worker, as_user, coordinator, project, other_project):
    worker = start_worker()
    client = as_user(coordinator)
    job_id = client.post(URL, {"kind": "programme_xlsx", "params": {"country": "SE"}}, format="json").json()[
        "id"
    ]
    body = wait_for(
        lambda: (b := client.get(f"{URL}{job_id}/").json())["status"] in ("succeeded", "failed") and b,
        "the spreadsheet",
        [worker],
    )
    assert body["status"] == "succeeded", body["error"]
    download = client.get(body["download_url"])
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    rows = list(workbook["Activities"].iter_rows(values_only=True))
    assert [row[6] for row in rows[1:]] == ["Kick-off workshop", "Packing day"]  # Sweden only
    assert [row[1] for row in list(workbook["Projects"].iter_rows(values_only=True))[1:]] == [project.title]


@pytest.mark.slow(8)
def test_a_worker_killed_mid_report_is_replaced_and_the_job_finishes_once(
    start_worker, as_user, social_worker, project, settings
):
    settings.SEMPRE_REPORT_LEASE_SECONDS = 3
    first = start_worker(SEMPRE_REPORT_STEP_DELAY="2")  # 5 steps: about 10 s of work
    client = as_user(social_worker)
    job_id = client.post(URL, {"kind": "project", "params": {"project": project.pk}}, format="json").json()[
        "id"
    ]
    wait_for(
        lambda: (s := job_state(job_id))["status"] == "running" and s["progress_done"] >= 1,
        "the report to be half way",
        [first],
    )
    first.kill()
    assert job_state(job_id)["status"] == "running"  # nobody has told the database

    second = start_worker(SEMPRE_REPORT_STEP_DELAY="0")
    # The sweep (beat, every minute; run here directly) requeues the job once the lease has passed.
    wait_for(
        lambda: services.report_sweep()["abandoned"] == 1, "the sweep to see the dead worker", [second], 20
    )
    state = wait_for(
        lambda: (s := job_state(job_id))["status"] in ("succeeded", "failed") and s,
        "the second attempt",
        [second],
    )
    assert state["status"] == "succeeded", state["error"]
    assert state["attempts"] == 2

    # A late copy of the task (as the broker would redeliver the dead worker's message) is a no-op.
    job = ReportJob.objects.get(pk=job_id)
    render_report.apply_async(args=[job_id], queue=settings.SEMPRE_REPORT_QUEUE)
    wait_for(
        lambda: "'skipped'" in second.log_path.read_text(), "the redelivered task to be skipped", [second], 30
    )
    job.refresh_from_db()
    assert job.attempts == 2
    files = report_files(settings)
    assert len(files) == 1  # made exactly once
    assert files[0].name == job.file.name.rsplit("/", 1)[-1]


def test_redis_unreachable_at_request_time_answers_503_then_the_job_runs(
    start_worker, as_user, coordinator, project, settings
):
    worker = start_worker()
    settings.SEMPRE_REPORT_REQUEUE_AFTER_SECONDS = 0
    client = as_user(coordinator)
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there: the web process cannot reach Redis
    try:
        response = client.post(URL, {"kind": "programme_csv", "params": {}}, format="json")
    finally:
        use_broker(os.environ["REDIS_URL"])  # Redis is back
    assert response.status_code == 503
    assert "cannot be reached" in response.json()["detail"]
    job_id = response.json()["job"]["id"]
    time.sleep(1)
    assert job_state(job_id)["status"] == "queued"  # kept, and nothing reached the worker

    services.report_sweep()  # what beat does every minute
    state = wait_for(
        lambda: (s := job_state(job_id))["status"] in ("succeeded", "failed") and s,
        "the requeued job",
        [worker],
    )
    assert state["status"] == "succeeded", state["error"]
    assert state["attempts"] == 1
    assert len(report_files(settings)) == 1
