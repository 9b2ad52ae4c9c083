"""``tongban ratings remind``: tell owners of bad-rating follow-ups that are due (for cron)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tongban.cases.rating_followups import remind_due


class Command(BaseCommand):
    help = "Ratings: remind the owners of bad-rating follow-ups due by the next working day."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("remind", help="remind owners of follow-ups that are due (once a day)")

    def handle(self, *args, **options):
        reminded = remind_due()
        self.stdout.write(_("Owners reminded: %(count)d.") % {"count": reminded})
