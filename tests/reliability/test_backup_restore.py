"""Backup and restore, as docs/security.md describes it: pg_dump (custom format) of the demo
database plus a tar of the media folder, restored with pg_restore into an empty database and
an empty folder. Every table keeps every row (counted per table) and every file its bytes.

The demo installation is made by `migrate`, as an operator makes one: its schema must be the test
database's, which the suite makes from the models (tests/conftest.py).

Needs PostgreSQL and its client tools; it makes databases of its own (unique names) and drops them.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from ..conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.slow(60)]

ROOT = Path(settings.BASE_DIR)
TIMEOUT = 600


def _server() -> dict | None:
    if connection.vendor != "postgresql" or not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        return None
    params = connection.settings_dict
    return {
        "host": params.get("HOST") or "127.0.0.1",
        "port": str(params.get("PORT") or 5432),
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or "",
    }


def _url(server, name):
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


def _pg(server, *args):
    env = {**os.environ, "PGPASSWORD": server["password"]}
    base = ["-h", server["host"], "-p", server["port"], "-U", server["user"]]
    command = [args[0], *base, *args[1:]]
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=TIMEOUT)


def _manage(database_url, media, *args, stdin=None):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEMPRE_MEDIA_ROOT": str(media),
        "SEMPRE_ENV": "development",
    }
    env.pop("REDIS_URL", None)  # reports render in-process (eager) for the seeded file
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, input=stdin
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


# Each step below is one `manage.py shell` process (a Django start-up costs 1-2 s); what it does
# is what `manage.py migrate`, `seed_demo` and `migrate --check` do, through call_command.
COUNT_ROWS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'select count(*) from "{table}"')
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""

MAKE_REPORT = """
from sempre.models import User
from reports import services
job, _ = services.report_request(by=User.objects.get(username="coordinator"), kind="programme_csv", params={})
job.refresh_from_db()
print(job.status, job.file.name)
"""

# The demo installation: migrated, seeded, one report made (a file in the media folder), and then
# its rows counted (nothing writes to it afterwards: the database is this test's own).
MAKE_THE_DEMO = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo", without_reports=True)  # it makes a report of its own below
{MAKE_REPORT}
{COUNT_ROWS}
"""

# The restored installation: its rows counted, and no migration missing (`migrate --check` exits 1).
CHECK_THE_RESTORED = f"""
{COUNT_ROWS}
from django.core.management import call_command
call_command("migrate", check_unapplied=True, verbosity=0)
"""


# The schema of a database, one line per column, constraint, index, trigger, view, function and
# extension: what the test database (made from the models) must share with a migrated one.
SCHEMA = """
select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || case when a.attnotnull then ' not null' else '' end
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       || case when a.attidentity <> '' then ' identity' else '' end
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
 where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and a.attnum > 0
   and not a.attisdropped
union all
select 'constraint ' || c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
  from pg_constraint con join pg_class c on c.oid = con.conrelid
 where c.relnamespace = 'public'::regnamespace
union all
select 'index ' || pg_get_indexdef(i.indexrelid)
  from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = 'public'::regnamespace
union all
select 'trigger ' || pg_get_triggerdef(t.oid)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where not t.tgisinternal and c.relnamespace = 'public'::regnamespace
union all
select 'view ' || relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('v', 'm')
union all
select 'function ' || oid::regprocedure::text from pg_proc where pronamespace = 'public'::regnamespace
union all
select 'extension ' || extname from pg_extension
"""
# Where the two may differ: `migrate`'s own table, and Django's auth, whose group-permission table
# `migrate` gives a bigint id and the model an integer one.
ONLY_MIGRATE_MAKES = re.compile(r"django_migrations|^column auth_group_permissions\.id ")


def _schema(cursor) -> set[str]:
    cursor.execute(SCHEMA)
    return {line for (line,) in cursor.fetchall() if not ONLY_MIGRATE_MAKES.search(line)}


def _files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def drop_in_the_background():
    """drop(server, name): DROP DATABASE waits for a checkpoint of the whole server (seconds on a
    busy disk) and nothing after the test needs the databases gone, so the test starts `dropdb` and
    goes on; the session waits for every drop at its end, and a drop that failed fails there."""
    started = []

    def drop(server, name):
        env = {**os.environ, "PGPASSWORD": server["password"]}
        base = ["-h", server["host"], "-p", server["port"], "-U", server["user"]]
        command = ["dropdb", *base, "--if-exists", "--force", name]
        started.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))

    yield drop
    for process in started:
        output, _ = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, f"{process.args}: {output.decode()}"


@pytest.mark.django_db
def test_the_demo_database_and_media_survive_dump_and_restore(tmp_path, drop_in_the_background):
    import json

    server = _server()
    require_service(server is not None, "PostgreSQL with pg_dump/pg_restore")
    tag = uuid.uuid4().hex[:10]
    source, target = f"sempre_backup_src_{tag}", f"sempre_backup_dst_{tag}"
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    dump, media_archive = tmp_path / "sempre.dump", tmp_path / "media.tar.gz"
    _pg(server, "createdb", source)
    try:
        output = _manage(_url(server, source), media, "shell", "--no-imports", "-c", MAKE_THE_DEMO)
        made, counted = output.splitlines()[-2:]
        assert made.startswith("succeeded"), output[-2000:]
        before = json.loads(counted)

        # the installation `migrate` made has the schema the tests run on: the test database is made
        # from the models (tests/conftest.py, django_db_modify_db_settings)
        with psycopg.connect(_url(server, source)) as migrated, migrated.cursor() as cursor:
            by_migrations = _schema(cursor)
        with connection.cursor() as cursor:
            by_models = _schema(cursor)
        assert len(by_models) > 1000, "the catalogue query found the tables"
        assert sorted(by_migrations - by_models) == [], "made by the migrations, not by the models"
        assert sorted(by_models - by_migrations) == [], "made by the models, not by the migrations"

        # the backup
        _pg(server, "pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
        with tarfile.open(media_archive, "w:gz") as archive:
            archive.add(media, arcname=".")

        # the restore, into an empty database and an empty folder
        _pg(server, "createdb", target)
        _pg(server, "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump))
        restored_media.mkdir()
        with tarfile.open(media_archive) as archive:
            archive.extractall(restored_media, filter="data")

        # counted, and the restored installation is complete: no migration missing
        after = json.loads(
            _manage(_url(server, target), restored_media, "shell", "--no-imports", "-c", CHECK_THE_RESTORED)
        )
        assert before["microprojects_microproject"] >= 30  # really the demo data
        assert before["reports_reportjob"] >= 1
        assert after == before
        files = _files(media)
        assert files  # the report file, at least
        assert _files(restored_media) == files
    finally:
        drop_in_the_background(server, source)
        drop_in_the_background(server, target)
