"""Checking a PostgreSQL backup: restore a dump into a scratch database and compare row counts per table.

docs/backups.md has the whole procedure (pg_dump, where the dump goes, restoring for real); this is the
check that a dump restores and holds what the live database holds. The scratch database is created
beside the live one (same server and credentials), filled with `pg_restore` (custom-format dumps) or
`psql` (plain SQL dumps), counted, and dropped unless kept.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.db import connection
from psycopg2 import sql


class BackupCheckError(Exception):
    pass


@dataclass(frozen=True)
class TableCount:
    table: str
    live: int | None
    restored: int | None

    @property
    def matches(self) -> bool:
        return self.live == self.restored


def libpq_environment(database: dict) -> dict[str, str]:
    """PG* variables for the command-line tools, from a Django DATABASES entry."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    return env


def _connect(database: dict, name: str):
    return psycopg2.connect(
        dbname=name,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupCheckError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def restore_and_compare(dump: Path, *, scratch: str, keep: bool = False) -> list[TableCount]:
    """Restore `dump` into the new database `scratch` and compare every table's rows with the live one."""
    if connection.vendor != "postgresql":
        raise BackupCheckError("The backup check needs PostgreSQL.")
    if not dump.is_file():
        raise BackupCheckError(f"No such dump: {dump}")
    database = connection.settings_dict
    admin = _connect(database, database["NAME"])
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch])
        if cursor.fetchone():
            raise BackupCheckError(f"The scratch database {scratch} exists already; choose another name.")
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        env = libpq_environment(database)
        custom = dump.read_bytes()[:5] == b"PGDMP"
        command = (
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "-d", scratch, str(dump)]
            if custom
            else [_tool("psql"), "-v", "ON_ERROR_STOP=1", "-q", "-d", scratch, "-f", str(dump)]
        )
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=3600)
        if result.returncode != 0:
            raise BackupCheckError(f"Restoring failed:\n{result.stderr.strip()}")
        restored_connection = _connect(database, scratch)
        try:
            with restored_connection.cursor() as cursor:
                restored = _counts(cursor)
        finally:
            restored_connection.close()
        with connection.cursor() as cursor:
            live = _counts(cursor)
    finally:
        if not keep:
            with admin.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.close()
    return [TableCount(table, live.get(table), restored.get(table)) for table in sorted(set(live) | set(restored))]
