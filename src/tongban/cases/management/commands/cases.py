"""``tongban cases sweep``: acceptance by operation of law and deadline flags, now (for cron)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tongban.cases import services


class Command(BaseCommand):
    help = "Cases: run the deadline sweep (deemed acceptances, due-soon and overdue flags)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        sweep = actions.add_parser("sweep", help="update deadline flags and deemed acceptances")
        sweep.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        report = services.sweep_now()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            _("Accepted by operation of law: %(deemed)d. Flags changed: %(flagged)s.")
            % {
                "deemed": len(report.deemed_accepted),
                "flagged": ", ".join(f"{k} {v}" for k, v in sorted(report.flagged.items())) or "0",
            }
        )
