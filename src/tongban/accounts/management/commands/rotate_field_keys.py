from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tongban.accounts.rotation import rotate_field_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of TONGBAN_FIELD_KEYS. Put the new "
        "key first, keep the old ones after it, run this, then drop the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Also recompute lookup hashes with the current TONGBAN_LOOKUP_KEY.",
        )

    def handle(self, *args, rehash: bool = False, **options):
        report = rotate_field_keys(rehash=rehash)
        self.stdout.write(
            _("Re-encrypted %(rows)s rows (%(fields)s encrypted fields).")
            % {"rows": report.rows, "fields": report.fields}
        )
