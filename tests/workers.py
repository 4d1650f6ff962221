"""A real Celery worker process for the tests that need one (marked `services`): the ping test,
the report tests and the browser's report journey.

A worker is `celery -A config worker` in a process group of its own, consuming one queue of the
test's, writing its log to a file the test shows when something goes wrong. Every wait is bounded.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 60


def redis_available(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def worker_database_url() -> str:
    """DATABASE_URL of the database this test runs on, for a worker process to use the same."""
    from django.db import connection

    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


def delete_queue(redis_url: str, queue: str) -> None:
    """Drop what a test left of its queue in Redis: the messages, the queue's bindings, and the
    messages a killed worker took but never acknowledged (kombu keeps them in `unacked` and, after
    the visibility timeout, any worker on the same Redis database would put them back)."""
    import json

    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for binding in client.smembers("_kombu.binding.celery.pidbox"):  # a killed worker's remote control
        if queue.encode() in binding:
            client.srem("_kombu.binding.celery.pidbox", binding)
    for tag, entry in client.hscan_iter("unacked"):
        try:
            _payload, exchange, routing_key = json.loads(entry)
        except (TypeError, ValueError):
            continue
        if queue in (exchange, routing_key):
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


class Worker:
    """A started worker on `queue`, ready to take tasks; `stop()` or `kill()` it when done."""

    def __init__(self, queue: str, log_path: Path, env: dict, *, pool: str = "solo"):
        from django.conf import settings

        self.queue, self.log_path = queue, log_path
        # The worker writes to the cache under the test process's key prefix (tests/conftest.py),
        # so the test reads what the worker wrote, and nothing of anyone else's.
        env = {**env, "SEMPRE_CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "")}
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1",
            "--queues", queue, "--hostname", f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ]  # fmt: skip
        with log_path.open("a") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a signal reaches the pool child too
            )
        deadline = time.monotonic() + READY_TIMEOUT
        while self.process.poll() is None and " ready." not in log_path.read_text():
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the Celery worker did not start within {READY_TIMEOUT}s\n{self.log_tail()}")
            time.sleep(0.2)
        assert self.process.poll() is None, self.log_tail()

    def log_tail(self) -> str:
        return f"--- worker log {self.log_path.name} ---\n" + self.log_path.read_text()[-4000:]

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool child, mid-task."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM: the current task finishes), then SIGKILL after 20 s."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
