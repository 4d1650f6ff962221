"""A real Celery worker process, consuming from Redis.

Why a cache marker and not a result backend: the settings run without a result backend (report
progress lives in the database), and the worker is a separate process that cannot see the test's
transaction. So `sempre.ping` writes a note into the Django cache, which is Redis whenever REDIS_URL
is set, and the test polls for it. The worker consumes a queue of its own, so it never takes tasks
meant for another worker on the same Redis, and runs with the solo pool (one process, one task).
It does not touch the database, so the test needs none.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.core.cache import cache

from sempre.tasks import ping_marker_key

from ..conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def redis_available(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker_queue(tmp_path):
    """Start `celery -A sempre worker` on a queue of its own; yield the queue name; stop the worker."""
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(redis_available(redis_url), "Redis (REDIS_URL)")
    # The test process must talk to the same Redis as the worker through the cache.
    assert settings.CACHES["default"]["LOCATION"] == redis_url
    queue = f"sempre-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        command = [
            sys.executable, "-m", "celery", "-A", "sempre", "worker",
            "--pool=solo", "--concurrency=1", "--queues", queue, "--hostname", f"{queue}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        ]  # fmt: skip
        worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "REDIS_URL": redis_url},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue, worker, log_path
    finally:
        worker.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@pytest.mark.services
def test_a_real_worker_runs_ping_sent_through_redis(worker_queue):
    queue, worker, log_path = worker_queue
    marker = uuid.uuid4().hex
    # A client of its own: the project's app may be set to run tasks eagerly in tests, send_task never does.
    client = Celery("sempre-test-client", broker=os.environ["REDIS_URL"])
    client.send_task("sempre.ping", kwargs={"marker": marker}, queue=queue)

    deadline = time.monotonic() + TIMEOUT
    note = None
    while time.monotonic() < deadline and worker.poll() is None:
        note = cache.get(ping_marker_key(marker))
        if note is not None:
            break
        time.sleep(0.25)
    assert note is not None, (
        f"no answer from the worker within {TIMEOUT}s (exit code {worker.poll()}):\n"
        + log_path.read_text()[-4000:]
    )
    assert note["hostname"].startswith(queue)
    cache.delete(ping_marker_key(marker))
