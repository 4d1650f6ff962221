"""Where one API request's time goes: median milliseconds per stage, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sempre_bench \\
        .venv/bin/python bench/request_stages.py [PATH] [--requests N]

PATH defaults to the activities of the bench's sample project (page size 25). The request runs
through Django's test client as the bench coordinator, logged in with a session as in `make bench`;
the floor of the same rows (bench/floor.py) is timed alongside for comparison. Stages are DRF's
own methods wrapped with timers, so they nest: "authentication" is part of "initial".
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sempre_bench")
os.environ.setdefault("DJANGO_DEBUG", "0")

STAGES = [
    ("rest_framework.views", "APIView", "initial", "initial (authentication, permissions)"),
    ("rest_framework.views", "APIView", "perform_authentication", "  authentication"),
    ("rest_framework.generics", "GenericAPIView", "filter_queryset", "filter backends"),
    ("rest_framework.generics", "GenericAPIView", "paginate_queryset", "count + page query"),
    ("rest_framework.serializers", "ListSerializer", "to_representation", "serialising the page"),
    ("rest_framework.views", "APIView", "dispatch", "DRF dispatch in all"),
    ("django.core.handlers.base", "BaseHandler", "get_response", "Django request in all"),
]


def main() -> None:
    import django

    django.setup()
    import importlib

    from django.test import Client

    from bench.seed_scale import COORDINATOR_USERNAME
    from microprojects.models import MicroProject
    from sempre.models import User

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    project = MicroProject.objects.order_by("id")[MicroProject.objects.count() // 2]
    path = args.path or f"/api/v1/projects/{project.pk}/activities/?page_size=25"
    floor = f"/bench-floor/projects/{project.pk}/activities/?page_size=25" if not args.path else None

    timings: dict[str, list[float]] = collections.defaultdict(list)
    for module, owner, name, label in STAGES:
        cls = getattr(importlib.import_module(module), owner)
        setattr(cls, name, _timed(getattr(cls, name), timings[label]))

    client = Client()
    client.force_login(User.objects.get(username=COORDINATOR_USERNAME))
    for _ in range(30):  # warm-up: connections, first-use imports
        client.get(path)
    for series in timings.values():
        series.clear()
    floor_times = []
    for _ in range(args.requests):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if floor:
            started = time.perf_counter()
            client.get(floor)
            floor_times.append(time.perf_counter() - started)
    print(f"{path}, {args.requests} requests, median ms")
    for _module, _owner, _name, label in STAGES:
        if label != "Django request in all":
            print(f"  {label:40s} {statistics.median(timings[label]) * 1000:7.2f}")
    # The floor's own get_response is timed too: count only the page's requests.
    page_times = timings["Django request in all"][:: 2 if floor else 1]
    print(f"  {'Django request in all':40s} {statistics.median(page_times) * 1000:7.2f}")
    if floor:
        print(f"  {'floor, whole test-client request':40s} {statistics.median(floor_times) * 1000:7.2f}")


def _timed(function, series: list[float]):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            series.append(time.perf_counter() - started)

    return timed


if __name__ == "__main__":
    main()
