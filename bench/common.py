"""Shared plumbing for the benchmark scripts: where the database is, Django set-up, small statistics.

The scripts in bench/ are run directly (`.venv/bin/python bench/run.py`), so they put the project
root on sys.path themselves before importing Django.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sempre_bench"


def add_root_to_path() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def maintenance_url(url: str) -> str:
    """The same server, database `postgres`: where CREATE DATABASE runs."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def psycopg_conninfo(url: str) -> str:
    # psycopg understands postgresql:// URLs; Django's environ also accepts postgres://.
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgres://") else url


def ensure_database(url: str) -> bool:
    """Create the database if it is missing; True when it was created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(psycopg_conninfo(maintenance_url(url)), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def setup_django(settings_module: str = "config.settings") -> None:
    """Point Django at the bench database with production-like settings (DEBUG off), then set it up."""
    add_root_to_path()
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks, as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
