from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInConfig(AppConfig):
    name = "tongban.accounts.signin"
    label = "signin"
    verbose_name = _("Sign-in")

    def ready(self):
        from tongban.accounts.signin import staff_sessions  # noqa: F401  (connects its receivers)
