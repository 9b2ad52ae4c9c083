from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tongban.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import facts, kinds

        kinds.register_document_kinds(describe=facts.describe)
        kinds.register_catalog_links()
        from . import personal_data

        personal_data.register()  # how "download my data" finds the person's certificates

        from tongban.accounts import token_scopes  # in ready(): the app registry is loaded

        token_scopes.register(  # what an API token needs to issue certificates (their API)
            "certificates", _("Certificates"), _("Issue certificates.")
        )
