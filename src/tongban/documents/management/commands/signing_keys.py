"""``tongban signing_keys list | generate | publish``: the document-signing keys.

``list`` shows each key's id, role and source (never the key). ``generate`` writes a new
private key: with ``--out PATH`` to a file you then put first in ``TONGBAN_SIGNING_KEYS``; in
the embedded default ``--rotate`` makes it the current key and keeps the old one verifying.
``publish`` prints (or writes) the JWK Set of public keys that ``/.well-known/tongban-keys.json``
serves, for verifiers who work offline (``tongban document verify --keys``).
"""

import json
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.documents import keys as signing_keys


class Command(BaseCommand):
    help = "List, generate or publish the document-signing keys."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="key ids, roles and sources")
        generate = actions.add_parser("generate", help="write a new Ed25519 private key")
        target = generate.add_mutually_exclusive_group(required=True)
        target.add_argument("--out", help="write the PEM private key to this new file")
        target.add_argument(
            "--rotate",
            action="store_true",
            help="embedded default: make a new current key; the old one keeps verifying",
        )
        publish = actions.add_parser("publish", help="the JWK Set of verifying public keys")
        publish.add_argument("--out", help="write to this file instead of printing")

    def handle(self, *args, **options):
        try:
            getattr(self, options["action"])(options)
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem), returncode=1) from problem

    def list(self, options):
        ring = signing_keys.key_ring()
        if not ring.keys:
            self.stdout.write(_("No signing key is configured (set TONGBAN_SIGNING_KEYS)."))
        for key in ring.keys:
            self.stdout.write(f"{key.key_id}  {key.role:<9}  {key.source}")

    def generate(self, options):
        if options["rotate"]:
            private, _public = signing_keys.configured_entries()
            if private:
                raise CommandError(
                    _(
                        "TONGBAN_SIGNING_KEYS is set, so keys live where you configured them: use "
                        "--out and put the new file first in that list."
                    ),
                    returncode=1,
                )
            new, previous = signing_keys.rotate_embedded_key()
            self.stdout.write(_("New signing key %(key_id)s.") % {"key_id": new.key_id})
            if previous:
                self.stdout.write(
                    _("Key %(key_id)s now only verifies.") % {"key_id": previous.key_id}
                )
            return
        path = Path(options["out"])
        if path.exists():
            raise CommandError(_("%(path)s already exists.") % {"path": path}, returncode=1)
        key = signing_keys.write_new_key(path)
        key_id = signing_keys.key_id_for(key.public_key())
        public = signing_keys.b64url(signing_keys.raw_public_bytes(key.public_key()))
        self.stdout.write(
            _(
                "Wrote key %(key_id)s to %(path)s. Put the path first in TONGBAN_SIGNING_KEYS "
                "and keep the old key after it until it is retired; its public key is %(public)s."
            )
            % {"key_id": key_id, "path": path, "public": public}
        )

    def publish(self, options):
        text = json.dumps(signing_keys.key_ring().jwks(), indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(_("Wrote %(path)s.") % {"path": options["out"]})
        else:
            self.stdout.write(text)
