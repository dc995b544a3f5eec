"""manage.py check_backup DUMP [--scratch-db NAME] [--keep]: restore a pg_dump into a scratch database and
compare row counts per table with the live database (docs/backups.md). Exits 1 on any difference."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.backups import BackupCheckError, restore_and_compare


class Command(BaseCommand):
    help = "Restore a PostgreSQL dump into a scratch database and compare row counts per table."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="A pg_dump file (custom format -Fc, or plain SQL).")
        parser.add_argument("--scratch-db", default="", help="Name of the scratch database (created, then dropped).")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database for inspection.")

    def handle(self, *args, dump: Path, scratch_db: str, keep: bool, **options):
        scratch = scratch_db or f"restore_check_{timezone.now():%Y%m%d%H%M%S}"
        try:
            counts = restore_and_compare(dump, scratch=scratch, keep=keep)
        except BackupCheckError as error:
            raise CommandError(str(error)) from error
        width = max((len(count.table) for count in counts), default=5)
        self.stdout.write(f"{'table'.ljust(width)}  {'live':>10}  {'restored':>10}")
        for count in counts:
            mark = "" if count.matches else "  <-- differs"
            live = "-" if count.live is None else count.live
            restored = "-" if count.restored is None else count.restored
            self.stdout.write(f"{count.table.ljust(width)}  {live:>10}  {restored:>10}{mark}")
        differing = [count.table for count in counts if not count.matches]
        if differing:
            raise CommandError(f"{len(differing)} of {len(counts)} tables differ: {', '.join(differing)}")
        kept = f" (kept as {scratch})" if keep else ""
        self.stdout.write(
            self.style.SUCCESS(f"The dump restores: {len(counts)} tables, every row count matches{kept}.")
        )
