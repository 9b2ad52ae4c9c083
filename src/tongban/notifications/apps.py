from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from tongban.accounts import token_scopes  # in ready(): the app registry is loaded
        from tongban.core import periodic

        from . import (
            channels,  # noqa: F401  (registers the built-in e-mail and SMS channels)
            personal_data,
        )
        from .tasks import sweep_stuck_notifications

        personal_data.register()  # the inbox and messages sent, in "download my data"
        # Settles sends a dead worker left half-done (``tongban notifications sweep`` from cron).
        periodic.register("notifications.sweep_stuck", sweep_stuck_notifications, minutes=5)
        token_scopes.register(  # what an API token needs to change notifications (their API)
            "notifications",
            _("Notifications"),
            _("Mark inbox messages read and send failed messages again."),
        )
