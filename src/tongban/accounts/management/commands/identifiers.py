"""``tongban identifiers check KIND VALUE``: is this document number valid?

Prints the normalised number and exits 0 when it is; prints the reason and exits 1 when it
is not. The reason is in the language given by ``--language``, else by the locale
environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else in simplified Chinese.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tongban.accounts import identifiers
from tongban.accounts.identifiers import IdentifierKind
from tongban.core.locale import language_from_environment, supported_language


class Command(BaseCommand):
    help = "Check identity-document and company numbers."
    requires_system_checks: list[str] = []  # needs no database; answer fast

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser(
            "check",
            help="Print the normalised number (exit 0) or why it is invalid (exit 1).",
        )
        check.add_argument("kind", choices=IdentifierKind.values, help="kind of document")
        check.add_argument("value", help="the number as written, e.g. 'A123456(3)'")
        check.add_argument(
            "--language",
            help="language of the reason: zh-hans, zh-hant, en or pt "
            "(default: from $LANG, else zh-hans)",
        )

    def handle(self, *args, kind, value, language=None, **options):
        chosen = supported_language(language) if language else language_from_environment()
        if chosen is None:
            choices = ", ".join(code for code, _name in settings.LANGUAGES)
            raise CommandError(
                _("Unknown language %(language)s; choose one of %(choices)s.")
                % {"language": language, "choices": choices}
            )
        with translation.override(chosen):
            result = identifiers.check(kind, value)
            if result.valid:
                self.stdout.write(result.normalized)
                return
            self.stderr.write(str(result.error))
        raise SystemExit(1)
