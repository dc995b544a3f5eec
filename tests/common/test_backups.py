"""The backup check: a real pg_dump of the test database restores into a scratch database, counts compared."""

import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from common.backups import libpq_environment
from tests.conftest import rankings_stored
from tests.factories import submitted_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
needs_pg_dump = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")


def dump_database(path, *formats):
    # The fixtures' recomputation, queued to a real worker under CI=true, would otherwise write after the
    # dump, a difference the check rightly reports.
    rankings_stored()
    database = connection.settings_dict
    subprocess.run(
        ["pg_dump", *formats, "--no-owner", "-f", str(path), database["NAME"]],
        env=libpq_environment(database),
        check=True,
        capture_output=True,
        timeout=300,
    )


@needs_pg_dump
@pytest.mark.parametrize("formats", [["-Fc"], []], ids=["custom", "plain"])
def test_a_fresh_dump_restores_with_every_row_count(tmp_path, capsys, formats):
    submitted_application()
    dump = tmp_path / "onepluone.dump"
    dump_database(dump, *formats)

    call_command("check_backup", str(dump), "--scratch-db", "onepluone_h2_restore_check")

    out = capsys.readouterr().out
    assert "every row count matches." in out
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines()[1:-1]}
    assert rows["applications_application"] == ["1", "1"]
    assert rows["applications_accesslogentry"] == rows["applications_accesslogentry"][:1] * 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'onepluone_h2_restore_check'")
        assert cursor.fetchone() is None


@needs_pg_dump
def test_rows_written_after_the_dump_show_as_a_difference(tmp_path, capsys):
    submitted_application()
    dump = tmp_path / "onepluone.dump"
    dump_database(dump, "-Fc")
    submitted_application()

    with pytest.raises(CommandError) as error:
        call_command("check_backup", str(dump), "--scratch-db", "onepluone_h2_restore_check2")

    assert "applications_application" in str(error.value)
    assert "<-- differs" in capsys.readouterr().out


def test_a_missing_dump_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such dump"):
        call_command("check_backup", str(tmp_path / "nothing.dump"))
