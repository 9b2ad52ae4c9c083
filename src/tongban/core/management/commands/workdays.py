"""``tongban workdays add DATE N [--calendar CN|HK|MO]``: the tool staff and the deadline code share.

Prints the date N working days after DATE (the day itself does not count) in ISO form on stdout;
warnings about unpublished holiday schedules go to stderr.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.core import workdays


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": text}, returncode=1
        ) from None


def parse_count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a whole number of working days.") % {"value": text}, returncode=1
        ) from None


class Command(BaseCommand):
    help = "Working-day arithmetic on the mainland (CN), Hong Kong (HK) or Macau (MO) calendar."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="the date N working days after DATE")
        add.add_argument("date", help="YYYY-MM-DD; this day itself does not count")
        add.add_argument("n", help="number of working days (negative counts backwards)")
        add.add_argument("--calendar", default="CN", help="CN, HK or MO")
        between = actions.add_parser("between", help="working days d with A < d <= B")
        between.add_argument("a")
        between.add_argument("b")
        between.add_argument("--calendar", default="CN", help="CN, HK or MO")

    def handle(self, *args, **options):
        calendar = options["calendar"]
        try:
            if options["action"] == "add":
                start = parse_date(options["date"])
                result = workdays.add_working_days_checked(
                    start, parse_count(options["n"]), calendar
                )
                output, warnings = result.date.isoformat(), result.warnings
            else:
                a, b = parse_date(options["a"]), parse_date(options["b"])
                output = str(workdays.working_days_between(a, b, calendar))
                first, last = sorted((a.year, b.year))
                warnings = workdays.calendar_warnings(first, calendar, until_year=last)
        except ValueError as error:  # unknown calendar, out of range: translated messages
            raise CommandError(str(error), returncode=1) from None
        for warning in warnings:
            self.stderr.write(_("Warning: %(message)s") % {"message": warning})
        self.stdout.write(output)
