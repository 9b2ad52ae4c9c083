from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from tongban.accounts import token_scopes  # in ready(): the app registry is loaded

        from . import channels  # noqa: F401  (registers the built-in e-mail and SMS channels)

        token_scopes.register(  # what an API token needs to change notifications (their API)
            "notifications",
            _("Notifications"),
            _("Mark inbox messages read and send failed messages again."),
        )
