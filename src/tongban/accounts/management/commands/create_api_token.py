from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongban.accounts import services


class Command(BaseCommand):
    help = "Create an API token for a staff member's integration. The token is shown once."

    def add_arguments(self, parser):
        parser.add_argument("user", help="The staff member's email address")
        parser.add_argument("--name", default="", help="What the token is for")

    def handle(self, *args, user: str, name: str, **options):
        account = get_user_model().objects.filter(email__iexact=user.strip()).first()
        if account is None:
            raise CommandError(_("No account has the email address %(email)s.") % {"email": user})
        if not services.is_staff_member(account):
            raise CommandError(
                _("%(email)s holds no staff role; API tokens are for staff integrations.")
                % {"email": account.email}
            )
        _record, token = services.create_api_token(account, name)
        self.stdout.write(token)
        self.stderr.write(_("Keep this token secret: it is not stored and cannot be shown again."))
