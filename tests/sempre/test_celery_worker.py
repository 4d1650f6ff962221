"""A real Celery worker process, consuming from Redis.

Why a cache marker and not a result backend: the settings run without a result backend (report
progress lives in the database), and the worker is a separate process that cannot see the test's
transaction. So `sempre.ping` writes a note into the Django cache, which is Redis whenever REDIS_URL
is set, and the test polls for it. The worker consumes a queue of its own, so it never takes tasks
meant for another worker on the same Redis, and runs with the solo pool (one process, one task).
It does not touch the database, so the test needs none.
"""

import os
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.core.cache import cache

from sempre.tasks import ping_marker_key

from ..conftest import require_service
from ..workers import Worker, delete_queue, redis_available

TIMEOUT = 60


@pytest.fixture
def worker(tmp_path):
    """A worker on a queue of its own; stopped at the end."""
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(redis_available(redis_url), "Redis (REDIS_URL)")
    # The test process must talk to the same Redis as the worker through the cache.
    assert settings.CACHES["default"]["LOCATION"] == redis_url
    queue = f"sempre-test-{uuid.uuid4().hex[:12]}"
    worker = Worker(queue, tmp_path / "worker.log", {**os.environ, "REDIS_URL": redis_url})
    try:
        yield worker
    finally:
        worker.stop()
        delete_queue(redis_url, queue)


@pytest.mark.services
def test_a_real_worker_runs_ping_sent_through_redis(worker):
    queue = worker.queue
    marker = uuid.uuid4().hex
    # A client of its own: the project's app may be set to run tasks eagerly in tests, send_task never does.
    client = Celery("sempre-test-client", broker=os.environ["REDIS_URL"])
    client.send_task("sempre.ping", kwargs={"marker": marker}, queue=queue)

    deadline = time.monotonic() + TIMEOUT
    note = None
    while time.monotonic() < deadline and worker.process.poll() is None:
        note = cache.get(ping_marker_key(marker))
        if note is not None:
            break
        time.sleep(0.25)
    assert note is not None, (
        f"no answer from the worker within {TIMEOUT}s (exit code {worker.process.poll()}):\n"
        + worker.log_tail()
    )
    assert note["hostname"].startswith(queue)
    cache.delete(ping_marker_key(marker))
