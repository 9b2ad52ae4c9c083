from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import (
            channels,  # noqa: F401  (registers the built-in e-mail and SMS channels)
            personal_data,
        )

        personal_data.register()  # the inbox and messages sent, in "download my data"
