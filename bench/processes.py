"""The processes a benchmark run starts and stops itself: a gunicorn serving bench.settings, and
bench/child.py for the heavy jobs (so their peak memory is their own). All on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time

from bench.common import BENCH_DIR, ROOT

GUNICORN_TIMEOUT = 600


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn serving bench.settings on 127.0.0.1, started and stopped by this run only."""

    def __init__(self, workers: int = 1, settings: str = "bench.settings", env: dict | None = None):
        self.port = free_port()
        self.workers = workers
        self.settings = settings
        self.env = env or {}  # added to (or replacing) this process's environment
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": self.settings, "DJANGO_DEBUG": "0", **self.env}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            # gunicorn's default 30 s would kill the worker on a slow page (a 500); measure it instead.
            "--timeout",
            str(GUNICORN_TIMEOUT),
        ]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own interpreter
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def get(self, path: str, cookie: str = "", accept: str = "application/json") -> tuple[int, bytes, float]:
        """(status, body, seconds) for one GET, timed from connecting to the last byte."""
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Accept": accept}
            if cookie:
                headers["Cookie"] = cookie
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return response.status, body, time.perf_counter() - started

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class TooSlow(Exception):
    """A child job ran past its time limit and was stopped."""


def run_child(job: str, *extra: str, timeout: float = 1200) -> dict:
    """bench/child.py JOB in a fresh interpreter; its JSON answer. Stopped after `timeout` seconds."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "0"}
    command = [sys.executable, str(BENCH_DIR / "child.py"), job, *extra]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise TooSlow(f"{job} stopped after {timeout:.0f} s") from error
    if done.returncode != 0:
        raise RuntimeError(f"child {job} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
