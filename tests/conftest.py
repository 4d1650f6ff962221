"""Named users for every role, API clients, and the gate for tests that need real services.

Tests marked `services` need PostgreSQL/Redis/a Celery worker. Without them they skip, except
under SEMPRE_REQUIRE_SERVICES=1 (CI), where a missing service fails the test instead.

What the suite shares with others, and how it keeps to itself (docs/testing.md):
- the cache: each test process writes under a key prefix of its own (`cache_key_prefix`) and
  deletes only those keys (`clear_test_cache`), never the whole Redis database, which dev servers,
  Celery workers and the other xdist process may be using;
- the broker: every real worker consumes a queue of its own test (tests/workers.py);
- the test database: a transactional test ends with a flush, which empties every table, and a
  test database reused with --reuse-db starts as the last run left it. The target groups that a
  data migration seeds are put back after both (post_migrate, as the toolkit's templates are);
  content types and permissions are not emptied (KEPT_BY_THE_FLUSH).
"""

import contextlib
import gc
import importlib
import os
import uuid

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.test import override_settings
from django.utils import translation
from redis.exceptions import RedisError
from rest_framework.test import APIClient

from sempre.models import Membership

from .factories import MembershipFactory, OrganisationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("SEMPRE_REQUIRE_SERVICES", "") in {"1", "true", "yes"}

# PostgreSQL: commits of the test run do not wait for the WAL to reach the disk. Every libpq
# connection of this process and of the processes it starts (xdist workers, Celery workers,
# `manage.py`, pg_dump/pg_restore) reads PGOPTIONS. What other sessions see, and when, is the same
# (a commit is visible at once either way); only a crash of the database server could lose the
# last commits, which no test does. An fsync costs ~4 ms on the CI machine: the demo seed alone
# commits some 10,000 times in a process of its own (docs/testing.md, "The slowest tests").
if "synchronous_commit" not in os.environ.get("PGOPTIONS", ""):
    os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c synchronous_commit=off").strip()


# What `migrate` makes for the schema itself: a content type and the permissions of each model. The
# flush that ends a transactional test leaves them as they are (no test changes them), and Django's
# post_migrate receivers that would make them again after each flush are disconnected once the test
# database is ready (`django_db_setup` below): they took ~0.17 s of every flush's ~0.3 s.
KEPT_BY_THE_FLUSH = ("django_content_type", "auth_permission")


def _flush_by_delete(truncate):
    """PostgreSQL's flush for the test run: DELETE FROM every table instead of one TRUNCATE of all
    of them. A transactional test (live server, workers, races) ends with a flush; TRUNCATE makes new
    files for every table and index (~0.25 s on the CI machine, each time), while deleting the few
    rows such a test leaves takes ~0.03 s (the whole demo: ~0.08 s). The result is the same: every
    table empty (but KEPT_BY_THE_FLUSH), sequences left as they are (Django's flush resets them only
    when asked, and then this hands over to TRUNCATE). Every foreign key Django makes is deferrable,
    so the order of the tables does not matter inside the flush's transaction."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        tables = [table for table in tables if table not in KEPT_BY_THE_FLUSH]
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            "SET CONSTRAINTS ALL DEFERRED",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
                for table in tables
            ),
        ]

    return sql_flush


@pytest.fixture(scope="session", autouse=True)
def _flushes_delete_rows():
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _flush_by_delete(truncate)
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """The test database's tables are made from the models, as `migrate --run-syncdb` makes an app's
    without migrations (Django's TEST["MIGRATE"] = False): 0.5 s of CPU instead of 5.5 s of replaying
    every migration's state, in each test process. Nothing is lost: that the migrations make exactly
    these tables, columns, constraints and indexes is checked on the installation the backup test
    migrates (tests/reliability/test_backup_restore.py), and `makemigrations --check` runs in CI.
    The rows the data migrations seed are made on post_migrate, as after a flush (below)."""
    from django.db import connections

    connections["default"].settings_dict["TEST"]["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database as pytest-django makes (or reuses) it, content types and permissions
    included; from then on the flushes keep those (KEPT_BY_THE_FLUSH), so the receivers that make
    them after a flush have nothing to do and are left out until the run ends. PostgreSQL's only:
    elsewhere the flush is Django's own, which empties them too."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    permissions_uid = "django.contrib.auth.management.create_permissions"
    post_migrate.disconnect(create_contenttypes)
    post_migrate.disconnect(dispatch_uid=permissions_uid)
    yield
    post_migrate.connect(create_contenttypes)
    post_migrate.connect(create_permissions, dispatch_uid=permissions_uid)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow(seconds): takes about that long in CI, 5 s or more (docs/testing.md); runs first",
    )


def pytest_collection_modifyitems(config, items):
    """The tests marked `slow` first, longest first, the others in their usual order. `make test`
    hands the tests out one at a time (`-n 2 --maxschedchunk 1`): while one process runs a long
    test the other takes the next ones, and neither is left with a 60 s test at the end while the
    other has nothing to do."""

    def key(item):
        slow = item.get_closest_marker("slow")
        return -(slow.args[0] if slow and slow.args else 0)

    items.sort(key=key)


# Python's cyclic garbage collector, as a test process needs it. What is in memory once the tests
# are collected (Django, the apps, every test module: some 265,000 objects) lives until the process
# ends, yet each full collection walked all of it again: 4 to 8 % of a test process's CPU went to
# the collector (docs/testing.md, "The browser's own work, and the garbage collector"). gc.freeze() sets
# those objects aside, and a full collection comes after 1,000 collections of the middle generation
# instead of 10. Every cycle is still collected, only the oldest less often.
GC_THRESHOLDS = (2_000, 10, 1_000)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def require_service(available: bool, what: str):
    """Skip, or fail in CI, when a service a test needs is not there."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (SEMPRE_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


def _seed_target_groups(sender, **kwargs):
    """The target groups the data migration creates, created again (only what is missing) after
    `migrate` (also on a reused test database) and after the flush that ends a transactional test."""
    migration = importlib.import_module("microprojects.migrations.0002_seed_target_groups")
    migration.seed_target_groups(global_apps, None)


post_migrate.connect(
    _seed_target_groups,
    sender=global_apps.get_app_config("microprojects"),
    dispatch_uid="tests-target-groups",
)


def cache_key_prefix() -> str:
    """The cache key prefix of this test process: one per run and xdist worker."""
    return settings.CACHES["default"].get("KEY_PREFIX", "")


def clear_test_cache() -> None:
    """Delete this test process's cache keys. On Redis only the keys under its prefix: `cache.clear()`
    would empty the whole Redis database (FLUSHDB), queues and other processes' keys included."""
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None:  # the local-memory cache belongs to this process alone
        cache.clear()
        return
    client = client_of(None, write=True)
    keys = list(client.scan_iter(match=f"{cache_key_prefix()}:*", count=500))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_test_process():
    """Cache keys under a prefix of this run and xdist worker, deleted at the end: the suite neither
    reads what dev servers or an earlier run left in the same Redis database, nor leaves anything."""
    prefix = f"sempre-test-{uuid.uuid4().hex[:8]}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with override_settings(
        CACHES={alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
    ):
        try:
            yield prefix
        finally:
            with contextlib.suppress(RedisError):  # Redis gone by now: its keys expire or stay behind
                clear_test_cache()


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Sessions as in production (cached_db on the cache), whether the cache is Redis (CI) or this
    # process's memory: one engine, so every query count is the same with and without REDIS_URL.
    # tests/sempre/test_sessions.py runs the database engine (no Redis) explicitly.
    settings.SESSION_ENGINE = "sempre.session_engine"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with no request counted: the rate limits (password reset, API tokens, the
    /c/ pages) count in the cache, over windows longer than the whole run."""
    with contextlib.suppress(RedisError):  # tests that stop Redis clear nothing
        clear_test_cache()


@pytest.fixture(autouse=True)
def _no_language_left_over():
    """Every test starts in the settings' language. Django's LocaleMiddleware activates the language
    of each request in the thread and leaves it there: a test whose last request was in German left
    the next test in the same process (a management command's messages, say) speaking German."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _eager_results_may_be_read():
    """Tasks run eagerly in the test process, and a test may read their result with .get(). Celery
    refuses that ("Never call result.get() within a task!") once its process-wide flag says joining
    would block, a flag meant for worker processes; in two CI runs something earlier in the same
    process had set it. allow_join_result() is Celery's own way to lift it for the test."""
    from celery.result import allow_join_result

    with allow_join_result():
        yield


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Luleå Social Services", country="SE")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Kuldīga Social Service", country="LV")


@pytest.fixture
def social_worker(organisation):
    return MembershipFactory(
        user=UserFactory(username="anna"), organisation=organisation, role=Membership.Role.SOCIAL_WORKER
    ).user


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(
        user=UserFactory(username="erik"), organisation=organisation, role=Membership.Role.ORG_ADMIN
    ).user


@pytest.fixture
def other_social_worker(other_organisation):
    return MembershipFactory(
        user=UserFactory(username="liga"), organisation=other_organisation, role=Membership.Role.SOCIAL_WORKER
    ).user


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", is_coordinator=True)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", is_reviewer=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def as_user(api_client):
    """as_user(user) -> an APIClient logged in as that user (None: anonymous). A real session
    login, so each request loads the user afresh, as in production."""

    def login(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def make_report(django_capture_on_commit_callbacks):
    """make_report(user, kind, params) -> the job, after its task ran in-process (eager)."""
    from reports import services

    def make(user, kind, params=None, language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            job, _created = services.report_request(
                by=user, kind=kind, params=params or {}, language=language
            )
        job.refresh_from_db()
        return job

    return make
