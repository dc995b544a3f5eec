"""manage.py apply_retention [--dry-run]: anonymise the applications past their call's retention period
and delete the drafts abandoned for DRAFT_RETENTION_MONTHS (what the daily beat job does), or, with
--dry-run, only list what would go."""

from django.conf import settings
from django.core.management.base import BaseCommand

from applications.privacy.retention import retention_run


class Command(BaseCommand):
    help = "Anonymise applications past retention and delete abandoned drafts (--dry-run: only list them)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        report = retention_run(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {len(report.anonymised)} applications past their retention period:")
        for application, due in report.anonymised:
            self.stdout.write(f"  {application.reference} ({application.get_status_display()}, due {due:%Y-%m-%d})")
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {len(report.drafts)} drafts untouched for {settings.DRAFT_RETENTION_MONTHS} months:")
        for draft in report.drafts:
            self.stdout.write(f"  draft #{draft.pk} ({draft.call}, last changed {draft.updated_at:%Y-%m-%d})")
