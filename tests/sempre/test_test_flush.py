"""The test run's flush (tests/conftest.py `_flush_by_delete`): the end of every transactional test.

It must leave what Django's TRUNCATE leaves: every table empty, whatever points at what, and the
sequences where they were; but for the content types and permissions `migrate` made, which it keeps
(KEPT_BY_THE_FLUSH)."""

import pytest
from django.core.management.color import no_style
from django.db import connection

from microprojects.models import Activity
from tests.conftest import KEPT_BY_THE_FLUSH
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE flush is PostgreSQL's")
def test_the_flush_empties_every_table_in_any_order_and_keeps_the_sequences(social_worker, organisation):
    activity = ActivityFactory(project__organisation=organisation)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    kept = {table: _count(table) for table in KEPT_BY_THE_FLUSH}
    assert all(kept.values()), kept  # what migrate made
    statements = connection.ops.sql_flush(no_style(), tables)
    assert not any("TRUNCATE" in statement for statement in statements)

    connection.ops.execute_sql_flush(statements)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys are checked now
    left = {table: count for table in tables if (count := _count(table))}
    assert left == kept
    later = ActivityFactory()
    assert later.pk > activity.pk  # sequences kept, as TRUNCATE without RESTART IDENTITY keeps them
    assert Activity.objects.count() == 1


def test_a_flush_that_resets_the_sequences_is_still_a_truncate():
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql":
        assert any("TRUNCATE" in statement for statement in statements)
        # and it too leaves what migrate made: its receivers are not there to make it again
        kept = [connection.ops.quote_name(table) for table in KEPT_BY_THE_FLUSH]
        assert not any(name in statement for statement in statements for name in kept)


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]
