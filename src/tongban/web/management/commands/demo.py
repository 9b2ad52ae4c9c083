"""``tongban demo``: a realistic demo world in the embedded default, never in production.

Creates residents of Hong Kong and Macau with their documents and a company, staff for each
zone and several departments, department records for certificates, and cases in every state
(each part only when its app is installed), then prints the demo sign-ins.
"""

import secrets

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create demo people, staff, records and cases (embedded mode only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="password for every demo account (default: random, printed)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when demo people already exist"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Demo data is refused when TONGBAN_ENV=production."))
        from tongban.accounts import services as accounts
        from tongban.catalog import services as catalog

        if not catalog.has_items():
            catalog.load_shipped_catalog(actor="tongban demo")
        if options["if_empty"] and accounts.demo_people_exist():
            self.stdout.write(_("Demo data already exists; nothing to do."))
            return
        password = options["password"] or secrets.token_urlsafe(9)
        with transaction.atomic():
            people = accounts.create_demo_people(password)
            extras = self.create_app_demos(people)
        self.report(people, extras, password)

    def create_app_demos(self, people: dict) -> list[str]:
        """Each later app adds its part of the demo world through its services."""
        lines: list[str] = []
        if apps.is_installed("tongban.records"):
            from tongban.records import services as records

            figures = records.create_demo_records()
            lines.append(
                _(
                    "Department records: %(months)s social-insurance months, %(payments)s tax payments, %(properties)s properties."
                )
                % {
                    "months": figures["social_insurance_months"],
                    "payments": figures["tax_payments"],
                    "properties": figures["properties"],
                }
            )
        if apps.is_installed("tongban.cases"):
            from tongban.cases import services as cases

            if hasattr(cases, "create_demo_cases"):
                lines += cases.create_demo_cases(people) or []
        return lines

    def report(self, people: dict, extras: list[str], password: str) -> None:
        self.stdout.write(self.style.SUCCESS(_("Demo world created.")))
        self.stdout.write(
            _("Every demo account signs in with the password: %(password)s")
            % {"password": password}
        )
        self.stdout.write(_("Residents:"))
        for email in people["residents"]:
            self.stdout.write(f"  {email}")
        self.stdout.write(_("Staff:"))
        for email in people["staff"]:
            self.stdout.write(f"  {email}")
        if people.get("staff_totp_secret"):
            self.stdout.write(
                _(
                    "Staff sign in with an authenticator code: add this demo secret to an authenticator app: %(secret)s"
                )
                % {"secret": people["staff_totp_secret"]}
            )
        for line in extras:
            self.stdout.write(line)
