from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tongban.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import personal_data  # imports models: only once the app registry is ready

        personal_data.register()  # profile, documents, companies, consent in "download my data"

        from . import token_scopes  # in ready(): the app registry is loaded

        token_scopes.register_accounts_scopes()  # "read" and "counter" for API tokens
