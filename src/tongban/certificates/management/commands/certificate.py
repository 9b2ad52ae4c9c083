"""``tongban certificate issue KIND --holder KIND:NUMBER --out FILE.pdf [--language2 en]``,
``tongban certificate issue --demo --out FILE.pdf`` and
``tongban certificate verify FILE.pdf [--keys keys.json]`` (delegates to ``document verify``).

Issuing from the command line is an operator's act: audited as ``command:certificate`` like
any issuance. ``--demo`` issues the social-insurance certificate of the first demo resident
(LEI Mei Leng, Macau), creating the demo people and records first in embedded mode only.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.certificates import services
from tongban.certificates.kinds import CertificateKind, Channel, Language2
from tongban.records import services as records


class Command(BaseCommand):
    help = "Issue a certificate as an operator, or verify a certificate PDF offline."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="issue a certificate (audited)")
        issue.add_argument("kind", nargs="?", choices=CertificateKind.values)
        issue.add_argument(
            "--holder", help="whom it is about, as KIND:NUMBER (e.g. mo-bir:1234567(8))"
        )
        issue.add_argument("--demo", action="store_true", help="the first demo resident's 参保证明")
        issue.add_argument("--language2", choices=Language2.values, help="second language")
        issue.add_argument("--out", required=True, help="where to write the PDF")
        verify = actions.add_parser("verify", help="check a certificate PDF (exit 0 valid, 1 not)")
        verify.add_argument("file")
        verify.add_argument("--keys", help="a JWK Set of trusted public keys (checks offline)")
        verify.add_argument("--offline", action="store_true", help="do not consult the registry")

    def handle(self, *args, **options):
        if options["action"] == "verify":
            arguments = [options["file"]]
            if options["keys"]:
                arguments += ["--keys", options["keys"]]
            if options["offline"]:
                arguments.append("--offline")
            call_command("document", "verify", *arguments, stdout=self.stdout, stderr=self.stderr)
            return
        self._issue(options)

    def _demo_subject(self):
        # --demo is refused in production before this runs: embedded mode only.
        if not records.fetch_record("social_insurance", records.demo_subject()):
            if "demo" in get_commands():
                call_command("demo", if_empty=True, stdout=self.stdout)
            if not records.fetch_record("social_insurance", records.demo_subject()):
                records.create_demo_records()  # demo people existed from before records
        return records.demo_subject()

    def _issue(self, options):
        if options["demo"]:
            if settings.PRODUCTION:
                raise CommandError(_("--demo is refused when TONGBAN_ENV=production."))
            kind, subject = (
                options["kind"] or CertificateKind.SOCIAL_INSURANCE,
                self._demo_subject(),
            )
        else:
            if not options["kind"] or not options["holder"]:
                raise CommandError(
                    _("Name the certificate type and --holder KIND:NUMBER, or use --demo.")
                )
            kind = options["kind"]
            try:
                subject = records.parse_subject(options["holder"])
            except records.InvalidSubject as error:
                raise CommandError(error.message) from error
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        try:
            document = services.issue_certificate(
                services.Operator(), kind, subject, options["language2"], Channel.COMMAND
            )
        except services.CertificateRefused as refused:
            raise CommandError(refused.message) from refused
        out.write_bytes(services.read_pdf(document))
        self.stdout.write(
            _(
                "Issued %(number)s (verification code %(code)s) for %(holder)s, valid until %(until)s: %(path)s"
            )
            % {
                "number": document.number,
                "code": document.display_code,
                "holder": document.holder_masked,
                "until": document.valid_until.date().isoformat(),
                "path": out,
            }
        )
