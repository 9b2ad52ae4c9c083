"""``tongban audit verify`` recomputes the hash chain; ``tongban audit sign`` signs its head.

``verify`` exits 0 when the chain is intact (printing the count and the head hash) and 1 naming
the first broken event. Run ``sign`` from cron (e.g. hourly) so a truncated chain shows.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.core import audit


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or sign its head."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="recompute the chain; exit 1 if broken")
        verify.add_argument("--batch-size", type=int, default=5000)
        sign = actions.add_parser("sign", help="record a signed checkpoint of the head")
        sign.add_argument(
            "--force", action="store_true", help="sign even if the head has not moved"
        )

    def handle(self, *args, **options):
        if options["action"] == "verify":
            self.verify(max(1, options["batch_size"]))
        else:
            self.sign(options["force"])

    def verify(self, batch_size: int) -> None:
        report = audit.verify_chain(batch_size=batch_size)
        for note in report.notes:
            self.stderr.write(_("Note: %(note)s") % {"note": note})
        if report.broken is not None:
            broken = report.broken
            raise CommandError(
                _("BROKEN: audit event #%(sequence)d (id %(id)s): %(reason)s")
                % {
                    "sequence": broken.sequence,
                    "id": broken.id if broken.id is not None else _("missing"),
                    "reason": broken.reason,
                },
                returncode=1,
            )
        self.stdout.write(
            _(
                "intact: %(count)d events, head #%(sequence)d %(hash)s, "
                "%(checkpoints)d signed checkpoints verified"
            )
            % {
                "count": report.count,
                "sequence": report.head_sequence,
                "hash": report.head_hash,
                "checkpoints": report.checkpoints_checked,
            }
        )

    def sign(self, force: bool) -> None:
        checkpoint = audit.sign_head(force=force)
        if checkpoint is None:
            self.stdout.write(_("The audit trail is empty; nothing to sign."))
            return
        self.stdout.write(
            _("checkpoint #%(sequence)d %(hash)s signed with key %(key_id)s")
            % {
                "sequence": checkpoint.sequence,
                "hash": checkpoint.head_hash,
                "key_id": checkpoint.key_id,
            }
        )
