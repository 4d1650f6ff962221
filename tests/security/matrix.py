"""Plumbing of the permission matrix: routes from the URL configuration, one logged-in client per
role, outcome classification and a checksum of the whole database."""

import functools
import hashlib

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

# Tables a refused request may still write: the session of the person asking, login throttling.
VOLATILE_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
WRITE_METHODS = ("post", "put", "patch", "delete")


def routes():
    """(name, pattern, callback) for every route, namespaces joined with ':'."""

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), joined)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield name, prefix + str(entry.pattern), entry.callback

    return list(walk(get_resolver().url_patterns, "", None))


def write_methods(callback) -> tuple[str, ...]:
    """The write methods a view answers: DRF routers say so (`actions`), APIViews by their handlers;
    a plain Django view gets POST (it decides itself what a POST does)."""
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(m for m in WRITE_METHODS if m in actions)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return tuple(m for m in WRITE_METHODS if hasattr(view_class, m))
    return ("post",)


def classify(response) -> str:
    """'ok' (done), 'bad' (let through the permission check, then refused as invalid or stale),
    'login' (sent to the login page), or the refusal's status code."""
    code = response.status_code
    if code in (301, 302, 303) and response.get("Location", "").split("?")[0].endswith(
        settings.LOGIN_URL if settings.LOGIN_URL.startswith("/") else "/accounts/login/"
    ):
        return "login"
    if code < 400:
        return "ok"
    if code in (400, 409, 410, 412, 415, 422, 428):
        return "bad"  # through the permission check, refused as invalid or out of date
    return str(code)


@functools.cache
def _checksummed_models() -> tuple:
    """Every table's model but VOLATILE_TABLES, the many-to-many tables Django makes included."""
    return tuple(
        model
        for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.db_table)
        if model._meta.db_table not in VOLATILE_TABLES and not model._meta.proxy and model._meta.managed
    )


def rows_written() -> int | None:
    """How many rows of the checksummed tables this transaction has inserted, updated or deleted so
    far, those of rolled-back savepoints included: PostgreSQL counts every attempt, and the count
    only grows (pg_stat_xact_user_tables). A request that leaves it as it was wrote nothing, and the
    matrix needs no checksum to know it. None where there is no such count (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # The view's own functions, for these tables only (the view itself takes ~2 ms, this ~0.3).
        cursor.execute(
            "SELECT coalesce(sum(pg_stat_get_xact_tuples_inserted(t) + pg_stat_get_xact_tuples_updated(t)"
            " + pg_stat_get_xact_tuples_deleted(t)), 0) FROM unnest(%s::regclass[]) t",
            [[model._meta.db_table for model in _checksummed_models()]],
        )
        return cursor.fetchone()[0]


def database_checksum() -> str:
    """A digest of every row (all its columns) of every table but VOLATILE_TABLES, in primary key
    order. On PostgreSQL the server hashes each table's rows in one query for all tables (the
    matrix takes a checksum after every refused write: ~1,000 of them, each a query per table and
    the rows to Python before); elsewhere row by row in Python."""
    models = _checksummed_models()
    digest = hashlib.sha256()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_postgresql_checksum_query(models))
            per_table = cursor.fetchone()
        for model, table_digest in zip(models, per_table, strict=True):
            digest.update(model._meta.db_table.encode())
            digest.update(table_digest.encode())
        return digest.hexdigest()
    for model in models:
        digest.update(model._meta.db_table.encode())
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@functools.cache
def _postgresql_checksum_query(models: tuple) -> str:
    """One column per table: md5 of its rows as PostgreSQL writes a row as text, in pk order."""
    quote = connection.ops.quote_name
    columns = [
        f"(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.{quote(model._meta.pk.column)}), ''))"
        f" FROM {quote(model._meta.db_table)} t)"
        for model in models
    ]
    return "SELECT " + ",\n".join(columns)


def clients(world, client_token) -> dict:
    """One client per role; the client invite holder has opened its invite link."""
    result = {"anon": APIClient(enforce_csrf_checks=False)}
    client = APIClient()
    client.get(f"/c/{client_token}/")
    result["client"] = client
    for role, user in world.users.items():
        c = APIClient()
        c.force_login(user)
        result[role] = c
    return result
