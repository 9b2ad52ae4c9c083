from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.accounts import services, token_scopes, tokens


class Command(BaseCommand):
    help = (
        "Create an API token for a staff member's integration (the staff member needs an "
        "authenticator app). The token is shown once; its creation is audited. Staff make "
        "their own on the security page (/accounts/security/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("user", help="The staff member's email address")
        parser.add_argument("--name", default="", help="What the token is for")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            help=(
                "What the token may change; repeat for several. One of: "
                + ", ".join(scope.name for scope in token_scopes.all_scopes())
                + f" (default: {token_scopes.READ}, read-only)"
            ),
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"How long it lasts (default {tokens.default_days()}, "
            f"at most {tokens.max_days()})",
        )

    def handle(self, *args, user: str, name: str, scopes, days, **options):
        account = get_user_model().objects.filter(email__iexact=user.strip()).first()
        if account is None:
            raise CommandError(_("No account has the email address %(email)s.") % {"email": user})
        try:
            record, token = services.create_api_token(
                account, name, scopes=scopes or [token_scopes.READ], days=days, via="command"
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(token)
        self.stderr.write(
            _("Scopes: %(scopes)s. Expires on %(date)s.")
            % {"scopes": ", ".join(record.scopes), "date": record.expires_at.date().isoformat()}
        )
        self.stderr.write(_("Keep this token secret: it is not stored and cannot be shown again."))
