"""``tongban document verify FILE.pdf [--keys keys.json] [--offline]`` and
``tongban document revoke NUMBER --reason TEXT``.

``verify`` checks a PDF the platform issued: the seal's signature, that every byte is as
signed, the validity period and, unless ``--offline`` or ``--keys`` is given, the registry's
revocation status. Exit 0 when valid; 1 with the reason otherwise. ``revoke`` is the operator's
way to revoke a document (audited as ``command:document``).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.documents import keys as signing_keys
from tongban.documents import services
from tongban.documents.pdf import format_time

MAX_PDF_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "Verify a PDF issued by the platform (exit 0 valid, 1 not valid)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="check a PDF's signature, digest and status")
        verify.add_argument("file", help="the PDF file")
        verify.add_argument(
            "--keys",
            help="a JWK Set of trusted public keys (/.well-known/tongban-keys.json); implies "
            "--offline",
        )
        verify.add_argument(
            "--offline", action="store_true", help="do not consult the registry for revocation"
        )
        revoke = actions.add_parser("revoke", help="revoke a valid document (audited)")
        revoke.add_argument("number", help="the document's number, e.g. JMV-2026-000123")
        revoke.add_argument("--reason", required=True, help="why it is revoked")

    def handle(self, *args, **options):
        if options["action"] == "revoke":
            self.revoke(options["number"], options["reason"])
        else:
            self.verify(options)

    def revoke(self, number: str, reason: str) -> None:
        try:
            revoked = services.revoke(services.get_document(number), reason, "command:document")
        except services.DocumentError as problem:
            raise CommandError(problem.message, returncode=1) from problem
        self.stdout.write(
            _("Revoked %(number)s at %(time)s.")
            % {"number": revoked.number, "time": format_time(revoked.revoked_at)}
        )

    def verify(self, options) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_PDF_BYTES:
                raise CommandError(
                    _("%(path)s is too large to be a Tongban document.") % {"path": path},
                    returncode=1,
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror},
                returncode=1,
            ) from error
        keys = None
        if options["keys"]:
            try:
                keys = signing_keys.load_jwks_file(options["keys"])
            except ValueError as error:
                raise CommandError(str(error), returncode=1) from error
        offline = bool(options["offline"] or keys is not None)
        result = services.verify_pdf(data, keys, registry=not offline)
        if not result.is_valid:
            raise CommandError(
                _("NOT VALID (%(status)s): %(message)s")
                % {"status": result.status, "message": result.message},
                returncode=1,
            )
        self.stdout.write(
            _(
                "VALID: %(kind)s %(number)s, holder %(holder)s, issued %(issued)s, valid until "
                "%(until)s"
            )
            % {
                "kind": result.kind_label,
                "number": result.number,
                "holder": result.holder_masked,
                "issued": format_time(result.issued_at),
                "until": format_time(result.valid_until)
                if result.valid_until
                else _("no end date"),
            }
        )
        if offline:
            self.stdout.write(_("Checked offline: a revocation would not show."))
