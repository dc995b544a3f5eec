"""The scale benchmarks' databases: PostgreSQL, seeded by `manage.py seed_load`, created when absent.

`BENCH_DATABASE_URL` names the database of the full data set (20,000 applications); the small one
(1,000, for the growth ratios) is the same name with `_1k` appended. Both are kept between runs: seeding
takes a minute or two, and what is measured is reading them.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/onepluone_bench"
SIZES = {20000: "", 1000: "_1k"}


def database_url(size: int) -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path + SIZES[size]))


def _exists(url: str) -> bool:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return True
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return False


def ensure(size: int) -> str:
    """The URL of the database of `size` applications, migrated and seeded (only when it is new or empty)."""
    url = database_url(size)
    _exists(url)
    env = {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench._pg_settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [*manage, "seed_load", "--applications", str(size)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if seeded.returncode == 0:
        print(f"seed_load applications={size} {seeded.stdout.strip()}", flush=True)
    elif "already holds applications" not in seeded.stderr:
        raise RuntimeError(seeded.stderr)
    return url
