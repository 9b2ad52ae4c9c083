"""``tongban notifications``: settle interrupted sends (for cron) and check the channels."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.notifications import services


class Command(BaseCommand):
    help = "Notifications: settle sends a killed worker left half-done; check every channel."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        sweep = actions.add_parser("sweep", help="settle deliveries stuck in 'sending'")
        sweep.add_argument("--json", action="store_true", help="print the counts as JSON")
        check = actions.add_parser("check", help="check every channel (exit 1 if one fails)")
        check.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, **options):
        if options["action"] == "sweep":
            counts = services.sweep_stuck_now()
            if options["json"]:
                self.stdout.write(json.dumps(counts))
            else:
                self.stdout.write(
                    _("Marked sent: %(sent)d. Queued again: %(requeued)d. Failed: %(failed)d.")
                    % counts
                )
            return
        results = services.channel_health()
        if options["json"]:
            self.stdout.write(
                json.dumps([{"name": h.name, "ok": h.ok, "detail": h.detail} for h in results])
            )
        else:
            for health in results:
                state = _("ok") if health.ok else _("FAILING")
                self.stdout.write(f"{health.name}: {state} — {health.detail}")
        if not all(health.ok for health in results):
            raise CommandError(_("A notification channel is failing."))
