from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tongban.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import personal_data  # imports models: only once the app registry is ready

        personal_data.register()  # profile, documents, companies, consent in "download my data"
