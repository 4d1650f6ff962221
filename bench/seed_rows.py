"""Writing the seed's rows: COPY into a model's table, with Django's defaults for the columns the
seed does not name, and the seed's own clock. Used by bench/seed_scale.py and bench/seed_extra.py."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def default_value(model_field, connection):
    """The value a column gets when the seed does not name it: as Django would fill it on save."""
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return NOW
    if model_field.has_default():
        value = model_field.get_default()
        if model_field.get_internal_type() == "JSONField":
            return json.dumps(value)
        return model_field.get_db_prep_save(value, connection)
    if model_field.null:
        return None
    if model_field.get_internal_type() in {"CharField", "TextField", "SlugField", "EmailField", "URLField"}:
        return ""
    raise ValueError(
        f"{model_field.model.__name__}.{model_field.name} has no default: the seed must give it a value"
    )


def copy_model(cursor, model, field_names: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows (tuples in field_names order) into model's table; other columns get their defaults,
    so a column another engineer adds later (with a default) does not break the seed."""
    from django.db import connection
    from psycopg import sql

    meta = model._meta
    named = [meta.get_field(name) for name in field_names]
    named_set = {f.name for f in named}
    extra = [f for f in meta.concrete_fields if f.name not in named_set]
    extra_values = tuple(default_value(f, connection) for f in extra)
    columns = [f.column for f in named] + [f.column for f in extra]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    count = 0
    with cursor.copy(statement) as copy:
        if extra_values:
            for row in rows:
                copy.write_row(row + extra_values)
                count += 1
        else:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of indexes on table that back no constraint (safe to drop and rebuild)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND i.schemaname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        (table,),
    )
    return list(cursor.fetchall())
