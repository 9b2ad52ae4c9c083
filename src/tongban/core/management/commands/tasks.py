"""``tongban tasks sweep``: re-queue the background tasks of workers that died (for cron)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tongban.core import tasklease


class Command(BaseCommand):
    help = "Background tasks: re-queue tasks left RUNNING by a worker that stopped beating."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        sweep = actions.add_parser("sweep", help="re-queue tasks whose worker's lease expired")
        sweep.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, **options):
        counts = tasklease.sweep()
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                _("Queued again: %(requeued)d. Given up after too many lost workers: %(failed)d.")
                % counts
            )
