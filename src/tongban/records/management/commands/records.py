"""``tongban records import KIND FILE.csv [--dry-run]``, ``tongban records demo``,
``tongban records check``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.records import services
from tongban.records.constants import RecordKind


class Command(BaseCommand):
    help = "Department records: import a CSV file, create demo records, check the providers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="import one kind of record from CSV")
        importing.add_argument("kind", choices=RecordKind.values)
        importing.add_argument("file")
        importing.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        actions.add_parser("demo", help="records for the demo people (embedded mode only)")
        actions.add_parser("check", help="ask each kind's provider whether it can answer")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options):
        try:
            report = services.import_file(
                options["kind"], options["file"], dry_run=options["dry_run"]
            )
        except services.ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(_("Nothing was imported."), returncode=1) from None
        message = (
            _("%(rows)d rows about %(subjects)d subjects are valid; nothing written (dry run).")
            if options["dry_run"]
            else _("Imported %(rows)d rows about %(subjects)d subjects.")
        )
        self.stdout.write(message % {"rows": report.rows, "subjects": report.subjects})

    def _demo(self, options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError(_("Demo records are refused when TONGBAN_ENV=production."))
        summary = services.create_demo_records()
        self.stdout.write(
            _(
                "Demo records: %(months)d contribution months, %(tax)d tax payments, %(props)d properties."
            )
            % {
                "months": summary["social_insurance_months"],
                "tax": summary["tax_payments"],
                "props": summary["properties"],
            }
        )

    def _check(self, options):
        failed = False
        for kind, health in services.check_providers().items():
            state = _("ok") if health.ok else _("FAILING")
            self.stdout.write(f"{kind}: {health.name} {state} — {health.detail}")
            failed = failed or not health.ok
        if failed:
            raise CommandError(_("A record provider cannot answer."), returncode=1)
