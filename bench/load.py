"""Load scenario: N concurrent users for D seconds against gunicorn + PostgreSQL + a Celery worker,
all on 127.0.0.1, mixing browsing, activity logging and report requests. Not a CI gate.

    .venv/bin/python bench/load.py                       # 50 users, 60 s, a fresh seeded database
    .venv/bin/python bench/load.py --database sempre_load --keep-database   # reuse a seeded one

What it does, bounded in time at every step:
1. a PostgreSQL database (created, migrated and seeded with `seed_demo` unless --database names
   an existing seeded one), a Redis database number of its own (--redis-db), a media folder in /tmp;
2. gunicorn (gthread) and a Celery worker as subprocesses, with those settings, DEBUG off;
3. each virtual user logs in as a demo user (social workers and org admins, round robin) for the
   web pages, asks for an API token, then loops until the time is up, picking one action:
   browse (dashboard, project list, a project page, the API project list)  65 %
   log an activity through the API                                          25 %
   ask for a project report (and later look at its job)                     10 %
4. prints (and writes with --json) requests, errors (5xx, connection errors, and any status the
   action does not expect), throughput and latency percentiles per action, and how many report
   jobs the worker finished; stops the processes, drops the database it created.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEMO_PASSWORD = "sempre-demo"


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command, env, timeout=900):
    # our own commands (manage.py, createdb) with arguments we build: no untrusted input
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    if result.returncode:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def staff_usernames(env) -> list[str]:
    code = (
        "from demo.people import demo_logins; "
        "print(' '.join(l['username'] for l in demo_logins() if l['role'] in ('social_worker', 'org_admin')))"
    )
    return run([PYTHON, "manage.py", "shell", "--no-imports", "-c", code], env).split()


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not come up within {timeout} s")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(list)
        self.jobs: set[int] = set()

    def record(self, action, started, response=None, expected=(200,), error=None):
        elapsed = (time.monotonic() - started) * 1000
        with self.lock:
            self.latency[action].append(elapsed)
            if error is not None:
                self.errors[action].append(f"{type(error).__name__}: {str(error)[:160]}")
            elif response.status_code not in expected:
                self.errors[action].append(f"{response.status_code} {response.request.path_url[:60]}")


LOGINS = threading.Semaphore(4)


class Clock:
    """Logging in (password hashing) is a ramp-up: the measured window starts when all are in."""

    def __init__(self, users: int, duration: float):
        self.remaining, self.duration = users, duration
        self.lock, self.started = threading.Lock(), threading.Event()
        self.stop_at = 0.0

    def logged_in(self):
        with self.lock:
            self.remaining -= 1
            if self.remaining == 0:
                self.stop_at = time.monotonic() + self.duration
                self.started.set()


class User(threading.Thread):
    def __init__(self, base, username, stats, clock, seed):
        super().__init__(daemon=True)
        self.base, self.username, self.stats, self.clock = base, username, stats, clock
        self.random = random.Random(seed)
        self.web = requests.Session()
        self.api = requests.Session()
        self.projects: list[int] = []
        self.jobs: list[int] = []
        self.ready = False

    def call(self, action, session, method, path, expected=(200,), timeout=30, **kwargs):
        started = time.monotonic()
        try:
            response = session.request(method, self.base + path, timeout=timeout, **kwargs)
        except requests.RequestException as error:
            self.stats.record(action, started, error=error)
            return None
        self.stats.record(action, started, response, expected)
        return response

    def login(self):
        with LOGINS:  # a few at a time: each login hashes the password (PBKDF2) twice
            self._login()

    def _login(self):
        page = self.call("login", self.web, "GET", "/accounts/login/", timeout=120)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.call(
            "login", self.web, "POST", "/accounts/login/", expected=(302,), allow_redirects=False,
            data={"username": self.username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            timeout=120,
            headers={"Referer": self.base + "/accounts/login/"},
        )  # fmt: skip
        response = self.call(
            "login", self.api, "POST", "/api/v1/auth/token/",
            json={"username": self.username, "password": DEMO_PASSWORD}, timeout=120,
        )  # fmt: skip
        self.api.headers["Authorization"] = f"Token {response.json()['token']}"
        listing = self.api.get(self.base + "/api/v1/projects/?page_size=100&status=active", timeout=30).json()
        self.projects = [p["id"] for p in listing["results"]] or [
            p["id"]
            for p in self.api.get(self.base + "/api/v1/projects/?page_size=100", timeout=30).json()["results"]
        ]
        self.ready = bool(self.projects)

    def browse(self):
        project = self.random.choice(self.projects)
        path, session = self.random.choice(
            [
                ("/", self.web),
                ("/projects/", self.web),
                (f"/projects/{project}/", self.web),
                ("/api/v1/projects/", self.api),
                (f"/api/v1/projects/{project}/activities/", self.api),
            ]
        )
        self.call("browse", session, "GET", path)

    def log_activity(self):
        project = self.random.choice(self.projects)
        total = self.random.randint(1, 30)
        women = self.random.randint(0, total)
        self.call(
            "log activity", self.api, "POST", f"/api/v1/projects/{project}/activities/", expected=(201,),
            json={
                "date": str(date.today() - timedelta(days=self.random.randint(0, 60))),
                "kind": "workshop",
                "title": f"Load test workshop {uuid.uuid4().hex[:6]}",
                "participants_total": total,
                "participants_new": self.random.randint(0, total),
                "women": women,
                "men": total - women,
                "non_binary": 0,
                "gender_not_stated": 0,
            },
        )  # fmt: skip

    def ask_for_report(self):
        if self.jobs and self.random.random() < 0.5:
            job = self.random.choice(self.jobs)
            self.call("report status", self.api, "GET", f"/api/v1/reports/{job}/")
            return
        project = self.random.choice(self.projects)
        language = self.random.choice(["en", "de", "sv", "lv"])
        response = self.call(
            "report request", self.api, "POST", "/api/v1/reports/", expected=(200, 201, 202),
            json={"kind": "project", "params": {"project": project}, "language": language},
        )  # fmt: skip
        if response is not None and response.status_code in (200, 201, 202):
            job = response.json()["id"]
            self.jobs.append(job)
            with self.stats.lock:
                self.stats.jobs.add(job)

    def run(self):
        try:
            self.login()
        except Exception as error:
            with self.stats.lock:
                self.stats.errors["login"].append(repr(error)[:160])
            return
        finally:
            self.clock.logged_in()
        self.clock.started.wait()
        while time.monotonic() < self.clock.stop_at:
            pick = self.random.random()
            if pick < 0.65:
                self.browse()
            elif pick < 0.90:
                self.log_activity()
            else:
                self.ask_for_report()
            time.sleep(self.random.uniform(0.05, 0.3))  # think time


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--database", help="an existing, seeded database to use (kept)")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL without a name"
    )
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=8)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    created = args.database is None
    name = args.database or f"sempre_load_{uuid.uuid4().hex[:8]}"
    media = Path(tempfile.mkdtemp(prefix="sempre-load-media-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{name}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "SEMPRE_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "false",
        "SEMPRE_ENV": "development",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    processes: list[subprocess.Popen] = []
    try:
        if created:
            log(f"creating and seeding {name}")
            run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], env)
            run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
            run([PYTHON, "manage.py", "seed_demo"], env)
        usernames = staff_usernames(env)
        log(f"{len(usernames)} demo staff users; starting gunicorn and a worker (logs in {media.parent})")
        web_log = (media.parent / f"{media.name}-web.log").open("w")
        worker_log = (media.parent / f"{media.name}-worker.log").open("w")
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own server command
                [
                    BIN / "gunicorn",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    str(args.web_workers),
                    "--threads",
                    str(args.web_threads),
                    "--worker-class",
                    "gthread",
                    "--timeout",
                    "120",
                    # longer than any think time, so the server never closes a kept-alive
                    # connection just as the client reuses it (a client-side ConnectionError)
                    "--keep-alive",
                    "75",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own worker command
                [
                    BIN / "celery",
                    "-A",
                    "config",
                    "worker",
                    "--loglevel=WARNING",
                    f"--concurrency={args.worker_concurrency}",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        )
        base = f"http://127.0.0.1:{args.port}"
        wait_until_up(base + "/healthz")

        stats = Stats()
        clock = Clock(args.users, args.duration)
        users = [User(base, usernames[i % len(usernames)], stats, clock, seed=i) for i in range(args.users)]
        log(f"{args.users} users log in (ramp-up, not in the window)")
        for user in users:
            user.start()
        if not clock.started.wait(timeout=300):
            raise SystemExit("the users did not log in within 300 s")
        started = time.monotonic()
        log(f"{args.users} users for {args.duration} s")
        for user in users:
            user.join(timeout=args.duration + 60)
        elapsed = time.monotonic() - started

        # give the worker a bounded moment to finish the queued reports
        deadline = time.monotonic() + 120
        finished = failed = 0
        check = (
            "from reports.models import ReportJob as J; "
            f"ids = {sorted(stats.jobs)!r}; q = J.objects.filter(pk__in=ids); "
            "print(q.filter(status='succeeded').count(), q.filter(status='failed').count())"
        )
        while time.monotonic() < deadline:
            finished, failed = map(
                int, run([PYTHON, "manage.py", "shell", "--no-imports", "-c", check], env).split()
            )
            if finished + failed >= len(stats.jobs):
                break
            time.sleep(3)

        actions = {}
        for action, values in sorted(stats.latency.items()):
            actions[action] = {
                "requests": len(values),
                "errors": len(stats.errors.get(action, [])),
                "p50_ms": percentile(values, 50),
                "p90_ms": percentile(values, 90),
                "p95_ms": percentile(values, 95),
                "p99_ms": percentile(values, 99),
                "max_ms": round(max(values), 1),
                "mean_ms": round(statistics.fmean(values), 1),
            }
        total = sum(a["requests"] for name, a in actions.items() if name != "login")
        errors = sum(len(v) for v in stats.errors.values())
        all_latency = [v for name, values in stats.latency.items() if name != "login" for v in values]
        figures = {
            "users": args.users,
            "duration_s": round(elapsed, 1),
            "requests": total,
            "errors": errors,
            "throughput_rps": round(total / elapsed, 1),
            "p50_ms": percentile(all_latency, 50),
            "p95_ms": percentile(all_latency, 95),
            "p99_ms": percentile(all_latency, 99),
            "report_jobs": len(stats.jobs),
            "report_jobs_succeeded": finished,
            "report_jobs_failed": failed,
            "actions": actions,
            "error_samples": {k: v[:5] for k, v in stats.errors.items()},
            "server_errors_logged": (media.parent / f"{media.name}-web.log")
            .read_text()
            .count("Internal Server Error"),
            "web_log": str(media.parent / f"{media.name}-web.log"),
            "setup": f"gunicorn gthread {args.web_workers}x{args.web_threads}, celery concurrency "
            f"{args.worker_concurrency}, PostgreSQL, Redis db {args.redis_db}, {os.cpu_count()} CPUs",
        }
        print(json.dumps(figures, indent=2))
        print()
        print("| action | requests | errors | p50 ms | p90 ms | p95 ms | p99 ms | max ms |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for action, a in actions.items():
            print(
                f"| {action} | {a['requests']} | {a['errors']} | {a['p50_ms']} | {a['p90_ms']} | "
                f"{a['p95_ms']} | {a['p99_ms']} | {a['max_ms']} |"
            )
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
        return 0 if errors == 0 else 1
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if created and not args.keep_database:
            subprocess.run(  # noqa: S603 - the PostgreSQL client tools on PATH, as createdb above
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],  # noqa: S607
                check=False,
            )


if __name__ == "__main__":
    sys.exit(main())
